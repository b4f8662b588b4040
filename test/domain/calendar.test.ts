import {
  addWorkingDays,
  countWorkingDays,
  isWeekdayForLegalTime,
  isWorkingDay,
  legalWeekdayOnOrAfter,
  namedNonWorkingDays,
  nextWorkingDay,
  nonWorkingReason,
  previousWorkingDay,
  swedishCalendar,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
} from '../../src/domain/calendar';

// Independently known facts (almanac; lag (1989:253) plus the three aftnar). Easter Sunday:
// 2025-04-20, 2026-04-05, 2027-03-28. Not derived from date-holidays.
const EXPECTED: Record<number, [string, string][]> = {
  2025: [
    ['2025-01-01', 'nyårsdagen'],
    ['2025-01-06', 'trettondedag jul'],
    ['2025-04-18', 'långfredagen'],
    ['2025-04-20', 'påskdagen'],
    ['2025-04-21', 'annandag påsk'],
    ['2025-05-01', 'första maj'],
    ['2025-05-29', 'Kristi himmelsfärdsdag'],
    ['2025-06-06', 'nationaldagen'],
    ['2025-06-08', 'pingstdagen'],
    ['2025-06-20', 'midsommarafton'],
    ['2025-06-21', 'midsommardagen'],
    ['2025-11-01', 'alla helgons dag'],
    ['2025-12-24', 'julafton'],
    ['2025-12-25', 'juldagen'],
    ['2025-12-26', 'annandag jul'],
    ['2025-12-31', 'nyårsafton'],
  ],
  2026: [
    ['2026-01-01', 'nyårsdagen'],
    ['2026-01-06', 'trettondedag jul'],
    ['2026-04-03', 'långfredagen'],
    ['2026-04-05', 'påskdagen'],
    ['2026-04-06', 'annandag påsk'],
    ['2026-05-01', 'första maj'],
    ['2026-05-14', 'Kristi himmelsfärdsdag'],
    ['2026-05-24', 'pingstdagen'],
    ['2026-06-06', 'nationaldagen'],
    ['2026-06-19', 'midsommarafton'],
    ['2026-06-20', 'midsommardagen'],
    ['2026-10-31', 'alla helgons dag'],
    ['2026-12-24', 'julafton'],
    ['2026-12-25', 'juldagen'],
    ['2026-12-26', 'annandag jul'],
    ['2026-12-31', 'nyårsafton'],
  ],
  2027: [
    ['2027-01-01', 'nyårsdagen'],
    ['2027-01-06', 'trettondedag jul'],
    ['2027-03-26', 'långfredagen'],
    ['2027-03-28', 'påskdagen'],
    ['2027-03-29', 'annandag påsk'],
    ['2027-05-01', 'första maj'],
    ['2027-05-06', 'Kristi himmelsfärdsdag'],
    ['2027-05-16', 'pingstdagen'],
    ['2027-06-06', 'nationaldagen'],
    ['2027-06-25', 'midsommarafton'],
    ['2027-06-26', 'midsommardagen'],
    ['2027-11-06', 'alla helgons dag'],
    ['2027-12-24', 'julafton'],
    ['2027-12-25', 'juldagen'],
    ['2027-12-26', 'annandag jul'],
    ['2027-12-31', 'nyårsafton'],
  ],
};
// Neighbours of the range, so that the oracle is right at its edges too.
const EDGES: [string, string][] = [
  ['2024-12-24', 'julafton'],
  ['2024-12-25', 'juldagen'],
  ['2024-12-26', 'annandag jul'],
  ['2024-12-31', 'nyårsafton'],
  ['2028-01-01', 'nyårsdagen'],
  ['2028-01-06', 'trettondedag jul'],
];
const HOLIDAY = new Map([...Object.values(EXPECTED).flat(), ...EDGES]);

// The names in lag (1989:253) (Sundays aside) and the three aftnar: nothing else may appear.
const LAW_NAMES = [
  'nyårsdagen', 'trettondedag jul', 'långfredagen', 'påskdagen', 'annandag påsk', 'första maj',
  'Kristi himmelsfärdsdag', 'nationaldagen', 'pingstdagen', 'midsommardagen', 'alla helgons dag',
  'juldagen', 'annandag jul',
];
const AFTNAR = ['midsommarafton', 'julafton', 'nyårsafton'];

/** Every date from..to inclusive, by plain UTC arithmetic (independent of the code under test). */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
const oracleWorking = (d: string) => weekday(d) !== 0 && weekday(d) !== 6 && !HOLIDAY.has(d);

describe('holidays of 2025–2027', () => {
  test.each(Object.values(EXPECTED).flat())('%s is %s and not a working day', (date, name) => {
    expect(nonWorkingReason(date)).toBe(name);
    expect(isWorkingDay(date)).toBe(false);
    expect(isWeekdayForLegalTime(date)).toBe(false);
  });

  test.each([2025, 2026, 2027])('the named non-working days of %i are exactly the expected ones', (year) => {
    expect(namedNonWorkingDays(year).map((h) => [h.date, h.name])).toEqual(EXPECTED[year]);
  });

  test.each([2025, 2026, 2027, 2030, 2040])('%i: kinds follow the law list, and each name occurs once', (year) => {
    const named = namedNonWorkingDays(year);
    expect(named.filter((h) => h.kind === 'helgdag').map((h) => h.name).sort()).toEqual([...LAW_NAMES].sort());
    expect(named.filter((h) => h.kind === 'afton').map((h) => h.name).sort()).toEqual([...AFTNAR].sort());
  });

  // date-holidays lists these as observances or half days: ordinary days unless on a weekend.
  test.each([
    ['2025-01-13', 'tjugondag Knut'],
    ['2025-02-14', 'alla hjärtans dag'],
    ['2025-03-04', 'fettisdagen'],
    ['2025-04-17', 'skärtorsdagen'],
    ['2025-04-30', 'valborgsmässoafton'],
    ['2025-06-09', 'annandag pingst (not a helgdag since 2005)'],
    ['2025-10-31', 'allhelgonaafton'],
    ['2025-11-06', 'Gustav-Adolf-dagen'],
    ['2025-12-10', 'Nobeldagen'],
    ['2026-01-05', 'trettondagsafton'],
    ['2026-04-02', 'skärtorsdagen'],
    ['2026-04-30', 'valborgsmässoafton'],
    ['2026-05-25', 'annandag pingst'],
    ['2026-10-30', 'allhelgonaafton'],
    ['2026-12-23', 'dan före dopparedagen'],
    ['2027-03-25', 'skärtorsdagen'],
    ['2027-05-17', 'annandag pingst'],
    ['2027-11-05', 'allhelgonaafton'],
  ])('%s (%s) is a working day', (date) => {
    expect(isWorkingDay(date)).toBe(true);
    expect(nonWorkingReason(date)).toBeUndefined();
  });

  test.each([
    ['2025-04-19', 'lördag'], // påskafton
    ['2025-06-07', 'lördag'], // pingstafton
    ['2026-04-04', 'lördag'], // påskafton
    ['2026-12-13', 'söndag'], // Luciadagen
    ['2027-11-06', 'alla helgons dag'], // also Gustav-Adolf-dagen and a Saturday: the helgdag wins
    ['2027-03-28', 'påskdagen'], // a Sunday: the holiday's name wins
    ['2026-06-06', 'nationaldagen'], // a Saturday
  ])('%s gives the reason %s', (date, reason) => {
    expect(nonWorkingReason(date)).toBe(reason);
  });
});

describe('every day of 2025–2027 against the oracle', () => {
  const all = days('2025-01-01', '2027-12-31');
  test('isWorkingDay, isWeekdayForLegalTime and the calendar object agree with weekends + expected holidays', () => {
    const wrong = all.filter(
      (d) =>
        isWorkingDay(d) !== oracleWorking(d) ||
        isWeekdayForLegalTime(d) !== oracleWorking(d) ||
        swedishCalendar.isWorkingDay(d) !== oracleWorking(d),
    );
    expect(wrong).toEqual([]);
  });

  test('plain weekends are called lördag and söndag', () => {
    const wrong = all.filter((d) => !HOLIDAY.has(d) && (weekday(d) === 6 || weekday(d) === 0))
      .filter((d) => nonWorkingReason(d) !== (weekday(d) === 6 ? 'lördag' : 'söndag'));
    expect(wrong).toEqual([]);
  });

  test('next/previous working day are the nearest oracle working days', () => {
    const span = days('2024-12-01', '2028-01-31');
    for (const d of all) {
      const i = span.indexOf(d);
      const after = span.slice(i + 1).find(oracleWorking);
      const before = span.slice(0, i).reverse().find(oracleWorking);
      expect([d, nextWorkingDay(d)]).toEqual([d, after]);
      expect([d, previousWorkingDay(d)]).toEqual([d, before]);
      expect([d, workingDayOnOrAfter(d)]).toEqual([d, oracleWorking(d) ? d : after]);
      expect([d, workingDayOnOrBefore(d)]).toEqual([d, oracleWorking(d) ? d : before]);
      expect([d, legalWeekdayOnOrAfter(d)]).toEqual([d, oracleWorking(d) ? d : after]);
    }
  });

  test('working days per year', () => {
    // 2025: 365 − 104 weekend days − 12 weekday holidays; 2026: − 10; 2027: − 8.
    expect(countWorkingDays('2024-12-31', '2025-12-31')).toBe(249);
    expect(countWorkingDays('2025-12-31', '2026-12-31')).toBe(251);
    expect(countWorkingDays('2026-12-31', '2027-12-31')).toBe(253);
  });

  test('adding and removing n working days returns to the same working day', () => {
    for (const d of all.filter(oracleWorking)) {
      for (const n of [1, 3, 10, 25]) expect([d, n, addWorkingDays(addWorkingDays(d, n), -n)]).toEqual([d, n, d]);
    }
  });
});

describe('stepping over holidays', () => {
  test.each([
    // Easter 2025: långfredagen, the weekend and annandag påsk
    ['2025-04-17', 'next', '2025-04-22'],
    ['2025-04-22', 'previous', '2025-04-17'],
    ['2025-04-18', 'onOrAfter', '2025-04-22'],
    ['2025-04-18', 'onOrBefore', '2025-04-17'],
    ['2025-04-17', 'onOrAfter', '2025-04-17'],
    // Kristi himmelsfärd: the Friday after is a working day (klämdag)
    ['2025-05-28', 'next', '2025-05-30'],
    ['2026-05-15', 'previous', '2026-05-13'],
    // midsommar
    ['2025-06-19', 'next', '2025-06-23'],
    ['2027-06-28', 'previous', '2027-06-24'],
    // alla helgons dag is always a Saturday
    ['2026-10-30', 'next', '2026-11-02'],
    // jul and nyår, also across the year boundary
    ['2025-12-23', 'next', '2025-12-29'],
    ['2025-12-30', 'next', '2026-01-02'],
    ['2026-01-02', 'previous', '2025-12-30'],
    ['2027-12-23', 'next', '2027-12-27'],
    ['2027-01-04', 'previous', '2026-12-30'],
    ['2027-12-30', 'next', '2028-01-03'],
  ])('%s %s → %s', (date, how, expected) => {
    const fn = { next: nextWorkingDay, previous: previousWorkingDay, onOrAfter: workingDayOnOrAfter, onOrBefore: workingDayOnOrBefore }[
      how as 'next' | 'previous' | 'onOrAfter' | 'onOrBefore'
    ];
    expect(fn(date)).toBe(expected);
  });

  test.each([
    ['2025-04-17', 1, '2025-04-22'],
    ['2025-04-22', -1, '2025-04-17'],
    ['2025-02-14', 10, '2025-02-28'],
    ['2025-02-14', 0, '2025-02-14'],
    ['2025-04-19', 0, '2025-04-19'],
    ['2025-04-19', 1, '2025-04-22'],
    ['2025-04-19', -1, '2025-04-17'],
    ['2025-12-22', 5, '2026-01-05'],
    ['2026-01-07', -5, '2025-12-23'],
    ['2025-06-05', -5, '2025-05-28'],
    ['2027-04-01', -5, '2027-03-23'],
  ])('addWorkingDays(%s, %i) = %s', (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
  });
});

describe('input checks', () => {
  test.each(['2025-02-30', '2025-2-3', '20250203', '', '2025-13-01'])('%p is refused', (bad) => {
    expect(() => isWorkingDay(bad)).toThrow(RangeError);
  });
  test('a fractional number of working days is refused', () => {
    expect(() => addWorkingDays('2025-02-14', 1.5)).toThrow(RangeError);
  });
});

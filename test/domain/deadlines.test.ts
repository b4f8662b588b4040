import {
  proposedJustering,
  anslagDue,
  anslagTakeDownDate,
  justeringDue,
  kallelseDue,
  overklagandeLastDay,
  ovrigaFragorCutoff,
  tjansteskrivelseDue,
} from '../../src/domain/deadlines';

import { plus, working } from '../support/known-holidays';
function onOrAfter(d: string): string {
  while (!working(d)) d = plus(d, 1);
  return d;
}
function before(d: string): string {
  do d = plus(d, -1);
  while (!working(d));
  return d;
}
const allDays = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = plus(d, 1)) out.push(d);
  return out;
};
// Meetings on every day of 2025–2027 (secretaries do meet on odd days; the rules must hold anyway).
const MEETINGS = allDays('2025-01-01', '2027-12-31');

describe('worked example from domain.md', () => {
  test('meeting fredag 2025-02-14 → justering 2025-02-28 → anslag 2025-03-02 (propose 02-28) → överklagande 2025-03-21', () => {
    const justering = justeringDue('2025-02-14');
    expect(justering.date).toBe('2025-02-28');
    expect(justering.warning).toBeUndefined();
    expect(justering.explanation).toContain('14 dagar efter sammanträdet fredag den 14 februari 2025');

    const anslag = anslagDue(justering.date);
    expect(anslag.date).toBe('2025-03-02');
    expect(anslag.proposedDate).toBe('2025-02-28');
    expect(anslag.warning).toContain('söndag den 2 mars 2025');
    expect(anslag.warning).toContain('fredag den 28 februari 2025');

    const overklagande = overklagandeLastDay('2025-02-28');
    expect(overklagande.date).toBe('2025-03-21');
    expect(overklagande.explanation).toContain('fredag den 28 februari 2025');
    expect(overklagande.explanation).not.toContain('1930:173');

    expect(anslagTakeDownDate('2025-02-28').date).toBe('2025-03-22');
  });
});

describe('user-facing text never cites unverified paragraphs', () => {
  test.each([
    ['justering', () => justeringDue('2025-04-04')],
    ['justering, late decided date', () => justeringDue('2025-02-14', '2025-03-07')],
    ['anslag', () => anslagDue('2025-02-28')],
    ['överklagande', () => overklagandeLastDay('2025-03-28')],
  ])('%s', (_name, make) => {
    const d = make();
    const text = `${d.explanation} ${d.warning ?? ''}`;
    expect(text).toContain('enligt kommunallagen');
    expect(text).not.toMatch(/§|kap\.|KL /);
  });
});

describe('justering', () => {
  test('every meeting day 2025–2027: 14 days later; a non-working last day warns and proposes the working day before', () => {
    for (const m of MEETINGS) {
      const r = justeringDue(m);
      const last = plus(m, 14);
      const expected = working(last)
        ? { date: last }
        : { date: last, proposedDate: before(last), warning: expect.stringContaining('osäkert') };
      expect({ m, ...r }).toEqual({ m, explanation: expect.stringContaining('enligt kommunallagen'), ...expected });
    }
  });

  test.each([
    // meeting, last day, proposed, the word the warning must name
    ['2025-02-13', '2025-02-27', undefined, undefined],
    ['2025-04-04', '2025-04-18', '2025-04-17', 'långfredagen'],
    ['2025-04-07', '2025-04-21', '2025-04-17', 'annandag påsk'],
    ['2025-04-17', '2025-05-01', '2025-04-30', 'första maj'],
    ['2025-05-15', '2025-05-29', '2025-05-28', 'Kristi himmelsfärdsdag'],
    ['2025-05-23', '2025-06-06', '2025-06-05', 'nationaldagen'],
    ['2025-06-06', '2025-06-20', '2025-06-19', 'midsommarafton'],
    ['2025-10-18', '2025-11-01', '2025-10-31', 'alla helgons dag'],
    ['2025-12-10', '2025-12-24', '2025-12-23', 'julafton'],
    ['2025-12-11', '2025-12-25', '2025-12-23', 'juldagen'],
    ['2025-12-12', '2025-12-26', '2025-12-23', 'annandag jul'],
    ['2025-12-17', '2025-12-31', '2025-12-30', 'nyårsafton'],
    ['2025-12-18', '2026-01-01', '2025-12-30', 'nyårsdagen'],
    ['2025-12-23', '2026-01-06', '2026-01-05', 'trettondedag jul'],
    ['2026-03-20', '2026-04-03', '2026-04-02', 'långfredagen'],
    ['2026-03-23', '2026-04-06', '2026-04-02', 'annandag påsk'],
    ['2026-04-30', '2026-05-14', '2026-05-13', 'Kristi himmelsfärdsdag'],
    ['2026-06-05', '2026-06-19', '2026-06-18', 'midsommarafton'],
    ['2026-12-10', '2026-12-24', '2026-12-23', 'julafton'],
    ['2027-03-12', '2027-03-26', '2027-03-25', 'långfredagen'],
    ['2027-04-22', '2027-05-06', '2027-05-05', 'Kristi himmelsfärdsdag'],
    ['2027-06-11', '2027-06-25', '2027-06-24', 'midsommarafton'],
    ['2027-12-17', '2027-12-31', '2027-12-30', 'nyårsafton'],
    ['2025-03-01', '2025-03-15', '2025-03-14', 'ingen arbetsdag'],
  ])('meeting %s → senast %s (propose %s, %s)', (meeting, last, proposed, word) => {
    const r = justeringDue(meeting);
    expect(r.date).toBe(last);
    expect(r.proposedDate).toBe(proposed);
    if (word) expect(r.warning).toContain(word);
    else expect(r.warning).toBeUndefined();
  });

  test('an earlier decided date is the deadline, and the legal limit is named', () => {
    const r = justeringDue('2025-01-09', '2025-01-17');
    expect(r).toEqual({
      date: '2025-01-17',
      explanation: expect.stringContaining('fredag den 17 januari 2025'),
    });
    expect(r.explanation).toContain('torsdag den 23 januari 2025');
  });

  test('omedelbar justering: the meeting day itself is fine, even on a Saturday', () => {
    expect(justeringDue('2025-03-01', '2025-03-01')).toEqual({ date: '2025-03-01', explanation: expect.any(String) });
  });

  test('a decided date on a non-working day warns and proposes the working day before', () => {
    const r = justeringDue('2025-02-14', '2025-02-22');
    expect(r.date).toBe('2025-02-22');
    expect(r.proposedDate).toBe('2025-02-21');
    expect(r.warning).toContain('lördag den 22 februari 2025');
  });

  test('a decided date after the legal limit does not count: the legal limit applies, with a warning', () => {
    const r = justeringDue('2025-02-14', '2025-03-07');
    expect(r.date).toBe('2025-02-28');
    expect(r.proposedDate).toBeUndefined();
    expect(r.warning).toContain('fredag den 7 mars 2025');
    expect(r.warning).toContain('fredag den 28 februari 2025');
    expect(r.warning).toContain('enligt kommunallagen');
  });

  test('a late decided date when the legal limit is a holiday: both warnings and the safe proposal', () => {
    const r = justeringDue('2025-04-04', '2025-04-25');
    expect(r.date).toBe('2025-04-18');
    expect(r.proposedDate).toBe('2025-04-17');
    expect(r.warning).toContain('fredag den 25 april 2025');
    expect(r.warning).toContain('långfredagen');
  });

  test('a decided date before the meeting is refused with a warning', () => {
    const r = justeringDue('2025-02-14', '2025-02-10');
    expect(r.date).toBe('2025-02-28');
    expect(r.warning).toContain('före sammanträdet');
  });
});

describe('anslag', () => {
  test('every justering day 2025–2027: second day after; a non-working day proposes the working day before, not before justering', () => {
    for (const j of MEETINGS) {
      const r = anslagDue(j);
      const last = plus(j, 2);
      expect([j, r.date]).toEqual([j, last]);
      if (working(last)) {
        expect([j, r.warning, r.proposedDate]).toEqual([j, undefined, undefined]);
      } else {
        const b = before(last);
        expect([j, r.proposedDate]).toEqual([j, b < j ? j : b]);
        expect(r.warning).toBeDefined();
      }
    }
  });

  test.each([
    ['2025-02-26', '2025-02-28', undefined, undefined],
    ['2025-02-28', '2025-03-02', '2025-02-28', 'ingen arbetsdag'],
    ['2025-04-16', '2025-04-18', '2025-04-17', 'långfredagen'],
    ['2025-04-17', '2025-04-19', '2025-04-17', 'senast torsdag den 17 april 2025'],
    ['2025-04-19', '2025-04-21', '2025-04-19', 'samma dag som justeringen'],
    ['2025-05-27', '2025-05-29', '2025-05-28', 'Kristi himmelsfärdsdag'],
    ['2025-06-18', '2025-06-20', '2025-06-19', 'midsommarafton'],
    ['2025-10-30', '2025-11-01', '2025-10-31', 'alla helgons dag'],
    ['2025-12-22', '2025-12-24', '2025-12-23', 'julafton'],
    ['2025-12-29', '2025-12-31', '2025-12-30', 'nyårsafton'],
    ['2025-12-30', '2026-01-01', '2025-12-30', 'nyårsdagen'],
    ['2026-06-17', '2026-06-19', '2026-06-18', 'midsommarafton'],
    ['2027-03-24', '2027-03-26', '2027-03-25', 'långfredagen'],
    ['2027-12-29', '2027-12-31', '2027-12-30', 'nyårsafton'],
  ])('justering %s → anslag senast %s (propose %s, %s)', (justering, last, proposed, word) => {
    const r = anslagDue(justering);
    expect(r.date).toBe(last);
    expect(r.proposedDate).toBe(proposed);
    if (word) expect(r.warning).toContain(word);
    else expect(r.warning).toBeUndefined();
  });
});

describe('överklagande', () => {
  test('every posting day 2025–2027: three weeks later, moved to the next vardag (lag 1930:173) when needed', () => {
    for (const p of MEETINGS) {
      const r = overklagandeLastDay(p);
      const threeWeeks = plus(p, 21);
      expect([p, r.date]).toEqual([p, onOrAfter(threeWeeks)]);
      expect([p, r.explanation.includes('1930:173')]).toEqual([p, !working(threeWeeks)]);
      expect(r.warning).toBeUndefined();
      expect([p, anslagTakeDownDate(p).date]).toEqual([p, plus(onOrAfter(threeWeeks), 1)]);
    }
  });

  test.each([
    ['2025-02-28', '2025-03-21', undefined],
    ['2025-03-28', '2025-04-22', 'långfredagen'],
    ['2025-03-31', '2025-04-22', 'annandag påsk'],
    ['2025-04-10', '2025-05-02', 'första maj'],
    ['2025-05-08', '2025-05-30', 'Kristi himmelsfärdsdag'],
    ['2025-05-16', '2025-06-09', 'nationaldagen'],
    ['2025-05-30', '2025-06-23', 'midsommarafton'],
    ['2025-05-31', '2025-06-23', 'midsommardagen'],
    ['2025-10-11', '2025-11-03', 'alla helgons dag'],
    ['2025-12-03', '2025-12-29', 'julafton'],
    ['2025-12-10', '2026-01-02', 'nyårsafton'],
    ['2025-12-16', '2026-01-07', 'trettondedag jul'],
    ['2026-03-13', '2026-04-07', 'långfredagen'],
    ['2026-04-23', '2026-05-15', 'Kristi himmelsfärdsdag'],
    ['2026-11-28', '2026-12-21', 'Tre veckor blir lördag den 19 december 2026; enligt'],
    ['2027-03-05', '2027-03-30', 'långfredagen'],
    ['2027-12-03', '2027-12-27', 'julafton'],
    ['2027-12-10', '2028-01-03', 'nyårsafton'],
  ])('anslag posted %s → sista dag för överklagande %s (%s)', (posted, last, word) => {
    const r = overklagandeLastDay(posted);
    expect(r.date).toBe(last);
    if (word) {
      expect(r.explanation).toContain(word);
      expect(r.explanation).toContain('nästa vardag');
    } else {
      expect(r.explanation).not.toContain('nästa vardag');
    }
  });

  test('the anslag may come down the day after the last day, even after a moved last day', () => {
    expect(anslagTakeDownDate('2025-03-28')).toEqual({
      date: '2025-04-23',
      explanation: expect.stringContaining('tisdag den 22 april 2025'),
    });
  });
});

describe('kallelse', () => {
  test.each([
    ['2025-02-13', 7, '2025-02-06', undefined, undefined],
    ['2025-02-17', 5, '2025-02-12', undefined, undefined],
    ['2025-02-17', 4, '2025-02-13', undefined, undefined],
    ['2025-02-17', 1, '2025-02-16', '2025-02-14', 'ingen arbetsdag'],
    ['2025-04-25', 7, '2025-04-18', '2025-04-17', 'långfredagen'],
    ['2025-04-28', 7, '2025-04-21', '2025-04-17', 'annandag påsk'],
    ['2025-06-05', 7, '2025-05-29', '2025-05-28', 'Kristi himmelsfärdsdag'],
    ['2025-06-27', 7, '2025-06-20', '2025-06-19', 'midsommarafton'],
    ['2025-11-06', 5, '2025-11-01', '2025-10-31', 'alla helgons dag'],
    ['2025-12-29', 5, '2025-12-24', '2025-12-23', 'julafton'],
    ['2026-01-07', 7, '2025-12-31', '2025-12-30', 'nyårsafton'],
    ['2026-01-12', 4, '2026-01-08', undefined, undefined],
    ['2027-01-08', 7, '2027-01-01', '2026-12-30', 'nyårsdagen'],
  ])('meeting %s, %i days → %s (propose %s, %s)', (meeting, n, date, proposed, word) => {
    const r = kallelseDue(meeting, n);
    expect(r.date).toBe(date);
    expect(r.proposedDate).toBe(proposed);
    expect(r.explanation).toContain(`${n === 1 ? '1 dag' : `${n} dagar`} före sammanträdet`);
    if (word) expect(r.warning).toContain(word);
    else expect(r.warning).toBeUndefined();
  });

  test('every meeting day 2025–2027 with 7 days: a week before, warnings exactly on non-working days', () => {
    for (const m of MEETINGS) {
      const r = kallelseDue(m, 7);
      expect([m, r.date, r.proposedDate]).toEqual([m, plus(m, -7), working(plus(m, -7)) ? undefined : before(plus(m, -7))]);
    }
  });

  test('zero or fractional days are refused', () => {
    expect(() => kallelseDue('2025-02-13', 0)).toThrow(RangeError);
    expect(() => kallelseDue('2025-02-13', 2.5)).toThrow(RangeError);
  });
});

describe('tjänsteskrivelser (handläggare)', () => {
  test.each([
    ['2025-02-13', 10, '2025-01-30', []],
    ['2025-04-24', 10, '2025-04-08', ['Långfredagen och annandag påsk']],
    ['2025-06-05', 5, '2025-05-28', ['Kristi himmelsfärdsdag']],
    ['2025-06-24', 3, '2025-06-18', ['Midsommarafton']],
    ['2026-01-08', 5, '2025-12-29', ['Nyårsafton, nyårsdagen och trettondedag jul']],
    ['2025-11-04', 2, '2025-10-31', []], // alla helgons dag is a Saturday: nothing extra skipped
    ['2027-06-28', 3, '2027-06-22', ['Midsommarafton']],
    ['2027-04-01', 5, '2027-03-23', ['Långfredagen och annandag påsk']],
  ])('meeting %s, %i working days → %s', (meeting, n, date, named) => {
    const r = tjansteskrivelseDue(meeting, n);
    expect(r.date).toBe(date);
    expect(r.warning).toBeUndefined();
    for (const w of named) expect(r.explanation).toContain(`${w} räknas inte som arbetsdagar`);
    if (named.length === 0) expect(r.explanation).not.toContain('räknas inte');
  });

  test('every meeting day 2025–2027, 10 working days: a working day, the 10th working day before the meeting', () => {
    for (const m of MEETINGS) {
      const { date } = tjansteskrivelseDue(m, 10);
      let count = 0;
      for (let d = plus(date, 1); d < m; d = plus(d, 1)) if (working(d)) count++;
      // the deadline itself is the 10th, so 9 lie strictly between it and the meeting
      expect([m, working(date), count]).toEqual([m, true, 9]);
    }
  });
});

describe('övriga frågor cut-off (Stockholm wall time)', () => {
  test.each([
    // meeting date, start, hours, expected instant, expected Stockholm date and clock
    ['2025-02-13', '09:00', 48, '2025-02-11T08:00:00.000Z', '2025-02-11', '09:00'],
    ['2025-02-13', '9.00', 2, '2025-02-13T06:00:00.000Z', '2025-02-13', '07:00'],
    ['2025-02-13', '13:30', 0, '2025-02-13T12:30:00.000Z', '2025-02-13', '13:30'],
    ['2025-07-10', '09:00', 24, '2025-07-09T07:00:00.000Z', '2025-07-09', '09:00'],
    // spring change 2025-03-30: 48 wall-clock hours is 47 real hours
    ['2025-03-31', '09:00', 48, '2025-03-29T08:00:00.000Z', '2025-03-29', '09:00'],
    // autumn change 2025-10-26: 48 wall-clock hours is 49 real hours
    ['2025-10-27', '13:00', 48, '2025-10-25T11:00:00.000Z', '2025-10-25', '13:00'],
    ['2026-03-30', '18:00', 24, '2026-03-29T16:00:00.000Z', '2026-03-29', '18:00'],
    ['2026-10-26', '08:30', 24, '2026-10-25T07:30:00.000Z', '2026-10-25', '08:30'],
    ['2027-03-29', '10:00', 24, '2027-03-28T08:00:00.000Z', '2027-03-28', '10:00'],
    ['2027-11-01', '09:00', 72, '2027-10-29T07:00:00.000Z', '2027-10-29', '09:00'],
    ['2027-01-04', '09:00', 100, '2026-12-31T04:00:00.000Z', '2026-12-31', '05:00'],
  ])('meeting %s %s, %i h before → %s', (date, start, hours, instant, cutDate, cutClock) => {
    const r = ovrigaFragorCutoff(date, start, hours);
    expect(r.instant.toISOString()).toBe(instant);
    expect(r.date).toBe(cutDate);
    expect(r.clock).toBe(cutClock);
  });

  test('the explanation names both the meeting and the cut-off in Swedish', () => {
    expect(ovrigaFragorCutoff('2025-03-31', '09:00', 48).explanation).toBe(
      '48 timmar före sammanträdets start måndag den 31 mars 2025 kl. 9.00, alltså lördag den 29 mars 2025 kl. 9.00.',
    );
    expect(ovrigaFragorCutoff('2025-03-31', '09:00', 1).explanation).toMatch(/^1 timme före/);
  });

  test('bad input is refused', () => {
    expect(() => ovrigaFragorCutoff('2025-02-13', '25:00', 48)).toThrow(RangeError);
    expect(() => ovrigaFragorCutoff('2025-02-13', '09:00', -1)).toThrow(RangeError);
  });
});

describe('proposedJustering: the committee\'s rule for the proposed justering date', () => {
  test.each([
    // meeting, rule, proposed date
    ['2025-02-13', { rule: 'legalMaximum' } as const, '2025-02-27'],
    ['2025-02-13', { rule: 'nextWorkingDay' } as const, '2025-02-14'],
    ['2025-02-13', { rule: 'weekday', weekday: 'fredag' } as const, '2025-02-14'],
    ['2025-02-14', { rule: 'weekday', weekday: 'fredag' } as const, '2025-02-21'], // a Friday meeting: the next Friday
    ['2025-04-14', { rule: 'weekday', weekday: 'fredag' } as const, '2025-04-17'], // långfredagen 2025-04-18: the Thursday before
    ['2025-04-17', { rule: 'weekday', weekday: 'fredag' } as const, '2025-04-22'], // that Thursday is the meeting: the next working day
    ['2025-04-17', { rule: 'nextWorkingDay' } as const, '2025-04-22'], // over Easter
    ['2025-02-13', { rule: 'workingDays', workingDays: 3 } as const, '2025-02-18'],
  ])('meeting %s, %j: %s', (meeting, rule, expected) => {
    expect(proposedJustering(meeting, undefined, rule).date).toBe(expected);
  });

  test('a date decided for the meeting goes before the rule; the rule is explained', () => {
    expect(proposedJustering('2025-02-13', '2025-02-20', { rule: 'nextWorkingDay' }).date).toBe('2025-02-20');
    expect(proposedJustering('2025-02-13', undefined, { rule: 'weekday', weekday: 'fredag' }).explanation).toBe(
      'Nämnden justerar första fredagen efter sammanträdet: fredag den 14 februari 2025. Lagens gräns är senast 14 dagar efter sammanträdet, enligt kommunallagen: torsdag den 27 februari 2025.',
    );
  });
});

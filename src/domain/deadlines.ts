/**
 * Deadline rules for a committee meeting: kallelse, tjänsteskrivelser, övriga frågor before it;
 * justering, anslag, överklagande and taking the anslag down after it. See domain.md,
 * "After the meeting" and "Days and dates".
 *
 * Every rule is pure and returns the date, a Swedish explanation for the user, and, when the date
 * is risky, a warning and a safer date to propose. The KL paragraph numbers are unverified, so
 * user-facing text says "enligt kommunallagen" without them.
 */
import {
  addWorkingDays,
  nextWorkingDay,
  workingDayOnOrBefore,
  isPlainWeekend,
  isWeekdayForLegalTime,
  legalWeekdayOnOrAfter,
  namedNonWorkingDays,
  nonWorkingReason,
  previousWorkingDay,
} from './calendar';
import * as time from './time';
import { formatClock, stockholmClock, stockholmDate } from './time';
import { capitalize, count, joinSv, lowerFirst } from './text';

export interface Deadline {
  /** The last day (or, for taking the anslag down, the first day), YYYY-MM-DD in Stockholm. */
  date: string;
  /** Swedish, a full sentence or two: why this date. */
  explanation: string;
  /** Swedish: something the secretary should act on (a date on a non-working day, a decided date the law does not allow). */
  warning?: string;
  /** A safer date to use instead of `date`; only set when it differs from `date`. */
  proposedDate?: string;
}

/** A deadline that is an instant rather than a day. */
export interface InstantDeadline {
  instant: Date;
  /** Stockholm date and wall-clock time of the instant. */
  date: string;
  clock: string;
  explanation: string;
}

/** Justering at the latest this many days after the meeting (kommunallagen). */
export const JUSTERING_DAYS = 14;
/** Anslag at the latest this many days after justering (kommunallagen). */
export const ANSLAG_DAYS = 2;
/** Överklagande within three weeks of the day the anslag was posted (kommunallagen). */
export const OVERKLAGANDE_DAYS = 21;

const CLOCK = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

// time.ts remembers its results: the planner asks about the same few hundred dates per tick.
const { formatDateLong, addCalendarDays } = time;
const wallInstantMs = (key: string) => {
  const [d, c] = key.split(' ');
  return time.stockholmInstant(d, c).getTime();
};

function requireWholeNumber(n: number, min: number, what: string): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be a whole number >= ${min}, got ${n}`);
}

/** "ingen arbetsdag" for a weekend, else the holiday's name: "… är långfredagen". */
function whatItIs(reason: string): string {
  return isPlainWeekend(reason) ? 'ingen arbetsdag' : reason;
}

/**
 * A last day for justering or anslag that is not a working day. Whether lag (1930:173) stretches
 * the legal limits is arguable (domain.md), so warn and propose the working day before, never
 * earlier than `notBefore` (the act cannot happen before what it follows). A day the committee
 * chose itself gets the same proposal, without the doubt about the law.
 */
function safeLastDay(
  date: string,
  lead: string,
  legal: boolean,
  act: (proposed: string, clamped: boolean) => string,
  notBefore: string,
): Pick<Deadline, 'warning' | 'proposedDate'> {
  const reason = nonWorkingReason(date);
  if (reason === undefined || date <= notBefore) return {};
  const previous = previousWorkingDay(date);
  const clamped = previous < notBefore;
  const proposedDate = clamped ? notBefore : previous;
  const doubt = legal ? ' Det är osäkert om fristen då förlängs till nästa vardag.' : '';
  return {
    warning: `${lead}, ${formatDateLong(date)}, är ${whatItIs(reason)}.${doubt} ${act(proposedDate, clamped)}`,
    proposedDate,
  };
}

/** A committee's rule for the justering date it proposes (settings.justering in the committee file). */
export type JusteringRuleSetting =
  | { rule: 'legalMaximum' }
  | { rule: 'nextWorkingDay' }
  | { rule: 'workingDays'; workingDays: number }
  | { rule: 'weekday'; weekday: 'måndag' | 'tisdag' | 'onsdag' | 'torsdag' | 'fredag' };

const WEEKDAY_NUMBER = { måndag: 1, tisdag: 2, onsdag: 3, torsdag: 4, fredag: 5 } as const;

/**
 * The justering date to propose for a meeting: a date decided for the meeting first, else the
 * committee's rule (the next working day, N working days after, the first given weekday after
 * the meeting), else the legal limit. A rule's day is checked like a decided one: never past the
 * legal limit, a warning and a working day proposed when it is not a working day.
 */
export function proposedJustering(meetingDate: string, decidedDate: string | undefined, setting: JusteringRuleSetting | undefined): Deadline {
  if (decidedDate !== undefined || !setting || setting.rule === 'legalMaximum') return justeringDue(meetingDate, decidedDate);
  let day: string;
  let ruleText: string;
  switch (setting.rule) {
    case 'nextWorkingDay':
      day = nextWorkingDay(meetingDate);
      ruleText = 'nästa arbetsdag efter sammanträdet';
      break;
    case 'workingDays':
      day = addWorkingDays(meetingDate, setting.workingDays);
      ruleText = `${setting.workingDays === 1 ? '1 arbetsdag' : `${setting.workingDays} arbetsdagar`} efter sammanträdet`;
      break;
    case 'weekday': {
      const want = WEEKDAY_NUMBER[setting.weekday];
      const meetingDay = new Date(`${meetingDate}T12:00:00Z`).getUTCDay();
      const ahead = ((want - meetingDay + 7) % 7) || 7;
      const weekday = addCalendarDays(meetingDate, ahead);
      // A holiday on that weekday: the working day before it, if that is still after the meeting.
      const before = workingDayOnOrBefore(weekday);
      day = before > meetingDate ? before : nextWorkingDay(weekday);
      ruleText = `första ${setting.weekday}en efter sammanträdet`;
      break;
    }
    default: {
      const never: never = setting;
      throw new RangeError(`Unknown justering rule ${JSON.stringify(never)}`);
    }
  }
  const legal = addCalendarDays(meetingDate, JUSTERING_DAYS);
  const due = justeringDue(meetingDate, day <= legal ? day : undefined);
  const rule = `Nämnden justerar ${ruleText}: ${formatDateLong(day)}.`;
  if (day > legal) return { ...due, explanation: `${rule} Det är efter lagens gräns, så ${lowerFirst(due.explanation)}` };
  return { ...due, explanation: `${rule} Lagens gräns är senast ${count(JUSTERING_DAYS, 'dag', 'dagar')} efter sammanträdet, enligt kommunallagen: ${formatDateLong(legal)}.` };
}

/**
 * The day the protokoll must be justerat by: 14 days after the meeting, or the committee's earlier
 * decided date. A decided date after the legal limit (or before the meeting) does not count: the
 * legal limit is returned, with a warning saying why.
 */
export function justeringDue(meetingDate: string, decidedDate?: string): Deadline {
  const legal = addCalendarDays(meetingDate, JUSTERING_DAYS);
  const legalText = `senast ${count(JUSTERING_DAYS, 'dag', 'dagar')} efter sammanträdet ${formatDateLong(meetingDate)}, enligt kommunallagen`;
  const act = (d: string) => `Justera därför senast ${formatDateLong(d)}.`;

  if (decidedDate === undefined) {
    return { date: legal, explanation: `${capitalize(legalText)}.`, ...safeLastDay(legal, 'Sista dagen för justering', true, act, meetingDate) };
  }

  if (decidedDate >= meetingDate && decidedDate <= legal) {
    return {
      date: decidedDate,
      explanation:
        `Nämnden har beslutat att protokollet ska justeras senast ${formatDateLong(decidedDate)}. ` +
        `Lagens gräns är ${legalText}: ${formatDateLong(legal)}.`,
      ...safeLastDay(decidedDate, 'Nämndens beslutade dag för justering', false, act, meetingDate),
    };
  }

  const problem =
    decidedDate < meetingDate
      ? `Det beslutade datumet för justering, ${formatDateLong(decidedDate)}, ligger före sammanträdet och kan inte gälla.`
      : `Det beslutade datumet för justering, ${formatDateLong(decidedDate)}, ligger efter lagens gräns och kan inte gälla: ` +
        `enligt kommunallagen ska protokollet justeras senast ${formatDateLong(legal)}.`;
  const safe = safeLastDay(legal, 'Sista dagen för justering', true, act, meetingDate);
  return {
    date: legal,
    explanation: `${capitalize(legalText)}. Nämndens beslutade datum gäller inte.`,
    warning: safe.warning ? `${problem} ${safe.warning}` : problem,
    ...(safe.proposedDate ? { proposedDate: safe.proposedDate } : {}),
  };
}

/** The day the anslag about the justering must be posted by: the second day after justering. */
export function anslagDue(justeringDate: string): Deadline {
  const date = addCalendarDays(justeringDate, ANSLAG_DAYS);
  return {
    date,
    explanation: `Senast andra dagen efter justeringen ${formatDateLong(justeringDate)}, enligt kommunallagen.`,
    ...safeLastDay(
      date,
      'Sista dagen för anslag',
      true,
      (d, clamped) =>
        clamped ? `Anslå därför samma dag som justeringen, ${formatDateLong(d)}.` : `Anslå därför senast ${formatDateLong(d)}.`,
      justeringDate,
    ),
  };
}

/**
 * The last day for överklagande (laglighetsprövning): three weeks after the day the anslag was
 * posted, moved to the next vardag when it is not one (lag (1930:173) 2 §, which clearly applies here).
 */
export function overklagandeLastDay(anslagPostedDate: string): Deadline {
  const threeWeeks = addCalendarDays(anslagPostedDate, OVERKLAGANDE_DAYS);
  const base = `Tre veckor från dagen då anslaget sattes upp, ${formatDateLong(anslagPostedDate)}, enligt kommunallagen.`;
  if (isWeekdayForLegalTime(threeWeeks)) return { date: threeWeeks, explanation: base };
  const date = legalWeekdayOnOrAfter(threeWeeks);
  const reason = nonWorkingReason(threeWeeks) ?? '';
  return {
    date,
    explanation:
      // A weekend is already named by the date ("lördag den 27 mars"); a helgdag or afton is named.
      `${base} Tre veckor blir ${formatDateLong(threeWeeks)}${isPlainWeekend(reason) ? '' : `, som är ${reason}`}; ` +
      `enligt lagen (1930:173) om beräkning av lagstadgad tid flyttas sista dagen då till nästa vardag, ${formatDateLong(date)}.`,
  };
}

/**
 * The first day the anslag may be taken down: the day after the last day for överklagande. The
 * anslag stays up the whole period ("Anslaget till och med" is the last day for överklagande).
 */
export function anslagTakeDownDate(anslagPostedDate: string): Deadline {
  const last = overklagandeLastDay(anslagPostedDate).date;
  return {
    date: addCalendarDays(last, 1),
    explanation:
      `Anslaget ska sitta uppe till och med sista dagen för överklagande, ${formatDateLong(last)}, ` +
      `och får tas ned tidigast dagen efter.`,
  };
}

/**
 * The day the kallelse must go out by: `daysBefore` calendar days before the meeting (from the
 * committee's reglemente). A non-working day gets a warning and the working day before.
 */
export function kallelseDue(meetingDate: string, daysBefore: number): Deadline {
  requireWholeNumber(daysBefore, 1, 'daysBefore');
  const date = addCalendarDays(meetingDate, -daysBefore);
  const reason = nonWorkingReason(date);
  const explanation = `Senast ${count(daysBefore, 'dag', 'dagar')} före sammanträdet ${formatDateLong(meetingDate)}, enligt nämndens reglemente.`;
  if (reason === undefined) return { date, explanation };
  // Sending early is always allowed; sending late is the failure secretaries report.
  const proposedDate = previousWorkingDay(date);
  return {
    date,
    explanation,
    warning: `Sista dagen för kallelsen, ${formatDateLong(date)}, är ${whatItIs(reason)}. Skicka den senast ${formatDateLong(proposedDate)}.`,
    proposedDate,
  };
}

/**
 * The handläggare's last day for tjänsteskrivelser: `workingDaysBefore` working days before the
 * meeting. Always a working day; the explanation names the holidays that were skipped.
 */
export function tjansteskrivelseDue(meetingDate: string, workingDaysBefore: number): Deadline {
  requireWholeNumber(workingDaysBefore, 1, 'workingDaysBefore');
  const date = addWorkingDays(meetingDate, -workingDaysBefore);
  const arbetsdagar = count(workingDaysBefore, 'arbetsdag', 'arbetsdagar');
  // Holidays on Monday–Friday between the deadline and the meeting: the reason the date is earlier than a plain count.
  const skipped: string[] = [];
  for (let y = Number(date.slice(0, 4)); y <= Number(meetingDate.slice(0, 4)); y++) {
    for (const h of namedNonWorkingDays(y)) {
      if (h.date <= date || h.date >= meetingDate) continue;
      const wd = new Date(`${h.date}T00:00:00Z`).getUTCDay();
      if (wd !== 0 && wd !== 6) skipped.push(h.name);
    }
  }
  const note = skipped.length ? ` ${capitalize(joinSv(skipped))} räknas inte som arbetsdagar.` : '';
  return { date, explanation: `Senast ${arbetsdagar} före sammanträdet ${formatDateLong(meetingDate)}.${note}` };
}

/**
 * The instant after which an övrig fråga counts as late: `hoursBefore` hours before the meeting
 * starts, counted on the Stockholm wall clock so that 48 hours before Monday 9.00 is Saturday 9.00
 * even across a summer-time change. (In the hour that does not exist in spring, the wall time is
 * resolved by @date-fns/tz; the returned `clock` shows the result.)
 */
export function ovrigaFragorCutoff(meetingDate: string, meetingStart: string | undefined, hoursBefore: number): InstantDeadline {
  requireWholeNumber(hoursBefore, 0, 'hoursBefore');
  // A meeting without a time counts from the start of its day: never later than the real cut-off.
  const startClock = meetingStart ?? '00:00';
  const m = CLOCK.exec(startClock);
  if (!m) throw new RangeError(`Not a HH:mm clock time: "${startClock}"`);
  const wallMinutes = Number(m[1]) * 60 + Number(m[2]) - hoursBefore * 60;
  const dayOffset = Math.floor(wallMinutes / 1440);
  const minuteOfDay = wallMinutes - dayOffset * 1440;
  const cutoffDate = addCalendarDays(meetingDate, dayOffset);
  const cutoffClock = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
  const ms = wallInstantMs(`${cutoffDate} ${cutoffClock}`);
  const instant = new Date(ms);
  const start = meetingStart ? `sammanträdets start ${formatDateLong(meetingDate)} ${formatClock(meetingStart)}` : `sammanträdesdagen ${formatDateLong(meetingDate)}`;
  // Fast path: no clock change that day before the cut-off, so the wall time is as intended.
  // Otherwise (two days a year) read the wall time back, exact also in the hour that does not exist.
  const plainDay = ms - wallInstantMs(`${cutoffDate} 00:00`) === minuteOfDay * 60_000;
  const date = plainDay ? cutoffDate : stockholmDate(instant);
  const clock = plainDay ? cutoffClock : stockholmClock(instant);
  const explanation =
    hoursBefore === 0
      ? `Vid ${start}.`
      : `${count(hoursBefore, 'timme', 'timmar')} före ${start}, alltså ${formatDateLong(date)} ${formatClock(clock)}.`;
  return { instant, date, clock, explanation };
}

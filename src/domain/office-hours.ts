/**
 * When a reminder may be sent: on a working day, within office hours, Stockholm wall time.
 *
 * Everything is computed on the Stockholm wall clock and turned into an instant only at the end
 * (stockholmInstant), so a reminder set for 8.00 stays at 8.00 across summer-time changes.
 */
import type { WorkingDayCalendar } from './calendar';
import { stockholmInstant } from './time';

/** Office hours in Stockholm wall time, "HH:mm". `start` is inclusive, `end` exclusive. */
export interface OfficeHours {
  start: string;
  end: string;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { start: '08:00', end: '17:00' };

const CLOCK = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

function minutesOf(clock: string): number {
  const m = CLOCK.exec(clock);
  if (!m) throw new RangeError(`Not a HH:mm clock time: "${clock}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function checkHours(hours: OfficeHours): void {
  if (minutesOf(hours.start) >= minutesOf(hours.end)) {
    throw new RangeError(`Office hours must start before they end: ${hours.start}–${hours.end}`);
  }
}

// The planner asks this for every reminder of every meeting each tick, and a time-zone lookup
// costs ~40 µs. The instant of a wall time on a date never changes, so it is cached (as a number:
// Dates are mutable) and everything else is compared against those instants.
const wallCache = new Map<string, number>();
function wallInstant(isoDate: string, clock: string): number {
  const key = `${isoDate} ${clock}`;
  let ms = wallCache.get(key);
  if (ms === undefined) {
    if (wallCache.size >= 50_000) wallCache.clear();
    ms = stockholmInstant(isoDate, clock).getTime();
    wallCache.set(key, ms);
  }
  return ms;
}

const DAY_MS = 86_400_000;
function plusDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Stockholm date of an instant: the day whose Stockholm midnights enclose it. */
function stockholmDay(ms: number): string {
  let day = new Date(ms).toISOString().slice(0, 10);
  while (ms < wallInstant(day, '00:00')) day = plusDays(day, -1);
  for (let next = plusDays(day, 1); ms >= wallInstant(next, '00:00'); next = plusDays(day, 1)) day = next;
  return day;
}

function within(ms: number, day: string, hours: OfficeHours): boolean {
  return ms >= wallInstant(day, hours.start) && ms < wallInstant(day, hours.end);
}

/** True when the instant's Stockholm wall-clock time is in [start, end). Ignores the day. */
export function isWithinOfficeHours(instant: Date, officeHours: OfficeHours = DEFAULT_OFFICE_HOURS): boolean {
  checkHours(officeHours);
  const ms = instant.getTime();
  return within(ms, stockholmDay(ms), officeHours);
}

/**
 * True when a reminder may go out at this instant: within office hours on a working day, or on
 * the deadline's own day (which may be a Sunday) within office hours.
 */
export function isSendable(
  instant: Date,
  calendar: Pick<WorkingDayCalendar, 'isWorkingDay'>,
  officeHours: OfficeHours = DEFAULT_OFFICE_HOURS,
  deadlineDate?: string,
): boolean {
  checkHours(officeHours);
  const ms = instant.getTime();
  const day = stockholmDay(ms);
  return (calendar.isWorkingDay(day) || day === deadlineDate) && within(ms, day, officeHours);
}

/**
 * The earliest instant at or after `instant` when the reminder may be sent: the instant itself if
 * sendable, else the start of office hours on the next day that is a working day or the deadline's
 * own day.
 *
 * The result can fall after the deadline (a reminder due at 18.00 on the deadline day moves to the
 * next working day); whether to send it then is the planner's decision.
 */
export function nextSendableInstant(
  instant: Date,
  calendar: Pick<WorkingDayCalendar, 'isWorkingDay'>,
  officeHours: OfficeHours = DEFAULT_OFFICE_HOURS,
  deadlineDate?: string,
): Date {
  checkHours(officeHours);
  const mayUse = (d: string) => calendar.isWorkingDay(d) || d === deadlineDate;
  const ms = instant.getTime();
  const today = stockholmDay(ms);
  if (mayUse(today)) {
    if (ms < wallInstant(today, officeHours.start)) return new Date(wallInstant(today, officeHours.start));
    if (ms < wallInstant(today, officeHours.end)) return new Date(ms);
  }
  let day = plusDays(today, 1);
  // Guard against an injected calendar with no working days at all.
  for (let i = 0; !mayUse(day); i++) {
    if (i > 366) throw new Error(`No working day within a year after ${today}`);
    day = plusDays(day, 1);
  }
  return new Date(wallInstant(day, officeHours.start));
}

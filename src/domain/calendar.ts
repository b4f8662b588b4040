/**
 * The working-day calendar for Europe/Stockholm, over plain `YYYY-MM-DD` dates.
 *
 * Non-working: Saturdays, Sundays, the allmänna helgdagar of lag (1989:253), and midsommarafton,
 * julafton and nyårsafton. That is exactly the set of days that are not "vardag" under lag
 * (1930:173) 2 §, so `isWorkingDay` and `isWeekdayForLegalTime` agree; they are kept apart
 * because they answer different questions (when we work vs. how a legal time limit is counted).
 *
 * The holiday dates come from date-holidays' SE data, never from a table of our own: entries of
 * type `public` are the helgdagar, and the three aftnar are picked out by name from the other
 * types (date-holidays files them as `bank`). Everything else there (påskafton, pingstafton,
 * annandag pingst, valborgsmässoafton, trettondagsafton, allhelgonaafton, name days ...) is an
 * ordinary day unless it falls on a weekend.
 */
import type Holidays from 'date-holidays';

/** Answers the questions reminders and deadlines ask of a calendar. Injectable for tests. */
export interface WorkingDayCalendar {
  isWorkingDay(isoDate: string): boolean;
  /** Why a day is not a working day ("lördag", "långfredagen", "julafton"), or undefined. */
  nonWorkingReason(isoDate: string): string | undefined;
}

/** A named non-working day other than a plain weekend. */
export interface NamedHoliday {
  date: string;
  /** Swedish name, lower case as in running text except proper nouns: "långfredagen", "Kristi himmelsfärdsdag". */
  name: string;
  /** `helgdag`: allmän helgdag by lag (1989:253); `afton`: midsommar-, jul- or nyårsafton. */
  kind: 'helgdag' | 'afton';
}

/** The three aftnar that are not helgdagar by law but are non-working (and not "vardag" in 1930:173). */
export const AFTNAR = ['midsommarafton', 'julafton', 'nyårsafton'] as const;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Day numbers: days since 1970-01-01. Integer arithmetic keeps the hot loops free of Date parsing.

function toDayNumber(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: "${isoDate}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; refuse instead of silently moving the date.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`No such date: "${isoDate}"`);
  }
  return ms / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------------
// Per-year tables, built once per year on first use (the planner asks about the same few years
// tens of thousands of times per tick).

interface YearTable {
  year: number;
  firstDay: number;
  /** Index = day - firstDay. Holiday name, or "lördag"/"söndag", or undefined for a working day. */
  reasons: (string | undefined)[];
  holidays: NamedHoliday[];
}

let holidaySource: Holidays | undefined;
const tables = new Map<number, YearTable>();
let lastTable: YearTable | undefined;

function source(): Holidays {
  // Loaded and created lazily: loading takes about a tenth of a second (the installed package
  // holds every country's rules; the build's bundle Sweden's alone, bin/build.js STAND_INS), and
  // constructing it parses Sweden's. A start that answers before any date is worked out does not
  // wait for it.
  if (!holidaySource) {
    const HolidaysClass = require('date-holidays') as typeof Holidays;
    holidaySource = new HolidaysClass('SE', { languages: ['sv'], timezone: 'Europe/Stockholm' });
  }
  return holidaySource;
}

function namedHolidays(year: number): NamedHoliday[] {
  const result: NamedHoliday[] = [];
  for (const h of source().getHolidays(year, 'sv')) {
    // "2025-04-18 00:00:00": the local date is the first ten characters; no time-zone maths.
    const date = h.date.slice(0, 10);
    if (h.type === 'public') result.push({ date, name: h.name, kind: 'helgdag' });
    else if ((AFTNAR as readonly string[]).includes(h.name)) result.push({ date, name: h.name, kind: 'afton' });
  }
  // A renamed entry in a date-holidays update must not silently turn julafton into a working day.
  for (const afton of AFTNAR) {
    if (!result.some((h) => h.name === afton)) throw new Error(`date-holidays SE data has no ${afton} in ${year}`);
  }
  return result.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function buildTable(year: number): YearTable {
  const firstDay = Date.UTC(year, 0, 1) / DAY_MS;
  const length = Date.UTC(year + 1, 0, 1) / DAY_MS - firstDay;
  const reasons: (string | undefined)[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const wd = weekdayOf(firstDay + i);
    reasons[i] = wd === 6 ? 'lördag' : wd === 0 ? 'söndag' : undefined;
  }
  const holidays = namedHolidays(year);
  // The holiday's own name wins over the weekday: "påskdagen", not "söndag".
  for (const h of holidays) reasons[toDayNumber(h.date) - firstDay] = h.name;
  return { year, firstDay, reasons, holidays };
}

function tableForDay(day: number): YearTable {
  if (lastTable && day >= lastTable.firstDay && day < lastTable.firstDay + lastTable.reasons.length) return lastTable;
  const year = new Date(day * DAY_MS).getUTCFullYear();
  let table = tables.get(year);
  if (!table) {
    table = buildTable(year);
    tables.set(year, table);
  }
  lastTable = table;
  return table;
}

function reasonAt(day: number): string | undefined {
  const t = tableForDay(day);
  return t.reasons[day - t.firstDay];
}

function stepToWorkingDay(day: number, step: 1 | -1): number {
  let d = day;
  while (reasonAt(d) !== undefined) d += step;
  return d;
}

// ---------------------------------------------------------------------------------------------
// The API.

/** True for Monday–Friday that is neither a helgdag nor midsommar-, jul- or nyårsafton. */
export function isWorkingDay(isoDate: string): boolean {
  return reasonAt(toDayNumber(isoDate)) === undefined;
}

/**
 * Why the day is not a working day, in Swedish: "lördag", "söndag", or the holiday's name
 * ("långfredagen", "Kristi himmelsfärdsdag", "julafton"). Undefined for a working day.
 */
export function nonWorkingReason(isoDate: string): string | undefined {
  return reasonAt(toDayNumber(isoDate));
}

/** True when the reason is only that the day is a Saturday or Sunday. */
export function isPlainWeekend(reason: string | undefined): boolean {
  return reason === 'lördag' || reason === 'söndag';
}

/** The first working day strictly after the date. */
export function nextWorkingDay(isoDate: string): string {
  return fromDayNumber(stepToWorkingDay(toDayNumber(isoDate) + 1, 1));
}

/** The last working day strictly before the date. */
export function previousWorkingDay(isoDate: string): string {
  return fromDayNumber(stepToWorkingDay(toDayNumber(isoDate) - 1, -1));
}

/** The date itself when it is a working day, else the next working day. */
export function workingDayOnOrAfter(isoDate: string): string {
  return fromDayNumber(stepToWorkingDay(toDayNumber(isoDate), 1));
}

/** The date itself when it is a working day, else the previous working day. */
export function workingDayOnOrBefore(isoDate: string): string {
  return fromDayNumber(stepToWorkingDay(toDayNumber(isoDate), -1));
}

/**
 * Move n working days forward (n > 0) or back (n < 0), counting only working days.
 * The start day itself never counts, so a Saturday + 1 is Monday and a Saturday − 1 is Friday.
 * n = 0 returns the date unchanged, working day or not.
 */
export function addWorkingDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Working days must be a whole number, got ${n}`);
  let day = toDayNumber(isoDate);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; left--) day = stepToWorkingDay(day + step, step);
  return fromDayNumber(day);
}

/** Working days strictly after `from` up to and including `to` (0 when to <= from). */
export function countWorkingDays(from: string, to: string): number {
  const end = toDayNumber(to);
  let count = 0;
  for (let d = toDayNumber(from) + 1; d <= end; d++) if (reasonAt(d) === undefined) count++;
  return count;
}

/**
 * Lag (1930:173) om beräkning av lagstadgad tid, 2 §: a last day that is a Saturday, Sunday,
 * allmän helgdag, midsommarafton, julafton or nyårsafton moves to the next day that is none of
 * these. True when the day is such a "vardag".
 */
export function isWeekdayForLegalTime(isoDate: string): boolean {
  return reasonAt(toDayNumber(isoDate)) === undefined;
}

/** The date itself if it is a vardag under lag (1930:173) 2 §, else the next one. */
export function legalWeekdayOnOrAfter(isoDate: string): string {
  return fromDayNumber(stepToWorkingDay(toDayNumber(isoDate), 1));
}

/** The helgdagar and the three aftnar of a year, in date order (weekends not listed). */
export function namedNonWorkingDays(year: number): readonly NamedHoliday[] {
  if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
  return tableForDay(Date.UTC(year, 0, 1) / DAY_MS).holidays;
}

/** The default calendar as an object, for code that takes a calendar as a parameter. */
export const swedishCalendar: WorkingDayCalendar = { isWorkingDay, nonWorkingReason };

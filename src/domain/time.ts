/**
 * Time in Europe/Stockholm and Swedish date wording.
 *
 * Instants are `Date`s; calendar dates are plain `YYYY-MM-DD` strings in Stockholm.
 * Running text: "fredag den 14 februari 2025", "kl. 9.00". Tables: "2025-02-14".
 */
import { TZDate, tz } from '@date-fns/tz';
// Function by function: the package's index loads all of date-fns, and 'date-fns/locale' every
// language (together half a second at start).
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { sv } from 'date-fns/locale/sv';
import { memo } from './memo';

export const TIME_ZONE = 'Europe/Stockholm';
const inStockholm = tz(TIME_ZONE);

const instantMs = memo((isoDate: string, clockTime: string) => {
  const [y, m, d] = isoDate.split('-').map(Number);
  const [hh, mm] = clockTime.split(/[:.]/).map(Number);
  return new TZDate(y, m - 1, d, hh, mm, TIME_ZONE).getTime();
});

/** The instant a Stockholm wall-clock time ("09:00" or "9.00") on a date happens. */
export function stockholmInstant(isoDate: string, clockTime = '00:00'): Date {
  return new Date(instantMs(isoDate, clockTime));
}

/** The Stockholm calendar date (YYYY-MM-DD) of an instant. */
export function stockholmDate(instant: Date): string {
  return format(instant, 'yyyy-MM-dd', { in: inStockholm });
}

/** The Stockholm wall-clock time (HH:mm) of an instant. */
export function stockholmClock(instant: Date): string {
  return format(instant, 'HH:mm', { in: inStockholm });
}

/** "fredag den 14 februari 2025" */
export const formatDateLong: (isoDate: string) => string = memo((isoDate: string) => format(parseISO(isoDate), "EEEE 'den' d MMMM yyyy", { locale: sv }));

/** "den 14 februari" — for running text where the weekday and year are already clear. */
export function formatDateShort(isoDate: string): string {
  return format(parseISO(isoDate), "'den' d MMMM", { locale: sv });
}

/** "kl. 9.00" from "09:00" */
export function formatClock(clockTime: string): string {
  const [hh, mm] = clockTime.split(/[:.]/).map(Number);
  return `kl. ${hh}.${String(mm).padStart(2, '0')}`;
}

/** "kl. 9.00–12.00"; "" when the meeting has no start time (a mötesbok may give none). */
export function formatClockRange(start: string | undefined, end?: string): string {
  if (!start) return '';
  return end ? `${formatClock(start)}–${formatClock(end).slice(4)}` : formatClock(start);
}

/** "fredag den 14 februari 2025 kl. 9.00" for an instant. */
export function formatInstantLong(instant: Date): string {
  return `${formatDateLong(stockholmDate(instant))} ${formatClock(stockholmClock(instant))}`;
}

const shiftDate = memo((isoDate: string, days: string) => format(addDays(parseISO(isoDate), Number(days)), 'yyyy-MM-dd'));

/** Add calendar days to a YYYY-MM-DD date. */
export function addCalendarDays(isoDate: string, days: number): string {
  return shiftDate(isoDate, String(days));
}

/**
 * A point in time typed on the command line (`--at`, `--now`). With an offset or Z it is that
 * instant; without one ("2027-01-15T09:00", "2027-01-15 9.00", "2027-01-15") it is Swedish time,
 * as a Swedish user means it. Undefined when it is no time at all.
 */
export function parseTypedInstant(typed: string): Date | undefined {
  const s = typed.trim();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  if (local) {
    const [, date, hh = '00', mm = '00', ss = '00'] = local;
    if (Number.isNaN(parseISO(date).getTime()) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
    return new Date(stockholmInstant(date, `${hh}:${mm}`).getTime() + Number(ss) * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

import { nextWorkingDay, swedishCalendar } from '../../src/domain/calendar';
import { stockholmClock, stockholmDate } from '../../src/domain/time';
import { DEFAULT_OFFICE_HOURS, isSendable, isWithinOfficeHours, nextSendableInstant } from '../../src/domain/office-hours';

const at = (iso: string) => new Date(iso);
const next = (iso: string, deadline?: string, hours = DEFAULT_OFFICE_HOURS) =>
  nextSendableInstant(at(iso), swedishCalendar, hours, deadline).toISOString();

// Summer time (CEST, UTC+2) runs from the last Sunday of March to the last Sunday of October;
// the rest of the year is CET (UTC+1). Known dates, not computed by the code under test.
const SUMMER_TIME: [string, string][] = [
  ['2025-03-30', '2025-10-26'],
  ['2026-03-29', '2026-10-25'],
  ['2027-03-28', '2027-10-31'],
];
const isSummer = (d: string) => SUMMER_TIME.some(([from, to]) => d >= from && d < to);

describe('isWithinOfficeHours (08:00–17:00 Stockholm, end exclusive)', () => {
  test.each([
    ['2025-01-15T07:00:00Z', true], // 08:00 CET
    ['2025-01-15T06:59:59Z', false],
    ['2025-01-15T15:59:59Z', true], // 16:59:59 CET
    ['2025-01-15T16:00:00Z', false], // 17:00 CET
    ['2025-07-15T06:00:00Z', true], // 08:00 CEST
    ['2025-07-15T05:59:00Z', false], // 07:59 CEST, would be 06:59 CET
    ['2025-07-15T14:59:00Z', true],
    ['2025-07-15T15:00:00Z', false], // 17:00 CEST
    ['2025-03-30T06:00:00Z', true], // 08:00 on the day summer time starts
    ['2025-10-26T06:30:00Z', false], // 07:30 CET on the day it ends
    ['2025-10-26T07:00:00Z', true],
  ])('%s → %s', (iso, expected) => {
    expect(isWithinOfficeHours(at(iso))).toBe(expected);
  });

  test('configurable hours', () => {
    const hours = { start: '09:30', end: '15:00' };
    expect(isWithinOfficeHours(at('2025-01-15T08:29:00Z'), hours)).toBe(false);
    expect(isWithinOfficeHours(at('2025-01-15T08:30:00Z'), hours)).toBe(true);
    expect(isWithinOfficeHours(at('2025-01-15T13:59:00Z'), hours)).toBe(true);
    expect(isWithinOfficeHours(at('2025-01-15T14:00:00Z'), hours)).toBe(false);
  });

  test('nonsense hours are refused', () => {
    expect(() => isWithinOfficeHours(at('2025-01-15T08:30:00Z'), { start: '17:00', end: '08:00' })).toThrow(RangeError);
    expect(() => isWithinOfficeHours(at('2025-01-15T08:30:00Z'), { start: '8', end: '17:00' })).toThrow(RangeError);
  });
});

describe('nextSendableInstant', () => {
  test.each([
    // instant, deadline, expected, why
    ['2025-01-15T10:00:00Z', undefined, '2025-01-15T10:00:00.000Z', 'inside office hours on a working day: unchanged'],
    ['2025-01-15T05:00:00Z', undefined, '2025-01-15T07:00:00.000Z', 'early morning: 08:00 CET the same day'],
    ['2025-07-15T04:00:00Z', undefined, '2025-07-15T06:00:00.000Z', 'early morning: 08:00 CEST the same day'],
    ['2025-01-15T16:00:00Z', undefined, '2025-01-16T07:00:00.000Z', 'after 17:00: next morning'],
    // summer time starts (last Sunday of March)
    ['2025-03-28T16:30:00Z', undefined, '2025-03-31T06:00:00.000Z', 'Friday 17:30 CET → Monday 08:00 CEST'],
    ['2025-03-29T09:00:00Z', undefined, '2025-03-31T06:00:00.000Z', 'Saturday → Monday 08:00 CEST'],
    ['2026-03-29T10:00:00Z', undefined, '2026-03-30T06:00:00.000Z', 'the change day itself → Monday 08:00 CEST'],
    ['2027-03-28T10:00:00Z', undefined, '2027-03-30T06:00:00.000Z', 'påskdagen and the change 2027 → Tuesday (annandag påsk skipped)'],
    // summer time ends (last Sunday of October)
    ['2025-10-24T16:00:00Z', undefined, '2025-10-27T07:00:00.000Z', 'Friday 18:00 CEST → Monday 08:00 CET'],
    ['2026-10-25T01:30:00Z', undefined, '2026-10-26T07:00:00.000Z', 'in the repeated hour → Monday 08:00 CET'],
    ['2027-10-29T15:00:00Z', undefined, '2027-11-01T07:00:00.000Z', 'Friday 17:00 CEST → Monday 08:00 CET'],
    // Easter
    ['2025-04-17T15:00:00Z', undefined, '2025-04-22T06:00:00.000Z', 'skärtorsdag 17:00 → Tuesday after annandag påsk'],
    ['2026-04-03T08:00:00Z', undefined, '2026-04-07T06:00:00.000Z', 'långfredagen → Tuesday'],
    // Kristi himmelsfärd: the Friday after is a working day
    ['2025-05-28T16:00:00Z', undefined, '2025-05-30T06:00:00.000Z', 'Wednesday 18:00 → Friday after Kristi himmelsfärd'],
    ['2026-05-13T18:00:00Z', undefined, '2026-05-15T06:00:00.000Z', 'Wednesday 20:00 → Friday'],
    // midsommar
    ['2025-06-19T16:00:00Z', undefined, '2025-06-23T06:00:00.000Z', 'Thursday 18:00 → Monday after midsommar'],
    ['2027-06-25T08:00:00Z', undefined, '2027-06-28T06:00:00.000Z', 'midsommarafton → Monday'],
    // alla helgons dag (a Saturday) and the working Friday before it
    ['2025-10-31T10:00:00Z', undefined, '2025-10-31T10:00:00.000Z', 'allhelgonaafton is a working day'],
    ['2025-10-31T16:00:00Z', undefined, '2025-11-03T07:00:00.000Z', 'Friday 17:00 → Monday'],
    // jul and nyår
    ['2025-12-23T16:30:00Z', undefined, '2025-12-29T07:00:00.000Z', 'dan före julafton 17:30 → Monday 29th'],
    ['2025-12-30T16:00:00Z', undefined, '2026-01-02T07:00:00.000Z', 'over nyår → Friday 2 January'],
    ['2026-01-05T17:00:00Z', undefined, '2026-01-07T07:00:00.000Z', 'over trettondedag jul'],
    ['2027-12-23T16:00:00Z', undefined, '2027-12-27T07:00:00.000Z', 'jul 2027 → Monday'],
    ['2027-12-30T16:00:00Z', undefined, '2028-01-03T07:00:00.000Z', 'nyår 2027 → Monday 3 January 2028'],
    // the deadline's own day may be used even when it is not a working day
    ['2025-03-01T09:00:00Z', '2025-03-02', '2025-03-02T07:00:00.000Z', 'anslag due Sunday: Sunday 08:00, not Monday'],
    ['2025-03-02T09:00:00Z', '2025-03-02', '2025-03-02T09:00:00.000Z', 'on the Sunday deadline within office hours: unchanged'],
    ['2025-03-02T17:00:00Z', '2025-03-02', '2025-03-03T07:00:00.000Z', 'after hours on the deadline day: next working day'],
    ['2025-03-01T09:00:00Z', '2025-03-05', '2025-03-03T07:00:00.000Z', 'a later deadline does not open the weekend'],
    ['2025-12-23T16:30:00Z', '2025-12-24', '2025-12-24T07:00:00.000Z', 'deadline on julafton: julafton 08:00'],
    ['2025-06-19T16:00:00Z', '2025-06-20', '2025-06-20T06:00:00.000Z', 'deadline on midsommarafton: 08:00 CEST'],
  ])('%s (deadline %s) → %s: %s', (iso, deadline, expected, _why) => {
    expect(next(iso, deadline)).toBe(expected);
  });

  test('office hours are configurable', () => {
    expect(next('2025-01-17T15:00:00Z', undefined, { start: '09:00', end: '15:30' })).toBe('2025-01-20T08:00:00.000Z');
    expect(next('2025-07-17T05:00:00Z', undefined, { start: '7.30', end: '16:00' })).toBe('2025-07-17T05:30:00.000Z');
  });

  test('the calendar is injected: a calendar without days off sends on a Saturday', () => {
    const always = { isWorkingDay: () => true };
    expect(nextSendableInstant(at('2025-03-01T09:00:00Z'), always).toISOString()).toBe('2025-03-01T09:00:00.000Z');
  });

  test('every working day 2025–2027: 08:00 Stockholm is 06:00Z in summer time and 07:00Z otherwise', () => {
    const wrong: string[] = [];
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t <= Date.parse('2027-12-31T00:00:00Z'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      if (!swedishCalendar.isWorkingDay(day)) continue;
      // 01:00 UTC is 02:00 or 03:00 Stockholm on the same date: before office hours all year.
      const got = nextSendableInstant(new Date(t + 3_600_000), swedishCalendar).toISOString();
      const expected = `${day}T0${isSummer(day) ? 6 : 7}:00:00.000Z`;
      if (got !== expected) wrong.push(`${day}: ${got}`);
    }
    expect(wrong).toEqual([]);
  });

  test('every hour of 2025–2027: the result is sendable, not earlier, and unchanged when already sendable', () => {
    const problems: string[] = [];
    for (let t = Date.parse('2024-12-31T23:00:00Z'); t < Date.parse('2027-12-31T23:00:00Z'); t += 3_600_000) {
      // :00 on even hours, :30 on odd hours, so both sides of every office-hours boundary are hit.
      const instant = new Date(t + ((t / 3_600_000) % 2) * 1_800_000);
      const result = nextSendableInstant(instant, swedishCalendar);
      const sendable = isSendable(instant, swedishCalendar);
      if (result.getTime() < instant.getTime()) problems.push(`${instant.toISOString()} went back`);
      if (!isSendable(result, swedishCalendar)) problems.push(`${instant.toISOString()} → ${result.toISOString()} not sendable`);
      if (sendable && result.getTime() !== instant.getTime()) problems.push(`${instant.toISOString()} moved although sendable`);
      // Moved reminders land on the hour office hours start: never an hour off.
      if (!sendable && !/T0[67]:00:00\.000Z$/.test(result.toISOString())) problems.push(`${instant.toISOString()} → ${result.toISOString()}`);
      // The wall clock read independently (date-fns with the tz database) agrees.
      const from = stockholmDate(instant);
      const clock = stockholmClock(instant);
      if (isWithinOfficeHours(instant) !== (clock >= '08:00' && clock < '17:00')) problems.push(`${instant.toISOString()} hours`);
      // A move never skips a working day that still had office hours left.
      if (!sendable) {
        const sameDay = swedishCalendar.isWorkingDay(from) && clock < '08:00';
        const to = stockholmDate(result);
        if (to !== (sameDay ? from : nextWorkingDay(from))) problems.push(`${instant.toISOString()} → ${to}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

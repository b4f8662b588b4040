/**
 * Independently known facts for the calendar tests: the non-working days other than weekends,
 * 2024-12-24 to 2028-01-06, written out by hand (see calendar.test.ts for their names), and plain
 * UTC date arithmetic that does not use the code under test.
 */
export const HOLIDAYS = new Set([
  '2024-12-24', '2024-12-25', '2024-12-26', '2024-12-31',
  '2025-01-01', '2025-01-06', '2025-04-18', '2025-04-20', '2025-04-21', '2025-05-01', '2025-05-29', '2025-06-06',
  '2025-06-08', '2025-06-20', '2025-06-21', '2025-11-01', '2025-12-24', '2025-12-25', '2025-12-26', '2025-12-31',
  '2026-01-01', '2026-01-06', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-24',
  '2026-06-06', '2026-06-19', '2026-06-20', '2026-10-31', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31',
  '2027-01-01', '2027-01-06', '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-16',
  '2027-06-06', '2027-06-25', '2027-06-26', '2027-11-06', '2027-12-24', '2027-12-25', '2027-12-26', '2027-12-31',
  '2028-01-01', '2028-01-06',
]);
const DAY = 86_400_000;
export const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
export const working = (d: string) => weekday(d) !== 0 && weekday(d) !== 6 && !HOLIDAYS.has(d);

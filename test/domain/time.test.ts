import { formatInstantLong, parseTypedInstant } from '../../src/domain/time';

describe('a time typed on the command line (issue 19.6)', () => {
  test.each([
    // Without an offset a Swedish user means Swedish time: winter (+01:00) and summer (+02:00).
    ['2027-01-15T09:00', '2027-01-15T08:00:00.000Z'],
    ['2027-01-15T09:00:30', '2027-01-15T08:00:30.000Z'],
    ['2027-01-15 9.00', '2027-01-15T08:00:00.000Z'],
    ['2027-06-15T09:00', '2027-06-15T07:00:00.000Z'],
    ['2027-01-15', '2027-01-14T23:00:00.000Z'],
    // With an offset or Z it is that instant.
    ['2027-01-15T09:00:00+01:00', '2027-01-15T08:00:00.000Z'],
    ['2027-01-15T09:00Z', '2027-01-15T09:00:00.000Z'],
  ])('%s', (typed, instant) => {
    expect(parseTypedInstant(typed)?.toISOString()).toBe(instant);
  });

  test('is shown as typed', () => {
    expect(formatInstantLong(parseTypedInstant('2027-01-15T09:00')!)).toBe('fredag den 15 januari 2027 kl. 9.00');
  });

  test.each(['', 'imorgon', '2027-13-01', '2027-01-15T25:00', '15/1 2027', '2027-01-15T09:00+bogus'])('"%s" is no time', (typed) => {
    expect(parseTypedInstant(typed)).toBeUndefined();
  });
});

import { DoneReminders, meetingOfReminder } from '../../src/domain/done-reminders';
import { applyEvent, emptyState } from '../../src/domain/state';
import type { EventPayload } from '../../src/domain/records';

describe('DoneReminders', () => {
  test.each([
    ['one id', ['kfn:m1:justering:ja:ready'], 'kfn:m1:justering:ja:ready', true],
    ['another offset of the series', ['kfn:m1:justering:ja:ready'], 'kfn:m1:justering:ja:wd2@2027-03-24', false],
    ['the same offset of another series', ['kfn:m1:justering:ja:ready'], 'kfn:m1:justering:jb:ready', false],
    ['the same series in another committee', ['kfn:m1:justering:ja:ready'], 'bun:m1:justering:ja:ready', false],
    ['the second of two', ['kfn:m1:justering:ja:ready', 'kfn:m1:justering:ja:wd2@2027-03-24'], 'kfn:m1:justering:ja:wd2@2027-03-24', true],
    ['the third of three', ['kfn:m1:anslag:s:signed', 'kfn:m1:anslag:s:day@2027-03-12', 'kfn:m1:anslag:s:day@2027-03-15'], 'kfn:m1:anslag:s:day@2027-03-15', true],
    ['an offset that is a prefix of one done', ['kfn:m1:anslag:s:day@2027-03-12'], 'kfn:m1:anslag:s:day@2027-03-1', false],
  ])('has: %s', (_label, added, asked, expected) => {
    const done = new DoneReminders();
    for (const id of added) done.add(id);
    expect(done.has(asked)).toBe(expected);
  });

  test('counts each id once, lists them all and gives the offsets of a series in the order recorded', () => {
    const done = new DoneReminders();
    const ids = ['kfn:m1:justering:ja:ready', 'kfn:m1:justering:ja:wd2@2027-03-24', 'kfn:m1:justering:ja:ready', 'kfn:m2:kallelse:s:wd0@2027-04-01', 'kfn:m1:justering:ja:wd0@2027-03-24'];
    for (const id of ids) done.add(id);
    expect(done.size).toBe(4);
    expect([...done.keys()].sort()).toEqual([...new Set(ids)].sort());
    expect(done.offsets('kfn:m1:justering:ja')).toEqual(['ready', 'wd2@2027-03-24', 'wd0@2027-03-24']);
    expect(done.offsets('kfn:m2:kallelse:s')).toEqual(['wd0@2027-04-01']);
    expect(done.offsets('kfn:m3:kallelse:s')).toEqual([]);
  });

  test('forgets a meeting whole, and nothing of another', () => {
    const done = new DoneReminders();
    for (const id of ['kfn:m1:justering:ja:ready', 'kfn:m1:anslag:s:signed', 'kfn:m1:anslag:s:day@2027-03-12', 'kfn:m11:justering:ja:ready', 'kfn:m2:kallelse:s:wd0@2027-04-01']) done.add(id);
    done.forgetMeeting('m1');
    expect([...done.keys()].sort()).toEqual(['kfn:m11:justering:ja:ready', 'kfn:m2:kallelse:s:wd0@2027-04-01']);
    expect(done.size).toBe(2);
    expect(done.has('kfn:m1:anslag:s:signed')).toBe(false);
  });

  test.each([
    ['kfn:m1:justering:ja:ready', 'm1'],
    ['kfn:kfn-2027-01-21:kallelse.members:amira.haddad:out@2027-01-14', 'kfn-2027-01-21'],
    ['kfn:m1:justering:ja', 'm1'],
    ['kfn', undefined],
    ['kfn:m1', undefined],
  ])('the meeting of %s is %s', (id, meeting) => {
    expect(meetingOfReminder(id)).toBe(meeting);
  });
});

describe('the state keeps done reminders of open meetings only', () => {
  const fold = (...payloads: EventPayload[]) => {
    const s = emptyState();
    payloads.forEach((p, i) => applyEvent(s, { id: `e${i}`, at: '2027-03-12T09:00:00.000Z', actor: { via: 'system' }, seq: i + 1, ...p } as never));
    return s;
  };
  const sent = (reminderId: string): EventPayload => ({ type: 'reminder.sent', reminderId, recipientId: 'x' });
  const justering: EventPayload = { type: 'justering.recorded', meetingId: 'm1', justerare: ['ja'], dueDate: '2027-03-24' };
  const anslag: EventPayload = { type: 'anslag.recorded', meetingId: 'm1', postedDate: '2027-03-26' };

  test('the anslag closes the meeting: its done reminders are forgotten, another meeting keeps its own', () => {
    const s = fold(justering, sent('tn:m1:justering:ja:ready'), sent('tn:m2:kallelse:s:wd0@2027-04-01'), { type: 'reminder.dropped', reminderId: 'tn:m1:kallelse:s:wd0@2027-03-03', reason: 'stale' }, anslag);
    expect([...s.remindersDone.keys()]).toEqual(['tn:m2:kallelse:s:wd0@2027-04-01']);
  });

  test('a reminder recorded after the anslag is not kept', () => {
    const s = fold(justering, anslag, sent('tn:m1:anslag:s:day@2027-03-26'));
    expect(s.remindersDone.size).toBe(0);
  });

  test('an anslag for a meeting without justering changes nothing', () => {
    const s = fold(sent('tn:m1:kallelse:s:wd0@2027-03-03'), anslag);
    expect(s.remindersDone.has('tn:m1:kallelse:s:wd0@2027-03-03')).toBe(true);
  });
});

describe('DoneReminders with many series, added in no order', () => {
  // A seeded shuffle: the same order every run, and not sorted.
  const shuffled = <T>(xs: T[]): T[] => {
    const out = [...xs];
    let seed = 7;
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const series = Array.from({ length: 300 }, (_, i) => `kfn:m${i % 7}:${['kallelse.members', 'justering', 'anslag'][i % 3]}:p${i}`);
  const ids = shuffled(series.flatMap((s, i) => (i % 4 === 0 ? [`${s}:ready`, `${s}:wd2@2027-03-24`] : [`${s}:ready`])));

  test('finds every id added and no other, and gives each series its offsets in the order recorded', () => {
    const done = new DoneReminders();
    for (const id of ids) done.add(id);
    expect(done.size).toBe(ids.length);
    for (const id of ids) expect(done.has(id)).toBe(true);
    for (const s of series) {
      expect(done.has(`${s}:wd0@2027-03-24`)).toBe(false);
      expect(done.offsets(s)).toEqual(ids.filter((id) => id.startsWith(`${s}:`)).map((id) => id.slice(s.length + 1)));
    }
    expect(done.has('kfn:m0:kallelse.members:p:ready')).toBe(false);
    expect(done.offsets('kfn:m9:justering:p1')).toEqual([]);
    expect([...done.keys()].sort()).toEqual([...ids].sort());
  });

  test('forgetting meetings keeps every other series findable', () => {
    const done = new DoneReminders();
    for (const id of ids) done.add(id);
    done.forgetMeeting('m3');
    done.forgetMeeting('m5');
    const kept = ids.filter((id) => !/^kfn:m[35]:/.test(id));
    expect(done.size).toBe(kept.length);
    for (const id of ids) expect(done.has(id)).toBe(kept.includes(id));
    done.add('kfn:m3:justering:p3:ready');
    expect(done.has('kfn:m3:justering:p3:ready')).toBe(true);
    for (const id of kept) expect(done.has(id)).toBe(true);
  });
});

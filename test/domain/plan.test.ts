import { committeeSchema, type Committee } from '../../src/domain/committee';
import { planReminders, planWindow, reminderSettings, type PlannedReminder } from '../../src/domain/plan';
import type { EventPayload } from '../../src/domain/records';
import { applyEvent, emptyState, type CommitteeState } from '../../src/domain/state';
import { stockholmClock, stockholmDate, stockholmInstant } from '../../src/domain/time';

import { plus, working } from '../support/known-holidays';
function workingBefore(d: string, n: number): string {
  let x = d;
  for (let left = n; left > 0; ) {
    x = plus(x, -1);
    if (working(x)) left--;
  }
  return x;
}
function nextWorking(d: string): string {
  let x = plus(d, 1);
  while (!working(x)) x = plus(x, 1);
  return x;
}

function committee(settings: Record<string, unknown> = {}, meetings?: unknown[]): Committee {
  return committeeSchema.parse({
    id: 'tn',
    name: 'Testnämnden',
    shortName: 'TN',
    settings: { kallelseDaysBefore: 7, ovrigaFragorCutoffHours: 48, ...settings },
    members: [
      { id: 'ordf', name: 'Anna Ordförande', party: 'S', role: 'ordförande' },
      { id: 'ja', name: 'Jan Justerare', party: 'M', role: 'ledamot' },
      { id: 'jb', name: 'Jenny Justerare', party: 'V', role: 'ledamot' },
      { id: 'ers', name: 'Erik Ersättare', party: 'C', role: 'ersättare' },
      { id: 'sekr', name: 'Cecilia Sekreterare', role: 'sekreterare' },
      { id: 'handl', name: 'David Handläggare', role: 'handläggare' },
    ],
    meetings: meetings ?? [
      {
        id: 'm1',
        date: '2027-03-10',
        start: '09:00',
        end: '12:00',
        place: 'Kommunhuset',
        items: [
          { lopnummer: '1/27', title: 'Budget 2027', handlaggare: 'handl' },
          { lopnummer: '2/27', title: 'Ansökan om bidrag', handlaggare: 'handl', sekretess: true },
        ],
      },
    ],
  });
}

/** A state built from events, each with its own instant. */
function stateOf(...events: [string, EventPayload][]): CommitteeState {
  const s = emptyState();
  events.forEach(([at, payload], i) => applyEvent(s, { id: `e${i}`, at: new Date(at).toISOString(), actor: { via: 'console' }, seq: i + 1, ...payload } as never));
  return s;
}

const recorded = (meetingId: string, dueDate: string, justerare = ['ja', 'jb']): EventPayload => ({ type: 'justering.recorded', meetingId, justerare, dueDate });
const signed = (meetingId: string, memberId: string): EventPayload => ({ type: 'justering.signed', meetingId, memberId });
const local = (r: PlannedReminder) => `${stockholmDate(r.due)} ${stockholmClock(r.due)}`;
const ofKind = (rs: PlannedReminder[], kind: string, recipient?: string) => rs.filter((r) => r.kind === kind && (!recipient || r.recipientId === recipient));

describe('ids', () => {
  test('planning the same state twice, or at another time, gives the same ids', () => {
    const c = committee();
    const s = stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')]);
    const a = planReminders({ committee: c, state: s, now: new Date('2027-03-11T10:00:00+01:00') }).map((r) => r.id);
    const b = planReminders({ committee: c, state: s, now: new Date('2027-03-11T10:00:00+01:00') }).map((r) => r.id);
    const later = planReminders({ committee: c, state: s, now: new Date('2027-03-12T10:00:00+01:00') }).map((r) => r.id);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    expect(new Set(a).size).toBe(a.length);
    for (const id of later) if (!id.includes(':kallelse')) expect(a).toContain(id);
  });

  test('an id says what it is for: committee, meeting, kind, recipient, offset and deadline', () => {
    const s = stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')]);
    const ids = planReminders({ committee: committee(), state: s, now: new Date('2027-03-11T10:00:00+01:00') }).map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'tn:m1:justering:ja:ready',
        'tn:m1:justering:ja:wd2@2027-03-24',
        'tn:m1:justering:ordf:wd0@2027-03-24',
        'tn:m1:justering.overdue:sekr:overdue@2027-03-24',
      ]),
    );
  });

  test('a moved deadline gives new ids for the reminders that count from it', () => {
    const c = committee();
    const before = stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')]);
    const after = stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')], ['2027-03-12T10:00:00+01:00', recorded('m1', '2027-03-19')]);
    const now = new Date('2027-03-12T10:00:00+01:00');
    const ids = (s: CommitteeState) => ofKind(planReminders({ committee: c, state: s, now }), 'justering', 'ja').map((r) => r.offset);
    expect(ids(before)).toEqual(['ready', 'wd2@2027-03-24', 'wd0@2027-03-24']);
    expect(ids(after)).toEqual(['ready', 'wd2@2027-03-19', 'wd0@2027-03-19']);
  });
});

// Meetings next to every kind of non-working day in 2025–2027 and both summer-time changes.
const MEETINGS: [string, string][] = [
  ['2025-04-03', 'påsk 2025 (justering 04-17, långfredag 04-18)'],
  ['2025-04-07', 'justering på annandag påsk 2025'],
  ['2025-05-15', 'justering på Kristi himmelsfärd 2025'],
  ['2025-06-06', 'justering på midsommarafton 2025'],
  ['2025-10-16', 'alla helgons dag 2025, summer time ends 10-26'],
  ['2025-12-11', 'julafton 2025'],
  ['2025-12-17', 'nyårsafton 2025'],
  ['2026-03-19', 'summer time starts 2026-03-29 (justering 04-02 before långfredag)'],
  ['2026-04-30', 'första maj and Kristi himmelsfärd 2026'],
  ['2026-06-05', 'midsommar 2026'],
  ['2026-10-15', 'summer time ends 2026-10-25, alla helgons 10-31'],
  ['2026-12-17', 'jul 2026'],
  ['2027-03-12', 'påsk 2027, summer time starts 03-28'],
  ['2027-04-22', 'Kristi himmelsfärd 2027'],
  ['2027-06-11', 'midsommar 2027'],
  ['2027-10-21', 'summer time ends 2027-10-31'],
  ['2027-12-10', 'jul 2027'],
  ['2027-12-17', 'nyår 2027'],
];

describe('justering reminders across holidays and summer time (default offsets: ready, two working days before, that morning)', () => {
  test.each(MEETINGS)('meeting %s (%s)', (date) => {
    const c = committee({}, [{ id: 'm', date, start: '09:00', end: '12:00', place: 'Kommunhuset' }]);
    const due = plus(date, 14);
    const recordedAt = stockholmInstant(date, '15:00').toISOString();
    const s = stateOf([recordedAt, recorded('m', due)]);
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date(recordedAt) }), 'justering', 'ja');
    const ready = rs.find((r) => r.offset === 'ready')!;
    const wd2 = rs.find((r) => r.offset.startsWith('wd2'))!;
    const wd0 = rs.find((r) => r.offset.startsWith('wd0'))!;
    // Two working days back from the last day (which itself may be a holiday), counted on our own list.
    expect(local(wd2)).toBe(`${workingBefore(due, 2)} 08:00`);
    // The morning of the last day: 8.00 even when that day is a Sunday or a holiday (the deadline's own day).
    expect(local(wd0)).toBe(`${due} 08:00`);
    // Every reminder other than the deadline day's is on a working day within 8–17.
    for (const r of [ready, wd2]) {
      expect(working(stockholmDate(r.due))).toBe(true);
      expect(stockholmClock(r.due) >= '08:00' && stockholmClock(r.due) < '17:00').toBe(true);
    }
    // The ready reminder goes out at once: recorded on a working day at 15.00, or the next working morning.
    expect(local(ready)).toBe(working(date) ? `${date} 15:00` : `${nextWorking(date)} 08:00`);
    // Escalation: the first working day after the last day, 8.00.
    const overdue = ofKind(planReminders({ committee: c, state: s, now: new Date(recordedAt) }), 'justering.overdue', 'sekr')[0];
    expect(local(overdue)).toBe(`${nextWorking(due)} 08:00`);
  });
});

describe('summer time never moves a reminder', () => {
  test.each([
    // last day, expected UTC instants of wd2 and wd0 (08:00 local on either side of the change)
    ['2025-03-31', '2025-03-27T07:00:00.000Z', '2025-03-31T06:00:00.000Z'],
    ['2025-10-28', '2025-10-24T06:00:00.000Z', '2025-10-28T07:00:00.000Z'],
    ['2026-03-30', '2026-03-26T07:00:00.000Z', '2026-03-30T06:00:00.000Z'],
    ['2026-10-27', '2026-10-23T06:00:00.000Z', '2026-10-27T07:00:00.000Z'],
    ['2027-03-30', '2027-03-24T07:00:00.000Z', '2027-03-30T06:00:00.000Z'], // back over annandag påsk, påsk and långfredag
    ['2027-11-02', '2027-10-29T06:00:00.000Z', '2027-11-02T07:00:00.000Z'],
  ])('last day %s', (due, wd2Utc, wd0Utc) => {
    const date = plus(due, -14);
    const c = committee({}, [{ id: 'm', date, start: '09:00', end: '12:00', place: 'Kommunhuset' }]);
    const s = stateOf([`${date}T12:00:00Z`, recorded('m', due)]);
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date(`${date}T12:00:00Z`) }), 'justering', 'jb');
    expect(rs.find((r) => r.offset.startsWith('wd2'))!.due.toISOString()).toBe(wd2Utc);
    expect(rs.find((r) => r.offset.startsWith('wd0'))!.due.toISOString()).toBe(wd0Utc);
  });

  test('a tjänsteskrivelse and a kallelse reminder across the spring change stay at 8.00', () => {
    const c = committee({}, [{ id: 'm', date: '2027-04-08', start: '13:00', place: 'Kommunhuset', items: [{ lopnummer: '1/27', title: 'Budget', handlaggare: 'handl' }] }]);
    const rs = planReminders({ committee: c, state: emptyState(), now: new Date('2027-03-01T10:00:00+01:00') });
    const kinds = rs.filter((r) => r.kind === 'kallelse' || r.kind === 'tjansteskrivelse');
    expect(kinds.length).toBe(4);
    for (const r of kinds) expect(stockholmClock(r.due)).toBe('08:00');
    // The kallelse is due 2027-04-01: two working days before is 03-30, the day after annandag påsk.
    expect(kinds.filter((r) => r.kind === 'kallelse').map(local)).toEqual(['2027-03-30 08:00', '2027-04-01 08:00']);
  });
});

describe('the deadline day itself', () => {
  test('a last day on a Sunday gets its morning reminder on that Sunday, and nothing else on a weekend', () => {
    // The committee decided Sunday 2027-03-21; the secretary was warned and kept it.
    const s = stateOf(['2027-03-10T13:00:00+01:00', recorded('m1', '2027-03-21')]);
    const rs = ofKind(planReminders({ committee: committee(), state: s, now: new Date('2027-03-10T13:00:00+01:00') }), 'justering', 'ja');
    expect(rs.map((r) => [r.offset, local(r)])).toEqual([
      ['ready', '2027-03-10 13:00'],
      ['wd2@2027-03-21', '2027-03-18 08:00'],
      ['wd0@2027-03-21', '2027-03-21 08:00'],
    ]);
    expect(rs[2].lines.join(' ')).toContain('söndag');
  });

  test('recorded after office hours: the ready reminder waits for the next working morning', () => {
    const s = stateOf(['2027-03-12T18:30:00+01:00', recorded('m1', '2027-03-24')]); // a Friday evening
    const ready = planReminders({ committee: committee(), state: s, now: new Date('2027-03-12T18:30:00+01:00') }).find((r) => r.id === 'tn:m1:justering:ja:ready')!;
    expect(local(ready)).toBe('2027-03-15 08:00');
    expect(ready.status).toBe('pending');
  });
});

describe('who gets what', () => {
  const c = committee();
  const at = '2027-03-11T10:00:00+01:00';

  test('justerare and the ordförande get justering reminders; a signed justerare gets none', () => {
    const s = stateOf([at, recorded('m1', '2027-03-24')], ['2027-03-11T11:00:00+01:00', signed('m1', 'jb')]);
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date(at) }), 'justering');
    expect([...new Set(rs.map((r) => r.recipientId))].sort()).toEqual(['ja', 'ordf']);
    expect(rs[0].commands[0]).toMatchObject({ name: 'justering.sign', label: 'Justerat', args: { meeting: 'm1' }, text: 'justerat 2027-03-10' });
  });

  test('when all have signed, the secretary is reminded to post the anslag until it is recorded', () => {
    const events: [string, EventPayload][] = [
      [at, recorded('m1', '2027-03-24')],
      ['2027-03-12T09:00:00+01:00', signed('m1', 'ja')],
      ['2027-03-12T09:30:00+01:00', signed('m1', 'jb')],
      ['2027-03-12T14:00:00+01:00', signed('m1', 'ordf')], // Friday: anslag by Sunday 03-14
    ];
    const s = stateOf(...events);
    const rs = planReminders({ committee: c, state: s, now: new Date('2027-03-12T14:00:00+01:00') });
    expect(ofKind(rs, 'justering')).toEqual([]);
    expect(ofKind(rs, 'justering.overdue')).toEqual([]);
    const anslag = ofKind(rs, 'anslag');
    expect(anslag.map((r) => [r.offset, local(r), r.recipientId])).toEqual([
      ['signed', '2027-03-12 14:00', 'sekr'],
      ['day@2027-03-14', '2027-03-14 08:00', 'sekr'], // the last day itself, a Sunday
      ['overdue@2027-03-14', '2027-03-15 08:00', 'sekr'],
    ]);
    expect(anslag[0].title).toContain('justerat av alla');
    expect(anslag[0].lines.join(' ')).toContain('fredag den 12 mars 2027'); // propose posting it the same day
    expect(anslag[0].commands[0]).toMatchObject({ name: 'anslag.record', args: { meeting: 'm1', date: 'idag' } });
    const withAnslag = stateOf(...events, ['2027-03-12T15:00:00+01:00', { type: 'anslag.recorded', meetingId: 'm1', postedDate: '2027-03-12' }]);
    expect(ofKind(planReminders({ committee: c, state: withAnslag, now: new Date('2027-03-12T15:00:00+01:00') }), 'anslag')).toEqual([]);
    // The meeting is closed: nothing at all is planned for it, not even a stale kallelse to drop.
    expect(planReminders({ committee: c, state: withAnslag, now: new Date('2027-03-12T15:00:00+01:00') }).filter((r) => r.meetingId === 'm1')).toEqual([]);
    expect(planReminders({ committee: c, state: stateOf(...events), now: new Date('2027-03-12T15:00:00+01:00') }).filter((r) => r.meetingId === 'm1' && r.kind.startsWith('kallelse')).length).toBeGreaterThan(0);
  });

  test('an overdue justering escalates to the secretary and the ordförande, naming who has not signed', () => {
    const s = stateOf([at, recorded('m1', '2027-03-24')], ['2027-03-12T09:00:00+01:00', signed('m1', 'ja')]);
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date('2027-03-25T08:00:00+01:00') }), 'justering.overdue');
    expect(rs.map((r) => [r.recipientId, r.status, local(r)])).toEqual([
      ['ordf', 'due', '2027-03-25 08:00'],
      ['sekr', 'due', '2027-03-25 08:00'],
    ]);
    expect(rs[0].lines[0]).toBe('Har inte justerat: Jenny Justerare (V) och Anna Ordförande (S).');
    expect(rs[0].commands.map((x) => x.name)).toEqual(['justering.sign']);
    expect(rs[1].lines.join(' ')).toContain('justering 2027-03-10 ja jb senast <datum>');
  });

  test('the secretary before the kallelse deadline; members once the kallelse is out; the handläggare before theirs', () => {
    const rs = planReminders({ committee: c, state: emptyState(), now: new Date('2027-02-01T10:00:00+01:00') });
    // Kallelse 7 days before 2027-03-10: 03-03 (Wednesday).
    expect(ofKind(rs, 'kallelse').map((r) => [r.recipientId, local(r)])).toEqual([
      ['sekr', '2027-03-01 08:00'],
      ['sekr', '2027-03-03 08:00'],
    ]);
    const members = ofKind(rs, 'kallelse.members');
    expect(members.map((r) => r.recipientId).sort()).toEqual(['ers', 'ja', 'jb', 'ordf']);
    expect(members.every((r) => local(r) === '2027-03-04 08:00')).toBe(true);
    expect(members[0].lines).toContain('Övriga frågor anmäler du senast måndag den 8 mars 2027 kl. 9.00.');
    expect(members[0].commands.map((x) => x.name)).toEqual(['items', 'jav.declare', 'fraga.announce']);
    // Tjänsteskrivelser 10 working days before: 2027-02-24; reminders 3 working days before and that morning.
    const officer = ofKind(rs, 'tjansteskrivelse');
    expect(officer.map((r) => [r.recipientId, local(r)])).toEqual([
      ['handl', '2027-02-19 08:00'],
      ['handl', '2027-02-24 08:00'],
    ]);
    expect(officer[0].list?.items).toEqual(['1/27 Budget 2027', '2/27 Sekretessärende']);
  });
});

describe('handläggare who are tjänstepersoner', () => {
  test('each of several handläggare on an ärende, kept apart from the members, is reminded of their own ärenden', () => {
    const c = committeeSchema.parse({
      id: 'tn',
      name: 'Testnämnden',
      shortName: 'TN',
      members: [
        { id: 'ordf', name: 'Anna Ordförande', party: 'S', role: 'ordförande' },
        { id: 'sekr', name: 'Cecilia Sekreterare', role: 'sekreterare' },
      ],
      tjanstepersoner: [
        { id: 'strateg', name: 'Stina Strateg', befattning: 'Jämställdhetsstrateg' },
        { id: 'chef', name: 'Sam Säkerhetschef', befattning: 'Säkerhetschef' },
      ],
      meetings: [
        {
          id: 'm1',
          date: '2027-03-10',
          place: 'Kommunhuset',
          items: [
            { lopnummer: '1/27', title: 'Budget 2027', handlaggare: ['strateg', 'chef'] },
            { lopnummer: '2/27', title: 'Aktivitetsplan', handlaggare: 'strateg' },
          ],
        },
      ],
    });
    const officer = ofKind(planReminders({ committee: c, state: emptyState(), now: new Date('2027-02-01T10:00:00+01:00') }), 'tjansteskrivelse');
    const byRecipient = officer.map((r) => [r.recipientId, local(r), r.list?.items] as const).sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
    expect(byRecipient).toEqual([
      ['chef', '2027-02-19 08:00', ['1/27 Budget 2027']],
      ['chef', '2027-02-24 08:00', ['1/27 Budget 2027']],
      ['strateg', '2027-02-19 08:00', ['1/27 Budget 2027', '2/27 Aktivitetsplan']],
      ['strateg', '2027-02-24 08:00', ['1/27 Budget 2027', '2/27 Aktivitetsplan']],
    ]);
    // Not elected: no kallelse reminder as a member.
    expect(ofKind(planReminders({ committee: c, state: emptyState(), now: new Date('2027-02-01T10:00:00+01:00') }), 'kallelse.members').map((r) => r.recipientId)).toEqual(['ordf']);
  });
});

describe('done, downtime and stale', () => {
  const c = committee();
  const s0 = () => stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')]);

  test('a reminder in remindersDone is not planned again, nor anything before it in its series', () => {
    const s = s0();
    s.remindersDone.add('tn:m1:justering:ja:wd2@2027-03-24');
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date('2027-03-22T09:00:00+01:00') }), 'justering', 'ja');
    expect(rs.map((r) => r.offset)).toEqual(['wd0@2027-03-24']);
  });

  test('after a downtime only the latest reminder of a series is due; the earlier ones are superseded', () => {
    const rs = ofKind(planReminders({ committee: c, state: s0(), now: new Date('2027-03-23T10:00:00+01:00') }), 'justering', 'ja');
    expect(rs.map((r) => [r.offset, r.status])).toEqual([
      ['ready', 'superseded'],
      ['wd2@2027-03-24', 'due'],
      ['wd0@2027-03-24', 'pending'],
    ]);
  });

  test('fell due while the bot was down, still matters: due now; outside office hours: waits for the morning', () => {
    const evening = ofKind(planReminders({ committee: c, state: s0(), now: new Date('2027-03-22T19:00:00+01:00') }), 'justering', 'ja');
    const wd2 = evening.find((r) => r.offset.startsWith('wd2'))!;
    expect(wd2.status).toBe('pending');
    expect(local({ ...wd2, due: wd2.sendAt })).toBe('2027-03-23 08:00');
  });

  test('its last day has passed: stale, to be dropped; after office hours on the last day too', () => {
    const late = ofKind(planReminders({ committee: c, state: s0(), now: new Date('2027-03-25T09:00:00+01:00') }), 'justering', 'ja');
    expect(late.map((r) => [r.offset, r.status])).toEqual([
      ['ready', 'superseded'],
      ['wd2@2027-03-24', 'superseded'],
      ['wd0@2027-03-24', 'stale'],
    ]);
    const evening = ofKind(planReminders({ committee: c, state: s0(), now: new Date('2027-03-24T17:30:00+01:00') }), 'justering', 'ja');
    expect(evening.find((r) => r.offset.startsWith('wd0'))!.status).toBe('stale');
    const afternoon = ofKind(planReminders({ committee: c, state: s0(), now: new Date('2027-03-24T16:59:00+01:00') }), 'justering', 'ja');
    expect(afternoon.find((r) => r.offset.startsWith('wd0'))!.status).toBe('due');
  });

  test('reminders whose last day is more than a week back are history: not planned at all', () => {
    const rs = planReminders({ committee: c, state: s0(), now: new Date('2027-04-05T09:00:00+02:00') });
    expect(ofKind(rs, 'justering')).toEqual([]);
    expect(ofKind(rs, 'kallelse')).toEqual([]);
    // The escalation matters until the protocol is justerat.
    expect(ofKind(rs, 'justering.overdue').map((r) => r.status)).toEqual(['due', 'due']);
  });
});

describe('the window', () => {
  test('until: only what is due by then, and when the next one falls due', () => {
    const c = committee();
    const s = stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')]);
    const now = new Date('2027-03-11T10:00:00+01:00');
    const w = planWindow({ committee: c, state: s, now, until: now });
    expect(w.reminders.every((r) => r.due <= now)).toBe(true);
    expect(w.reminders.map((r) => r.offset)).toContain('ready');
    expect(w.next?.toISOString()).toBe('2027-03-22T07:00:00.000Z'); // wd2, Monday 03-22 08:00
    const all = planReminders({ committee: c, state: s, now });
    expect(all.length).toBeGreaterThan(w.reminders.length);
  });
});

describe('settings', () => {
  test('defaults', () => {
    expect(reminderSettings(committee())).toMatchObject({
      officeHours: { start: '08:00', end: '17:00' },
      justeringWhenReady: true,
      justeringDays: [2, 0],
      kallelseDays: [2, 0],
      tjansteskrivelseWorkingDays: 10,
      tjansteskrivelseDays: [3, 0],
    });
  });

  test('configured offsets and office hours', () => {
    const c = committee({ justeringReminderDays: [5, 1], justeringReminderWhenReady: false, officeHours: { start: '09:30', end: '15:00' } });
    const s = stateOf(['2027-03-11T10:00:00+01:00', recorded('m1', '2027-03-24')]);
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date('2027-03-11T10:00:00+01:00') }), 'justering', 'ja');
    expect(rs.map((r) => [r.offset, local(r)])).toEqual([
      ['wd5@2027-03-24', '2027-03-17 09:30'],
      ['wd1@2027-03-24', '2027-03-23 09:30'],
    ]);
  });

  test('without a ready reminder, an offset before the recording moves to it instead of being lost', () => {
    const c = committee({ justeringReminderWhenReady: false });
    const s = stateOf(['2027-03-23T10:00:00+01:00', recorded('m1', '2027-03-24')]);
    const rs = ofKind(planReminders({ committee: c, state: s, now: new Date('2027-03-23T10:00:00+01:00') }), 'justering', 'ja');
    expect(rs.map((r) => [r.offset, local(r), r.status])).toEqual([
      ['wd2@2027-03-24', '2027-03-23 10:00', 'due'],
      ['wd0@2027-03-24', '2027-03-24 08:00', 'pending'],
    ]);
  });

  test('an office-hours setting that ends before it starts is refused in Swedish', () => {
    expect(() => committee({ officeHours: { start: '17:00', end: '08:00' } })).toThrow('kontorstiden måste börja före den slutar');
  });
});

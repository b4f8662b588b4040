/**
 * When a meeting counts as closed for retention, and that redaction is stable: pure, on the
 * example committee.
 */
import { loadCommitteeFile } from '../../src/config/committee-file';
import type { Committee } from '../../src/domain/committee';
import type { EventPayload, StoredEvent } from '../../src/domain/records';
import { applyEvent, emptyState } from '../../src/domain/state';
import { appealEnds, GALLRAD, planRetention, redacted } from '../../src/ops/retention';
import { EXAMPLE } from './support';

let committee: Committee;
beforeAll(async () => {
  committee = await loadCommitteeFile(EXAMPLE);
});

let seq = 0;
function stored(payload: EventPayload, at = '2026-11-05T09:00:00.000Z', memberId?: string): StoredEvent {
  return { id: `e${++seq}`, at, actor: { via: 'slack', ...(memberId ? { memberId } : {}) }, seq, ...payload } as StoredEvent;
}
function stream(...payloads: (EventPayload | [EventPayload, string])[]): StoredEvent[] {
  seq = 0;
  return payloads.map((p) => (Array.isArray(p) ? stored(p[0], p[1]) : stored(p, undefined, 'amira.haddad')));
}

const NOV = 'kfn-2026-11-12';

test('the överklagandetid counts from the recorded anslag, or else from the latest lawful anslag', () => {
  const state = emptyState();
  // No justering recorded: justering by 2026-11-19 (the committee file), anslag by 2026-11-21,
  // three weeks gives 2026-12-12, a Saturday: the last day moves to Monday 2026-12-14.
  expect(appealEnds(committee, state, NOV)).toBe('2026-12-14');
  for (const e of stream(
    { type: 'justering.recorded', meetingId: NOV, justerare: ['amira.haddad'], dueDate: '2026-11-19' },
    { type: 'anslag.recorded', meetingId: NOV, postedDate: '2026-11-16' },
  )) applyEvent(state, e);
  // Anslag 2026-11-16: three weeks, 2026-12-07.
  expect(appealEnds(committee, state, NOV)).toBe('2026-12-07');
  // A meeting the committee file no longer has: from the date given (its latest record).
  // Justering 05-15, anslag 05-17, three weeks is Saturday 06-07: Monday 06-09.
  expect(appealEnds(committee, emptyState(), 'kfn-2025-05-01', '2025-05-01')).toBe('2025-06-09');
  expect(appealEnds(committee, emptyState(), 'kfn-2025-05-01')).toBeUndefined();
});

test('a meeting is closed only once the period after the överklagandetid has passed', () => {
  const events = stream({ type: 'forhinder.reported', forhinderId: 'H1', meetingId: NOV, memberId: 'amira.haddad', lopnummer: [] });
  // Överklagande ends 2026-12-14; 30 days later is 2027-01-13, the last day it is kept.
  const kept = planRetention(committee, events, '2027-01-13', 30);
  expect(kept.closedMeetings).toEqual([]);
  expect(kept.redactions).toEqual([]);
  const later = planRetention(committee, events, '2027-01-14', 30);
  expect(later.closedMeetings).toEqual([NOV]);
  expect(later.redactions).toEqual([expect.objectContaining({ seq: 1, memberId: GALLRAD, actor: { via: 'slack' } })]);
  // 0 days: the day after the last day for överklagande.
  expect(planRetention(committee, events, '2026-12-14', 0).closedMeetings).toEqual([]);
  expect(planRetention(committee, events, '2026-12-15', 0).closedMeetings).toEqual([NOV]);
});

test('public records are never redacted, and a redacted stream gives the same plan as nothing to do', () => {
  const events = stream(
    { type: 'jav.declared', declarationId: 'J1', meetingId: NOV, lopnummer: '72/26', memberId: 'amira.haddad', ground: 'partsjav', motivation: 'Min bror' },
    { type: 'jav.withdrawn', declarationId: 'J1' },
    { type: 'fraga.announced', questionId: 'F1', meetingId: NOV, memberId: 'amira.haddad', text: 'Hur går det?', late: false },
    { type: 'fraga.declined', questionId: 'F1', reason: 'Besvaras i ärende 2' },
    { type: 'agenda.drafted', meetingId: NOV, version: 1, firstParagraph: 1, lastParagraph: 5, agenda: { items: [] } },
    { type: 'forhinder.reported', forhinderId: 'H1', meetingId: NOV, memberId: 'amira.haddad', lopnummer: [] },
    [{ type: 'ersattare.asked', askId: 'E1', forhinderId: 'H1', ersattareId: 'nils.holmgren', deadline: '2026-11-06T09:00:00.000Z' }, '2026-11-05T09:00:00.000Z'],
    { type: 'ersattare.declined', askId: 'E1', reason: 'Sjuk' },
    [{ type: 'reminder.sent', reminderId: `kfn:${NOV}:justering:amira.haddad:wd2@2026-11-17`, recipientId: 'amira.haddad' }, '2026-11-13T08:00:00.000Z'],
  );
  const plan = planRetention(committee, events, '2027-06-01', 30);
  expect(plan.redactions.map((r) => r.type)).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.declined', 'reminder.sent']);
  expect(plan.counts).toEqual({ 'forhinder.reported': 1, 'ersattare.asked': 1, 'ersattare.declined': 1, 'reminder.sent': 1 });
  // Every redaction keeps seq, id, type, time and channel.
  for (const r of plan.redactions) expect([r.seq, r.id, r.type, r.at, r.actor.via]).toEqual([events[r.seq - 1]!.seq, events[r.seq - 1]!.id, events[r.seq - 1]!.type, events[r.seq - 1]!.at, events[r.seq - 1]!.actor.via]);
  const after = events.map((e) => plan.redactions.find((r) => r.seq === e.seq) ?? e);
  expect(planRetention(committee, after, '2027-06-01', 30).redactions).toEqual([]);
  // Redacting twice is the same as once; the folded state still works.
  for (const r of plan.redactions) expect(redacted(r)).toEqual(r);
  const state = emptyState();
  for (const e of after) applyEvent(state, e);
  expect(state.declarations.get('J1')).toMatchObject({ motivation: 'Min bror', withdrawnAt: expect.any(String) });
  expect(state.ersattareAsks.get('E1')).toMatchObject({ status: 'declined', ersattareId: GALLRAD, memberId: GALLRAD });
  expect(state.ersattareAsks.get('E1')!.reason).toBeUndefined();
});

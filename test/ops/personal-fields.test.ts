/**
 * Every event type, with a person in each of its personal fields (test/support/event-samples.ts),
 * through retention (gallring) and the member export: a new event type gets a sample there, and
 * these tests say whether retention and the export handle it.
 */
import { loadCommitteeFile } from '../../src/config/committee-file';
import type { Committee } from '../../src/domain/committee';
import type { EventType, StoredEvent } from '../../src/domain/records';
import { applyEvent, emptyState } from '../../src/domain/state';
import { memberPart } from '../../src/ops/personal-data';
import { GALLRAD, planRetention } from '../../src/ops/retention';
import { EXAMPLE } from './support';
import { FREE, NOV, PERSON, SAMPLES, sampleEvents } from '../support/event-samples';

/**
 * What the committee must keep as allmänna handlingar (docs/it/operations.md, "What is stored"):
 * never redacted, whoever they name. Everything else that names a person is redacted once old.
 */
const PUBLIC_RECORDS: readonly EventType[] = [
  'meeting.added', 'item.added', 'item.retitled', 'item.moved', 'item.sekretess', 'item.removed', 'items.imported',
  'jav.declared', 'jav.withdrawn', 'fraga.announced', 'fraga.moved', 'fraga.accepted', 'fraga.declined', 'fraga.withdrawn',
  'justering.recorded', 'justering.signed', 'anslag.recorded', 'agenda.drafted',
  'narvaro.recorded', 'tjanstgoring.recorded', 'beslut.recorded', 'votering.recorded', 'protokoll.noted',
  'expediering.recorded', 'beskrivning.recorded', 'protokoll.excluded', 'protokoll.drafted', 'protokoll.sent',
];
/** About nobody in particular: in a person's export only when they made it. */
const ABOUT_NOBODY: readonly EventType[] = [
  'meeting.added', 'item.retitled', 'item.moved', 'item.sekretess', 'item.removed', 'anslag.recorded', 'agenda.drafted',
  'beslut.recorded', 'votering.recorded', 'expediering.recorded', 'beskrivning.recorded', 'protokoll.excluded', 'protokoll.drafted',
];

let committee: Committee;
let events: StoredEvent[];
beforeAll(async () => {
  committee = await loadCommitteeFile(EXAMPLE);
  // Made by the secretary, so that whether a record is the person's is read from the record itself.
  events = sampleEvents();
});

test('the samples are of every event type, each naming the person or their free text where it has such a field', () => {
  expect(events.map((e) => e.type)).toEqual(Object.keys(SAMPLES));
  expect(committee.members.some((m) => m.id === PERSON)).toBe(false);
});

test('retention: every record with a personal field is a public record kept whole, or loses the person and their free text', () => {
  const plan = planRetention(committee, events, '2028-01-01', 30);
  const byType = new Map(plan.redactions.map((r) => [r.type, r]));
  const kept = events.filter((e) => !byType.has(e.type)).map((e) => e.type);
  // Kept: the public records, and records with nothing personal but their actor (who made them is the secretary).
  expect(kept.filter((t) => !PUBLIC_RECORDS.includes(t))).toEqual([]);
  for (const e of events) {
    const r = byType.get(e.type);
    if (!r) continue;
    const text = JSON.stringify(r);
    expect([e.type, text.includes(PERSON), text.includes(FREE), r.actor.memberId]).toEqual([e.type, false, false, undefined]);
    expect([r.seq, r.id, r.at, r.actor.via]).toEqual([e.seq, e.id, e.at, e.actor.via]);
  }
  // The comment on a protokoll draft: a working note, not the protokoll, so it goes.
  expect(byType.get('protokoll.commented')).toMatchObject({ memberId: GALLRAD, text: GALLRAD });
  // The redacted stream still folds.
  const state = emptyState();
  for (const e of events) applyEvent(state, plan.redactions.find((r) => r.seq === e.seq) ?? e);
  expect(state.minutes.get(NOV)?.comments).toEqual([{ memberId: GALLRAD, text: GALLRAD, at: '2026-11-05T09:00:00.000Z' }]);
});

test('member export: every record that names the person or acts on theirs is in their export, though someone else made it', () => {
  const part = memberPart(committee, events, PERSON)!;
  const listed = part.poster.map((e) => e.type);
  expect(events.map((e) => e.type).filter((t) => !listed.includes(t))).toEqual(ABOUT_NOBODY);
  // Nothing of theirs is anyone else's: read for a person the records do not name, there is nothing.
  expect(memberPart(committee, events, 'ingen.alls')).toBeUndefined();
});

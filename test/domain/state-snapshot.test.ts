/**
 * The committee state as a snapshot and back (src/domain/state-snapshot.ts): a decoded state is
 * the state the fold gives, its indexes point at its own objects again, and it folds on as the
 * original does.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import type { EventPayload, StoredEvent } from '../../src/domain/records';
import { activeDeclaration, applyEvent, emptyState, sameQuestion, type CommitteeState } from '../../src/domain/state';
import { decodeState, encodeState, STATE_SNAPSHOT_FORMAT } from '../../src/domain/state-snapshot';
import { NOV, sampleEvents } from '../support/event-samples';

/** Each record a copy of its own, as records read from disk are (the samples share parts). */
function fold(events: readonly StoredEvent[], state = emptyState()): CommitteeState {
  for (const e of events) applyEvent(state, structuredClone(e));
  return state;
}

/** Where an object met walking the value was met before (its first index), for each object met. Empty collections are not counted. */
function sharing(value: unknown): number[] {
  const seen = new Map<object, number>();
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    // By tag: a decoded state's collections come from the main realm, not this test's.
    const tag = Object.prototype.toString.call(v);
    if ((tag === '[object Map]' || tag === '[object Set]') && (v as Set<unknown>).size === 0) return;
    const known = seen.get(v);
    out.push(known ?? seen.size);
    if (known !== undefined) return;
    seen.set(v, seen.size);
    if (tag === '[object Map]') for (const [k, x] of v as Map<unknown, unknown>) (walk(k), walk(x));
    else if (tag === '[object Set]') for (const x of v as Set<unknown>) walk(x);
    else for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return out;
}

/** A state as JSON, its Maps and Sets as their entries (an empty one is empty, whichever it is). */
function canonical(state: CommitteeState): string {
  return JSON.stringify({ ...state, remindersDone: [...state.remindersDone.keys()] }, (_, v: unknown) => {
    const tag = Object.prototype.toString.call(v);
    return tag === '[object Map]' ? { map: [...(v as Map<unknown, unknown>)] } : tag === '[object Set]' ? { set: [...(v as Set<unknown>)] } : v;
  });
}

/**
 * Whether two states are the same: equal, and sharing the same objects between their maps (but
 * for agendas: alike ones are shared once decoded, and never changed).
 */
function same(a: CommitteeState, b: CommitteeState): boolean {
  return canonical(a) === canonical(b) && isDeepStrictEqual(sharing({ ...a, agendaDrafts: undefined }), sharing({ ...b, agendaDrafts: undefined }));
}

function roundTrip(state: CommitteeState): CommitteeState {
  return decodeState(encodeState(state));
}

/** More than one of each: shadowed declarations, moved and duplicate questions, asks by förhinder, two drafts alike. */
function richHistory(): StoredEvent[] {
  const payloads: EventPayload[] = [
    { type: 'jav.declared', declarationId: 'J1', meetingId: 'm1', lopnummer: '1/27', memberId: 'anna', ground: 'partsjav' },
    { type: 'jav.declared', declarationId: 'J2', meetingId: 'm1', lopnummer: '1/27', memberId: 'anna', ground: 'ovrigt', motivation: 'Styrelseledamot' },
    { type: 'jav.declared', declarationId: 'J3', meetingId: 'm1', lopnummer: '1/27', memberId: 'anna', ground: 'partsjav' },
    { type: 'jav.withdrawn', declarationId: 'J2' },
    { type: 'jav.declared', declarationId: 'J4', meetingId: 'm1', lopnummer: '2/27', memberId: 'bo', ground: 'partsjav' },
    { type: 'fraga.announced', questionId: 'F1', meetingId: 'm1', memberId: 'bo', text: 'Hur går det?', late: false },
    { type: 'fraga.announced', questionId: 'F2', meetingId: 'm1', memberId: 'bo', text: 'hur  går det', late: false },
    { type: 'fraga.moved', questionId: 'F1', fromMeetingId: 'm1', toMeetingId: 'm2', late: true },
    { type: 'fraga.declined', questionId: 'F2', reason: 'Hör till styrelsen' },
    { type: 'forhinder.reported', forhinderId: 'H1', meetingId: 'm1', memberId: 'anna', lopnummer: ['1/27'] },
    { type: 'ersattare.asked', askId: 'A1', forhinderId: 'H1', ersattareId: 'cia', deadline: '2027-01-02T10:00:00.000Z' },
    { type: 'ersattare.declined', askId: 'A1', reason: 'Bortrest' },
    { type: 'ersattare.asked', askId: 'A2', forhinderId: 'H1', ersattareId: 'dan', deadline: '2027-01-02T10:00:00.000Z' },
    { type: 'agenda.drafted', meetingId: 'm1', version: 1, firstParagraph: 1, lastParagraph: 9, agenda: { items: [{ type: 'arende', lopnummer: '1/27', paragraph: 3 }] } },
    { type: 'agenda.drafted', meetingId: 'm2', version: 1, firstParagraph: 10, lastParagraph: 19, agenda: { items: [{ type: 'arende', lopnummer: '1/27', paragraph: 3 }] } },
    { type: 'reminder.sent', reminderId: 'kfn:m1:kallelse:anna:wd2@2027-01-01', recipientId: 'anna' },
    { type: 'reminder.sent', reminderId: 'kfn:m1:kallelse:anna:wd1@2027-01-02', recipientId: 'anna' },
    { type: 'justering.recorded', meetingId: 'm1', justerare: ['anna', 'bo'], dueDate: '2027-01-20' },
    { type: 'justering.signed', meetingId: 'm1', memberId: 'bo' },
  ];
  return payloads.map((p, i) => ({ id: `r${i}`, seq: i + 1, at: `2027-01-01T10:${String(i).padStart(2, '0')}:00.000Z`, actor: { via: 'slack' }, ...p }) as StoredEvent);
}

test.each([
  ['one record of each type', sampleEvents()],
  ['a history with indexes and shared agendas', richHistory()],
])('%s: after every record, the decoded state is the fold, and folds on as the fold does', (_, events) => {
  for (let n = 0; n <= events.length; n++) {
    const original = fold(events.slice(0, n));
    const decoded = roundTrip(original);
    expect(same(decoded, original)).toBe(true);
    fold(events.slice(n), original);
    fold(events.slice(n), decoded);
    expect(same(decoded, original)).toBe(true);
  }
});

test('the indexes of a decoded state point at its own objects', () => {
  const events = richHistory();
  const decoded = roundTrip(fold(events));
  const standing = activeDeclaration(decoded, 'm1', '1/27', 'anna')!;
  expect(standing.id).toBe('J3');
  expect(standing).toBe(decoded.declarations.get('J3'));
  expect(decoded.shadowedJav.get([...decoded.shadowedJav.keys()][0]!)![0]).toBe(decoded.declarations.get('J1'));
  expect(sameQuestion(decoded, 'm2', 'bo', 'HUR GÅR DET')).toBe(decoded.questions.get('F1'));
  expect(decoded.asksByForhinder.get('H1')).toEqual([decoded.ersattareAsks.get('A1'), decoded.ersattareAsks.get('A2')]);
  expect(decoded.asksByForhinder.get('H1')![1]).toBe(decoded.ersattareAsks.get('A2'));
  // Withdrawing the standing one lets the shadowed one stand again: identity is what the fold checks.
  applyEvent(decoded, { id: 'w', seq: events.length + 1, at: '2027-01-02T00:00:00.000Z', actor: { via: 'slack' }, type: 'jav.withdrawn', declarationId: 'J3' } as StoredEvent);
  expect(activeDeclaration(decoded, 'm1', '1/27', 'anna')?.id).toBe('J1');
  // Two drafts alike are written once, and decoded as one object.
  expect(decoded.agendaDrafts.get('m1')!.agenda).toBe(decoded.agendaDrafts.get('m2')!.agenda);
});

test('a state is kept exactly as it is, even where an index holds an object its map no longer does', () => {
  // Records from before duplicates were refused can leave such a state; it is folded on as it is.
  const state = fold(richHistory());
  const key = [...state.activeJav.keys()][0]!;
  const stray = { ...state.activeJav.get(key)! };
  state.activeJav.set(key, stray);
  const decoded = roundTrip(state);
  expect(same(decoded, state)).toBe(true);
  expect(decoded.activeJav.get(key)).not.toBe(decoded.declarations.get(stray.id));
});

test('bytes that are not a state are refused', () => {
  expect(() => decodeState(serialize({ version: 'x' }))).toThrow(/not a committee state snapshot/);
  const bytes = encodeState(fold(richHistory()));
  expect(() => decodeState(serialize({ ...deserialize(bytes), declarations: [] }))).toThrow(/declarations/);
  expect(() => decodeState(bytes.subarray(0, bytes.length >> 1))).toThrow();
});

test('the fold of the samples is unchanged; if this fails, bump the number in STATE_SNAPSHOT_FORMAT and then this hash', () => {
  // A snapshot written by an older fold would be read as a state of the new one: the format must change with it.
  const state = fold(sampleEvents());
  expect(decodeState(encodeState(state)).justering.has(NOV)).toBe(true);
  expect(STATE_SNAPSHOT_FORMAT).toMatch(/^committee-state\/3 v8 /);
  expect(createHash('sha256').update(canonical(state)).digest('hex')).toBe('2789c8ee5812cef419eed94d28583c731683cf6fe75c5dfd22e52e6a33b4da8e');
});

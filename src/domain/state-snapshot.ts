/**
 * A committee's folded state as JSON text and back: what the file store keeps in its snapshot
 * files, so that a start reads a snapshot and the records after it instead of every record
 * (src/store/file-store.ts).
 *
 * Decoding gives a state equal to the fold of the same records, including the objects the state
 * shares between its maps (a declaration standing in `activeJav` is the one in `declarations`):
 * V8's serialization keeps them shared, and reads back about three times faster than JSON.
 * Agenda models that are alike are written once (and shared, frozen, once decoded).
 *
 * `STATE_SNAPSHOT_FORMAT` names what a snapshot holds. It changes by itself when the state gets
 * or loses a field; bump its number when what a field holds changes (a new property of a
 * declaration, another meaning). A snapshot of another format is ignored and the state is folded
 * from the records again: a wrong number costs a slower start, never a wrong state.
 * test/domain/state-snapshot.test.ts fails when the fold of its sample records changes, as a
 * reminder.
 */
import { serialize, deserialize } from 'node:v8';
import { DoneReminders } from './done-reminders';
import { applyEvent, emptyState, type AgendaDraft, type CommitteeState } from './state';

export const STATE_SNAPSHOT_FORMAT = `committee-state/3 v8 ${Object.keys(emptyState()).sort().join(',')}`;

/** What is serialized: the state as it is, but for the reminders done as their ids (a class of its own). */
type StateData = Omit<CommitteeState, 'remindersDone'> & { remindersDone: string[] };

/** Deep-freezes an agenda that several drafts share. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The state as bytes (V8's serialization, which keeps Maps, Sets and objects shared between the
 * maps as they are). The live state is not changed.
 */
export function encodeState(state: CommitteeState): Buffer {
  // Alike agenda models once: a committee's drafts repeat most of their agenda.
  const agendas = new Map<string, Record<string, unknown>>();
  const agendaDrafts = new Map<string, AgendaDraft>();
  for (const [meetingId, draft] of state.agendaDrafts) {
    const text = JSON.stringify(draft.agenda);
    const agenda = agendas.get(text) ?? draft.agenda;
    agendas.set(text, agenda);
    agendaDrafts.set(meetingId, agenda === draft.agenda ? draft : { ...draft, agenda });
  }
  const data: StateData = { ...state, agendaDrafts, remindersDone: [...state.remindersDone.keys()] };
  return serialize(data);
}

function fail(what: string): never {
  throw new Error(`not a committee state snapshot: ${what}`);
}

/**
 * The state that `encodeState` wrote. Throws when the bytes are not such a state; a snapshot's
 * checksum and format are checked by the store before this.
 */
export function decodeState(bytes: Uint8Array): CommitteeState {
  const data = deserialize(bytes) as StateData;
  if (typeof data !== 'object' || data === null || !Number.isSafeInteger(data.version) || data.version < 0) fail('version');
  const state = emptyState();
  for (const key of Object.keys(state) as (keyof CommitteeState)[]) {
    if (key === 'remindersDone' || key === 'version') continue;
    const value: unknown = data[key];
    // By tag, not instanceof: what V8 deserializes comes from the main realm (not a test's vm context).
    const kind = Object.prototype.toString.call(value);
    if (kind !== Object.prototype.toString.call(state[key])) fail(key);
    const size = kind === '[object Array]' ? (value as unknown[]).length : (value as Map<unknown, unknown>).size;
    // Empty collections stay the shared empty ones emptyState gives (the fold makes its own on the first entry).
    if (size > 0) (state as unknown as Record<string, unknown>)[key] = value;
  }
  state.version = data.version;
  if (!Array.isArray(data.remindersDone)) fail('remindersDone');
  for (const id of data.remindersDone) state.remindersDone.add(id);
  for (const draft of state.agendaDrafts.values()) frozen(draft.agenda);
  state.meetingEdits = Object.freeze(state.meetingEdits);
  return state;
}

/** The committee state as a stream projection (the Store's `StreamProjection`): what the file store folds and snapshots. */
export const committeeStateFold = Object.freeze({
  format: STATE_SNAPSHOT_FORMAT,
  empty: emptyState,
  apply: applyEvent,
  encode: encodeState,
  decode: decodeState,
});

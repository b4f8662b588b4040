/**
 * The current state of a committee, folded from its events.
 *
 * `applyEvent` is the only place that knows what an event means. It mutates the state it is
 * given (the core keeps one projection per committee and feeds it new events as they arrive),
 * and is otherwise pure: same events in, same state out.
 */
import type { JavGround } from './jav';
import { isDeepStrictEqual } from 'node:util';
import type { EventPayload, NewEvent, StoredEvent, Via } from './records';
import type { Platform } from './committee';
import type { EngagementKind } from './interests';
import { DoneReminders, meetingOfReminder } from './done-reminders';
import { editPayload, type MeetingEdit } from './meeting-records';

export interface JavDeclaration {
  id: string;
  meetingId: string;
  lopnummer: string;
  memberId: string;
  ground: JavGround;
  motivation?: string;
  declaredAt: string;
  via: Via;
  withdrawnAt?: string;
}

export const QUESTION_STATUSES = ['anmäld', 'godkänd', 'avslagen', 'återkallad'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export interface OvrigFraga {
  id: string;
  meetingId: string;
  memberId: string;
  text: string;
  announcedAt: string;
  via: Via;
  late: boolean;
  status: QuestionStatus;
  declineReason?: string;
  /** Meetings it was moved from, oldest first. */
  movedFrom: string[];
}

export interface JusteringState {
  justerare: string[];
  dueDate: string;
  readyDate?: string;
  recordedAt: string;
  /** Member id → when they marked the protocol justerat. */
  signedAt: Record<string, string>;
  anslagPostedDate?: string;
}

export interface AgendaDraft {
  version: number;
  firstParagraph: number;
  lastParagraph: number;
  /**
   * The agenda as built (src/domain/agenda.ts `Agenda`), kept to show what changed next time;
   * once the meeting's anslag is recorded only its ärenden's § (`closeAgendaDraft`).
   */
  agenda: Record<string, unknown>;
  draftedAt: string;
}

/** A member cannot attend a meeting, or some of its ärenden. */
export interface Forhinder {
  id: string;
  meetingId: string;
  memberId: string;
  /** The ärenden it covers; empty for the whole meeting. */
  lopnummer: string[];
  reportedAt: string;
  via: Via;
  withdrawnAt?: string;
  /** When the chain ran out of ersättare to ask. */
  exhaustedAt?: string;
}

export const ASK_STATUSES = ['pending', 'accepted', 'declined', 'timedOut', 'released'] as const;
/** released: the förhinder was withdrawn, so the ersättare is not needed. */
export type AskStatus = (typeof ASK_STATUSES)[number];

/** One ersättare asked to serve for one förhinder. */
export interface ErsattareAsk {
  id: string;
  forhinderId: string;
  meetingId: string;
  /** The member whose place the ersättare would take. */
  memberId: string;
  ersattareId: string;
  /** The förhinder's ärenden; empty for the whole meeting. */
  lopnummer: string[];
  askedAt: string;
  deadline: string;
  status: AskStatus;
  answeredAt?: string;
  reason?: string;
}

/** Someone present at the meeting: a person in the committee file, or a name with befattning. */
export interface NarvaroRecord {
  personId?: string;
  name?: string;
  befattning?: string;
  /** Item keys; null: the whole meeting; empty: not present. */
  items: string[] | null;
}

export type BeslutOutcome = 'enligtForslag' | 'text' | 'aterremiss' | 'bordlaggning';
export type NoteKind = 'yrkande' | 'reservation' | 'protokollsanteckning';

export interface MemberNote {
  itemKey: string;
  kind: NoteKind;
  memberId: string;
  text?: string;
}

export interface ProtokollDraft {
  version: number;
  /** The model as built (src/domain/protokoll.ts `Protokoll`). */
  protokoll: Record<string, unknown>;
  draftedAt: string;
}

/** The meeting as it happened, as the secretary recorded it for the protokoll. */
export interface MeetingMinutes {
  /** By person key ("id:anna.berg" or "namn:angelica öhrn"), in the order first recorded. */
  narvaro: Map<string, NarvaroRecord>;
  /** By "ersättare>ledamot": the item keys served. */
  tjanstgoring: Map<string, { ersattareId: string; forMemberId: string; items: string[] }>;
  beslut: Map<string, { outcome: BeslutOutcome; text?: string }>;
  voteringar: Map<string, { ja: number; nej: number; avstar: number; text?: string }>;
  /** By "item kind member", in the order recorded. */
  notes: Map<string, MemberNote>;
  expedieras: Map<string, string[]>;
  beskrivning: Map<string, string>;
  /** Item keys kept out of the public version of the protokoll (besides the sekretess ones). */
  excluded: Set<string>;
  draft?: ProtokollDraft;
  /** The version last sent for justering, and to whom. */
  sent?: { version: number; recipients: string[]; at: string };
  comments: { memberId: string; text: string; at: string }[];
}

export function emptyMinutes(): MeetingMinutes {
  return { narvaro: new Map(), tjanstgoring: new Map(), beslut: new Map(), voteringar: new Map(), notes: new Map(), expedieras: new Map(), beskrivning: new Map(), excluded: new Set(), comments: [] };
}

/** The key a närvaro record is kept under: the person's id, or the name as typed. */
export function narvaroKey(r: Pick<NarvaroRecord, 'personId' | 'name'>): string {
  return r.personId ? `id:${r.personId}` : `namn:${(r.name ?? '').toLocaleLowerCase('sv')}`;
}

/** An engagement in a member's register of interests. */
export interface Interest {
  id: string;
  memberId: string;
  kind: EngagementKind;
  name: string;
  orgnr?: string;
  recordedAt: string;
  via: Via;
  removedAt?: string;
}

/**
 * A committee's records folded. The lookups (`activeJav`, `shadowedJav`, `questionsByText`,
 * `asksByForhinder`) hold meetings whose anslag is not recorded: what they find is what commands
 * on a meeting still to be held ask for (jäv and övriga frågor to a held meeting are refused).
 * A meeting's entries go when its anslag is recorded, so that the lookups, and a snapshot's
 * reading, do not grow with every meeting of every year; the records themselves stay.
 */
export interface CommitteeState {
  /** seq of the last applied event; 0 for none. */
  version: number;
  declarations: Map<string, JavDeclaration>;
  /** The standing declarations by meeting, ärende and member (`javKey`), to find one without a scan (open meetings). */
  activeJav: Map<string, JavDeclaration>;
  /**
   * Standing declarations that a later one for the same key (`javKey`) stands in front of, oldest
   * first. Only records made before duplicates were refused have any: when the one in `activeJav`
   * is withdrawn, the latest of these stands again, found without a scan of every declaration.
   */
  shadowedJav: Map<string, JavDeclaration[]>;
  questions: Map<string, OvrigFraga>;
  /**
   * The questions not withdrawn by meeting, member and text alike but for case and spacing
   * (`questionKey`), so a retry of the same question is found without a scan of every question
   * (open meetings).
   */
  questionsByText: Map<string, OvrigFraga>;
  justering: Map<string, JusteringState>;
  /**
   * Reminder ids that have been sent or deliberately dropped, for meetings still open: a
   * meeting's are forgotten once its anslag is recorded, as nothing is planned for it after that.
   */
  remindersDone: DoneReminders;
  /** "platform:userId" → member id, linked at run time by the secretary. */
  linkedIdentities: Map<string, string>;
  /** Meeting id → its latest agenda draft. */
  agendaDrafts: Map<string, AgendaDraft>;
  forhinder: Map<string, Forhinder>;
  ersattareAsks: Map<string, ErsattareAsk>;
  /**
   * The same asks by förhinder id, so that a withdrawn förhinder releases its own without a scan
   * of every ask (open meetings; a förhinder of a closed meeting finds its asks by a scan).
   */
  asksByForhinder: Map<string, ErsattareAsk[]>;
  interests: Map<string, Interest>;
  /** Keys of jäv hints already sent (src/domain/interests.ts hintKey). */
  javHintsSent: Set<string>;
  /** Meeting id → the meeting as it happened (närvaro, beslut, notes) and its protokoll drafts. */
  minutes: Map<string, MeetingMinutes>;
  /**
   * Meetings and ärenden recorded on top of the committee file, in order; replaced (never
   * changed) when one is added, so a view made from it can be kept (src/domain/meeting-records.ts).
   */
  meetingEdits: readonly MeetingEdit[];
}

/**
 * The empty map and set every new state starts with, shared: a scheduler holds the state of every
 * committee it serves, and most of a committee's collections stay empty. `applyEvent` gives a
 * state its own on the first entry; anything else that tries to write to them is refused.
 */
class NoEntriesMap<K, V> extends Map<K, V> {
  override set(): this {
    throw new TypeError('the shared empty map of a committee state cannot be written to');
  }
  override delete(): boolean {
    return false;
  }
  override clear(): void {}
}
class NoEntriesSet<T> extends Set<T> {
  override add(): this {
    throw new TypeError('the shared empty set of a committee state cannot be written to');
  }
  override delete(): boolean {
    return false;
  }
  override clear(): void {}
}
const NO_ENTRIES_MAP: Map<never, never> = new NoEntriesMap();
const NO_ENTRIES_SET: Set<never> = new NoEntriesSet();
const NO_EDITS: readonly MeetingEdit[] = Object.freeze([]);

type MapField = { [K in keyof CommitteeState]: CommitteeState[K] extends Map<string, unknown> ? K : never }[keyof CommitteeState];

/** The state's own map `field`, made on its first entry. */
function own<F extends MapField>(state: CommitteeState, field: F): CommitteeState[F] {
  if (state[field] === NO_ENTRIES_MAP) (state[field] as Map<string, unknown>) = new Map();
  return state[field];
}

export function emptyState(): CommitteeState {
  return {
    version: 0,
    declarations: NO_ENTRIES_MAP,
    activeJav: NO_ENTRIES_MAP,
    shadowedJav: NO_ENTRIES_MAP,
    questions: NO_ENTRIES_MAP,
    questionsByText: NO_ENTRIES_MAP,
    justering: NO_ENTRIES_MAP,
    remindersDone: new DoneReminders(),
    linkedIdentities: NO_ENTRIES_MAP,
    agendaDrafts: NO_ENTRIES_MAP,
    forhinder: NO_ENTRIES_MAP,
    ersattareAsks: NO_ENTRIES_MAP,
    asksByForhinder: NO_ENTRIES_MAP,
    interests: NO_ENTRIES_MAP,
    javHintsSent: NO_ENTRIES_SET,
    minutes: NO_ENTRIES_MAP,
    meetingEdits: NO_EDITS,
  };
}

export function identityKey(platform: Platform, platformUserId: string): string {
  return `${platform}:${platformUserId}`;
}

export function applyEvent(state: CommitteeState, e: StoredEvent): void {
  applyEventAt(state, e, e.seq);
}

/**
 * Folds a stream's records, handed over in order (the file store's
 * `onRecordsLoaded` as it opens), into the stream's state in `states`.
 */
export function foldInto(states: Map<string, CommitteeState>, stream: string, records: readonly StoredEvent[]): void {
  let state = states.get(stream);
  if (!state) states.set(stream, (state = emptyState()));
  for (const e of records) applyEvent(state, e);
}

/** The same for an event not yet stored, that will be stored at `seq` (the core's own, deciding a batch). */
export function applyEventAt(state: CommitteeState, e: NewEvent, seq: number): void {
  // Seqs rise; they may skip where the file store set a damaged line aside (a gap).
  if (seq <= state.version) {
    throw new Error(`events out of order: state at ${state.version}, got seq ${seq}`);
  }
  state.version = seq;
  switch (e.type) {
    case 'jav.declared': {
      const d: JavDeclaration = {
        id: e.declarationId,
        meetingId: e.meetingId,
        lopnummer: e.lopnummer,
        memberId: e.memberId,
        ground: e.ground,
        declaredAt: e.at,
        via: e.actor.via,
      };
      if (e.motivation) d.motivation = e.motivation;
      own(state, 'declarations').set(d.id, d);
      if (isClosed(state, d.meetingId)) break;
      const key = javKey(d.meetingId, d.lopnummer, d.memberId);
      const standing = state.activeJav.get(key);
      // (A declaration recorded again under its own id replaces itself; nothing to keep.)
      if (standing && standing.id !== d.id) {
        const shadowed = own(state, 'shadowedJav');
        shadowed.set(key, [...(shadowed.get(key) ?? []), standing]);
      }
      own(state, 'activeJav').set(key, d);
      break;
    }
    case 'jav.withdrawn': {
      const d = state.declarations.get(e.declarationId);
      if (d) {
        d.withdrawnAt = e.at;
        const key = javKey(d.meetingId, d.lopnummer, d.memberId);
        // Records made before duplicates were refused may hold another one for the key still standing.
        const shadowed = state.shadowedJav.get(key);
        if (state.activeJav.get(key) === d) {
          const next = shadowed?.pop();
          if (next) state.activeJav.set(key, next);
          else state.activeJav.delete(key);
        } else if (shadowed?.includes(d)) {
          shadowed.splice(shadowed.indexOf(d), 1);
        }
        if (shadowed?.length === 0) state.shadowedJav.delete(key);
      }
      break;
    }
    case 'fraga.announced': {
      const q: OvrigFraga = {
        id: e.questionId,
        meetingId: e.meetingId,
        memberId: e.memberId,
        text: e.text,
        announcedAt: e.at,
        via: e.actor.via,
        late: e.late,
        status: 'anmäld',
        movedFrom: [],
      };
      own(state, 'questions').set(e.questionId, q);
      indexQuestion(state, q);
      break;
    }
    case 'fraga.withdrawn': {
      const q = setQuestionStatus(state, e.questionId, 'återkallad');
      if (q) unindexQuestion(state, q);
      break;
    }
    case 'fraga.accepted':
      setQuestionStatus(state, e.questionId, 'godkänd');
      break;
    case 'fraga.declined': {
      const q = setQuestionStatus(state, e.questionId, 'avslagen');
      if (q) q.declineReason = e.reason;
      break;
    }
    case 'fraga.moved': {
      const q = state.questions.get(e.questionId);
      if (q) {
        unindexQuestion(state, q);
        q.movedFrom.push(q.meetingId);
        q.meetingId = e.toMeetingId;
        q.late = e.late;
        q.status = 'anmäld';
        indexQuestion(state, q);
      }
      break;
    }
    case 'justering.recorded': {
      const previous = state.justering.get(e.meetingId);
      own(state, 'justering').set(e.meetingId, {
        justerare: e.justerare,
        dueDate: e.dueDate,
        ...(e.readyDate ? { readyDate: e.readyDate } : {}),
        recordedAt: e.at,
        // Re-recording drops only the signatures of justerare taken off the list. The ordförande
        // signs without being on it (and the fold does not know the committee), so every other
        // signature stays: a new date alone changes no signature.
        signedAt: Object.fromEntries(
          Object.entries(previous?.signedAt ?? {}).filter(([id]) => e.justerare.includes(id) || !previous?.justerare.includes(id)),
        ),
        ...(previous?.anslagPostedDate ? { anslagPostedDate: previous.anslagPostedDate } : {}),
      });
      break;
    }
    case 'justering.signed': {
      const j = state.justering.get(e.meetingId);
      if (j && !j.signedAt[e.memberId]) j.signedAt[e.memberId] = e.at;
      break;
    }
    case 'anslag.recorded': {
      const j = state.justering.get(e.meetingId);
      if (j) {
        j.anslagPostedDate = e.postedDate;
        state.remindersDone.forgetMeeting(e.meetingId);
        closeAgendaDraft(state, e.meetingId);
        forgetLookups(state, e.meetingId);
      }
      break;
    }
    case 'reminder.sent':
    case 'reminder.dropped': {
      // One that went out as the anslag was recorded belongs to a closed meeting: nothing to keep.
      const meetingId = meetingOfReminder(e.reminderId);
      if (meetingId === undefined || !state.justering.get(meetingId)?.anslagPostedDate) state.remindersDone.add(e.reminderId);
      break;
    }
    case 'agenda.drafted':
      own(state, 'agendaDrafts').set(e.meetingId, { version: e.version, firstParagraph: e.firstParagraph, lastParagraph: e.lastParagraph, agenda: e.agenda, draftedAt: e.at });
      break;
    case 'identity.linked':
      own(state, 'linkedIdentities').set(identityKey(e.platform, e.platformUserId), e.memberId);
      break;
    case 'forhinder.reported':
      own(state, 'forhinder').set(e.forhinderId, { id: e.forhinderId, meetingId: e.meetingId, memberId: e.memberId, lopnummer: e.lopnummer, reportedAt: e.at, via: e.actor.via });
      break;
    case 'forhinder.withdrawn': {
      const f = state.forhinder.get(e.forhinderId);
      if (f && !f.withdrawnAt) {
        f.withdrawnAt = e.at;
        // The member is back: whoever was asked or had accepted is no longer needed.
        for (const a of asksOf(state, f)) {
          if (a.status === 'pending' || a.status === 'accepted') Object.assign(a, { status: 'released', answeredAt: e.at });
        }
      }
      break;
    }
    case 'ersattare.asked': {
      const f = state.forhinder.get(e.forhinderId);
      if (f) {
        const ask: ErsattareAsk = {
          id: e.askId,
          forhinderId: f.id,
          meetingId: f.meetingId,
          memberId: f.memberId,
          ersattareId: e.ersattareId,
          lopnummer: f.lopnummer,
          askedAt: e.at,
          deadline: e.deadline,
          status: 'pending',
        };
        own(state, 'ersattareAsks').set(e.askId, ask);
        if (isClosed(state, f.meetingId)) break;
        const byForhinder = own(state, 'asksByForhinder');
        byForhinder.set(f.id, [...(byForhinder.get(f.id) ?? []), ask]);
      }
      break;
    }
    case 'ersattare.accepted':
      answerAsk(state, e.askId, ['pending'], 'accepted', e.at);
      break;
    case 'ersattare.declined': {
      const a = answerAsk(state, e.askId, ['pending', 'accepted'], 'declined', e.at);
      if (a && e.reason) a.reason = e.reason;
      break;
    }
    case 'ersattare.timedOut':
      answerAsk(state, e.askId, ['pending'], 'timedOut', e.at);
      break;
    case 'ersattare.exhausted': {
      const f = state.forhinder.get(e.forhinderId);
      if (f) f.exhaustedAt = e.at;
      break;
    }
    case 'interest.recorded':
      own(state, 'interests').set(e.interestId, { id: e.interestId, memberId: e.memberId, kind: e.kind, name: e.name, ...(e.orgnr ? { orgnr: e.orgnr } : {}), recordedAt: e.at, via: e.actor.via });
      break;
    case 'interest.removed': {
      const i = state.interests.get(e.interestId);
      if (i && !i.removedAt) i.removedAt = e.at;
      break;
    }
    case 'javhint.sent':
      if (state.javHintsSent === NO_ENTRIES_SET && e.keys.length) state.javHintsSent = new Set();
      for (const k of e.keys) state.javHintsSent.add(k);
      break;
    case 'narvaro.recorded': {
      const r: NarvaroRecord = { items: e.items };
      if (e.personId) r.personId = e.personId;
      if (e.name) r.name = e.name;
      if (e.befattning) r.befattning = e.befattning;
      minutesOf(state, e.meetingId).narvaro.set(narvaroKey(r), r);
      break;
    }
    case 'tjanstgoring.recorded':
      minutesOf(state, e.meetingId).tjanstgoring.set(`${e.ersattareId}>${e.forMemberId}`, { ersattareId: e.ersattareId, forMemberId: e.forMemberId, items: e.items });
      break;
    case 'beslut.recorded':
      minutesOf(state, e.meetingId).beslut.set(e.itemKey, { outcome: e.outcome, ...(e.text ? { text: e.text } : {}) });
      break;
    case 'votering.recorded':
      minutesOf(state, e.meetingId).voteringar.set(e.itemKey, { ja: e.ja, nej: e.nej, avstar: e.avstar, ...(e.text ? { text: e.text } : {}) });
      break;
    case 'protokoll.noted': {
      const notes = minutesOf(state, e.meetingId).notes;
      const key = `${e.itemKey}\u0000${e.kind}\u0000${e.memberId}`;
      notes.delete(key);
      if (!e.removed) notes.set(key, { itemKey: e.itemKey, kind: e.kind, memberId: e.memberId, ...(e.text ? { text: e.text } : {}) });
      break;
    }
    case 'expediering.recorded':
      minutesOf(state, e.meetingId).expedieras.set(e.itemKey, e.recipients);
      break;
    case 'beskrivning.recorded':
      minutesOf(state, e.meetingId).beskrivning.set(e.itemKey, e.text);
      break;
    case 'protokoll.excluded': {
      const excluded = minutesOf(state, e.meetingId).excluded;
      if (e.excluded) excluded.add(e.itemKey);
      else excluded.delete(e.itemKey);
      break;
    }
    case 'protokoll.drafted':
      minutesOf(state, e.meetingId).draft = { version: e.version, protokoll: e.protokoll, draftedAt: e.at };
      break;
    case 'protokoll.sent':
      minutesOf(state, e.meetingId).sent = { version: e.version, recipients: e.recipients, at: e.at };
      break;
    case 'protokoll.commented':
      minutesOf(state, e.meetingId).comments.push({ memberId: e.memberId, text: e.text, at: e.at });
      break;
    case 'meeting.added':
    case 'item.added':
    case 'item.retitled':
    case 'item.moved':
    case 'item.removed':
    case 'item.sekretess':
    case 'items.imported':
      state.meetingEdits = Object.freeze([...state.meetingEdits, editPayload(e)]);
      break;
    default: {
      const never: never = e;
      throw new Error(`unknown event type ${(never as { type: string }).type}`);
    }
  }
}

/** The events about a meeting's minutes that set a value (a retry of one changes nothing). */
export type MinutesEvent = Extract<EventPayload, { type: 'narvaro.recorded' | 'tjanstgoring.recorded' | 'beslut.recorded' | 'votering.recorded' | 'protokoll.noted' | 'expediering.recorded' | 'beskrivning.recorded' }>;

/**
 * Whether recording `e` would change the meeting's minutes: it is folded into a copy of them and
 * the two compared, so this fold stays the one place that knows what an event means. False for
 * the same record again: a retry.
 */
export function changesMinutes(state: CommitteeState, e: MinutesEvent): boolean {
  const current = state.minutes.get(e.meetingId) ?? emptyMinutes();
  const copy: MeetingMinutes = {
    ...current,
    narvaro: new Map(current.narvaro),
    tjanstgoring: new Map(current.tjanstgoring),
    beslut: new Map(current.beslut),
    voteringar: new Map(current.voteringar),
    notes: new Map(current.notes),
    expedieras: new Map(current.expedieras),
    beskrivning: new Map(current.beskrivning),
  };
  const scratch = emptyState();
  scratch.minutes = new Map([[e.meetingId, copy]]);
  applyEventAt(scratch, { ...e, id: 'scratch', at: new Date(0).toISOString(), actor: { via: 'system' } } as NewEvent, 1);
  return !isDeepStrictEqual(copy, current);
}

/** Whether the meeting's anslag is recorded: nothing more is planned or asked for it. */
function isClosed(state: CommitteeState, meetingId: string): boolean {
  return state.justering.get(meetingId)?.anslagPostedDate !== undefined;
}

/** Takes a closed meeting out of the lookups (see `CommitteeState`); its records stay in their maps. */
function forgetLookups(state: CommitteeState, meetingId: string): void {
  for (const [key, d] of state.activeJav) if (d.meetingId === meetingId) state.activeJav.delete(key);
  for (const [key, ds] of state.shadowedJav) if (ds[0]?.meetingId === meetingId) state.shadowedJav.delete(key);
  for (const [key, q] of state.questionsByText) if (q.meetingId === meetingId) state.questionsByText.delete(key);
  for (const [key, asks] of state.asksByForhinder) if (asks[0]?.meetingId === meetingId) state.asksByForhinder.delete(key);
}

/** A förhinder's ersättare asks, in the order asked: by the lookup while its meeting is open, else by a scan. */
function asksOf(state: CommitteeState, f: Forhinder): readonly ErsattareAsk[] {
  if (!isClosed(state, f.meetingId)) return state.asksByForhinder.get(f.id) ?? [];
  return [...state.ersattareAsks.values()].filter((a) => a.forhinderId === f.id);
}

/**
 * Once a meeting's anslag is up no new agenda version follows: its draft keeps only the § of its
 * ärenden (what `draftParagraphs` reads), not the whole agenda, which would make the state grow
 * by an agenda with every meeting of every year.
 */
function closeAgendaDraft(state: CommitteeState, meetingId: string): void {
  const draft = state.agendaDrafts.get(meetingId);
  if (!draft || !Array.isArray(draft.agenda.items)) return;
  const items = (draft.agenda.items as { type?: unknown; lopnummer?: unknown; paragraph?: unknown }[])
    .filter((i) => i.type === 'arende' && typeof i.lopnummer === 'string' && typeof i.paragraph === 'number')
    .map((i) => ({ type: 'arende', lopnummer: i.lopnummer, paragraph: i.paragraph }));
  state.agendaDrafts.set(meetingId, { ...draft, agenda: { items } });
}

function minutesOf(state: CommitteeState, meetingId: string): MeetingMinutes {
  const all = own(state, 'minutes');
  let m = all.get(meetingId);
  if (!m) {
    m = emptyMinutes();
    all.set(meetingId, m);
  }
  return m;
}

function answerAsk(state: CommitteeState, askId: string, from: readonly AskStatus[], to: AskStatus, at: string): ErsattareAsk | undefined {
  const a = state.ersattareAsks.get(askId);
  if (!a || !from.includes(a.status)) return undefined;
  a.status = to;
  a.answeredAt = at;
  return a;
}

function setQuestionStatus(state: CommitteeState, id: string, status: QuestionStatus): OvrigFraga | undefined {
  const q = state.questions.get(id);
  if (q) q.status = status;
  return q;
}

/** The key of `questionsByText`: meeting, member and the text alike but for case, spacing and a closing mark. */
export function questionKey(meetingId: string, memberId: string, text: string): string {
  const normalised = text.toLocaleLowerCase('sv').replace(/\s+/g, ' ').replace(/[\s?.!]+$/, '').trim();
  return `${meetingId}\u0000${memberId}\u0000${normalised}`;
}

/** The first standing question with a key keeps it, as the one a retry is answered with. */
function indexQuestion(state: CommitteeState, q: OvrigFraga): void {
  if (isClosed(state, q.meetingId)) return;
  const key = questionKey(q.meetingId, q.memberId, q.text);
  const index = own(state, 'questionsByText');
  if (!index.has(key)) index.set(key, q);
}

function unindexQuestion(state: CommitteeState, q: OvrigFraga): void {
  const key = questionKey(q.meetingId, q.memberId, q.text);
  if (state.questionsByText.get(key) === q) state.questionsByText.delete(key);
}

/** The member's question to a meeting with the same text (a retry), if one stands. */
export function sameQuestion(state: CommitteeState, meetingId: string, memberId: string, text: string): OvrigFraga | undefined {
  return state.questionsByText.get(questionKey(meetingId, memberId, text));
}

export function javKey(meetingId: string, lopnummer: string, memberId: string): string {
  return `${meetingId}\u0000${lopnummer}\u0000${memberId}`;
}

/** The member's standing declaration in an ärende of a meeting, if any. */
export function activeDeclaration(state: CommitteeState, meetingId: string, lopnummer: string, memberId: string): JavDeclaration | undefined {
  return state.activeJav.get(javKey(meetingId, lopnummer, memberId));
}

export function isActive(d: JavDeclaration): boolean {
  return d.withdrawnAt === undefined;
}

/** Declarations still standing for a meeting. */
export function activeDeclarations(state: CommitteeState, meetingId: string): JavDeclaration[] {
  return [...state.declarations.values()].filter((d) => d.meetingId === meetingId && isActive(d));
}

/** Questions for a meeting that have not been withdrawn or moved away. */
export function questionsFor(state: CommitteeState, meetingId: string): OvrigFraga[] {
  return [...state.questions.values()].filter((q) => q.meetingId === meetingId && q.status !== 'återkallad');
}

/** Förhinder still standing for a meeting. */
export function activeForhinder(state: CommitteeState, meetingId: string): Forhinder[] {
  return [...state.forhinder.values()].filter((f) => f.meetingId === meetingId && f.withdrawnAt === undefined);
}

/** A member's engagements, removed ones left out. */
export function interestsOf(state: CommitteeState, memberId: string): Interest[] {
  return [...state.interests.values()].filter((i) => i.memberId === memberId && i.removedAt === undefined);
}

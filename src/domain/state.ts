/**
 * The current state of a committee, folded from its events.
 *
 * `applyEvent` is the only place that knows what an event means. It mutates the state it is
 * given (the core keeps one projection per committee and feeds it new events as they arrive),
 * and is otherwise pure: same events in, same state out.
 */
import type { JavGround } from './jav';
import type { StoredEvent, Via } from './records';
import type { Platform } from './committee';

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
  /** The agenda as built (src/domain/agenda.ts `Agenda`), kept to show what changed next time. */
  agenda: Record<string, unknown>;
  draftedAt: string;
}

export interface CommitteeState {
  /** seq of the last applied event; 0 for none. */
  version: number;
  declarations: Map<string, JavDeclaration>;
  questions: Map<string, OvrigFraga>;
  justering: Map<string, JusteringState>;
  /** Reminder ids that have been sent or deliberately dropped. */
  remindersDone: Set<string>;
  /** "platform:userId" → member id, linked at run time by the secretary. */
  linkedIdentities: Map<string, string>;
  /** Meeting id → its latest agenda draft. */
  agendaDrafts: Map<string, AgendaDraft>;
}

export function emptyState(): CommitteeState {
  return {
    version: 0,
    declarations: new Map(),
    questions: new Map(),
    justering: new Map(),
    remindersDone: new Set(),
    linkedIdentities: new Map(),
    agendaDrafts: new Map(),
  };
}

export function identityKey(platform: Platform, platformUserId: string): string {
  return `${platform}:${platformUserId}`;
}

export function applyEvent(state: CommitteeState, e: StoredEvent): void {
  if (e.seq !== state.version + 1) {
    throw new Error(`events out of order: state at ${state.version}, got seq ${e.seq}`);
  }
  state.version = e.seq;
  switch (e.type) {
    case 'jav.declared':
      state.declarations.set(e.declarationId, {
        id: e.declarationId,
        meetingId: e.meetingId,
        lopnummer: e.lopnummer,
        memberId: e.memberId,
        ground: e.ground,
        ...(e.motivation ? { motivation: e.motivation } : {}),
        declaredAt: e.at,
        via: e.actor.via,
      });
      break;
    case 'jav.withdrawn': {
      const d = state.declarations.get(e.declarationId);
      if (d) d.withdrawnAt = e.at;
      break;
    }
    case 'fraga.announced':
      state.questions.set(e.questionId, {
        id: e.questionId,
        meetingId: e.meetingId,
        memberId: e.memberId,
        text: e.text,
        announcedAt: e.at,
        via: e.actor.via,
        late: e.late,
        status: 'anmäld',
        movedFrom: [],
      });
      break;
    case 'fraga.withdrawn':
      setQuestionStatus(state, e.questionId, 'återkallad');
      break;
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
        q.movedFrom.push(q.meetingId);
        q.meetingId = e.toMeetingId;
        q.late = e.late;
        q.status = 'anmäld';
      }
      break;
    }
    case 'justering.recorded': {
      const previous = state.justering.get(e.meetingId);
      state.justering.set(e.meetingId, {
        justerare: e.justerare,
        dueDate: e.dueDate,
        ...(e.readyDate ? { readyDate: e.readyDate } : {}),
        recordedAt: e.at,
        // Re-recording keeps the signatures of justerare who are still on the list.
        signedAt: Object.fromEntries(Object.entries(previous?.signedAt ?? {}).filter(([id]) => e.justerare.includes(id))),
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
      if (j) j.anslagPostedDate = e.postedDate;
      break;
    }
    case 'reminder.sent':
    case 'reminder.dropped':
      state.remindersDone.add(e.reminderId);
      break;
    case 'agenda.drafted':
      state.agendaDrafts.set(e.meetingId, { version: e.version, firstParagraph: e.firstParagraph, lastParagraph: e.lastParagraph, agenda: e.agenda, draftedAt: e.at });
      break;
    case 'identity.linked':
      state.linkedIdentities.set(identityKey(e.platform, e.platformUserId), e.memberId);
      break;
  }
}

function setQuestionStatus(state: CommitteeState, id: string, status: QuestionStatus): OvrigFraga | undefined {
  const q = state.questions.get(id);
  if (q) q.status = status;
  return q;
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

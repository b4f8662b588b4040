/**
 * Retention (gallring): removing personal data that is not a public record, once nobody needs it.
 *
 * A meeting is closed when its överklagandetid is over and the retention period has passed too:
 * today > last day for överklagande + NAMNDBOT_RETENTION_DAYS. The last day for överklagande
 * counts from the recorded anslag; without one, from the latest day the anslag could lawfully
 * have been posted (justering by its last day, anslag two days later), so a missing record never
 * shortens the time.
 *
 * Kept whole, always (allmänna handlingar the committee must keep, see docs/it/operations.md):
 * jäv declarations and withdrawals, övriga frågor and the secretary's decisions on them,
 * justering and anslag, agenda drafts, meetings and ärenden recorded in chat or imported, and
 * the protokoll: närvaro, tjänstgöring, beslut, votering, yrkanden, reservationer and
 * protokollsanteckningar, expediering, ärendebeskrivningar, drafts and their sending.
 *
 * Redacted in closed meetings (the bot's own working data about people):
 * - jäv hints sent (who got a hint, and the match keys from their register of interests);
 * - reminders sent or dropped (the recipient, also inside the reminder id; the reason's detail);
 * - förhinder, ersättare asks and answers (who could not come, who was asked, declines' reasons);
 * - comments on a protokoll draft (who wrote, and the free text: a working note to the
 *   secretary, whose outcome is the justerat protokoll).
 *
 * Every switch over event types here names every type and ends in `unreachable`: a new event
 * type does not compile until it is decided here whether it is a public record or goes.
 *
 * Redacted whatever the meeting, once older than the period:
 * - the register of interests of people no longer in the committee file, and engagements a
 *   member removed;
 * - account links (identity.linked) of people no longer in the committee file.
 *
 * Values deleted: what adapters keep about a person (src/core/adapter-state.ts: Teams
 * conversation references and addresses) when the platform id is nobody's in any committee
 * (file or link), and reminder retry counters of closed meetings.
 *
 * A redacted record keeps its seq, id, type, time and channel, and every field the state fold
 * needs, so the stream, its projection and the export still line up; personal fields read
 * "(gallrad)" and the actor's member id is removed. Redacting twice changes nothing.
 */
import { readPersonalKey } from '../core/adapter-state';
import { everyone, fileIdentities, findMember, PLATFORMS, type Committee } from '../domain/committee';
import type { Clock } from '../domain/clock';
import { anslagDue, justeringDue, overklagandeLastDay } from '../domain/deadlines';
import type { EventOf, EventType, StoredEvent } from '../domain/records';
import { applyEvent, emptyState, identityKey, type CommitteeState } from '../domain/state';
import { addCalendarDays, stockholmDate } from '../domain/time';
import { unreachable } from '../domain/unreachable';
import type { Store } from '../store/store';

/** What a removed personal field reads afterwards. */
export const GALLRAD = '(gallrad)';

/**
 * The records kept whole, always: allmänna handlingar (see the header). A new event type is
 * either listed here or handled in the switches of `planRetention` and `redacted`, which the
 * compiler checks to the end.
 */
export const PUBLIC_RECORDS = [
  'jav.declared', 'jav.withdrawn',
  'fraga.announced', 'fraga.withdrawn', 'fraga.accepted', 'fraga.declined', 'fraga.moved',
  'justering.recorded', 'justering.signed', 'anslag.recorded', 'agenda.drafted',
  'meeting.added', 'item.added', 'item.retitled', 'item.moved', 'item.removed', 'item.sekretess', 'items.imported',
  'narvaro.recorded', 'tjanstgoring.recorded', 'beslut.recorded', 'votering.recorded', 'protokoll.noted',
  'expediering.recorded', 'beskrivning.recorded', 'protokoll.excluded', 'protokoll.drafted', 'protokoll.sent',
] as const satisfies readonly EventType[];
type PublicRecord = EventOf<(typeof PUBLIC_RECORDS)[number]>;

export function isPublicRecord(e: StoredEvent): e is PublicRecord {
  return (PUBLIC_RECORDS as readonly string[]).includes(e.type);
}

export const REMINDER_RETRY_PREFIX = 'reminder-retry:';

/** The last day for överklagande of a meeting, as the records show it (see the header). */
export function appealEnds(committee: Committee, state: CommitteeState, meetingId: string, fallbackDate?: string): string | undefined {
  const j = state.justering.get(meetingId);
  if (j?.anslagPostedDate) return overklagandeLastDay(j.anslagPostedDate).date;
  const meeting = committee.meetings.find((m) => m.id === meetingId);
  const date = meeting?.date ?? fallbackDate;
  if (!date) return undefined;
  const justering = j?.dueDate ?? justeringDue(date, meeting?.justeringDate).date;
  return overklagandeLastDay(anslagDue(justering).date).date;
}

export interface RetentionPlan {
  committeeId: string;
  /** Redacted copies of the records to replace (only those that change). */
  redactions: StoredEvent[];
  /** Records redacted, by event type. */
  counts: Record<string, number>;
  /** Meetings whose personal data may go. */
  closedMeetings: string[];
}

/**
 * Pure: which of a committee's records to redact on `today` (YYYY-MM-DD, Stockholm) with a
 * period of `days`. The events are the whole stream, oldest first.
 */
export function planRetention(committee: Committee, events: readonly StoredEvent[], today: string, days: number): RetentionPlan {
  const state = emptyState();
  for (const e of events) applyEvent(state, e);
  const cutoff = addCalendarDays(today, -days);

  // Meetings: those of the committee file, and any a record names that the file no longer has
  // (its date taken as that of the latest record about it: later than the real one, so safe).
  const lastSeen = new Map<string, string>();
  const meetingOf = meetingResolver(state);
  for (const e of events) {
    const m = meetingOf(e);
    if (m) lastSeen.set(m, stockholmDate(new Date(e.at)));
  }
  const closed = new Set<string>();
  for (const id of new Set([...committee.meetings.map((m) => m.id), ...lastSeen.keys()])) {
    const ends = appealEnds(committee, state, id, lastSeen.get(id));
    if (ends !== undefined && today > addCalendarDays(ends, days)) closed.add(id);
  }

  // When each engagement was removed, to age removed ones.
  const interestRemovedAt = new Map<string, string>();
  const interestOwner = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'interest.recorded') interestOwner.set(e.interestId, e.memberId);
    if (e.type === 'interest.removed') interestRemovedAt.set(e.interestId, stockholmDate(new Date(e.at)));
  }
  const inFile = (memberId: string) => findMember(committee, memberId) !== undefined;
  const old = (e: StoredEvent) => stockholmDate(new Date(e.at)) < cutoff;
  const interestGoes = (interestId: string, e: StoredEvent) => {
    const owner = interestOwner.get(interestId);
    const removed = interestRemovedAt.get(interestId);
    if (removed !== undefined) return removed < cutoff;
    return owner !== undefined && !inFile(owner) && old(e);
  };

  const redactions: StoredEvent[] = [];
  const counts: Record<string, number> = {};
  for (const e of events) {
    if (isPublicRecord(e)) continue;
    const meeting = meetingOf(e);
    let goes: boolean;
    switch (e.type) {
      case 'javhint.sent':
      case 'reminder.sent':
      case 'reminder.dropped':
      case 'forhinder.reported':
      case 'forhinder.withdrawn':
      case 'ersattare.asked':
      case 'ersattare.accepted':
      case 'ersattare.declined':
      case 'ersattare.timedOut':
      case 'ersattare.exhausted':
      case 'protokoll.commented':
        goes = meeting !== undefined && closed.has(meeting);
        break;
      case 'interest.recorded':
      case 'interest.removed':
        goes = interestGoes(e.interestId, e);
        break;
      case 'identity.linked':
        goes = !inFile(e.memberId) && old(e);
        break;
      default:
        return unreachable(e);
    }
    if (!goes) continue;
    const r = redacted(e);
    if (JSON.stringify(r) === JSON.stringify(e)) continue;
    redactions.push(r);
    counts[e.type] = (counts[e.type] ?? 0) + 1;
  }
  return { committeeId: committee.id, redactions, counts, closedMeetings: [...closed].sort() };
}

/** The meeting a record belongs to, following ids back to the förhinder or ask they act on. */
function meetingResolver(state: CommitteeState): (e: StoredEvent) => string | undefined {
  const forhinderMeeting = (id: string) => state.forhinder.get(id)?.meetingId;
  const askMeeting = (id: string) => state.ersattareAsks.get(id)?.meetingId;
  const declarationMeeting = (id: string) => state.declarations.get(id)?.meetingId;
  const questionMeeting = (id: string) => state.questions.get(id)?.meetingId;
  return (e) => {
    if ('meetingId' in e) return e.meetingId;
    switch (e.type) {
      case 'fraga.moved':
        return e.toMeetingId;
      case 'jav.withdrawn':
        return declarationMeeting(e.declarationId);
      case 'fraga.withdrawn':
      case 'fraga.accepted':
      case 'fraga.declined':
        return questionMeeting(e.questionId);
      case 'reminder.sent':
      case 'reminder.dropped':
        return reminderParts(e.reminderId)?.meetingId;
      case 'forhinder.withdrawn':
      case 'ersattare.exhausted':
        return forhinderMeeting(e.forhinderId);
      case 'ersattare.asked':
        return forhinderMeeting(e.forhinderId);
      case 'ersattare.accepted':
      case 'ersattare.declined':
      case 'ersattare.timedOut':
        return askMeeting(e.askId);
      case 'interest.recorded':
      case 'interest.removed':
      case 'identity.linked':
        // About a person, not a meeting: aged on their own (see planRetention).
        return undefined;
      default:
        return unreachable(e);
    }
  };
}

/** "committee:meeting:kind:recipient:offset" (src/domain/plan.ts); no part holds a colon. */
export function reminderParts(reminderId: string): { committeeId: string; meetingId: string; kind: string; recipientId: string; offset: string } | undefined {
  const parts = reminderId.split(':');
  if (parts.length < 5) return undefined;
  const [committeeId, meetingId, kind, recipientId, ...offset] = parts as [string, string, string, string, ...string[]];
  return { committeeId, meetingId, kind, recipientId, offset: offset.join(':') };
}

function redactedReminderId(reminderId: string): string {
  const p = reminderParts(reminderId);
  return p ? [p.committeeId, p.meetingId, p.kind, GALLRAD, p.offset].join(':') : GALLRAD;
}

/** The record with its personal fields removed; same seq, id, type, time and channel. */
export function redacted(e: StoredEvent): StoredEvent {
  if (isPublicRecord(e)) throw new RangeError(`${e.type} is a public record and is not redacted`);
  const actor = { via: e.actor.via };
  switch (e.type) {
    case 'javhint.sent':
      return { ...e, actor, memberId: GALLRAD, keys: [] };
    case 'reminder.sent':
      return { ...e, actor, reminderId: redactedReminderId(e.reminderId), recipientId: GALLRAD };
    case 'reminder.dropped':
      // "unreachable: <why, about the person>" keeps only its kind.
      return { ...e, actor, reminderId: redactedReminderId(e.reminderId), reason: e.reason.split(':')[0]! };
    case 'forhinder.reported':
      return { ...e, actor, memberId: GALLRAD };
    case 'ersattare.asked':
      return { ...e, actor, ersattareId: GALLRAD };
    case 'ersattare.declined': {
      const { reason: _reason, ...rest } = e;
      return { ...rest, actor };
    }
    case 'interest.recorded': {
      const { orgnr: _orgnr, ...rest } = e;
      return { ...rest, actor, memberId: GALLRAD, name: GALLRAD };
    }
    case 'identity.linked':
      return { ...e, actor, memberId: GALLRAD, platformUserId: GALLRAD };
    case 'protokoll.commented':
      return { ...e, actor, memberId: GALLRAD, text: GALLRAD };
    case 'forhinder.withdrawn':
    case 'ersattare.accepted':
    case 'ersattare.timedOut':
    case 'ersattare.exhausted':
    case 'interest.removed':
      // Personal only through whose record they act on, which is redacted itself; the actor goes.
      return { ...e, actor };
    default:
      return unreachable(e);
  }
}

export interface RetentionReport {
  days: number;
  today: string;
  committees: { committeeId: string; closedMeetings: string[]; counts: Record<string, number>; redacted: number }[];
  /** Value keys deleted (or that would be, in a dry run), by kind. */
  valuesDeleted: { adapterValues: number; reminderRetries: number };
  /** Streams in the Store whose committee is not configured: left alone. */
  unknownStreams: string[];
  dryRun: boolean;
}

export interface RetentionOptions {
  store: Store;
  committees: readonly Committee[];
  clock: Clock;
  days: number;
  /** Work out and report, change nothing. */
  dryRun?: boolean;
  logger?: { info(obj: object, msg: string): void };
}

/** One retention pass over every committee's records and the stored values. */
export async function runRetention(options: RetentionOptions): Promise<RetentionReport> {
  const { store, committees, days } = options;
  const today = stockholmDate(options.clock.now());
  const report: RetentionReport = { days, today, committees: [], valuesDeleted: { adapterValues: 0, reminderRetries: 0 }, unknownStreams: [], dryRun: Boolean(options.dryRun) };
  const configured = new Set(committees.map((c) => c.id));
  report.unknownStreams = (await store.listStreams()).filter((s) => !configured.has(s));

  // Platform ids ("<platform>:<id>") that still belong to someone in a committee: from the files and from links.
  const inUse = new Set<string>();
  // Per committee its closed meetings, and nothing more: the pass folds every committee's whole
  // history, and a state kept to the end of it would be one more state per committee in memory.
  const closedByCommittee = new Map<string, Set<string>>();
  for (const committee of committees) {
    const events = await store.readEvents(committee.id, 0);
    const plan = planRetention(committee, events, today, days);
    if (plan.redactions.length && !options.dryRun) await store.redact(committee.id, plan.redactions);
    report.committees.push({ committeeId: committee.id, closedMeetings: plan.closedMeetings, counts: plan.counts, redacted: plan.redactions.length });
    options.logger?.info({ committeeId: committee.id, closedMeetings: plan.closedMeetings.length, redacted: plan.redactions.length, dryRun: report.dryRun }, 'retention');

    const byId = new Map(plan.redactions.map((r) => [r.seq, r]));
    const state = emptyState();
    for (const e of events) applyEvent(state, byId.get(e.seq) ?? e);
    for (const m of everyone(committee)) for (const i of fileIdentities(m)) inUse.add(identityKey(i.platform, i.platformUserId));
    for (const [key, memberId] of state.linkedIdentities) if (findMember(committee, memberId)) inUse.add(key);
    closedByCommittee.set(committee.id, new Set(plan.closedMeetings));
  }

  for (const platform of PLATFORMS) {
    for (const key of await store.valueKeys(`${platform}:`)) {
      const value = readPersonalKey(key);
      if (!value || inUse.has(identityKey(platform, value.platformUserId))) continue;
      if (!options.dryRun) await store.deleteValue(key);
      report.valuesDeleted.adapterValues++;
    }
  }
  for (const key of await store.valueKeys(REMINDER_RETRY_PREFIX)) {
    const p = reminderParts(key.slice(REMINDER_RETRY_PREFIX.length));
    if (!p || !closedByCommittee.get(p.committeeId)?.has(p.meetingId)) continue;
    if (!options.dryRun) await store.deleteValue(key);
    report.valuesDeleted.reminderRetries++;
  }
  options.logger?.info({ ...report.valuesDeleted, dryRun: report.dryRun }, 'retention values');
  return report;
}

/**
 * Runs retention now and then every `intervalMs` (default a day) until stopped, in server mode.
 * A pass never overlaps another; a failed pass is logged and tried again at the next interval.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly options: RetentionOptions & { intervalMs?: number; logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void } },
  ) {}

  /** The first pass; resolves when it is done (the server starts after it). */
  async start(): Promise<void> {
    await this.pass();
    this.timer = setInterval(() => void this.pass(), this.options.intervalMs ?? 24 * 3600_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private pass(): Promise<unknown> {
    this.running ??= runRetention(this.options)
      .catch((err: unknown) => this.options.logger.error({ err: err instanceof Error ? err.name : 'error' }, 'retention failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

/**
 * Everything Nämndbot keeps about one person, for a request under GDPR article 15
 * (registerutdrag): `namndbot member export <id>`.
 *
 * Per committee: the person's entry in the committee file, every record they made or that
 * concerns them (as stored, with seq, time and channel), and the same read as state: jäv
 * declarations, övriga frågor, justering, förhinder, ersättare asks (theirs and those for their
 * förhinder), their register of interests (removed engagements too), account links. Besides:
 * what the chat adapters keep for reaching them (src/core/adapter-state.ts: on Teams, the
 * conversation reference and address), and reminder retry counters of reminders to them.
 *
 * A record "concerns" a person when it names them (member, recipient, ersättare, justerare,
 * närvaro, handläggare or föredragande of an ärende, author of a yrkande or a comment) or acts on
 * something of theirs (withdrawing their declaration, deciding their question, answering an ask
 * made to them or for their förhinder). The switch names every event type and ends in
 * `unreachable`, so a new event type does not compile until it is decided here whom it concerns.
 */
import { readPersonalKey } from '../core/adapter-state';
import { fileIdentities, PLATFORMS, type Committee, type Item, type Member } from '../domain/committee';
import type { StoredEvent } from '../domain/records';
import { unreachable } from '../domain/unreachable';
import { applyEvent, emptyState, type CommitteeState } from '../domain/state';
import type { Store } from '../store/store';
import { reminderParts, REMINDER_RETRY_PREFIX } from './retention';

export interface CommitteePart {
  nämnd: { id: string; namn: string };
  /** The entry in the committee file; null when they are no longer in it. */
  nämndfilen: Member | null;
  jäv: unknown[];
  övrigaFrågor: unknown[];
  justering: unknown[];
  förhinder: unknown[];
  ersättarförfrågningar: unknown[];
  intressen: unknown[];
  kontokopplingar: { plattform: string; id: string }[];
  /** The stored records themselves, oldest first. */
  poster: StoredEvent[];
}

export interface MemberData {
  id: string;
  exporteradVid: string;
  nämnder: CommitteePart[];
  /**
   * What the chat adapters keep for reaching them: per platform, per platform id, per kind
   * (Teams: `ref`, the conversation reference; `member`, the address for opening one).
   */
  plattformsuppgifter: Record<string, Record<string, Record<string, unknown>>>;
  /** Reminder retry counters of reminders to them, by key. */
  påminnelseförsök: Record<string, unknown>;
}

/** Pure: one committee's part, or undefined when the person is neither in its file nor in its records. */
export function memberPart(committee: Committee, events: readonly StoredEvent[], memberId: string): CommitteePart | undefined {
  const state = emptyState();
  const own = new Set<string>();
  const concerns = (e: StoredEvent, s: CommitteeState): boolean => {
    if (e.actor.memberId === memberId) return true;
    switch (e.type) {
      case 'jav.declared':
      case 'fraga.announced':
      case 'justering.signed':
      case 'identity.linked':
      case 'forhinder.reported':
      case 'interest.recorded':
      case 'javhint.sent':
        return e.memberId === memberId;
      case 'jav.withdrawn':
        return s.declarations.get(e.declarationId)?.memberId === memberId;
      case 'fraga.withdrawn':
      case 'fraga.accepted':
      case 'fraga.declined':
      case 'fraga.moved':
        return s.questions.get(e.questionId)?.memberId === memberId;
      case 'justering.recorded':
        return e.justerare.includes(memberId);
      case 'reminder.sent':
        return e.recipientId === memberId;
      case 'reminder.dropped':
        return reminderParts(e.reminderId)?.recipientId === memberId;
      case 'forhinder.withdrawn':
      case 'ersattare.exhausted':
        return s.forhinder.get(e.forhinderId)?.memberId === memberId;
      case 'ersattare.asked':
        return e.ersattareId === memberId || s.forhinder.get(e.forhinderId)?.memberId === memberId;
      case 'ersattare.accepted':
      case 'ersattare.declined':
      case 'ersattare.timedOut': {
        const a = s.ersattareAsks.get(e.askId);
        return a !== undefined && (a.ersattareId === memberId || a.memberId === memberId);
      }
      case 'interest.removed':
        return s.interests.get(e.interestId)?.memberId === memberId;
      case 'protokoll.noted':
      case 'protokoll.commented':
        return e.memberId === memberId;
      case 'narvaro.recorded':
        return e.personId === memberId;
      case 'tjanstgoring.recorded':
        return e.ersattareId === memberId || e.forMemberId === memberId;
      case 'protokoll.sent':
        return e.recipients.includes(memberId);
      case 'item.added':
        return names(e.item);
      case 'items.imported':
        return e.items.some(names);
      case 'anslag.recorded':
      case 'agenda.drafted':
      case 'meeting.added':
      case 'item.retitled':
      case 'item.moved':
      case 'item.removed':
      case 'item.sekretess':
      case 'beslut.recorded':
      case 'votering.recorded':
      case 'expediering.recorded':
      case 'beskrivning.recorded':
      case 'protokoll.excluded':
      case 'protokoll.drafted':
        // About no one in particular: theirs only when they made it (the actor, above).
        return false;
      default:
        return unreachable(e);
    }
  };
  const names = (item: Item): boolean => [item.handlaggare, item.foredragande].some((ref) => ref === memberId || (Array.isArray(ref) && ref.includes(memberId)));
  const poster: StoredEvent[] = [];
  for (const e of events) {
    // Applied first where the record itself says whose it is, after where it refers back.
    if (concerns(e, state)) poster.push(e);
    applyEvent(state, e);
    if (e.type === 'interest.recorded' && e.memberId === memberId) own.add(e.interestId);
  }
  const entry = committee.members.find((m) => m.id === memberId) ?? null;
  if (!entry && poster.length === 0) return undefined;
  const mine = <T extends { memberId: string }>(xs: Iterable<T>) => [...xs].filter((x) => x.memberId === memberId);
  return {
    nämnd: { id: committee.id, namn: committee.name },
    nämndfilen: entry,
    jäv: mine(state.declarations.values()),
    övrigaFrågor: mine(state.questions.values()),
    justering: [...state.justering].filter(([, j]) => j.justerare.includes(memberId)).map(([meetingId, j]) => ({ meetingId, dueDate: j.dueDate, justeratVid: j.signedAt[memberId] ?? null })),
    förhinder: mine(state.forhinder.values()),
    ersättarförfrågningar: [...state.ersattareAsks.values()].filter((a) => a.ersattareId === memberId || a.memberId === memberId),
    intressen: [...state.interests.values()].filter((i) => own.has(i.id)),
    kontokopplingar: [...state.linkedIdentities]
      .filter(([, m]) => m === memberId)
      .map(([key]) => ({ plattform: key.slice(0, key.indexOf(':')), id: key.slice(key.indexOf(':') + 1) })),
    poster,
  };
}

/** Reads the Store: undefined when nothing at all is known about `memberId`. */
export async function exportMember(store: Store, committees: readonly Committee[], memberId: string, now: Date): Promise<MemberData | undefined> {
  const nämnder: CommitteePart[] = [];
  for (const committee of committees) {
    const part = memberPart(committee, await store.readEvents(committee.id, 0), memberId);
    if (part) nämnder.push(part);
  }
  if (nämnder.length === 0) return undefined;
  const accounts = new Set<string>();
  for (const part of nämnder) {
    for (const i of part.nämndfilen ? fileIdentities(part.nämndfilen) : []) accounts.add(`${i.platform}:${i.platformUserId}`);
    for (const k of part.kontokopplingar) accounts.add(`${k.plattform}:${k.id}`);
  }
  const plattformsuppgifter: MemberData['plattformsuppgifter'] = {};
  for (const platform of PLATFORMS) {
    for (const key of (await store.valueKeys(`${platform}:`)).sort()) {
      const v = readPersonalKey(key);
      if (!v || !accounts.has(`${platform}:${v.platformUserId}`)) continue;
      ((plattformsuppgifter[platform] ??= {})[v.platformUserId] ??= {})[v.kind] = await store.getValue(key);
    }
  }
  const påminnelseförsök: Record<string, unknown> = {};
  for (const key of await store.valueKeys(REMINDER_RETRY_PREFIX)) {
    if (reminderParts(key.slice(REMINDER_RETRY_PREFIX.length))?.recipientId === memberId) påminnelseförsök[key] = await store.getValue(key);
  }
  return { id: memberId, exporteradVid: now.toISOString(), nämnder, plattformsuppgifter, påminnelseförsök };
}

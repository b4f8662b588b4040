/**
 * The core: the one entry point every adapter calls.
 *
 *   Incoming ──► identify ──► parse ──► authorize ──► handler ──► append (+ once-mark) ──► Outgoing[]
 *
 * The delivery's once-mark is set by the append that records what the command did (both or
 * neither), or, when the command only answers, before the answer: a delivery seen before is
 * answered nothing and changes nothing.
 *
 * `handle` returns what the adapter should show the asker (or the channel). Messages for other
 * members (the author of a declined question, the secretary told of a late one) go out through
 * the `MemberDelivery` the core was given, on whatever platform reaches that member.
 *
 * Writes are optimistic: a handler decides on a snapshot of the committee's state, and the core
 * appends its events only if nothing was appended in between; otherwise it refreshes and asks
 * again. This makes every command atomic across bot processes without locks.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { everyone, findMember, memberLabel, PLATFORMS, type Committee, type Member, type Platform, type Role } from '../domain/committee';
import type { Clock } from '../domain/clock';
import type { Actor, EventPayload, NewEvent, StoredEvent } from '../domain/records';
import { applyEvent, applyEventAt, emptyState, identityKey, type CommitteeState } from '../domain/state';
import { normalizeWord } from '../domain/text';
import { AlreadyMarkedError, StoreUnavailableError, VersionConflictError, type OnceMark, type Store } from '../store/store';
import type { AgendaRenderer, CommandDef, Decision } from './context';
import { COMMANDS } from './registry';
import { refusal } from './handlers/common';
import { UnreachableError } from './adapter';
import type { PlatformIdentity } from './delivery';
import type { Incoming } from './incoming';
import { silentLogger, type Logger } from './logger';
import { list, message, type Message } from './message';
import { toAsker, type Outgoing } from './outgoing';
import { MAX_INPUT_CHARS, parseInput, type ParsedCommand } from './parser';
import { RateLimiter, type RateLimitOptions } from './rate-limit';


/** Delivers a message privately through the first identity some platform can reach. */
export interface MemberDelivery {
  deliver(identities: PlatformIdentity[], message: Message): Promise<unknown>;
}

export interface CoreOptions {
  committees: Committee[];
  store: Store;
  clock: Clock;
  logger?: Logger;
  delivery?: MemberDelivery;
  /** How long a delivery id is remembered for de-duplication. Platforms retry within minutes. */
  deliveryMemoryMs?: number;
  /** Makes agenda documents; without it `dagordning` gives the preview only. */
  renderer?: AgendaRenderer;
  /** Told about every command and Store failure (metrics). */
  observer?: CoreObserver;
  /** Per-person limit; the default allows a burst of 20 and 30 a minute. */
  rateLimit?: RateLimitOptions;
  /**
   * How long (ms) a committee's state that matched the Store is used for the next batch without
   * reading first. No answer comes from an older state either way: an append fails on its version
   * if another process wrote in between, and the batch is decided again on a fresh read; a batch
   * that only answers is checked with a read. Past this time the state is read first, which
   * spares a failed append where another process has likely written. 0 reads before every batch.
   * Default 50.
   */
  freshStateMs?: number;
}

/** What the core reports for metrics. Labels are command names and outcomes: never content. */
export interface CoreObserver {
  commandHandled(command: string, outcome: string, seconds: number): void;
  storeError(operation: string): void;
}

export const RATE_LIMITED_TEXT = 'Du skickar många kommandon just nu. Vänta en liten stund och försök igen.';

/** A person as the core knows them: one membership per committee they sit in. */
export interface Membership {
  committee: Committee;
  member: Member;
}

const incomingSchema = z.object({
  deliveryId: z.string().min(1).max(300),
  platform: z.enum(PLATFORMS),
  platformUserId: z.string().min(1).max(300),
  place: z.union([z.object({ kind: z.literal('private') }), z.object({ kind: z.literal('channel'), channelId: z.string().min(1).max(300) })]),
  input: z.union([
    z.object({ kind: z.literal('text'), text: z.string() }),
    z.object({ kind: z.literal('action'), actionId: z.string().max(100), value: z.string().max(2000) }),
    z.object({ kind: z.literal('form'), formId: z.string().max(100), values: z.record(z.string(), z.string()) }),
  ]),
});

const MAX_CONFLICT_RETRIES = 8;
/** Decisions taken together into one append, at most. */
const MAX_BATCH = 256;

/** A read of a committee's events after `after`, sent while the batch that ends there was being appended. */
interface ReadAhead {
  after: number;
  /** performance.now() when the read was sent. */
  sentAt: number;
  events: Promise<StoredEvent[]>;
}

interface Job {
  actor: Actor;
  decide: (state: CommitteeState) => Decision;
  /** For a delivery: its once-mark, set with the batch's append (or, answering only, on its own). */
  mark?: OnceMark;
  resolve: (d: Decision) => void;
  reject: (err: unknown) => void;
  attempts: number;
}

/** What `execute` answers for a delivery seen before: nothing decided, nothing recorded. */
const DUPLICATE_DELIVERY: Decision = Object.freeze({ events: [], replies: [] }) as Decision;

type Processed = { replies: Outgoing[]; command?: string; outcome: string };
const DUPLICATE: Processed = { replies: [], outcome: 'duplicate' };

export const STORE_DOWN_TEXT = 'Nämndbot kan inte nå sitt datalager just nu, så inget har sparats. Försök igen om en stund.';

export class Core {
  readonly committees: ReadonlyMap<string, Committee>;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly deliveryMemoryMs: number;
  private delivery: MemberDelivery | undefined;
  private readonly renderer: AgendaRenderer | undefined;
  private readonly observer: CoreObserver | undefined;
  private readonly limiter: RateLimiter;
  private readonly states = new Map<string, CommitteeState>();
  /** When each cached state was last known to match the Store (performance.now() of the request that showed it). */
  private readonly syncedAt = new Map<string, number>();
  private readonly freshStateMs: number;
  /** Each committee's append in flight: its events are in the cached state before they are written. */
  private readonly appending = new Map<string, Promise<unknown>>();
  /** Committees whose state has accounts linked at run time. */
  private readonly withLinks = new Set<string>();
  private readonly queues = new Map<string, Job[]>();
  private readonly flushing = new Set<string>();
  /**
   * Per platform, user id → the memberships the committee files give it: one as itself, several
   * (a person in more than one committee) as a list. Keyed by the ids the files hold, so the
   * index of a large installation costs an entry per identity and nothing more.
   */
  private readonly configuredIdentities = new Map<Platform, Map<string, Membership | Membership[]>>(PLATFORMS.map((p) => [p, new Map()]));

  constructor(options: CoreOptions) {
    this.committees = new Map(options.committees.map((c) => [c.id, c]));
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.delivery = options.delivery;
    this.renderer = options.renderer;
    this.observer = options.observer;
    this.limiter = new RateLimiter(options.clock, options.rateLimit);
    this.deliveryMemoryMs = options.deliveryMemoryMs ?? 24 * 3600_000;
    this.freshStateMs = Math.max(0, options.freshStateMs ?? 50);
    const configure = (platform: Platform, id: string, membership: Membership) => {
      const byId = this.configuredIdentities.get(platform)!;
      const known = byId.get(id);
      byId.set(id, known === undefined ? membership : Array.isArray(known) ? [...known, membership] : [known, membership]);
    };
    for (const committee of options.committees) {
      for (const member of everyone(committee)) {
        const membership = { committee, member };
        if (member.identities.console) configure('console', member.identities.console, membership);
        for (const id of member.identities.slack) configure('slack', id, membership);
        for (const id of member.identities.teams) configure('teams', id, membership);
      }
    }
  }

  /** Set once the adapters exist (they need the core first). */
  setDelivery(delivery: MemberDelivery): void {
    this.delivery = delivery;
  }

  /** The current state of a committee, brought up to date with the Store. */
  async state(committeeId: string): Promise<CommitteeState> {
    // A read past events not yet written could fold another process's records onto them: wait
    // until the append is through (or failed, and the cached state dropped).
    const inFlight = this.appending.get(committeeId);
    if (inFlight) await inFlight.catch(() => undefined);
    let state = this.states.get(committeeId);
    if (!state) {
      state = emptyState();
      this.states.set(committeeId, state);
    }
    const sentAt = performance.now();
    const fresh = await this.store.readEvents(committeeId, state.version);
    this.apply(committeeId, state, fresh);
    if (this.states.get(committeeId) === state) this.synced(committeeId, sentAt);
    return state;
  }

  /**
   * The cached state while it matched the Store a moment ago (`freshStateMs`), so that a busy
   * committee pays one round trip to the Store per batch (its append). Whatever it lacks cannot
   * slip through: an append fails on its version if another process wrote in between, and the
   * batch is decided again on a fresh read; a batch that only answers reads before it answers.
   */
  private recentState(committeeId: string): CommitteeState | undefined {
    const state = this.states.get(committeeId);
    const at = this.syncedAt.get(committeeId);
    return state && at !== undefined && performance.now() - at <= this.freshStateMs ? state : undefined;
  }

  /** Drops a cached state that holds events never written; the next batch reads it again. */
  private forget(committeeId: string): void {
    this.states.delete(committeeId);
    this.syncedAt.delete(committeeId);
  }

  /** Notes that the cached state matched the Store at `at` (keeps the latest). */
  private synced(committeeId: string, at: number): void {
    if ((this.syncedAt.get(committeeId) ?? -Infinity) < at) this.syncedAt.set(committeeId, at);
  }

  private apply(committeeId: string, state: CommitteeState, events: StoredEvent[]): void {
    // Concurrent refreshes may both bring the same events; apply each exactly once, in order.
    // (Seqs may skip where a damaged line was set aside.)
    for (const e of events) if (e.seq > state.version) applyEvent(state, e);
    this.noteLinks(committeeId, state);
  }

  /** Remembers that a committee has accounts linked at run time (`identify` looks only there). */
  private noteLinks(committeeId: string, state: CommitteeState): void {
    if (state.linkedIdentities.size > 0) this.withLinks.add(committeeId);
  }

  /** Everyone the platform identity belongs to, across committees (configured and linked). */
  async identify(platform: Platform, platformUserId: string): Promise<Membership[]> {
    const key = identityKey(platform, platformUserId);
    const configured = this.configuredIdentities.get(platform)?.get(platformUserId);
    const found = configured === undefined ? [] : Array.isArray(configured) ? [...configured] : [configured];
    // Links made at run time are looked up in the states already in memory that have any, so a
    // command costs no Store read and no look at every committee; only someone found nowhere
    // gets a fresh look (another process may just have linked them).
    for (const committeeId of this.withLinks) addLinked(found, this.committees.get(committeeId), this.states.get(committeeId), key);
    if (found.length === 0) for (const committee of this.committees.values()) addLinked(found, committee, await this.state(committee.id), key);
    return found;
  }


  /** A member's platform identities: from the committee file first, then linked ones. */
  async identitiesOf(committee: Committee, member: Member): Promise<PlatformIdentity[]> {
    const out: PlatformIdentity[] = [];
    if (member.identities.console) out.push({ platform: 'console', platformUserId: member.identities.console });
    for (const id of member.identities.slack) out.push({ platform: 'slack', platformUserId: id });
    for (const id of member.identities.teams) out.push({ platform: 'teams', platformUserId: id });
    for (const [key, memberId] of (await this.state(committee.id)).linkedIdentities) {
      if (memberId !== member.id) continue;
      const [platform, ...rest] = key.split(':');
      const identity = { platform: platform as Platform, platformUserId: rest.join(':') };
      if (!out.some((o) => o.platform === identity.platform && o.platformUserId === identity.platformUserId)) out.push(identity);
    }
    return out;
  }

  /** An answer given without recording anything: only for a delivery seen for the first time. */
  private async unlessSeen(mark: OnceMark | undefined, out: Processed): Promise<Processed> {
    return mark && !(await this.store.markOnce(mark.key, mark.ttlMs)) ? DUPLICATE : out;
  }

  /** Tells the observer (metrics) how a command went and how long it took. */
  private observe(command: string, outcome: string, started: number): void {
    this.observer?.commandHandled(command, outcome, (this.clock.now().getTime() - started) / 1000);
  }

  /** Handles one thing a person did. Never throws for bad input; answers it in Swedish. */
  async handle(raw: Incoming): Promise<Outgoing[]> {
    const started = this.clock.now().getTime();
    const checked = incomingSchema.safeParse(raw);
    if (!checked.success) {
      this.logger.warn({ issues: checked.error.issues.map((i) => i.path.join('.')) }, 'malformed incoming');
      return [refusal('Jag kunde inte läsa meddelandet. Försök igen, eller skriv hjälp.')];
    }
    const incoming = checked.data as Incoming;
    // The console is the operator's own terminal (and scripts fed to it): not limited.
    if (incoming.platform !== 'console' && !this.limiter.take(`${incoming.platform}:${incoming.platformUserId}`)) {
      this.logger.warn({ platform: incoming.platform, deliveryId: incoming.deliveryId }, 'rate limited');
      this.observe('none', 'rate-limited', started);
      return [refusal(RATE_LIMITED_TEXT)];
    }
    const deliveryKey = `delivery:${incoming.platform}:${incoming.deliveryId}`;
    // The delivery's once-mark is set together with what the command records (or, when it only
    // answers, before the answer): a delivery seen before is answered nothing and changes nothing.
    const mark: OnceMark = { key: deliveryKey, ttlMs: this.deliveryMemoryMs };
    try {
      const out = await this.process(incoming, false, mark);
      if (out === DUPLICATE) {
        this.logger.info({ deliveryId: incoming.deliveryId, platform: incoming.platform }, 'duplicate delivery ignored');
        this.observe('none', 'duplicate', started);
        return [];
      }
      this.logger.info(
        { deliveryId: incoming.deliveryId, platform: incoming.platform, command: out.command, outcome: out.outcome, ms: this.clock.now().getTime() - started },
        'handled',
      );
      this.observe(out.command ?? 'none', out.outcome, started);
      return out.replies;
    } catch (err) {
      // Nothing was written (appends are atomic); forget the delivery so a retry is processed.
      await this.store.unmark(deliveryKey).catch(() => undefined);
      if (err instanceof StoreUnavailableError) {
        this.logger.error({ deliveryId: incoming.deliveryId, err: err.message }, 'store unavailable');
        this.observer?.storeError('command');
        this.observe('none', 'store-unavailable', started);
        return [refusal(STORE_DOWN_TEXT)];
      }
      // The error's name only: a message may quote what the person wrote.
      this.logger.error({ deliveryId: incoming.deliveryId, err: err instanceof Error ? err.name : 'unknown' }, 'command failed');
      this.observe('none', 'error', started);
      return [refusal('Något gick fel hos Nämndbot och inget har sparats. Försök igen; händer det igen, kontakta sekreteraren.')];
    }
  }

  /**
   * Answers a look-up ("möten", "jäv lista", "övriga frågor") without recording anything: no
   * delivery mark, no rate-limit token. For screens an adapter draws itself (Slack's App Home).
   * A command that would record something is refused here and changes nothing.
   */
  async query(platform: Platform, platformUserId: string, text: string): Promise<Outgoing[]> {
    const out = await this.process({ deliveryId: 'query', platform, platformUserId, place: { kind: 'private' }, input: { kind: 'text', text } }, true);
    return out.replies;
  }

  private async process(incoming: Incoming, readOnly = false, mark?: OnceMark): Promise<Processed> {
    const memberships = await this.identify(incoming.platform, incoming.platformUserId);
    if (memberships.length === 0) {
      return this.unlessSeen(mark, {
        outcome: 'unknown-user',
        replies: [
          refusal(
            `Jag känner inte igen dig, så jag kan inte ta emot kommandon från dig ännu. Be nämndens sekreterare koppla ditt konto till dig i Nämndbot (ditt id: ${incoming.platformUserId}).`,
          ),
        ],
      });
    }
    const parsed = parseInput(
      incoming.input,
      COMMANDS,
      memberships.map((m) => m.committee.shortName),
    );
    if (!parsed.ok) {
      const text =
        parsed.problem === 'empty'
          ? 'Skriv ett kommando, till exempel hjälp.'
          : parsed.problem === 'too-long'
            ? `Meddelandet är för långt (${parsed.length} tecken). Skriv högst ${MAX_INPUT_CHARS} tecken.`
            : parsed.problem === 'unknown'
              ? `Jag förstår inte "${parsed.word}". Skriv hjälp för att se vad du kan göra.`
              : 'Knappen hör till en äldre version av Nämndbot. Skriv hjälp för att se vad du kan göra.';
      return this.unlessSeen(mark, { outcome: `parse-${parsed.problem}`, replies: [refusal(text)] });
    }
    const command = parsed.command;
    const def = COMMANDS.find((c) => c.name === command.name)!;
    const chosen = chooseMembership(memberships, command, def);
    if (!chosen.ok) return this.unlessSeen(mark, { command: command.name, outcome: 'which-committee', replies: [chosen.reply] });
    const { committee, member } = chosen.membership;
    if (!def.roles.includes(member.role)) {
      return this.unlessSeen(mark, { command: command.name, outcome: 'forbidden', replies: [refusal(forbiddenText(def, member))] });
    }
    const actor: Actor = { memberId: member.id, via: incoming.platform };
    const decide = (state: CommitteeState) =>
      def.handle(command, { committee, member, state, now: this.clock.now(), via: incoming.platform, place: incoming.place, commands: COMMANDS, renderer: this.renderer });
    if (readOnly) {
      const looked = decide(await this.state(committee.id));
      if (looked.events.length > 0) return { command: command.name, outcome: 'refused-read-only', replies: [refusal('Det här kan bara göras som ett kommando.')] };
      return { command: command.name, outcome: 'answered', replies: looked.replies.filter((o) => o.audience.kind !== 'member') };
    }
    const decision = await this.execute(committee.id, actor, decide, mark);
    if (decision === DUPLICATE_DELIVERY) return DUPLICATE;
    const replies = [...decision.replies];
    if (decision.after) replies.push(...(await this.runAfter(decision.after, command.name)));
    const forAsker: Outgoing[] = [];
    for (const o of replies) {
      if (o.audience.kind !== 'member') {
        forAsker.push(o);
        continue;
      }
      const sent = await this.deliverTo(o.audience.committeeId, o.audience.memberId, o.message);
      if (!sent.ok) {
        const who = findMember(committee, o.audience.memberId);
        forAsker.push(refusal(`Obs: ${who ? memberLabel(who) : o.audience.memberId} kunde inte nås med beskedet (${sent.reason}). Meddela hen på annat sätt.`));
      }
    }
    return { command: command.name, outcome: decision.events.length ? 'recorded' : 'answered', replies: forAsker };
  }

  /** Runs a decision's slow follow-up; its failure is told to the asker, the records stand. */
  private async runAfter(after: () => Promise<Outgoing[]>, command: string): Promise<Outgoing[]> {
    try {
      return await after();
    } catch (err) {
      this.logger.error({ command, err: err instanceof Error ? err.name : 'error' }, 'follow-up failed');
      const detail = err instanceof Error && err.name === 'TemplateError' ? ` ${err.message}` : '';
      return [refusal(`Det som skulle sparas är sparat, men dokumenten kunde inte skapas.${detail}`)];
    }
  }

  /**
   * Runs `decide` on the committee's current state and records its events; resolves once they
   * are durable. For adapters' and the scheduler's own records too (actor via 'system' or 'cli').
   *
   * Group commit: decisions for one committee queue up and are taken in order on one working
   * state, each seeing the ones before it, and their events are appended as one conditional
   * write. Nobody gets an answer before that write is durable. If another process appended in
   * between, the projection is rebuilt from the Store and the whole batch is decided again.
   */
  execute(committeeId: string, actor: Actor, decide: (state: CommitteeState) => Decision, mark?: OnceMark): Promise<Decision> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(committeeId) ?? [];
      queue.push({ actor, decide, mark, resolve, reject, attempts: 0 });
      this.queues.set(committeeId, queue);
      if (!this.flushing.has(committeeId)) {
        this.flushing.add(committeeId);
        // Once what is running now has run: commands that came in together are decided together.
        process.nextTick(() => void this.flush(committeeId));
      }
    });
  }

  /** Takes the committee's queue batch by batch until it is empty; `flushing` is set by the caller. */
  private async flush(committeeId: string): Promise<void> {
    try {
      let ahead: ReadAhead | undefined;
      for (;;) {
        const jobs = (this.queues.get(committeeId) ?? []).splice(0, MAX_BATCH);
        if (jobs.length === 0) return;
        ahead = await this.runBatch(committeeId, jobs, ahead);
      }
    } finally {
      this.flushing.delete(committeeId);
    }
  }

  /**
   * Decides a batch and appends its events. While more decisions wait, the next batch's read of
   * the Store goes out right behind the append (`ReadAhead`), so a busy committee pays one round
   * trip to the Store per batch, not two.
   */
  private async runBatch(committeeId: string, queued: Job[], ahead: ReadAhead | undefined): Promise<ReadAhead | undefined> {
    // A delivery twice in one batch: the later one is decided nothing.
    const jobs: Job[] = [];
    const delivered = new Set<string>();
    for (const job of queued) {
      if (job.mark && delivered.has(job.mark.key)) job.resolve(DUPLICATE_DELIVERY);
      else {
        if (job.mark) delivered.add(job.mark.key);
        jobs.push(job);
      }
    }
    if (jobs.length === 0) return undefined;
    // Taken from the cache without asking the Store (see recentState).
    let assumed = false;
    let state: CommitteeState;
    try {
      const recent = ahead ? undefined : this.recentState(committeeId);
      assumed = recent !== undefined;
      state = recent ?? (ahead ? await this.stateAfter(committeeId, ahead) : await this.state(committeeId));
    } catch (err) {
      for (const job of jobs) job.reject(err);
      return undefined;
    }
    const base = state.version;
    const events: NewEvent[] = [];
    const decided: { job: Job; decision: Decision }[] = [];
    let dirty = false;
    for (const job of jobs) {
      let decision: Decision;
      try {
        decision = job.decide(state);
      } catch (err) {
        job.reject(err);
        continue;
      }
      const mine = decision.events.map((e) => this.envelope(e, job.actor));
      // Apply at once so the next decision in the batch sees it; undone below if the write fails.
      for (const e of mine) applyEventAt(state, e, state.version + 1);
      if (mine.length) this.noteLinks(committeeId, state);
      dirty ||= mine.length > 0;
      events.push(...mine);
      decided.push({ job, decision });
    }
    if (events.length === 0) {
      if (assumed) {
        // No append will check the state these answers come from: read, and decide again if it moved.
        const version = state.version;
        try {
          if ((await this.state(committeeId)).version !== version) {
            // Decided again on a read of its own, so that a busy other process cannot keep it waiting.
            this.syncedAt.delete(committeeId);
            this.queues.set(committeeId, [...decided.map((d) => d.job), ...(this.queues.get(committeeId) ?? [])]);
            return undefined;
          }
        } catch (err) {
          for (const d of decided) d.job.reject(err);
          return undefined;
        }
      }
      await this.answerMarked(decided);
      return undefined;
    }
    const marks = decided.flatMap((d) => (d.job.mark ? [d.job.mark] : []));
    const sentAt = performance.now();
    const appending = this.store.append(committeeId, events, base, marks);
    this.appending.set(committeeId, appending);
    let next: ReadAhead | undefined;
    if ((this.queues.get(committeeId)?.length ?? 0) > 0) {
      // What others append after ours (mostly nothing), for the batch already waiting.
      next = { after: base + events.length, sentAt: performance.now(), events: this.store.readEvents(committeeId, base + events.length) };
      next.events.catch(() => undefined);
    }
    try {
      await appending;
      this.appending.delete(committeeId);
      // The append was taken at exactly our version: the state matched the Store then.
      this.synced(committeeId, sentAt);
      for (const d of decided) d.job.resolve(d.decision);
      return next;
    } catch (err) {
      this.appending.delete(committeeId);
      // The working state holds events that were never written: rebuild it from the Store.
      if (dirty) this.forget(committeeId);
      else this.syncedAt.delete(committeeId);
      if (err instanceof AlreadyMarkedError) {
        // Deliveries seen before get nothing; the others are decided again without them.
        const seen = new Set(err.keys);
        const again: Job[] = [];
        for (const d of decided) {
          if (d.job.mark && seen.has(d.job.mark.key)) d.job.resolve(DUPLICATE_DELIVERY);
          else again.push(d.job);
        }
        this.queues.set(committeeId, [...again, ...(this.queues.get(committeeId) ?? [])]);
        return undefined;
      }
      const retry = err instanceof VersionConflictError ? decided.filter((d) => ++d.job.attempts <= MAX_CONFLICT_RETRIES) : [];
      for (const d of decided) if (!retry.includes(d)) d.job.reject(err);
      if (retry.length) this.queues.set(committeeId, [...retry.map((d) => d.job), ...(this.queues.get(committeeId) ?? [])]);
      return undefined;
    }
  }

  /** A batch that only answers: each delivery is marked, then answered (or, seen before, given nothing). */
  private async answerMarked(decided: { job: Job; decision: Decision }[]): Promise<void> {
    await Promise.all(
      decided.map(async ({ job, decision }) => {
        try {
          if (job.mark && !(await this.store.markOnce(job.mark.key, job.mark.ttlMs))) job.resolve(DUPLICATE_DELIVERY);
          else job.resolve(decision);
        } catch (err) {
          job.reject(err);
        }
      }),
    );
  }

  /** The state brought up to date by a read sent ahead; a plain refresh if it no longer fits. */
  private async stateAfter(committeeId: string, ahead: ReadAhead): Promise<CommitteeState> {
    const state = this.states.get(committeeId);
    if (!state || state.version !== ahead.after) return this.state(committeeId);
    this.apply(committeeId, state, await ahead.events);
    if (this.states.get(committeeId) === state) this.synced(committeeId, ahead.sentAt);
    return state;
  }

  private envelope(payload: EventPayload, actor: Actor): NewEvent {
    return { id: randomUUID(), at: this.clock.now().toISOString(), actor, ...payload } as NewEvent;
  }

  /**
   * Sends privately to a member. Never throws at the person who acted: a failure is logged and
   * returned as a Swedish reason the asker can be told.
   */
  async deliverTo(committeeId: string, memberId: string, msg: Message): Promise<{ ok: true } | { ok: false; reason: string }> {
    const committee = this.committees.get(committeeId);
    const member = committee && findMember(committee, memberId);
    if (!committee || !member || !this.delivery) {
      this.logger.warn({ committeeId, memberId }, 'no delivery for member message');
      return { ok: false, reason: 'Nämndbot är inte ansluten till någon chatt där personen kan nås' };
    }
    try {
      await this.delivery.deliver(await this.identitiesOf(committee, member), msg);
      return { ok: true };
    } catch (err) {
      this.logger.warn({ committeeId, memberId, err: err instanceof Error ? err.name : 'error' }, 'member message not delivered');
      return { ok: false, reason: err instanceof UnreachableError ? err.reason : 'chattjänsten svarade inte; försök igen senare' };
    }
  }
}

/** Adds the member a linked account belongs to in a committee, unless the committee is there already. */
function addLinked(found: Membership[], committee: Committee | undefined, state: CommitteeState | undefined, key: string): void {
  const linked = state?.linkedIdentities.get(key);
  const member = committee && linked ? findMember(committee, linked) : undefined;
  if (committee && member && !found.some((f) => f.committee.id === committee.id)) found.push({ committee, member });
}

function chooseMembership(memberships: Membership[], command: ParsedCommand, def: CommandDef): { ok: true; membership: Membership } | { ok: false; reply: Outgoing } {
  const named = command.args.committee;
  if (named) {
    const n = normalizeWord(named);
    const m = memberships.find((x) => normalizeWord(x.committee.shortName) === n || x.committee.id === n);
    if (m) return { ok: true, membership: m };
    return { ok: false, reply: refusal(`Du är inte med i någon nämnd som heter "${named}". Dina nämnder: ${memberships.map((x) => x.committee.shortName).join(', ')}.`) };
  }
  if (memberships.length === 1) return { ok: true, membership: memberships[0] };
  return {
    ok: false,
    reply: toAsker(
      message(
        'Du sitter i flera nämnder. Skriv nämndens kortnamn först, till exempel:',
        list(memberships.map((x) => `${x.committee.shortName} ${def.example}`)),
      ),
    ),
  };
}

const ROLE_AS_SUBJECT: Record<Role, string> = {
  ordförande: 'ordföranden',
  'vice ordförande': 'vice ordföranden',
  ledamot: 'ledamöter',
  ersättare: 'ersättare',
  sekreterare: 'sekreteraren',
  handläggare: 'handläggare',
};

function forbiddenText(def: CommandDef, member: Member): string {
  const roles = def.roles;
  // All elected roles read as "ledamöter och ersättare"; anyone else allowed is named after them.
  const elected = roles.includes('ledamot') && roles.includes('ersättare');
  const names = elected
    ? ['ledamöter', 'ersättare', ...roles.filter((r) => !['ordförande', 'vice ordförande', 'ledamot', 'ersättare'].includes(r)).map((r) => ROLE_AS_SUBJECT[r])]
    : roles.map((r) => ROLE_AS_SUBJECT[r]);
  const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}` : names[0];
  return `Det kan bara ${who} göra, och du är ${member.role}. Skriv hjälp för att se vad du kan göra.`;
}

/** The commands a member may use: for listings outside `hjälp` (App Home, Teams command lists). */
export function commandsFor(member: Member): CommandDef[] {
  return COMMANDS.filter((c) => c.roles.includes(member.role));
}


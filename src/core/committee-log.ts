/**
 * The committee log: each committee's records in the Store, folded into its state, and the one
 * way to add to them.
 *
 *   state(committee)                    the state brought up to date with the Store
 *   execute(committee, actor, decide)   decide on the current state, append the events, resolve when durable
 *   markOnce / unmark                   once-marks for answers that record nothing
 *
 * Writes are optimistic: a decision is taken on a snapshot of the committee's state, and its
 * events are appended only if nothing was appended in between (a conditional append on the
 * version); otherwise the state is read again and the decision taken again. That makes every
 * command atomic across bot processes without locks.
 *
 * Group commit: decisions for one committee queue up and are taken in order on one working state,
 * each seeing the ones before it, and their events go out as one conditional append. Nobody gets
 * an answer before that append is durable. While more decisions wait, the next batch's read of
 * the Store goes out right behind the append (read-ahead).
 *
 * The state cache: a state that matched the Store less than `freshStateMs` ago is used for the next
 * batch without reading first (see `CommitteeLogOptions.freshStateMs`).
 *
 * A delivery's once-mark goes into the same append as what the command records (both or neither);
 * a delivery seen before is decided nothing and resolves to `DUPLICATE_DELIVERY`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock';
import type { Actor, EventPayload, NewEvent, StoredEvent } from '../domain/records';
import { applyEvent, applyEventAt, emptyState, type CommitteeState } from '../domain/state';
import { AlreadyMarkedError, StoreUnavailableError, VersionConflictError, type OnceMark, type Store } from '../store/store';
import type { Decision } from './context';

export interface CommitteeLogOptions {
  store: Store;
  /** Stamps every recorded event. */
  clock: Clock;
  /**
   * How long (ms) a committee's state that matched the Store is used for the next batch without
   * reading first, so that a busy committee pays one round trip to the Store per batch (its
   * append). No answer comes from an older state either way: an append fails on its version if
   * another process wrote in between, and the batch is decided again on a fresh read; a batch
   * that only answers is checked with a read before it answers. Past this time the state is read
   * first, which spares a failed append where another process has likely written. 0 reads before
   * every batch. Default 50.
   */
  freshStateMs?: number;
  /** Told each time events are folded into a committee's state (the core's index of linked accounts). */
  onApplied?: (committeeId: string, state: CommitteeState) => void;
  /**
   * Committees' states already folded from the Store's records (`foldInto` as the file store
   * opened), so that the first command does not read and validate the whole history again. Each
   * is brought up to date with the Store on its first use, as any cached state is.
   */
  states?: ReadonlyMap<string, CommitteeState>;
}

/** What `execute` resolves to for a delivery seen before: nothing decided, nothing recorded. */
export const DUPLICATE_DELIVERY: Decision = Object.freeze({ events: [], replies: [] }) as Decision;

/**
 * How often one decision is taken again after its append lost a race with another process.
 * Each lost race means another process's append went through, so the committee moves on; a
 * retry waits a jittered, growing pause first (`conflictBackoffMs`), so that processes that
 * collided do not collide again in step, and the commands queued meanwhile go out in one
 * bigger batch. With three bots hammering one committee the 8 retries without a pause used
 * before refused about 1% of commands; 40 with the pause refuse none (test/store/redis-busy-committee.test.ts).
 * Past it the member is refused, truthfully ("inget har sparats"): that would take minutes of
 * losing every race.
 */
const MAX_CONFLICT_RETRIES = 40;

/** The pause before the `attempt`th retry after a conflict: uniform in [0, min(2 ms · 2^attempt, 100 ms)). */
export function conflictBackoffMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(2 * 2 ** Math.min(attempt, 10), 100);
}

/** A Store failure before anything was sent to be written: certainly nothing was written. */
function nothingWritten(err: unknown): unknown {
  return err instanceof StoreUnavailableError && err.written !== 'no' ? new StoreUnavailableError(err.message, { cause: err, written: 'no', diskFull: err.diskFull }) : err;
}
/** Decisions taken together into one append, at most. */
const MAX_BATCH = 256;

/** A read of a committee's events after `after`, sent while the batch that ends there was being appended. */
interface ReadAhead {
  after: number;
  /** performance.now() when the read was sent. */
  sentAt: number;
  events: Promise<StoredEvent[]>;
}

/** One decision waiting in a committee's queue. */
interface Job {
  actor: Actor;
  decide: (state: CommitteeState) => Decision;
  /** For a delivery: its once-mark, set with the batch's append (or, answering only, on its own). */
  mark?: OnceMark;
  resolve: (d: Decision) => void;
  reject: (err: unknown) => void;
  attempts: number;
}

interface Decided {
  job: Job;
  decision: Decision;
}

export class CommitteeLog {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly freshStateMs: number;
  private readonly onApplied: (committeeId: string, state: CommitteeState) => void;
  private readonly states = new Map<string, CommitteeState>();
  /** When each cached state was last known to match the Store (performance.now() of the request that showed it). */
  private readonly syncedAt = new Map<string, number>();
  /** Each committee's append in flight: its events are in the cached state before they are written. */
  private readonly appending = new Map<string, Promise<unknown>>();
  private readonly queues = new Map<string, Job[]>();
  private readonly flushing = new Set<string>();

  constructor(options: CommitteeLogOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.freshStateMs = Math.max(0, options.freshStateMs ?? 50);
    this.onApplied = options.onApplied ?? (() => undefined);
    for (const [committeeId, state] of options.states ?? []) {
      this.states.set(committeeId, state);
      this.onApplied(committeeId, state);
    }
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
    // Nothing new, known without a read (the file store is its folder's only writer).
    if (this.store.isCurrent?.(committeeId, state.version)) {
      this.synced(committeeId, sentAt);
      return state;
    }
    const fresh = await this.store.readEvents(committeeId, state.version);
    this.apply(committeeId, state, fresh);
    if (this.states.get(committeeId) === state) this.synced(committeeId, sentAt);
    return state;
  }

  /** The state in memory as it is, without asking the Store; undefined if never read. */
  cachedState(committeeId: string): CommitteeState | undefined {
    return this.states.get(committeeId);
  }

  /**
   * Runs `decide` on the committee's current state and records its events; resolves once they
   * are durable (or to `DUPLICATE_DELIVERY` when `mark` was set before). For commands, the
   * scheduler's and adapters' own records alike (actor via 'system' or 'cli').
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

  /** Sets a once-mark for an answer that records nothing; false if it was set before. */
  markOnce(mark: OnceMark): Promise<boolean> {
    return this.store.markOnce(mark.key, mark.ttlMs);
  }

  /** Drops a once-mark, so that a delivery that failed is processed when it comes again. */
  unmark(key: string): Promise<void> {
    return this.store.unmark(key);
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

  /** Puts jobs back at the head of the committee's queue, to be decided again. */
  private requeue(committeeId: string, jobs: Job[]): void {
    this.queues.set(committeeId, [...jobs, ...(this.queues.get(committeeId) ?? [])]);
  }

  /** Decides a batch and appends its events; returns the read sent ahead for the next batch. */
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
      for (const job of jobs) job.reject(nothingWritten(err));
      return undefined;
    }
    const base = state.version;
    const events: NewEvent[] = [];
    const decided: Decided[] = [];
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
      if (mine.length) this.onApplied(committeeId, state);
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
            this.requeue(committeeId, decided.map((d) => d.job));
            return undefined;
          }
        } catch (err) {
          for (const d of decided) d.job.reject(nothingWritten(err));
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
        this.requeue(committeeId, again);
        return undefined;
      }
      const retry = err instanceof VersionConflictError ? decided.filter((d) => ++d.job.attempts <= MAX_CONFLICT_RETRIES) : [];
      for (const d of decided) if (!retry.includes(d)) d.job.reject(err);
      if (retry.length) {
        this.requeue(committeeId, retry.map((d) => d.job));
        // Another process just wrote: step aside for a moment (this committee's queue only).
        const attempt = Math.max(...retry.map((d) => d.job.attempts));
        await new Promise((resolve) => setTimeout(resolve, conflictBackoffMs(attempt)));
      }
      return undefined;
    }
  }

  /** A batch that only answers: each delivery is marked, then answered (or, seen before, given nothing). */
  private async answerMarked(decided: Decided[]): Promise<void> {
    await Promise.all(
      decided.map(async ({ job, decision }) => {
        try {
          if (job.mark && !(await this.markOnce(job.mark))) job.resolve(DUPLICATE_DELIVERY);
          else job.resolve(decision);
        } catch (err) {
          job.reject(nothingWritten(err));
        }
      }),
    );
  }

  /** The cached state while it matched the Store less than `freshStateMs` ago. */
  private recentState(committeeId: string): CommitteeState | undefined {
    const state = this.states.get(committeeId);
    const at = this.syncedAt.get(committeeId);
    return state && at !== undefined && performance.now() - at <= this.freshStateMs ? state : undefined;
  }

  /** The state brought up to date by a read sent ahead; a plain refresh if it no longer fits. */
  private async stateAfter(committeeId: string, ahead: ReadAhead): Promise<CommitteeState> {
    const state = this.states.get(committeeId);
    if (!state || state.version !== ahead.after) return this.state(committeeId);
    this.apply(committeeId, state, await ahead.events);
    if (this.states.get(committeeId) === state) this.synced(committeeId, ahead.sentAt);
    return state;
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
    this.onApplied(committeeId, state);
  }

  private envelope(payload: EventPayload, actor: Actor): NewEvent {
    return { id: randomUUID(), at: this.clock.now().toISOString(), actor, ...payload } as NewEvent;
  }
}

/**
 * The scheduler: the only part of Nämndbot with a timer. Each tick, for every committee:
 *
 *   state ──► planWindow(state, now) ──► stale: record reminder.dropped, log
 *                                   └──► due: claim a batch in the Store ──► re-read state ──► for each, in a send slot:
 *                                         send privately ──► record reminder.sent ──► release the claim
 *
 * - The plan is pure (src/domain/plan.ts); nothing is scheduled ahead, so a moved date or an
 *   early signature needs no bookkeeping here.
 * - A claim is taken before sending and released only once `reminder.sent` is durable. The
 *   state is read again after claiming, so a process that claims after another one released
 *   sees the record and does not send again: each reminder goes out once across processes.
 *   A claim whose holder died expires after its ttl and the reminder is tried again.
 * - At most `sendConcurrency` reminders (default 1) are in flight per process, over all
 *   committees: a send holds its slot until its `reminder.sent` is durable. So a process that
 *   crashes leaves at most that many reminders sent and not recorded, which another process
 *   sends again once their claims expire: at most one duplicate per crash. Claims are taken
 *   `claimBatch` at a time per committee; a claim waiting for a slot is not a send (a crash
 *   loses nothing by it: it expires and another process sends), and a claim is sent on only while
 *   more than half its ttl is left, so a send never starts on a lease about to lapse. While a
 *   delivered reminder could not be recorded (the Store failed), nothing more is sent.
 * - A failed send is retried with exponential backoff; the attempts live in Store values, so
 *   every process respects them. After `reportAfterFailures` attempts the secretary is told
 *   (once); retries go on until the reminder is stale. A platform that refuses the member
 *   (UnreachableError) is not retried: the reminder is dropped and the secretary told at once.
 * - A committee whose state has not changed and whose next reminder is not yet due is skipped
 *   without planning, which keeps a tick over thousands of committees cheap.
 * - A tick has a budget of wall time (`tickBudgetMs`), checked between committees and inside a
 *   committee's turn, before each batch of claims and before each send. Once it is spent, the
 *   committees not yet reached wait, a committee in hand gives back the claims it has not sent
 *   on, and the next tick, beginning with the first committee left unfinished, follows at once:
 *   however many reminders fall due together (the morning wave, a start after downtime), no
 *   tick holds the process for much more than its budget, and commands are answered in between.
 *   Every tick makes progress: it plans at least one committee and starts at least one send.
 * - The ersättare chain's time-outs run in the same pass, per committee.
 *
 * `tick(now)` is public so tests and tools drive time; `start()`/`stop()` run it on an interval.
 * Logs carry ids only.
 */
import { randomUUID } from 'node:crypto';
import { swedishCalendar, type WorkingDayCalendar } from '../domain/calendar';
import type { Clock } from '../domain/clock';
import { findMember, type Committee } from '../domain/committee';
import { committeeView } from '../domain/meeting-records';
import { planWindow, type PlannedReminder } from '../domain/plan';
import type { Actor } from '../domain/records';
import { stockholmDate } from '../domain/time';
import type { Store } from '../store/store';
import { UnreachableError } from './adapter';
import { processCommitteeTimeouts } from './ersattare';
import type { CommitteeLog } from './committee-log';
import type { Core, MemberDelivery } from './core';
import { reminderMessage, undeliveredMessage, type UndeliveredReminder } from './handlers/reminder-messages';
import { silentLogger, type Logger } from './logger';

export interface SchedulerOptions {
  core: Core;
  store: Store;
  /** Reaches members privately; an AdapterDelivery with no adapter registered makes ticks wait. */
  delivery: MemberDelivery;
  clock: Clock;
  logger?: Logger;
  /** Who holds the claims: unique per process. Default: a random id. */
  owner?: string;
  /** Time between ticks. Default 60 s. */
  intervalMs?: number;
  /**
   * How long a claim lives if its holder never releases it: how long a crashed process's
   * reminders wait before another process sends them. A claim is sent on only while more than
   * half of it is left, so a send must take less than half. Default 2 min.
   */
  claimTtlMs?: number;
  /** First retry after a failed send; doubles per attempt up to `retryMaxMs`. Default 1 min. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Failed attempts after which the secretary is told. Default 3. */
  reportAfterFailures?: number;
  /**
   * Reminders in flight at once in this process, over all committees: sent and not yet recorded.
   * A crash may send this many twice. Default 1 (measured: see docs/it/operations.md).
   */
  sendConcurrency?: number;
  /** Reminders of one committee claimed in one go. Default 25. */
  claimBatch?: number;
  /** Committees planned at once. Default 4. */
  committeeConcurrency?: number;
  /**
   * Wall time per tick, in ms. Once spent, the tick takes no more committees (at least one is
   * always planned), and the committees in hand claim and send no more (at least one send is
   * always started): a tick runs over by the sends in flight and the reads and appends under
   * way. The next tick begins with the first committee left unfinished, and `start()` runs it at
   * once instead of after `intervalMs`. Default 100.
   */
  tickBudgetMs?: number;
  /**
   * Elapsed time in ms for the budget, from any fixed origin. Default `performance.now()` (wall
   * time, not the domain's clock); tests count with it instead.
   */
  elapsedMs?: () => number;
  calendar?: Pick<WorkingDayCalendar, 'isWorkingDay'>;
  /** Told what each tick did, timer ticks and `tick()` calls alike (metrics). Must not throw. */
  onTick?: (report: TickReport) => void;
}

/** What one tick did, by reminder id. */
export interface TickReport {
  sent: string[];
  dropped: string[];
  /** Failed with a passing error; retried later. */
  failed: string[];
  /** Refused by every platform; dropped and reported. */
  unreachable: string[];
  /** Claimed by another process. */
  busy: string[];
  /** Committees planned (the rest were skipped: nothing changed and nothing due). */
  planned: number;
  /**
   * Committees not reached, or whose turn was cut short, because the tick's budget was spent
   * (counted from the first one left unfinished): the next tick begins with them.
   */
  deferred: number;
}

interface RetryState {
  attempts: number;
  /** ms since epoch before which no process tries again. */
  nextAt: number;
  /** The secretary has been told. */
  reported?: boolean;
}

const SYSTEM: Actor = { via: 'system' };
const claimKey = (id: string) => `reminder:${id}`;
const retryKey = (id: string) => `reminder-retry:${id}`;

export class Scheduler {
  readonly owner: string;
  private readonly core: Core;
  /** The committees' records: plans are made from `log.state`, sends recorded with `log.execute`. */
  private readonly log: CommitteeLog;
  private readonly store: Store;
  private readonly delivery: MemberDelivery;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly claimTtlMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly reportAfterFailures: number;
  private readonly claimBatch: number;
  private readonly committeeConcurrency: number;
  /** The process-wide send slots: a slot is held from a send until its record is durable. */
  private readonly slots: Slots;
  private readonly tickBudgetMs: number;
  private readonly elapsedMs: () => number;
  /** When this tick began (`elapsedMs`: elapsed work, not the domain's time). */
  private tickStarted = 0;
  /** Sends started in this tick: the budget stops a committee's turn only once the tick has sent something. */
  private sendsStarted = 0;
  /** Where the next tick begins: after the last committee a tick that ran out of budget reached. */
  private resumeAt = 0;
  private readonly calendar: Pick<WorkingDayCalendar, 'isWorkingDay'> | undefined;
  private readonly onTick: ((report: TickReport) => void) | undefined;
  /** Per committee: the state version last planned and when something next falls due. */
  private readonly cache = new Map<string, { version: number; nextMs: number }>();
  private readonly retries = new Map<string, RetryState>();
  /** Claims held and not yet released, with when each was taken (performance.now()). */
  private readonly held = new Map<string, number>();
  /** Delivered but not yet recorded (the Store failed): recorded first thing next tick. */
  private readonly unrecorded = new Map<string, { committeeId: string; reminder: PlannedReminder }>();
  /** Per committee, during its turn in a tick: how many events this scheduler recorded. */
  private readonly ownRecords = new Map<string, number>();
  private running: Promise<TickReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The first tick, and a tick that follows at once when the last one left work. */
  private soon: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(options: SchedulerOptions) {
    this.core = options.core;
    this.log = options.core.log;
    this.store = options.store;
    this.delivery = options.delivery;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.owner = options.owner ?? `scheduler-${randomUUID()}`;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.claimTtlMs = options.claimTtlMs ?? 120_000;
    this.retryBaseMs = options.retryBaseMs ?? 60_000;
    this.retryMaxMs = options.retryMaxMs ?? 30 * 60_000;
    this.reportAfterFailures = options.reportAfterFailures ?? 3;
    this.slots = new Slots(options.sendConcurrency ?? 1);
    this.claimBatch = options.claimBatch ?? 25;
    this.committeeConcurrency = options.committeeConcurrency ?? 4;
    this.tickBudgetMs = options.tickBudgetMs ?? 100;
    this.elapsedMs = options.elapsedMs ?? (() => performance.now());
    this.calendar = options.calendar;
    this.onTick = options.onTick;
  }

  /**
   * Works out the working-day calendar of this year and the next once, outside any tick. The
   * first date asked for loads the holiday tables (a tenth of a second or more, at once): in a
   * tick it would hold the process for that on top of the tick's budget. `start()` does this in a
   * turn of its own before the first tick; a tool that drives `tick()` itself may call it first.
   */
  prepareCalendar(): void {
    const calendar = this.calendar ?? swedishCalendar;
    const year = Number(stockholmDate(this.clock.now()).slice(0, 4));
    calendar.isWorkingDay(`${year}-01-02`);
    calendar.isWorkingDay(`${year + 1}-01-02`);
  }

  /**
   * Ticks now and then every `intervalMs`; a tick that left work for later is followed at once.
   * The first tick waits a turn, so adapters registered right after still count, and follows the
   * calendar's loading (`prepareCalendar`) in a turn of its own.
   */
  start(): void {
    if (this.timer) return;
    this.stopping = false;
    const prepared = setTimeout(() => {
      try {
        this.prepareCalendar();
      } catch (err) {
        // The tick meets the same error and reports it where it plans.
        this.logger.error({ err: errName(err) }, 'working-day calendar could not be loaded');
      }
      soon();
    }, 0);
    prepared.unref();
    this.soon = prepared;
    const soon = () => {
      this.soon = setTimeout(run, 0);
      this.soon.unref();
    };
    const run = () => {
      if (this.running || this.stopping) return;
      this.tick().then(
        (report) => {
          if (report.deferred > 0 && this.timer) soon();
        },
        (err) => this.logger.error({ err: errName(err) }, 'reminder tick failed'),
      );
    };
    this.timer = setInterval(run, this.intervalMs);
    // The scheduler alone never keeps the process alive.
    this.timer.unref();
  }

  /** Stops ticking, lets a running tick finish its sends in flight, and releases every claim not sent. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.soon);
    clearInterval(this.timer);
    this.timer = undefined;
    this.soon = undefined;
    await this.running?.catch(() => undefined);
    await this.recordUnrecorded();
    for (const key of [...this.held.keys()]) {
      if (this.unrecorded.has(key.slice('reminder:'.length))) continue;
      await this.store.release(key, this.owner).catch(() => undefined);
      this.held.delete(key);
    }
  }

  /** One pass over every committee at `now` (default: the clock). Ticks never overlap. */
  tick(now?: Date): Promise<TickReport> {
    const previous = this.running ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.runTick(now ?? this.clock.now()))
      .then((report) => {
        this.onTick?.(report);
        return report;
      });
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
    }).catch(() => undefined);
    return run;
  }

  private async runTick(now: Date): Promise<TickReport> {
    const report: TickReport = { sent: [], dropped: [], failed: [], unreachable: [], busy: [], planned: 0, deferred: 0 };
    const platforms = (this.delivery as { platforms?: () => unknown[] }).platforms;
    if (typeof platforms === 'function' && platforms.call(this.delivery).length === 0) {
      // No adapter yet: sending would call every member unreachable.
      this.logger.debug('reminder tick skipped: no adapter running');
      return report;
    }
    this.tickStarted = this.elapsedMs();
    this.sendsStarted = 0;
    await this.recordUnrecorded();
    // Round robin: a tick that ran out of budget is continued by the next one where it stopped.
    const all = [...this.core.committees.values()];
    const from = this.resumeAt < all.length ? this.resumeAt : 0;
    const order = from > 0 ? [...all.slice(from), ...all.slice(0, from)] : all;
    let next = 0;
    /** The place in `order` of the first committee whose turn the budget cut short. */
    let cutAt = order.length;
    const spent = () => report.planned > 0 && this.budgetSpent();
    const worker = async () => {
      while (next < order.length && !this.stopping && !spent()) {
        const at = next++;
        const committee = order[at]!;
        // Let the adapters' I/O through now and then: state reads may resolve without ever leaving the microtask queue.
        if (next % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
        try {
          if (!(await this.tickCommittee(committee, now, report))) cutAt = Math.min(cutAt, at);
        } catch (err) {
          this.logger.error({ committeeId: committee.id, err: errName(err) }, 'reminder tick failed for committee');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.committeeConcurrency, order.length) }, worker));
    // The next tick begins with the first committee not reached or not finished (those after it
    // that did finish are skipped then without planning).
    const resume = Math.min(next, cutAt);
    report.deferred = this.stopping ? 0 : order.length - resume;
    this.resumeAt = report.deferred > 0 ? (from + resume) % all.length : 0;
    if (report.sent.length || report.dropped.length || report.failed.length || report.deferred) {
      this.logger.info(
        { sent: report.sent.length, dropped: report.dropped.length, failed: report.failed.length, busy: report.busy.length, planned: report.planned, deferred: report.deferred },
        'reminder tick',
      );
    }
    return report;
  }

  /** Whether the tick's budget is spent (callers decide whether the tick has made progress yet). */
  private budgetSpent(): boolean {
    return this.elapsedMs() - this.tickStarted >= this.tickBudgetMs;
  }

  /** Once the tick has started a send, a spent budget ends a committee's turn: no more claims or sends. */
  private turnOver(): boolean {
    return this.sendsStarted > 0 && this.budgetSpent();
  }

  /**
   * The committee's turn in a tick: plan, drop what is stale, claim and send what is due.
   * False when the budget cut it short: the next tick begins with it.
   */
  private async tickCommittee(fileCommittee: Committee, now: Date, report: TickReport): Promise<boolean> {
    const nowMs = now.getTime();
    let state = await this.log.state(fileCommittee.id);
    // The ersättare chain's time-outs: asks nobody answered in time go to the next in turn.
    if (state.ersattareAsks.size > 0) {
      await processCommitteeTimeouts(this.core, committeeView(fileCommittee, state.meetingEdits), now, { logger: this.logger, ...(this.calendar ? { calendar: this.calendar } : {}) }, undefined, state);
      state = await this.log.state(fileCommittee.id);
    }
    const cached = this.cache.get(fileCommittee.id);
    if (cached && cached.version === state.version && nowMs < cached.nextMs) return true;
    // Meetings and ärenden recorded in chat or imported count as much as the committee file's.
    const committee = committeeView(fileCommittee, state.meetingEdits);

    const plan = planWindow({ committee, state, now, until: now, ...(this.calendar ? { calendar: this.calendar } : {}) });
    report.planned++;
    const version = state.version;
    this.ownRecords.set(committee.id, 0);
    let nextMs = plan.next ? plan.next.getTime() : Infinity;
    const later = (ms: number) => {
      if (ms < nextMs) nextMs = ms;
    };

    const stale = plan.reminders.filter((r) => r.status === 'stale');
    // One append for all of a committee's stale reminders: after a downtime there can be many.
    if (stale.length) await this.drop(committee.id, stale, (r) => `stale: last day ${r.staleAfter ?? r.deadline} passed`, report);

    const due = plan.reminders.filter((r) => {
      if (r.status !== 'due') return false;
      const retry = this.retries.get(r.id);
      if (retry && retry.nextAt > nowMs) {
        later(retry.nextAt);
        return false;
      }
      return true;
    });
    let again = false;
    /** The budget ended this turn with reminders still due. */
    let cut = false;
    const undelivered: UndeliveredReminder[] = [];
    for (let i = 0; i < due.length && !this.stopping; i += this.claimBatch) {
      if (this.turnOver()) {
        cut = again = true;
        break;
      }
      const batch = due.slice(i, i + this.claimBatch);
      const claimed = await this.claimAll(batch);
      for (const r of batch) {
        if (!claimed.includes(r)) {
          report.busy.push(r.id);
          // Another process has it; look again next tick (its record will change the version anyway).
          later(nowMs + 1);
        }
      }
      if (!claimed.length) continue;
      // Re-read after claiming: a process that sent and released before our claim has recorded it.
      const fresh = await this.log.state(committee.id);
      const toSend: PlannedReminder[] = [];
      for (const r of claimed) {
        if (fresh.remindersDone.has(r.id)) {
          await this.release(r.id);
          continue;
        }
        const retry = await this.sharedRetry(r.id);
        if (retry && retry.nextAt > nowMs) {
          later(retry.nextAt);
          await this.release(r.id);
          continue;
        }
        toSend.push(r);
      }
      // Each send takes a slot of the process's and keeps it until the send is recorded: a crash
      // can leave only the sends then in flight unrecorded, to be sent again once their claims
      // expire. (Sends of several slots that finish together share one append in the committee log.)
      await Promise.all(
        toSend.map((r) =>
          this.slots.run(async () => {
            if (this.turnOver()) {
              cut = again = true;
              return this.release(r.id);
            }
            if (!(await this.maySend(r))) {
              again = true;
              return this.release(r.id);
            }
            this.sendsStarted++;
            const delivered: PlannedReminder[] = [];
            await this.send(committee, r, now, report, undelivered, delivered);
            if (delivered.length) await this.recordSent(committee.id, delivered);
          }),
        ),
      );
      for (const r of toSend) {
        const retry = this.retries.get(r.id);
        if (retry && retry.nextAt > nowMs) later(retry.nextAt);
      }
    }
    if (undelivered.length) await this.tellSecretaries(committee, undelivered);
    // If the only records since planning are this tick's own (reminders due now, now done), the
    // plan's next instant still holds: no need to plan this committee again next tick.
    const own = this.ownRecords.get(committee.id) ?? 0;
    this.ownRecords.delete(committee.id);
    // Claims given back unsent: plan this committee again next tick.
    if (again) {
      this.cache.delete(committee.id);
      return !cut;
    }
    let planned = version;
    if (own > 0 && (await this.log.state(committee.id)).version === version + own) planned = version + own;
    this.cache.set(committee.id, { version: planned, nextMs });
    return true;
  }

  private countOwn(committeeId: string, n: number): void {
    const c = this.ownRecords.get(committeeId);
    if (c !== undefined) this.ownRecords.set(committeeId, c + n);
  }

  private async claimAll(reminders: PlannedReminder[]): Promise<PlannedReminder[]> {
    const results = await Promise.all(
      reminders.map(async (r) => {
        const key = claimKey(r.id);
        const at = performance.now();
        const ok = await this.store.claim(key, this.owner, this.claimTtlMs);
        if (ok) this.held.set(key, at);
        return ok;
      }),
    );
    return reminders.filter((_, i) => results[i]);
  }

  /**
   * Whether a claimed reminder may be sent now, in its slot: not while stopping, not while an
   * earlier send is still unrecorded (at most one unrecorded per slot, even when the Store
   * fails), and not on a claim with half its ttl or less left (it may lapse mid-send and another
   * process take it). A reminder not sent is given back and planned again.
   */
  private async maySend(r: PlannedReminder): Promise<boolean> {
    if (this.stopping) return false;
    if (this.unrecorded.size > 0) {
      await this.recordUnrecorded();
      if (this.unrecorded.size > 0) return false;
    }
    const at = this.held.get(claimKey(r.id));
    return at !== undefined && performance.now() - at < this.claimTtlMs / 2;
  }

  private async release(reminderId: string): Promise<void> {
    const key = claimKey(reminderId);
    this.held.delete(key);
    await this.store.release(key, this.owner).catch((err) => this.logger.warn({ reminderId, err: errName(err) }, 'claim not released'));
  }

  private async sharedRetry(reminderId: string): Promise<RetryState | undefined> {
    const local = this.retries.get(reminderId);
    const stored = (await this.store.getValue(retryKey(reminderId)).catch(() => undefined)) as RetryState | undefined;
    const best = stored && (!local || stored.attempts > local.attempts) ? stored : local;
    if (best) this.retries.set(reminderId, best);
    return best;
  }

  /** Sends one reminder; a delivered one is added to `delivered`, to be recorded with the committee's others. */
  private async send(committee: Committee, r: PlannedReminder, now: Date, report: TickReport, undelivered: UndeliveredReminder[], delivered: PlannedReminder[]): Promise<void> {
    if (this.stopping) return this.release(r.id);
    const member = findMember(committee, r.recipientId);
    if (!member) {
      await this.drop(committee.id, [r], () => 'recipient not in the committee file', report);
      return this.release(r.id);
    }
    try {
      const identities = await this.core.identitiesOf(committee, member);
      await this.delivery.deliver(identities, reminderMessage(committee, r));
    } catch (err) {
      if (err instanceof UnreachableError) {
        report.unreachable.push(r.id);
        this.logger.warn({ committeeId: committee.id, reminderId: r.id, recipientId: r.recipientId }, 'reminder recipient unreachable');
        const reason = err.reason;
        if ((await this.drop(committee.id, [r], () => `unreachable: ${reason}`, report)).length) undelivered.push({ reminder: r, reason, unreachable: true });
      } else {
        const retry = this.retries.get(r.id) ?? { attempts: 0, nextAt: 0 };
        retry.attempts++;
        retry.nextAt = now.getTime() + Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (retry.attempts - 1));
        if (retry.attempts >= this.reportAfterFailures && !retry.reported) {
          retry.reported = true;
          undelivered.push({ reminder: r, reason: `${retry.attempts} försök att skicka har misslyckats`, unreachable: false });
        }
        this.retries.set(r.id, retry);
        await this.store.setValue(retryKey(r.id), retry).catch(() => undefined);
        report.failed.push(r.id);
        this.logger.warn({ committeeId: committee.id, reminderId: r.id, attempts: retry.attempts, err: errName(err) }, 'reminder not delivered, will retry');
      }
      return this.release(r.id);
    }
    report.sent.push(r.id);
    delivered.push(r);
    const hadFailed = this.retries.delete(r.id);
    // The attempts are shared through the Store; once sent they are of no use to anyone.
    if (hadFailed) await this.store.deleteValue(retryKey(r.id)).catch(() => undefined);
  }

  /**
   * Records a committee's delivered reminders in one append and releases their claims. If the
   * Store fails, the claims are kept (no other process sends them meanwhile) and the records are
   * tried again first thing next tick.
   */
  private async recordSent(committeeId: string, reminders: PlannedReminder[]): Promise<void> {
    try {
      const d = await this.log.execute(committeeId, SYSTEM, (s) => ({
        events: reminders.filter((r) => !s.remindersDone.has(r.id)).map((r) => ({ type: 'reminder.sent' as const, reminderId: r.id, recipientId: r.recipientId })),
        replies: [],
      }));
      this.countOwn(committeeId, d.events.length);
    } catch (err) {
      for (const r of reminders) this.unrecorded.set(r.id, { committeeId, reminder: r });
      this.logger.error({ committeeId, reminders: reminders.length, err: errName(err) }, 'reminders sent but not recorded');
      return;
    }
    for (const r of reminders) {
      this.unrecorded.delete(r.id);
      this.logger.info({ committeeId, reminderId: r.id, recipientId: r.recipientId, kind: r.kind }, 'reminder sent');
      await this.release(r.id);
    }
  }

  private async recordUnrecorded(): Promise<void> {
    const byCommittee = new Map<string, PlannedReminder[]>();
    for (const { committeeId, reminder } of this.unrecorded.values()) byCommittee.set(committeeId, [...(byCommittee.get(committeeId) ?? []), reminder]);
    // Still failing: the claims stay, the records are tried again next tick.
    for (const [committeeId, reminders] of byCommittee) await this.recordSent(committeeId, reminders);
  }

  /** Records the drops not already done, in one append; returns the ids this call recorded. */
  private async drop(committeeId: string, reminders: PlannedReminder[], reason: (r: PlannedReminder) => string, report: TickReport): Promise<string[]> {
    const d = await this.log.execute(committeeId, SYSTEM, (s) => ({
      events: reminders.filter((r) => !s.remindersDone.has(r.id)).map((r) => ({ type: 'reminder.dropped' as const, reminderId: r.id, reason: reason(r) })),
      replies: [],
    }));
    const ids = d.events.map((e) => (e.type === 'reminder.dropped' ? e.reminderId : ''));
    this.countOwn(committeeId, ids.length);
    const recorded = new Set(ids);
    for (const r of reminders) {
      if (!recorded.has(r.id)) continue;
      report.dropped.push(r.id);
      this.logger.info({ committeeId, reminderId: r.id, kind: r.kind, reason: reason(r).split(':')[0] }, 'reminder dropped');
    }
    return ids;
  }

  /** Tells the committee's secretaries which members could not be reached; never the one who is unreachable. */
  private async tellSecretaries(committee: Committee, undelivered: UndeliveredReminder[]): Promise<void> {
    const unreachable = new Set(undelivered.filter((u) => u.unreachable).map((u) => u.reminder.recipientId));
    const secretaries = committee.members.filter((m) => m.role === 'sekreterare' && !unreachable.has(m.id));
    if (secretaries.length === 0) {
      this.logger.error({ committeeId: committee.id, reminders: undelivered.map((u) => u.reminder.id) }, 'undelivered reminders and no secretary to tell');
      return;
    }
    const msg = undeliveredMessage(committee, undelivered);
    for (const s of secretaries) {
      try {
        await this.delivery.deliver(await this.core.identitiesOf(committee, s), msg);
      } catch (err) {
        this.logger.error({ committeeId: committee.id, memberId: s.id, err: errName(err) }, 'secretary not told of undelivered reminders');
      }
    }
  }
}

function errName(err: unknown): string {
  return err instanceof Error ? err.name : 'error';
}

/** At most `n` functions running at once; the others wait their turn, first come first served. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(n: number) {
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`sendConcurrency must be a whole number of at least 1, got ${n}`);
    this.free = n;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

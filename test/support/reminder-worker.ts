/**
 * One bot process for the multi-process reminder tests (test/store/redis-reminders-*.test.ts):
 * a Core and a Scheduler on a RedisStore, wired by the app's own `wireApp`, sending through an
 * adapter that records one line per delivery, in a Redis list or at an HTTP sink of the parent's.
 *
 *   node_modules/.bin/tsx test/support/reminder-worker.ts
 *
 * (The tests run it bundled: see test/support/reminder-processes.ts.)
 *
 * Environment:
 *   WORKER_REDIS_URL    the Redis (redis://…)
 *   WORKER_PREFIX       the store's key prefix; the delivery list is `<prefix>test:deliveries`
 *   WORKER_OWNER        the scheduler's claim owner (distinct per process)
 *   WORKER_NOW          the instant every tick runs at (ISO)
 *   WORKER_COMMITTEES   how many fleet committees to load (see `fleetCommittees`)
 *   WORKER_SINK_URL     optional: POST each delivery line there (and wait for the answer) instead
 *                       of the Redis list
 *   WORKER_RUN          "ticks" (default) or "until-stopped" (below)
 *   WORKER_CLAIM_TTL_MS the scheduler's claim ttl; default 60000
 *   WORKER_INTERVAL_MS  until-stopped: the scheduler's interval; default 50
 *
 * Protocol on stdout: "ready" once the store answers and the committees are built; then it waits
 * for a line "go" on stdin (so that the parent can start every process at the same moment).
 * - ticks: the clock stays at WORKER_NOW; it ticks until there is nothing left to do, prints
 *   "summary <json>" and exits 0.
 * - until-stopped: the clock runs on from WORKER_NOW in real time, and the scheduler runs as in the
 *   bot (`start()`), until a line "stop"; then `stop()`, the summary, exit 0.
 * Anything unexpected: the stack on stderr and exit 1. Stdin closed before "go" (the parent died): exit 2.
 *
 * A delivery line is "<owner> <platformUserId> <sha256 of the message's plain text, 16 hex>".
 * Console identities are "<committee>.<member>", unique across the fleet, and each member gets
 * one reminder in the wave, so the parent maps a line to a reminder id.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { wireApp } from '../../bin/app';
import type { ChatAdapter } from '../../src/core/adapter';
import { toPlainText, type Message } from '../../src/core/message';
import type { TickReport } from '../../src/core/scheduler';
import { ManualClock, type Clock } from '../../src/domain/clock';
import { committeeSchema, type Committee } from '../../src/domain/committee';
import { parseRedisUrl } from '../../src/store/redis-config';
import { openRedisStoreWithRetry } from '../../src/store/redis-store';

/**
 * The wave: every fleet committee meets on torsdag 2027-03-25; the kallelse must be out by
 * 2027-03-18 (seven days before), so every elected member is reminded the next working day at
 * the start of office hours: fredag 2027-03-19 08:00. The secretary's kallelse reminders are
 * turned off (they would be stale and dropped at that instant) and no ärende has a handläggare,
 * so the members' reminders are the only ones the plan holds at WAVE.
 */
export const WAVE = '2027-03-19T08:00:00+01:00';
export const FLEET_MEETING = 'm-2027-03-25';
/** Elected members per committee: ordförande, vice ordförande, 10 ledamöter, 9 ersättare. */
export const ELECTED_PER_COMMITTEE = 21;
/** The member of every committee whose reminder the parent records as sent before the wave. */
export const ALREADY_SENT_MEMBER = 'ers8';

export const deliveriesKey = (prefix: string) => `${prefix}test:deliveries`;
export const consoleId = (committeeId: string, memberId: string) => `${committeeId}.${memberId}`;
export const textHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Fleet committee i: the same in the parent and in every worker. */
export function fleetCommittee(i: number): Committee {
  const id = `fleet${String(i).padStart(3, '0')}`;
  const members = [
    { id: 'ordf', name: 'Ordförande', party: 'S', role: 'ordförande' },
    { id: 'vice', name: 'Vice ordförande', party: 'M', role: 'vice ordförande' },
    ...Array.from({ length: 10 }, (_, k) => ({ id: `led${k}`, name: `Ledamot ${k}`, party: k % 2 ? 'M' : 'S', role: 'ledamot' })),
    ...Array.from({ length: 9 }, (_, k) => ({ id: `ers${k}`, name: `Ersättare ${k}`, party: k % 2 ? 'M' : 'S', role: 'ersättare' })),
    { id: 'sekr', name: 'Sekreterare', role: 'sekreterare' },
  ].map((m) => ({ ...m, identities: { console: consoleId(id, m.id) } }));
  return committeeSchema.parse({
    id,
    name: `Nämnd ${i}`,
    shortName: `N${i}`,
    settings: { kallelseReminderDays: [] },
    members,
    meetings: [
      {
        id: FLEET_MEETING,
        date: '2027-03-25',
        start: '13:00',
        end: '16:00',
        place: 'Kommunhuset',
        items: Array.from({ length: 3 }, (_, n) => ({ lopnummer: `${n + 1}/27`, title: `Ärende ${n + 1}` })),
      },
    ],
  });
}

export function fleetCommittees(count: number): Committee[] {
  return Array.from({ length: count }, (_, i) => fleetCommittee(i));
}

/** What a worker prints when done. */
export interface WorkerSummary {
  owner: string;
  /** Reminder ids this process sent (delivered), over all ticks. */
  sent: string[];
  ticks: number;
  /** Per tick: sent, busy, deferred, planned. */
  perTick: { sent: number; busy: number; deferred: number; planned: number }[];
  failed: number;
  dropped: number;
  unreachable: number;
  /** Ticks run only because something this process sent was not yet recorded. */
  extraTicksForUnrecorded: number;
  /** Log lines at warn and above, counted by message. */
  warnings: Record<string, number>;
  /** From "go" to done. */
  ms: number;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

let stdinText = '';
const stdinLines: { word: string; resolve: () => void }[] = [];
/** Resolves on a line `word` on stdin; exits 2 if stdin ends first (the parent died). */
function waitForLine(word: string): Promise<void> {
  if (stdinLines.length === 0 && stdinText === '') {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      stdinText += chunk;
      for (const w of [...stdinLines]) if (stdinText.split('\n').includes(w.word)) w.resolve();
    });
    process.stdin.on('end', () => {
      if (stdinLines.some((w) => !stdinText.split('\n').includes(w.word))) process.exit(2);
    });
  }
  return new Promise((resolve) => {
    if (stdinText.split('\n').includes(word)) return resolve();
    stdinLines.push({ word, resolve });
  });
}

async function main(): Promise<void> {
  const url = env('WORKER_REDIS_URL');
  const prefix = env('WORKER_PREFIX');
  const owner = env('WORKER_OWNER');
  const now = new Date(env('WORKER_NOW'));
  const committees = fleetCommittees(Number(env('WORKER_COMMITTEES')));

  const opened = await openRedisStoreWithRetry(url, { prefix, startupTimeoutMs: 10_000, retryDelayMs: 200, connectionName: owner });
  const target = parseRedisUrl(url);
  if (target.mode !== 'standalone') throw new Error('the reminder worker needs a redis:// url');
  const recorder = new Redis({ host: target.host, port: target.port, db: target.db, username: target.username, password: target.password, maxRetriesPerRequest: 1 });
  const list = deliveriesKey(prefix);
  const sink = process.env.WORKER_SINK_URL;
  const untilStopped = process.env.WORKER_RUN === 'until-stopped';

  // The adapter: one line per delivery, written before sendPrivate resolves (so before the
  // scheduler records the reminder as sent).
  const adapter: ChatAdapter = {
    platform: 'console',
    start: async () => undefined,
    stop: async () => undefined,
    sendPrivate: async (platformUserId: string, message: Message) => {
      const line = `${owner} ${platformUserId} ${textHash(toPlainText(message))}`;
      if (!sink) {
        await recorder.rpush(list, line);
        return;
      }
      const res = await fetch(sink, { method: 'POST', body: line });
      await res.text();
      if (!res.ok) throw new Error(`the sink answered ${res.status}`);
    },
  };
  const warnings: Record<string, number> = {};
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const msg = (JSON.parse(line) as { msg?: string }).msg ?? '?';
        warnings[msg] = (warnings[msg] ?? 0) + 1;
      }
      done();
    },
  });
  const logger = pino({ level: 'warn' }, logStream);

  const manual = new ManualClock(now);
  let started = 0;
  // until-stopped: the time runs on from `now` once "go" came (busy committees are planned again when it moves).
  const clock: Clock = untilStopped ? { now: () => new Date(now.getTime() + (started ? performance.now() - started : 0)) } : manual;
  const summary: WorkerSummary = { owner, sent: [], ticks: 0, perTick: [], failed: 0, dropped: 0, unreachable: 0, extraTicksForUnrecorded: 0, warnings, ms: 0 };
  const onTick = (r: TickReport) => {
    summary.ticks++;
    summary.perTick.push({ sent: r.sent.length, busy: r.busy.length, deferred: r.deferred, planned: r.planned });
    summary.sent.push(...r.sent);
    summary.failed += r.failed.length;
    summary.dropped += r.dropped.length;
    summary.unreachable += r.unreachable.length;
  };
  const claimTtlMs = Number(process.env.WORKER_CLAIM_TTL_MS ?? 60_000);
  const intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 50);
  const { core, store, delivery, scheduler } = wireApp({ committees, store: opened, clock, logger, processMetrics: false, scheduler: { owner, claimTtlMs, intervalMs, onTick } });
  delivery.register(adapter);
  await store.ping();
  out('ready');
  await waitForLine('go');
  started = performance.now();
  const finish = async () => {
    await scheduler.stop();
    summary.ms = Math.round(performance.now() - started);
    recorder.disconnect();
    await store.close();
    out(`summary ${JSON.stringify(summary)}`);
  };
  if (untilStopped) {
    scheduler.start();
    await waitForLine('stop');
    return finish();
  }

  const committeeOf = new Map<string, string>();
  const active = (r: TickReport) => r.sent.length + r.busy.length + r.deferred > 0;
  /** What this process delivered and the Store does not yet hold as sent (its record lost a race). */
  const unrecorded = async () => {
    const missing: string[] = [];
    for (const id of summary.sent) if (!(await core.log.state(committeeOf.get(id)!)).remindersDone.has(id)) missing.push(id);
    return missing;
  };
  for (;;) {
    if (summary.ticks >= 200) throw new Error(`still busy after ${summary.ticks} ticks`);
    const r = await scheduler.tick();
    for (const id of r.sent) committeeOf.set(id, id.slice(0, id.indexOf(':')));
    if (active(r)) continue;
    // Nothing sent, busy or deferred. A send whose record ran out of conflict retries is recorded
    // at the start of the next tick (the scheduler keeps its claim meanwhile): tick until the
    // Store holds every one, so that no claim is left to expire behind this process.
    if ((await unrecorded()).length === 0) break;
    summary.extraTicksForUnrecorded++;
  }
  await finish();
}

// Only when run as a script: the test imports the fleet from here.
if (require.main === module) {
  // A hung worker must not outlive the test: give up after 2 minutes (unref: never keeps it alive).
  setTimeout(() => {
    process.stderr.write('reminder worker: gave up after 120 s\n');
    process.exit(3);
  }, 120_000).unref();
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

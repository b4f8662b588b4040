/**
 * Three bot processes on one Redis, 1,000 reminders falling due at the same instant: each is
 * delivered exactly once and recorded as sent exactly once.
 *
 * The processes are real child processes (test/support/reminder-worker.ts, run with tsx), each
 * with its own RedisStore connection, Core, Scheduler (its own claim owner) and ManualClock set to
 * the same instant. They start together (each says "ready", then all are told "go") and tick
 * until nothing is left. Their adapters append one line per delivery to a Redis list; the test
 * counts deliveries per reminder across all processes, and `reminder.sent` records per reminder
 * in the committees' streams.
 *
 * The wave: 50 committees × 21 elected members get the kallelse.members reminder at fredag
 * 2027-03-19 08:00. One member per committee was already reminded (recorded here before the
 * workers start, as if by an earlier process), which leaves exactly 50 × 20 = 1,000 due; the
 * parent checks that with planReminders on the state in Redis before starting the workers.
 *
 * NAMNDBOT_TEST_VERBOSE=1 prints the timing and how the reminders were shared out.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { Core } from '../../src/core/core';
import { reminderMessage } from '../../src/core/handlers/reminder-messages';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { planReminders, type PlannedReminder } from '../../src/domain/plan';
import { openRedisStoreWithRetry, type RedisStore } from '../../src/store/redis-store';
import { adminClient, deleteKeys, describeRedis, keysUnder, REDIS_TEST_URL, uniquePrefix } from '../support/redis';
import {
  ALREADY_SENT_MEMBER,
  consoleId,
  deliveriesKey,
  ELECTED_PER_COMMITTEE,
  fleetCommittees,
  textHash,
  WAVE,
  type WorkerSummary,
} from '../support/reminder-worker';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const WORKER = path.join(ROOT, 'test/support/reminder-worker.ts');

const COMMITTEES = 50;
const PROCESSES = 3;
const DUE = 1000;
/** Starting three tsx processes on a loaded machine takes a while; this is before the clock below starts. */
const READY_WITHIN_MS = 45_000;
/** From "go" until every worker has exited. */
const DONE_WITHIN_MS = 60_000;
const VERBOSE = !!process.env.NAMNDBOT_TEST_VERBOSE;

interface Worker {
  owner: string;
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startWorker(owner: string, prefix: string): Worker {
  const child = spawn(TSX, [WORKER], {
    cwd: ROOT,
    env: {
      ...process.env,
      WORKER_REDIS_URL: REDIS_TEST_URL,
      WORKER_PREFIX: prefix,
      WORKER_OWNER: owner,
      WORKER_NOW: WAVE,
      WORKER_COMMITTEES: String(COMMITTEES),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: tsx runs the script in a child of its own, and a kill must reach both.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.split('\n').includes('ready')) resolve();
    });
    void exited.then((e) => reject(new Error(`worker ${owner} exited before it was ready (code ${e.code}, signal ${e.signal}):\n${e.stderr}`)), reject);
  });
  ready.catch(() => undefined);
  return { owner, child, ready, exited };
}

/** Kills a worker's process group (tsx and the script it runs) if it is still there. */
function killWorker(w: Worker): void {
  if (w.child.exitCode !== null || w.child.signalCode !== null || w.child.pid === undefined) return;
  try {
    process.kill(-w.child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
    }),
  ]);
}

function countBy<T>(items: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

describeRedis('Three bot processes on one Redis: 1,000 reminders due at once', () => {
  let prefix: string;
  let store: RedisStore | undefined;
  const workers: Worker[] = [];

  afterAll(async () => {
    workers.forEach(killWorker);
    await store?.close();
    if (prefix) await deleteKeys(prefix);
  });

  it('sends each reminder exactly once across the three processes, and each process takes part', async () => {
    const t0 = performance.now();
    prefix = uniquePrefix('reminders-mp');
    const committees = fleetCommittees(COMMITTEES);
    const now = new Date(WAVE);
    store = await openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, startupTimeoutMs: 5000 });
    const core = new Core({ committees, store, clock: new ManualClock(WAVE) });

    // Start the workers first: tsx needs a few seconds, in which the parent seeds and checks.
    for (let i = 1; i <= PROCESSES; i++) workers.push(startWorker(`bot-${i}`, prefix));

    // Seed: one member per committee was reminded already, by an earlier process.
    const plan = async (c: Committee) => planReminders({ committee: c, state: await core.log.state(c.id), now });
    for (const c of committees) {
      const before = (await plan(c)).filter((r) => r.status === 'due');
      expect(before).toHaveLength(ELECTED_PER_COMMITTEE);
      const r = before.find((x) => x.recipientId === ALREADY_SENT_MEMBER)!;
      await core.log.execute(c.id, { via: 'system' }, () => ({ events: [{ type: 'reminder.sent', reminderId: r.id, recipientId: r.recipientId }], replies: [] }));
    }

    // Exactly 1,000 due at WAVE, nothing else in the plan that a tick would act on.
    const expected = new Map<string, { reminder: PlannedReminder; hash: string }>(); // console id → reminder
    const seeded = new Set<string>();
    for (const c of committees) {
      const reminders = await plan(c);
      expect(reminders.filter((r) => r.status === 'stale' || r.status === 'superseded')).toEqual([]);
      for (const r of reminders) {
        if (r.status !== 'due') continue;
        expect(r.kind).toBe('kallelse.members');
        const who = consoleId(c.id, r.recipientId);
        expect(expected.has(who)).toBe(false);
        expected.set(who, { reminder: r, hash: textHash(toPlainText(reminderMessage(c, r))) });
      }
      for (const id of (await core.log.state(c.id)).remindersDone.keys()) seeded.add(id);
    }
    expect(expected.size).toBe(DUE);
    expect(seeded.size).toBe(COMMITTEES);
    const dueIds = new Set([...expected.values()].map((e) => e.reminder.id));
    expect(dueIds.size).toBe(DUE);

    // All ready, then all at once.
    await within(Promise.all(workers.map((w) => w.ready)), READY_WITHIN_MS, 'starting the workers');
    const tReady = performance.now();
    for (const w of workers) w.child.stdin.write('go\n');
    const results = await within(Promise.all(workers.map((w) => w.exited)), DONE_WITHIN_MS, 'the workers’ ticks').catch((err: unknown) => {
      workers.forEach(killWorker);
      throw err;
    });
    const tDone = performance.now();
    results.forEach((r, i) => {
      if (r.code !== 0) throw new Error(`worker ${workers[i]!.owner} exited with code ${r.code} (signal ${r.signal}):\n${r.stderr}`);
    });
    const summaries: WorkerSummary[] = results.map((r) => {
      const line = r.stdout.split('\n').find((l) => l.startsWith('summary '));
      if (!line) throw new Error(`a worker printed no summary:\n${r.stdout}\n${r.stderr}`);
      return JSON.parse(line.slice('summary '.length)) as WorkerSummary;
    });

    // Deliveries, as the adapters of all three processes saw them.
    const admin = adminClient();
    const lines = await admin.lrange(deliveriesKey(prefix), 0, -1).finally(() => admin.disconnect());
    const delivered: string[] = [];
    const byOwner = new Map<string, string[]>();
    const strays: string[] = [];
    for (const line of lines) {
      const [owner, who, hash] = line.split(' ');
      const e = expected.get(who!);
      if (!e) {
        strays.push(line);
        continue;
      }
      // The member got the very message the plan holds for them.
      expect(hash).toBe(e.hash);
      delivered.push(e.reminder.id);
      byOwner.set(owner!, [...(byOwner.get(owner!) ?? []), e.reminder.id]);
    }
    // Nobody else was written to: not the member reminded before, not the secretary.
    expect(strays).toEqual([]);
    const deliveries = countBy(delivered);
    const duplicates = [...deliveries].filter(([, n]) => n > 1);
    const missing = [...dueIds].filter((id) => !deliveries.has(id));
    expect({ duplicates: duplicates.length, missing: missing.length, examples: [...duplicates.slice(0, 3), ...missing.slice(0, 3)] }).toEqual({ duplicates: 0, missing: 0, examples: [] });
    expect(lines).toHaveLength(DUE);

    // Records: exactly one reminder.sent per reminder, and nothing else was recorded.
    const sentRecords: string[] = [];
    for (const c of committees) {
      for (const e of await store.readEvents(c.id, 0)) {
        expect(e.type).toBe('reminder.sent');
        if (e.type === 'reminder.sent') sentRecords.push(e.reminderId);
      }
    }
    const records = countBy(sentRecords);
    const notOnce = [...records].filter(([, n]) => n !== 1);
    expect({ recordedMoreThanOnce: notOnce.length, examples: notOnce.slice(0, 3) }).toEqual({ recordedMoreThanOnce: 0, examples: [] });
    expect(new Set(records.keys())).toEqual(new Set([...dueIds, ...seeded]));

    // What each process says it sent is what its adapter delivered.
    for (const s of summaries) {
      expect([...s.sent].sort()).toEqual([...(byOwner.get(s.owner) ?? [])].sort());
      expect({ owner: s.owner, failed: s.failed, dropped: s.dropped, unreachable: s.unreachable }).toEqual({ owner: s.owner, failed: 0, dropped: 0, unreachable: 0 });
    }
    // Every claim was released, and no retry state was left behind.
    expect(await keysUnder(`${prefix}claim:`)).toEqual([]);
    expect(await keysUnder(`${prefix}value:`)).toEqual([]);

    if (VERBOSE) {
      const share = summaries.map((s) => `${s.owner} ${s.sent.length} in ${s.ticks} ticks / ${s.ms} ms${s.extraTicksForUnrecorded ? ` (+${s.extraTicksForUnrecorded} to record)` : ''}${Object.keys(s.warnings).length ? ` ${JSON.stringify(s.warnings)}` : ''}`);
      process.stderr.write(
        `multi-process reminders: seed+start ${((tReady - t0) / 1000).toFixed(1)} s, ticks ${((tDone - tReady) / 1000).toFixed(1)} s; ${share.join('; ')}\n` +
          summaries.map((s) => `  ${s.owner}: ${s.perTick.map((t) => `${t.sent}/${t.busy}/${t.deferred}/${t.planned}`).join(' ')}`).join('\n') +
          '\n',
      );
    }

    // All three took part. Not flaky by nature: they start on "go", after their set-up, and the
    // wave takes 1.5–3 s, far longer than a process needs to reach its first committee. Claims
    // for one committee are taken in one burst, so a process tends to win a committee's 20 at
    // once; on a loaded 2-core machine each process sent 180–480 of the 1,000 (nine runs).
    for (const s of summaries) expect({ owner: s.owner, sent: s.sent.length > 0 }).toEqual({ owner: s.owner, sent: true });
  }, 150_000);
});

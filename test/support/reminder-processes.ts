/**
 * The parent's side of the multi-process reminder tests (test/store/redis-reminders-*.test.ts):
 * the worker (test/support/reminder-worker.ts) built once into one JavaScript file and started as
 * real child processes, killed with SIGKILL, and the wave of 1,000 reminders those tests send.
 *
 * The worker is bundled with esbuild (which tsx itself compiles with) from the sources as they are
 * now, so a change to the scheduler is what the workers run. A bundled worker starts in well under
 * a second where tsx needs several on a loaded machine: the kill test restarts one repeatedly.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wireApp } from '../../bin/app';
import type { Core } from '../../src/core/core';
import { reminderMessage } from '../../src/core/handlers/reminder-messages';
import { silentLogger } from '../../src/core/logger';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { planReminders, type PlannedReminder } from '../../src/domain/plan';
import { openRedisStoreWithRetry, type RedisStore } from '../../src/store/redis-store';
import { deleteKeys, REDIS_TEST_URL, uniquePrefix } from './redis';
import { ALREADY_SENT_MEMBER, consoleId, ELECTED_PER_COMMITTEE, fleetCommittees, textHash, WAVE } from './reminder-worker';

const ROOT = path.resolve(__dirname, '../..');

/** Builds the worker into `dir`/reminder-worker.js and returns its path. */
export function bundleWorker(dir: string): string {
  const out = path.join(dir, 'reminder-worker.js');
  const r = spawnSync(
    path.join(ROOT, 'node_modules/.bin/esbuild'),
    [path.join(ROOT, 'test/support/reminder-worker.ts'), '--bundle', '--platform=node', '--target=node20', `--outfile=${out}`, '--log-level=warning'],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`bundling the reminder worker failed: ${r.stderr || r.error?.message}`);
  return out;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Worker {
  owner: string;
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the worker printed "ready". */
  ready: Promise<void>;
  exited: Promise<WorkerExit>;
  /** Writes one line to the worker's stdin ("go", "stop"). */
  say(line: string): void;
}

/** Starts the bundled worker `script` as `owner`; `env` adds to the WORKER_ variables (see the worker). */
export function startWorker(script: string, owner: string, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, WORKER_OWNER: owner, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a kill reaches everything it started.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  // A worker killed while the parent writes to it: nothing to report.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<WorkerExit>((resolve, reject) => {
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
  return { owner, child, ready, exited, say: (line) => child.stdin.write(`${line}\n`) };
}

/** SIGKILLs a worker's process group if it is still there. */
export function killWorker(w: Worker): void {
  if (w.child.exitCode !== null || w.child.signalCode !== null || w.child.pid === undefined) return;
  try {
    process.kill(-w.child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The worker's "summary <json>" line, or an error with its output when it failed. */
export function summaryOf<T>(w: Worker, e: WorkerExit): T {
  if (e.code !== 0) throw new Error(`worker ${w.owner} exited with code ${e.code} (signal ${e.signal}):\n${e.stderr}`);
  const line = e.stdout.split('\n').find((l) => l.startsWith('summary '));
  if (!line) throw new Error(`worker ${w.owner} printed no summary:\n${e.stdout}\n${e.stderr}`);
  return JSON.parse(line.slice('summary '.length)) as T;
}

export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
    }),
  ]);
}

export function countBy<T>(items: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** The wave as the parent sets it up and expects it. */
export interface Wave {
  /** Console id of each member due → their reminder and the hash of its text. */
  expected: Map<string, { reminder: PlannedReminder; hash: string }>;
  /** The ids of the reminders due. */
  dueIds: Set<string>;
  /** The reminders recorded as sent before the wave (one per committee). */
  seeded: Set<string>;
}

/**
 * Seeds the wave on `core`'s store: one member per committee was reminded already (by an earlier
 * process), which leaves exactly ELECTED_PER_COMMITTEE - 1 due per committee at WAVE, and nothing
 * else a tick would act on. Checks that with planReminders on the stored state.
 */
export async function seedWave(core: Core, committees: Committee[]): Promise<Wave> {
  const now = new Date(WAVE);
  const plan = async (c: Committee) => planReminders({ committee: c, state: await core.log.state(c.id), now });
  for (const c of committees) {
    const before = (await plan(c)).filter((r) => r.status === 'due');
    expect(before).toHaveLength(ELECTED_PER_COMMITTEE);
    const r = before.find((x) => x.recipientId === ALREADY_SENT_MEMBER)!;
    await core.log.execute(c.id, { via: 'system' }, () => ({ events: [{ type: 'reminder.sent', reminderId: r.id, recipientId: r.recipientId }], replies: [] }));
  }
  const expected: Wave['expected'] = new Map();
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
  expect(expected.size).toBe(committees.length * (ELECTED_PER_COMMITTEE - 1));
  expect(seeded.size).toBe(committees.length);
  const dueIds = new Set([...expected.values()].map((e) => e.reminder.id));
  expect(dueIds.size).toBe(expected.size);
  return { expected, dueIds, seeded };
}

/** A test's fleet on the shared test Redis under a prefix of its own, and the workers it starts. */
export interface Fleet {
  prefix: string;
  committees: Committee[];
  store: RedisStore;
  /** The parent's Core on the same store, its clock at WAVE: seeds and reads. */
  core: Core;
  /** Every worker started, killed or not. */
  workers: Worker[];
  /** Starts a worker on this fleet; `env` adds to the fleet's WORKER_ variables. */
  start(owner: string, env?: Record<string, string>): Worker;
  /** Kills every worker, closes the store, deletes the keys and the bundle. */
  cleanup(): Promise<void>;
}

export async function openFleet(label: string, committeeCount: number): Promise<Fleet> {
  const prefix = uniquePrefix(label);
  const committees = fleetCommittees(committeeCount);
  const store = await openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, startupTimeoutMs: 5000 });
  const dir = await mkdtemp(path.join(tmpdir(), `namndbot-${label}-`));
  const workers: Worker[] = [];
  const base = { WORKER_REDIS_URL: REDIS_TEST_URL, WORKER_PREFIX: prefix, WORKER_NOW: WAVE, WORKER_COMMITTEES: String(committeeCount) };
  let script: string | undefined;
  return {
    prefix,
    committees,
    store,
    core: wireApp({ committees, store, clock: new ManualClock(WAVE), logger: silentLogger, processMetrics: false }).core,
    workers,
    start(owner, env = {}) {
      script ??= bundleWorker(dir);
      const w = startWorker(script, owner, { ...base, ...env });
      workers.push(w);
      return w;
    },
    async cleanup() {
      workers.forEach(killWorker);
      await store.close();
      await deleteKeys(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

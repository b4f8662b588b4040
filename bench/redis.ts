/**
 * The Redis store under the core: the same 20,000 commands as bench/core.ts (jäv declarations
 * and övriga frågor through `Core.handle`), sequential and at 50 concurrent, on the embedded
 * file store, on the Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379) as it is
 * configured, and on a redis-server of our own with AOF and appendfsync always (the durable
 * setting, comparable to the file store's fsync). Next to them, as the baseline,
 * `redis-benchmark -t set -c 50 -n 100000 -q` on the same server, and the core on a Store in
 * memory without I/O: the ceiling one process reaches whatever the store. The comparison the
 * target is about (the core at 50 concurrent against redis-benchmark) runs in rounds, each
 * right after the other, and is reported as medians.
 *
 *   npm run bench -- redis            (or: npx tsx bench/redis.ts)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Core } from '../src/core/core';
import { ManualClock } from '../src/domain/clock';
import { FileStore } from '../src/store/file-store';
import { parseRedisUrl } from '../src/store/redis-config';
import { openRedisStoreWithRetry, type RedisPersistence, type RedisStore } from '../src/store/redis-store';
import { newEventSchema, type NewEvent, type StoredEvent } from '../src/domain/records';
import { AlreadyMarkedError, type OnceMark, type Store, VersionConflictError } from '../src/store/store';
import { benchCommands, benchCommittee, drive, type RunResult } from './core';
import { formatRate, median } from './stats';

const NOW = '2027-05-01T10:00:00+02:00';
/** Rounds of redis-benchmark and the core at 50 concurrent, one after the other. */
const ROUNDS = 3;


/** The run with the median throughput (its latencies with it). */
function medianRun(runs: RunResult[]): RunResult {
  return [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((runs.length - 1) / 2)]!;
}
const BENCHMARK_KEY = 'key:__rand_int__';
const recorded = (text: string) => text.startsWith('Jäv anmält') || text.startsWith('Din övriga fråga');

interface Baseline {
  perSecond: number;
  p50?: number;
}

/** `redis-benchmark -t set -c 50 -n 100000 -q` against host:port; its SET ops/s. */
function redisBenchmark(host: string, port: number, auth: { username?: string; password?: string } = {}): Promise<Baseline | string> {
  return new Promise((resolve) => {
    const args = [
      ...['-h', host, '-p', String(port), '-t', 'set', '-c', '50', '-n', '100000', '-q'],
      ...(auth.username ? ['--user', auth.username] : []),
      ...(auth.password ? ['-a', auth.password, '--no-auth-warning'] : []),
    ];
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => resolve(`redis-benchmark could not be started (${err.message})`));
    child.on('close', (code) => {
      // -q prints progress with \r and ends with e.g. "SET: 140845.08 requests per second, p50=0.183 msec".
      const matches = [...out.matchAll(/SET: ([\d.]+) requests per second(?:, p50=([\d.]+) msec)?/g)];
      const last = matches[matches.length - 1];
      if (!last) return resolve(`redis-benchmark gave no SET figure (exit ${code}): ${out.trim().slice(-200)}`);
      resolve({ perSecond: Number(last[1]), ...(last[2] ? { p50: Number(last[2]) } : {}) });
    });
  });
}

/** Deletes every key under `prefix` through the store's own connection. */
async function deleteUnder(store: RedisStore): Promise<void> {
  const client = store.redis;
  if (!('scan' in client)) return;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${store.prefix}*`, 'COUNT', 1000);
    if (keys.length) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * A Store that only keeps things in memory, without I/O: what the core alone manages in this
 * process, so that the stores' own cost can be read off the figures. Not for anything else.
 */
class CeilingStore implements Store {
  readonly kind = 'memory';
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly marks = new Set<string>();
  async readEvents(stream: string, afterSeq: number): Promise<StoredEvent[]> {
    return (this.streams.get(stream) ?? []).slice(afterSeq);
  }
  async append(stream: string, events: NewEvent[], expectedSeq?: number, marks: readonly OnceMark[] = []): Promise<StoredEvent[]> {
    const list = this.streams.get(stream) ?? [];
    if (expectedSeq !== undefined && expectedSeq !== list.length) throw new VersionConflictError(stream, expectedSeq, list.length);
    const seen = marks.filter((m) => this.marks.has(m.key)).map((m) => m.key);
    if (seen.length) throw new AlreadyMarkedError(seen);
    for (const m of marks) this.marks.add(m.key);
    const stored = events.map((e, i) => ({ ...newEventSchema.parse(e), seq: list.length + i + 1 }) as StoredEvent);
    list.push(...stored);
    this.streams.set(stream, list);
    return stored;
  }
  async listStreams(): Promise<string[]> {
    return [...this.streams.keys()];
  }
  async claim(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
  async markOnce(key: string): Promise<boolean> {
    if (this.marks.has(key)) return false;
    this.marks.add(key);
    return true;
  }
  async unmark(key: string): Promise<void> {
    this.marks.delete(key);
  }
  async getValue(): Promise<unknown> {
    return undefined;
  }
  async setValue(): Promise<void> {}
  async deleteValue(): Promise<void> {}
  async valueKeys(): Promise<string[]> {
    return [];
  }
  async redact(): Promise<void> {}
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

async function run(store: Store, concurrency: number): Promise<RunResult> {
  const core = new Core({ committees: [benchCommittee()], store, clock: new ManualClock(NOW) });
  return drive(core, benchCommands(), concurrency, recorded);
}

async function onFileStore(concurrency: number): Promise<RunResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-'));
  const store = await FileStore.open({ dataDir: dir });
  try {
    return await run(store, concurrency);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function onRedis(url: string, concurrency: number): Promise<RunResult> {
  const store = await openRedisStoreWithRetry(url, { prefix: `namndbot-bench:${randomBytes(4).toString('hex')}:`, startupTimeoutMs: 5000 });
  try {
    return await run(store, concurrency);
  } finally {
    await deleteUnder(store);
    await store.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server with AOF and appendfsync always in a temporary directory; undefined without the binary. */
async function durableServer(): Promise<{ url: string; port: number; stop(): Promise<void> } | undefined> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], {
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode === null) await new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGTERM'));
    await rm(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  try {
    // openRedisStoreWithRetry waits until it answers.
    const probe = await openRedisStoreWithRetry(url, { startupTimeoutMs: 10_000, retryDelayMs: 100 });
    await probe.close();
    return { url, port, stop };
  } catch {
    await stop();
    return undefined;
  }
}

function describePersistence(p: RedisPersistence): string {
  if (p.aof === false) return 'utan AOF (appendonly no)';
  if (p.aof === undefined) return 'persistens okänd';
  return `AOF, appendfsync ${p.appendfsync ?? 'okänt'}`;
}

const row = (name: string, r: RunResult, baseline?: Baseline) =>
  `  ${name.padEnd(34)} ${formatRate(r.perSecond)} kommandon/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms` +
  (baseline ? `   ${((100 * r.perSecond) / baseline.perSecond).toFixed(1)} % av rå SET` : '') +
  (r.failures ? `   FEL: ${r.failures}` : '');

export async function benchRedis(): Promise<string[]> {
  const url = process.env.BENCH_REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  const target = parseRedisUrl(url);
  const lines: string[] = [];
  let shared: RedisStore;
  try {
    shared = await openRedisStoreWithRetry(target, { prefix: 'namndbot-bench-probe:', startupTimeoutMs: 3000, retryDelayMs: 500 });
  } catch (err) {
    return [
      `Redis-mätningen kördes inte: ingen Redis svarar på ${url} (${err instanceof Error ? err.message : String(err)}).`,
      '  Starta en: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
      '  eller ange BENCH_REDIS_URL.',
    ];
  }
  const persistence = await shared.persistence().catch(() => ({ aof: undefined, appendfsync: undefined }));
  await shared.close();

  const commands = benchCommands().length;
  lines.push(`Kärnan på Redis och på den inbyggda lagringen: ${commands} kommandon (10 000 jäv + 10 000 övriga frågor) genom Core.handle`);

  const ceilingSeq = await run(new CeilingStore(), 1);
  const ceiling50 = await run(new CeilingStore(), 50);
  const fileSeq = await onFileStore(1);
  const file50 = await onFileStore(50);
  const redisSeq = await onRedis(url, 1);

  // The comparison the target is about, in rounds: redis-benchmark, then the core on the same
  // server right after it. One run of either moves by a third from run to run on a small shared
  // machine; the rounds' medians, and the median of the per-round ratios, move far less.
  let baseline: Baseline | string = 'only for redis:// (one server)';
  const rounds: { base?: Baseline; ours: RunResult }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let base: Baseline | string | undefined;
    if (target.mode === 'standalone' && !target.tls) {
      // redis-benchmark writes the key "key:__rand_int__"; remove it afterwards unless it was there before.
      const admin = await openRedisStoreWithRetry(target, { prefix: 'namndbot-bench-probe:', startupTimeoutMs: 3000 });
      const existed = (await admin.redis.exists(BENCHMARK_KEY)) === 1;
      base = await redisBenchmark(target.host, target.port, target);
      if (!existed) await admin.redis.del(BENCHMARK_KEY);
      await admin.close();
      if (typeof base === 'string') baseline = base;
    }
    rounds.push({ ...(base && typeof base !== 'string' ? { base } : {}), ours: await onRedis(url, 50) });
  }
  const redis50 = medianRun(rounds.map((x) => x.ours));
  const bases = rounds.flatMap((x) => (x.base ? [x.base.perSecond] : []));
  if (bases.length === ROUNDS) baseline = { perSecond: median(bases) };
  const base = typeof baseline === 'string' ? undefined : baseline;
  const ratios = rounds.flatMap((x) => (x.base ? [x.ours.perSecond / x.base.perSecond] : []));

  lines.push(`  kärnan ensam, lagring i minnet utan I/O (taket för en process på den här maskinen):`);
  lines.push(row('  i följd', ceilingSeq));
  lines.push(row('  50 samtidiga', ceiling50));
  lines.push(`  inbyggd lagring (fsync per skrivning):`);
  lines.push(row('  i följd', fileSeq));
  lines.push(row('  50 samtidiga', file50));
  lines.push(`  Redis på ${url}, ${describePersistence(persistence)}:`);
  lines.push(row('  i följd', redisSeq, base));
  lines.push(row(`  50 samtidiga (median, ${ROUNDS} omg.)`, redis50, base));

  const durable = target.mode === 'standalone' && !target.tls ? await durableServer() : undefined;
  let durable50: RunResult | undefined;
  let durableBase: Baseline | string | undefined;
  if (durable) {
    try {
      durableBase = await redisBenchmark('127.0.0.1', durable.port);
      const seq = await onRedis(durable.url, 1);
      durable50 = await onRedis(durable.url, 50);
      const b = typeof durableBase === 'string' ? undefined : durableBase;
      lines.push(`  egen redis-server, AOF med appendfsync always (varje skrivning på disk innan svar):`);
      lines.push(row('  i följd', seq, b));
      lines.push(row('  50 samtidiga', durable50, b));
    } finally {
      await durable.stop();
    }
  }

  lines.push(
    typeof baseline === 'string'
      ? `  baslinje redis-benchmark: ${baseline}`
      : `  baslinje: redis-benchmark -t set -c 50 -n 100000 -q på ${url}, median av ${ROUNDS} omgångar: ${formatRate(baseline.perSecond)} SET/s (${bases.map((b) => Math.round(b)).join(', ')})`,
  );
  if (durableBase !== undefined) {
    lines.push(
      typeof durableBase === 'string'
        ? `  baslinje (AOF always): ${durableBase}`
        : `  baslinje (AOF always): redis-benchmark -t set -c 50 -n 100000 -q: ${formatRate(durableBase.perSecond)} SET/s${durableBase.p50 !== undefined ? `, p50 ${durableBase.p50} ms` : ''}`,
    );
  }
  if (base) {
    const share = median(ratios);
    lines.push(
      `  mål: ≥ 20 % av rå SET/s vid 50 samtidiga: ${(share * 100).toFixed(1)} % (median av omgångarnas kvoter: ${ratios.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}) (${share >= 0.2 ? 'uppfyllt' : 'EJ uppfyllt'})`,
    );
    lines.push(`  (kärnan ensam i minnet når ${((100 * ceiling50.perSecond) / base.perSecond).toFixed(1)} % av rå SET/s; Redis-lagringen når ${((100 * redis50.perSecond) / ceiling50.perSecond).toFixed(0)} % av kärnans tak)`);
  }
  return lines;
}

if (require.main === module) {
  benchRedis().then(
    (lines) => process.stdout.write(`${lines.join('\n')}\n`),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

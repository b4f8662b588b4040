/**
 * Redis for the tests: finds out whether a Redis answers, picks describe or describe.skip for
 * the Redis suites, gives every store its own key prefix and deletes its keys afterwards.
 *
 * Where no Redis answers and CI is not "true", the Redis suites are skipped and a message says
 * which and how to run them. With CI=true a missing Redis (or redis-server binary, for the
 * suites that start their own servers) fails the run.
 *
 * NAMNDBOT_TEST_REDIS_URL points the tests at another server (default redis://127.0.0.1:6379).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { parseRedisUrl } from '../../src/store/redis-config';
import { openRedisStoreWithRetry, type RedisStore } from '../../src/store/redis-store';

export const REDIS_TEST_URL = process.env.NAMNDBOT_TEST_REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';
/** One id per test process, so that runs (and parallel jest workers) never share keys. */
const RUN_ID = randomBytes(6).toString('hex');

const HOW_TO_RUN = [
  'To run them, start a Redis and run the Redis suites:',
  '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  '  npx jest test/store/redis',
  '(install it with: apt-get install redis-server redis-tools; or set NAMNDBOT_TEST_REDIS_URL).',
].join('\n');

interface Probe {
  ok: boolean;
  detail: string;
}

// Synchronous, because jest collects describe blocks synchronously. A child node process sends
// PING over a plain socket; NOAUTH also means a server is there.
const PROBE_SCRIPT = `
const net = require('node:net');
const [host, port] = [process.argv[1], Number(process.argv[2])];
const s = net.connect({ host, port });
const fail = (m) => { process.stdout.write('fail ' + m); process.exit(0); };
s.setTimeout(1500, () => fail('no answer within 1.5 s'));
s.on('error', (e) => fail(e.code || e.message));
s.on('connect', () => s.write('PING\\r\\n'));
s.on('data', (d) => { const t = d.toString(); if (/^(\\+PONG|-NOAUTH)/.test(t)) { process.stdout.write('ok'); process.exit(0); } fail('unexpected answer ' + JSON.stringify(t.slice(0, 40))); });
`;

function probeRedis(): Probe {
  const cached = process.env.NAMNDBOT_REDIS_PROBE;
  if (cached) return { ok: cached === 'ok', detail: cached.replace(/^fail /, '') };
  let result: Probe;
  try {
    const target = parseRedisUrl(REDIS_TEST_URL);
    if (target.mode !== 'standalone' || target.tls) {
      result = { ok: true, detail: 'not probed (not plain redis://)' };
    } else {
      const r = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, target.host, String(target.port)], { encoding: 'utf8', timeout: 5000 });
      const out = (r.stdout ?? '').trim();
      result = out === 'ok' ? { ok: true, detail: 'ok' } : { ok: false, detail: out.replace(/^fail /, '') || r.error?.message || 'probe failed' };
    }
  } catch (err) {
    result = { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
  process.env.NAMNDBOT_REDIS_PROBE = result.ok ? 'ok' : `fail ${result.detail}`;
  return result;
}

function probeServerBinary(): Probe {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (r.status === 0) return { ok: true, detail: r.stdout.trim() };
  return { ok: false, detail: r.error?.message ?? `exit ${r.status}` };
}

export interface RedisNeeds {
  /** The suite starts its own redis-server processes (needs the binary, not the shared server). */
  ownServers?: boolean;
  /** The suite also needs redis-cli (to create a cluster). */
  cli?: boolean;
  /** The suite also needs the openssl command (to make test certificates). */
  openssl?: boolean;
}

function missing(needs: RedisNeeds): string | undefined {
  if (needs.ownServers) {
    const bin = probeServerBinary();
    if (!bin.ok) return `the redis-server binary is not installed (${bin.detail})`;
    if (needs.cli) {
      const cli = spawnSync('redis-cli', ['--version'], { encoding: 'utf8', timeout: 5000 });
      if (cli.status !== 0) return 'the redis-cli binary is not installed';
    }
    if (needs.openssl) {
      const ssl = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 5000 });
      if (ssl.status !== 0) return 'the openssl command is not installed';
    }
    return undefined;
  }
  const p = probeRedis();
  return p.ok ? undefined : `no Redis answered PING at ${REDIS_TEST_URL} (${p.detail})`;
}

/**
 * `describe` when the suite can run. Otherwise, outside CI: `describe.skip` with the reason in
 * its name, and a printed message; with CI=true: a suite whose one test fails with the reason.
 */
export function describeRedis(name: string, fn: () => void, needs: RedisNeeds = {}): void {
  const reason = missing(needs);
  if (!reason) {
    describe(name, fn);
    return;
  }
  if (IN_CI) {
    describe(name, () => {
      it('has Redis to run against (CI=true: the Redis suites must run)', () => {
        throw new Error(`CI=true, but ${reason}, so the Redis suite "${name}" cannot run.\n${HOW_TO_RUN}`);
      });
    });
    return;
  }
  // Straight to stderr: jest drops console output of a file whose tests were all skipped.
  process.stderr.write(`\n⚠ Redis suite NOT run: "${name}" (${path.basename(testFile())}): ${reason}.\n${HOW_TO_RUN}\nWith CI=true this fails the run instead.\n\n`);
  // Skip reason: outside CI, no Redis answers on this machine (the reason is printed above and is in
  // the suite's name); with CI=true the suite fails instead of skipping (see above).
  describe.skip(`${name} [skipped: ${reason}]`, fn); // Skip reason: no Redis outside CI; see the comment above.
}

/** The test file that called describeRedis, for the message. */
function testFile(): string {
  const line = new Error().stack?.split('\n').find((l) => /\.test\.ts/.test(l));
  return /\(?([^()\s]+\.test\.ts)/.exec(line ?? '')?.[1] ?? 'a test file';
}

let prefixCounter = 0;
/** A key prefix no other test or run uses. */
export function uniquePrefix(label = 't'): string {
  return `namndbot-test:${RUN_ID}:${label}${++prefixCounter}:`;
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked). */
export async function deleteKeys(prefix: string, url = REDIS_TEST_URL): Promise<number> {
  const admin = adminClient(url);
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
      if (keys.length) deleted += await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    admin.disconnect();
  }
}

/** Every key under `prefix`, sorted. */
export async function keysUnder(prefix: string, url = REDIS_TEST_URL): Promise<string[]> {
  const admin = adminClient(url);
  try {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
      out.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return out.sort();
  } finally {
    admin.disconnect();
  }
}

/** A plain client for reaching behind the store (to damage records, to look at keys). Disconnect it. */
export function adminClient(url = REDIS_TEST_URL): Redis {
  const t = parseRedisUrl(url);
  if (t.mode !== 'standalone') throw new Error('the admin client needs a redis:// url');
  return new Redis({ host: t.host, port: t.port, db: t.db, username: t.username, password: t.password, maxRetriesPerRequest: 1, lazyConnect: false });
}

/** A store on the shared test Redis under a fresh prefix; `cleanup` closes it and deletes its keys. */
export async function openTestStore(label = 't', url = REDIS_TEST_URL): Promise<{ store: RedisStore; prefix: string; cleanup: () => Promise<void> }> {
  const prefix = uniquePrefix(label);
  const store = await openRedisStoreWithRetry(url, { prefix, startupTimeoutMs: 5000, retryDelayMs: 200 });
  return {
    store,
    prefix,
    cleanup: async () => {
      await store.close();
      await deleteKeys(prefix, url);
    },
  };
}

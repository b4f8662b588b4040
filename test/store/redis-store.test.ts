/**
 * The Redis store: the shared contract suite, then what only Redis has: key layout and
 * prefixes, corrupt records, atomic appends across connections, failing fast and recovering.
 * Runs against the shared Redis (see test/support/redis.ts); the outage tests start their own.
 */
import type { Redis } from 'ioredis';
import { CorruptRecordError, StoreUnavailableError, VersionConflictError } from '../../src/store/store';
import { createRedisStore, openRedisStoreWithRetry, RedisStore, type StoreLogger } from '../../src/store/redis-store';
import { RedisConfigError } from '../../src/store/redis-config';
import { newEvent, storeContract } from './contract';
import { adminClient, describeRedis, keysUnder, openTestStore, REDIS_TEST_URL } from '../support/redis';
import { freePort, RedisServerProcess } from '../support/redis-server';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/** A logger that keeps the messages. */
function recordingLogger(): StoreLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (_obj: object, msg: string) => {
    lines.push(msg);
  };
  return { lines, info: log, warn: log, error: log };
}

describeRedis('RedisStore on the shared Redis', () => {
  storeContract('RedisStore', () => openTestStore('contract'));

  let store: RedisStore;
  let prefix: string;
  let cleanup: () => Promise<void>;
  let admin: Redis;
  beforeAll(() => {
    admin = adminClient();
  });
  afterAll(() => {
    admin.disconnect();
  });
  beforeEach(async () => {
    ({ store, prefix, cleanup } = await openTestStore('rs'));
  });
  afterEach(async () => {
    await cleanup();
  });

  describe('keys', () => {
    it('keeps everything under its prefix, one list per stream with the id as hash tag', async () => {
      await store.append('kfn', [newEvent(), newEvent()]);
      await store.append('bygg{2025}%', [newEvent()]);
      await store.claim('reminder:1', 'proc-a', 10_000);
      await store.markOnce('delivery:slack:Ev1', 10_000);
      await store.setValue('teams:ref:anna', { id: 1 });
      expect(await keysUnder(prefix)).toEqual(
        [
          `${prefix}claim:reminder:1`,
          `${prefix}events:{bygg%7B2025%7D%25}`,
          `${prefix}events:{kfn}`,
          `${prefix}mark:delivery:slack:Ev1`,
          `${prefix}streams`,
          `${prefix}value:teams:ref:anna`,
        ].sort(),
      );
      // Each element is the event's JSON with its seq, so it can be checked against its position.
      const raw = await admin.lrange(`${prefix}events:{kfn}`, 0, -1);
      expect(raw.map((t) => JSON.parse(t).seq)).toEqual([1, 2]);
      expect(raw[0]!.startsWith('{"seq":1,')).toBe(true);
      // Claims and marks expire on the server's clock.
      expect(await admin.pttl(`${prefix}claim:reminder:1`)).toBeGreaterThan(9000);
      expect(await admin.pttl(`${prefix}mark:delivery:slack:Ev1`)).toBeGreaterThan(9000);
      expect(await admin.pttl(`${prefix}value:teams:ref:anna`)).toBe(-1);
    });

    it('gives every stream id its own key, braces and percent signs included', () => {
      const ids = ['a', 'a}', '{a}', '%7Ba%7D', 'a%', '%25', '{', '}'];
      const keys = ids.map((id) => store.eventsKey(id));
      expect(new Set(keys).size).toBe(ids.length);
      // Exactly one hash tag each: one '{' and one '}' per key.
      for (const k of keys) {
        expect(k.split('{')).toHaveLength(2);
        expect(k.split('}')).toHaveLength(2);
        expect(k.endsWith('}')).toBe(true);
      }
    });

    it('keeps installations with different prefixes apart on one server', async () => {
      const other = await openTestStore('other');
      try {
        await store.append('kfn', [newEvent(), newEvent()]);
        await other.store.append('kfn', [newEvent()]);
        expect(await store.readEvents('kfn', 0)).toHaveLength(2);
        expect(await other.store.readEvents('kfn', 0)).toHaveLength(1);
        expect(await store.markOnce('d1', 10_000)).toBe(true);
        expect(await other.store.markOnce('d1', 10_000)).toBe(true);
        expect(await other.store.listStreams()).toEqual(['kfn']);
      } finally {
        await other.cleanup();
      }
    });

    it('refuses a prefix with braces, which would break Cluster hash tags', () => {
      expect(() => createRedisStore(REDIS_TEST_URL, { prefix: 'a{b}:' })).toThrow(RedisConfigError);
    });
  });

  describe('corrupt records are reported, never used', () => {
    const key = () => `${prefix}events:{kfn}`;

    it('an element that is not JSON: CorruptRecordError naming the key and index', async () => {
      await store.append('kfn', [newEvent(), newEvent(), newEvent()]);
      await admin.lset(key(), 1, '{"seq":2,"id":');
      const err = await rejection(store.readEvents('kfn', 0));
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect(err).toMatchObject({ where: `${key()}[1]` });
      expect((err as Error).message).toContain('not JSON');
      // Reads that do not include it still work; the core never reads past a corrupt record.
      expect((await store.readEvents('kfn', 2)).map((e) => e.seq)).toEqual([3]);
    });

    it('an event that does not validate', async () => {
      await store.append('kfn', [newEvent(), newEvent()]);
      const bad = { ...JSON.parse((await admin.lindex(key(), 1))!), type: 'fraga.invented' };
      await admin.lset(key(), 1, JSON.stringify(bad));
      const err = await rejection(store.readEvents('kfn', 0));
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect(err).toMatchObject({ where: `${key()}[1]` });
      expect((err as CorruptRecordError).detail).toMatch(/type/);
    });

    it('an event at the wrong position (elements removed or added by hand)', async () => {
      await store.append('kfn', [newEvent(), newEvent(), newEvent()]);
      await admin.lpop(key());
      const err = await rejection(store.readEvents('kfn', 0));
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect(err).toMatchObject({ where: `${key()}[0]`, detail: 'seq 2 where 1 was expected' });
    });

    it('a stream key of the wrong type', async () => {
      await admin.set(key(), 'overwritten by someone');
      for (const op of [store.readEvents('kfn', 0), store.append('kfn', [newEvent()]), store.append('kfn', [newEvent()], 0)]) {
        const err = await rejection(op);
        expect(err).toBeInstanceOf(CorruptRecordError);
        expect(err).toMatchObject({ where: key() });
      }
      expect(await admin.get(key())).toBe('overwritten by someone');
    });

    it('a value that is not JSON', async () => {
      await admin.set(`${prefix}value:teams:ref`, '{oops');
      const err = await rejection(store.getValue('teams:ref'));
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect(err).toMatchObject({ where: `${prefix}value:teams:ref` });
    });
  });

  describe('atomic appends across connections (separate processes share Redis the same way)', () => {
    it('lets exactly one of 40 appends with the same expectedSeq win across 4 connections', async () => {
      const others = await Promise.all([1, 2, 3].map(() => openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, startupTimeoutMs: 5000 })));
      try {
        const stores = [store, ...others];
        await store.append('kfn', [newEvent()]);
        const winners = [];
        for (let round = 1; round <= 5; round++) {
          const results = await Promise.allSettled(
            Array.from({ length: 40 }, (_, i) => stores[i % 4]!.append('kfn', [newEvent(`r${round}-${i}`), newEvent(`r${round}-${i}b`)], 1 + (round - 1) * 2)),
          );
          const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
          expect(won).toHaveLength(1);
          winners.push(...won[0]!);
          for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflictError);
        }
        const all = await others[2]!.readEvents('kfn', 0);
        expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
        // Exactly the winning batches are stored, whole and in order.
        expect(all.slice(1)).toEqual(winners);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    });

    it('serializes unconditional appends from several connections without gaps or mixing', async () => {
      const other = await openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, startupTimeoutMs: 5000 });
      try {
        const batches = Array.from({ length: 100 }, (_, i) => [newEvent(`u${i}`), newEvent(`u${i}`), newEvent(`u${i}`)]);
        const results = await Promise.all(batches.map((b, i) => (i % 2 ? other : store).append('kfn', b)));
        const stored = await store.readEvents('kfn', 0);
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        for (const r of results) {
          expect(r.map((e) => e.seq)).toEqual([r[0]!.seq, r[0]!.seq + 1, r[0]!.seq + 2]);
          expect(stored.slice(r[0]!.seq - 1, r[0]!.seq + 2)).toEqual(r);
        }
      } finally {
        await other.close();
      }
    });
  });

  it('fails fast with StoreUnavailableError where nothing listens', async () => {
    // A long command timeout: failing fast must not depend on it.
    const dead = createRedisStore(`redis://127.0.0.1:${await freePort()}`, { prefix, commandTimeoutMs: 10_000 });
    try {
      await sleep(100);
      const started = Date.now();
      for (const op of [dead.ping(), dead.append('kfn', [newEvent()], 0), dead.readEvents('kfn', 0), dead.markOnce('d', 1000), dead.claim('c', 'o', 1000)]) {
        const err = await rejection(op);
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect((err as Error).message).toMatch(/not available: not connected \(connect ECONNREFUSED/);
      }
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await dead.close();
    }
  });

  it('logs a warning at start when Redis does not persist with AOF', async () => {
    const appendonly = ((await admin.config('GET', 'appendonly')) as string[])[1];
    const logger = recordingLogger();
    const s = await openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, logger, startupTimeoutMs: 5000 });
    await s.close();
    if (appendonly === 'no') expect(logger.lines.join('\n')).toMatch(/har inte AOF påslaget \(appendonly no\)/);
    else expect(logger.lines.join('\n')).not.toMatch(/AOF/);
  });
});

describeRedis(
  'RedisStore when Redis is away, and when it comes back',
  () => {
    let server: RedisServerProcess | undefined;
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it('at start: says so plainly, retries, and connects once Redis is there', async () => {
      const port = await freePort();
      const logger = recordingLogger();
      const abort = new AbortController();
      const opening = openRedisStoreWithRetry(`redis://:pw@127.0.0.1:${port}`, {
        prefix: 'p:',
        logger,
        retryDelayMs: 500,
        maxRetryDelayMs: 1000,
        startupTimeoutMs: 20_000,
        signal: abort.signal,
      });
      try {
        await sleep(1800);
        server = await RedisServerProcess.start({ port, args: ['--requirepass', 'pw'] });
        const store = await opening;
        await store.ping();
        await store.close();
        const text = logger.lines.join('\n');
        expect(text).toContain(`Kan inte nå Redis på redis://127.0.0.1:${port} – försöker igen om 0.5 s`);
        expect(text).toContain('ECONNREFUSED');
        expect(text).toContain(`Redis på redis://127.0.0.1:${port} svarar nu`);
        // The password never reaches the log.
        expect(text).not.toContain('pw@');
      } finally {
        abort.abort();
        await opening.then((s) => s.close(), () => undefined);
      }
    });

    it('at start: gives up with StoreUnavailableError when the time is up', async () => {
      const port = await freePort();
      const started = Date.now();
      const err = await rejection(openRedisStoreWithRetry(`redis://127.0.0.1:${port}`, { startupTimeoutMs: 1500, retryDelayMs: 200 }));
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toMatch(new RegExp(`cannot reach Redis at redis://127.0.0.1:${port} after`));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it('at start: stops at once on a wrong password', async () => {
      server = await RedisServerProcess.start({ args: ['--requirepass', 'right'] });
      const started = Date.now();
      const err = await rejection(openRedisStoreWithRetry(`redis://:wrong@127.0.0.1:${server.port}`, { startupTimeoutMs: 30_000 }));
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toMatch(/refused the credentials: WRONGPASS/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('while running: fails fast when Redis dies and recovers by itself when it returns', async () => {
      server = await RedisServerProcess.start({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
      const logger = recordingLogger();
      const store = await openRedisStoreWithRetry(server.url, { prefix: 'p:', logger, commandTimeoutMs: 10_000 });
      try {
        await store.append('kfn', [newEvent(), newEvent()], 0);
        await server.kill();
        await sleep(50);
        const started = Date.now();
        for (const op of [store.ping(), store.append('kfn', [newEvent()], 2), store.readEvents('kfn', 0), store.markOnce('d', 1000)]) {
          expect(await rejection(op)).toBeInstanceOf(StoreUnavailableError);
        }
        expect(Date.now() - started).toBeLessThan(1000);
        expect(logger.lines.join('\n')).toContain(`Förbindelsen med Redis på ${server.url} bröts`);

        await server.restart();
        // No call on the store: it reconnects on its own.
        let recovered = false;
        for (let i = 0; i < 100 && !recovered; i++) {
          await sleep(100);
          recovered = await store.ping().then(
            () => true,
            () => false,
          );
        }
        expect(recovered).toBe(true);
        expect(logger.lines.join('\n')).toContain(`Redis på ${server.url} nås igen`);
        expect((await store.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2]);
        expect((await store.append('kfn', [newEvent()], 2))[0]!.seq).toBe(3);
      } finally {
        await store.close();
      }
    });

    it('a write Redis refuses (out of memory) leaves nothing behind', async () => {
      server = await RedisServerProcess.start();
      const store = await openRedisStoreWithRetry(server.url, { prefix: 'p:' });
      try {
        await store.append('kfn', [newEvent()], 0);
        const admin = adminClient(server.url);
        try {
          await admin.config('SET', 'maxmemory', '1');
          const err = await rejection(store.append('kfn', [newEvent(), newEvent()], 1));
          expect(err).toBeInstanceOf(StoreUnavailableError);
          expect((err as Error).message).toMatch(/OOM/);
          await expect(store.append('new-stream', [newEvent()], 0)).rejects.toBeInstanceOf(StoreUnavailableError);
          await admin.config('SET', 'maxmemory', '0');
        } finally {
          admin.disconnect();
        }
        expect((await store.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1]);
        expect(await store.listStreams()).toEqual(['kfn']);
      } finally {
        await store.close();
      }
    });
  },
  { ownServers: true },
);

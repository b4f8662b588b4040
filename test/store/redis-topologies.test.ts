/**
 * The Redis store on Redis Cluster, behind Sentinel and over TLS, each started here from
 * redis-server processes of our own: the whole contract suite on a three-master Cluster (every
 * append's keys must share one hash slot, and the stream registry lives in another), and the
 * basics through a Sentinel and over rediss:// with a private CA.
 */
import { Core } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRedisSettings } from '../../src/store/redis-config';
import { openRedisStoreFromSettings, openRedisStoreWithRetry } from '../../src/store/redis-store';
import { StoreUnavailableError } from '../../src/store/store';
import { newEvent, storeContract } from './contract';
import { describeRedis, uniquePrefix } from '../support/redis';
import { RedisClusterProcesses, RedisSentinelProcesses, RedisServerProcess, makeTestCertificates, rawCommand } from '../support/redis-server';

describeRedis(
  'RedisStore on a Redis Cluster',
  () => {
    let cluster: RedisClusterProcesses;
    beforeAll(async () => {
      cluster = await RedisClusterProcesses.start(3);
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    storeContract('RedisStore (Cluster)', async () => {
      const store = await openRedisStoreWithRetry(cluster.url, { prefix: uniquePrefix('cluster'), startupTimeoutMs: 10_000 });
      // The cluster is thrown away after the suite: closing is all the cleanup needed.
      return { store, cleanup: () => store.close() };
    });

    it('spreads committees over the masters and still appends atomically in each', async () => {
      const store = await openRedisStoreWithRetry(cluster.url, { prefix: uniquePrefix('spread'), startupTimeoutMs: 10_000 });
      try {
        const streams = Array.from({ length: 12 }, (_, i) => `nämnd-${i}`);
        for (const s of streams) {
          await store.append(s, [newEvent(), newEvent()], 0);
          await expect(store.append(s, [newEvent()], 0)).rejects.toThrow(/version conflict/);
        }
        expect(await store.listStreams()).toEqual([...streams].sort());
        // The stream keys really are on different masters.
        const holders = new Set<number>();
        for (const node of cluster.nodes) {
          for (const s of streams) {
            const reply = await rawCommand(node.port, `EXISTS "${store.eventsKey(s)}"`);
            if (reply?.startsWith(':1')) holders.add(node.port);
          }
        }
        expect(holders.size).toBeGreaterThan(1);
      } finally {
        await store.close();
      }
    });
  },
  { ownServers: true, cli: true },
);

describeRedis(
  'RedisStore through Redis Sentinel',
  () => {
    let sentinel: RedisSentinelProcesses;
    beforeAll(async () => {
      sentinel = await RedisSentinelProcesses.start();
    }, 30_000);
    afterAll(async () => {
      await sentinel?.stop();
    });

    it('finds the master through the Sentinel, and the bot works on it', async () => {
      const store = await openRedisStoreWithRetry(sentinel.url, { prefix: 'namndbot:', startupTimeoutMs: 10_000 });
      try {
        expect(store.where).toBe(`redis-sentinel://127.0.0.1:${sentinel.sentinel.port}/mymaster`);
        const committee = await loadCommitteeFile(path.join(__dirname, '../../examples/kfn.yaml'));
        const core = new Core({ committees: [committee], store, clock: new ManualClock('2027-01-10T10:00:00+01:00') });
        const replies = await core.handle({
          deliveryId: 'd1',
          platform: 'console',
          platformUserId: 'amira.haddad',
          place: { kind: 'private' },
          input: { kind: 'text', text: 'jäv 3 part' },
        });
        expect(replies.map((r) => toPlainText(r.message)).join('\n')).toMatch(/^Jäv anmält/);
        // Written to the master itself.
        expect(await rawCommand(sentinel.master.port, `LLEN "${store.eventsKey('kfn')}"`)).toBe(':1\r\n');
      } finally {
        await store.close();
      }
    });
  },
  { ownServers: true },
);

describeRedis(
  'RedisStore over TLS (rediss://) with a private CA',
  () => {
    let certDir: string;
    let server: RedisServerProcess;
    let certs: { ca: string; cert: string; key: string };
    beforeAll(async () => {
      certDir = await mkdtemp(path.join(tmpdir(), 'namndbot-tls-'));
      certs = makeTestCertificates(certDir);
      server = await RedisServerProcess.start({ tls: certs });
    }, 30_000);
    afterAll(async () => {
      await server?.stop();
      await rm(certDir, { recursive: true, force: true });
    });

    it('connects with REDIS_TLS_CA_FILE, from the settings as the entry does', async () => {
      const settings = readRedisSettings({ REDIS_URL: `rediss://127.0.0.1:${server.port}`, REDIS_TLS_CA_FILE: certs.ca, REDIS_PREFIX: 'tls:' })!;
      const store = await openRedisStoreFromSettings(settings);
      try {
        await store.append('kfn', [newEvent()], 0);
        expect(await store.readEvents('kfn', 0)).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('refuses a server it cannot verify at once, saying why', async () => {
      const started = Date.now();
      const err = await openRedisStoreWithRetry(`rediss://127.0.0.1:${server.port}`, { startupTimeoutMs: 30_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toMatch(/TLS to Redis at rediss:\/\/127.0.0.1:\d+ failed: .*certificate/);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('says which file when the CA file cannot be read', async () => {
      const settings = readRedisSettings({ REDIS_URL: `rediss://127.0.0.1:${server.port}`, REDIS_TLS_CA_FILE: path.join(certDir, 'missing.pem') })!;
      await expect(openRedisStoreFromSettings(settings)).rejects.toThrow(/REDIS_TLS_CA_FILE: kan inte läsa .*missing.pem/);
    });
  },
  { ownServers: true, openssl: true },
);

/**
 * Redis killed with a member's write in flight: the member is told it is not known whether it
 * was saved and to send the same again (never "inget har sparats"), and once Redis is back the
 * same övrig fråga sent again is stored exactly once.
 *
 * A redis-server of the test's own (test/support/redis-server.ts), killed with SIGKILL:
 * - without persistence (`--save "" --appendonly no`), the write held by CLIENT PAUSE WRITE: it
 *   never ran, and the server comes back empty; the retry records the question.
 * - with AOF (`--appendfsync always`), the write ran and its answer held back by a proxy between
 *   the bot and Redis, as a connection that broke just then: the retry finds the question
 *   already there ("redan anmäld") and stores nothing.
 */
import path from 'node:path';
import * as net from 'node:net';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core, STORE_DOWN_TEXT, STORE_UNKNOWN_TEXT } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { openRedisStoreWithRetry, type RedisStore } from '../../src/store/redis-store';
import { describeRedis } from '../support/redis';
import { rawCommand, RedisServerProcess } from '../support/redis-server';

const EXAMPLE = path.join(__dirname, '../../examples/kfn.yaml');
const NOW = '2027-01-10T10:00:00+01:00';
const AMIRA = 'amira.haddad';
const QUESTION = 'övrig fråga Hur går arbetet med badhuset?';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A TCP proxy to `port`. Armed with `holdReplies(marker)`, the first connection that sends
 * `marker` gets no more answers: its command reaches Redis and runs, and the answer is lost.
 */
async function proxyTo(port: number): Promise<{ port: number; holdReplies(marker: string): void; close(): void }> {
  let marker: string | undefined;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    let holding = false;
    sockets.add(client).add(upstream);
    client.on('data', (d) => {
      if (marker && d.includes(marker)) {
        holding = true;
        marker = undefined;
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!holding) client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    holdReplies: (m) => (marker = m),
    close: () => {
      sockets.forEach((s) => s.destroy());
      server.close();
    },
  };
}

describeRedis(
  'Redis killed with a member’s write in flight',
  () => {
    let committee: Committee;
    let server: RedisServerProcess | undefined;
    let proxy: Awaited<ReturnType<typeof proxyTo>> | undefined;
    const opened: RedisStore[] = [];
    beforeAll(async () => {
      committee = await loadCommitteeFile(EXAMPLE);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      proxy?.close();
      await server?.stop();
    });

    async function storeAt(url: string): Promise<RedisStore> {
      const store = await openRedisStoreWithRetry(url, { prefix: 'namndbot:', startupTimeoutMs: 10_000 });
      opened.push(store);
      return store;
    }

    function member(core: Core) {
      let n = 0;
      return async (text: string) =>
        (await core.handle({ deliveryId: `d-${++n}`, platform: 'console', platformUserId: AMIRA, place: { kind: 'private' }, input: { kind: 'text', text } }))
          .map((o) => toPlainText(o.message))
          .join('\n');
    }

    /** The member sends it again, as told, until the answer is not "try again" (Redis is coming back). */
    async function sendAgain(say: (text: string) => Promise<string>): Promise<string> {
      for (let i = 0; i < 100; i++) {
        const answer = await say(QUESTION);
        if (answer !== STORE_DOWN_TEXT && answer !== STORE_UNKNOWN_TEXT) return answer;
        await sleep(100);
      }
      throw new Error('Redis did not come back');
    }

    async function announced(url: string): Promise<string[]> {
      const store = await storeAt(url);
      return (await store.readEvents(committee.id, 0)).flatMap((e) => (e.type === 'fraga.announced' ? [e.text] : []));
    }

    it('the write never ran (held by CLIENT PAUSE, no persistence): "not known, send it again", and the retry stores it once', async () => {
      server = await RedisServerProcess.start();
      const core = new Core({ committees: [committee], store: await storeAt(server.url), clock: new ManualClock(NOW) });
      const say = member(core);
      expect(await rawCommand(server.port, 'CLIENT PAUSE 10000 WRITE')).toMatch(/^\+OK/);
      const answer = say(QUESTION);
      // The append is sent and waits in Redis; then Redis dies.
      await sleep(300);
      await server.kill('SIGKILL');
      const told = await answer;
      expect(told).toBe(STORE_UNKNOWN_TEXT);
      expect(told).not.toMatch(/inget har sparats/i);
      expect(told).toMatch(/vet inte om det hann sparas\. Skicka samma sak igen/);

      await server.restart();
      expect(await sendAgain(say)).toMatch(/^Din övriga fråga F1 är anmäld/);
      expect(await announced(server.url)).toEqual(['Hur går arbetet med badhuset?']);
    }, 60_000);

    it('the write ran and its answer was lost (AOF, appendfsync always): "not known, send it again", and the retry finds it there', async () => {
      server = await RedisServerProcess.start({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
      proxy = await proxyTo(server.port);
      const core = new Core({ committees: [committee], store: await storeAt(`redis://127.0.0.1:${proxy.port}`), clock: new ManualClock(NOW) });
      const say = member(core);
      proxy.holdReplies('fraga.announced');
      const answer = say(QUESTION);
      // The question is in Redis (read past the proxy); the answer has not reached the bot. Redis dies.
      for (let i = 0; (await announced(server.url)).length === 0; i++) {
        if (i > 100) throw new Error('the write never reached Redis');
        await sleep(20);
      }
      await server.kill('SIGKILL');
      const told = await answer;
      expect(told).toBe(STORE_UNKNOWN_TEXT);
      expect(told).not.toMatch(/inget har sparats/i);

      await server.restart();
      const again = await sendAgain(say);
      expect(again).toMatch(/^Din övriga fråga F1 är redan anmäld .*Inget nytt sparades\./s);
      // Once, from the AOF after the restart.
      expect(await announced(server.url)).toEqual(['Hur går arbetet med badhuset?']);
    }, 60_000);
  },
  { ownServers: true },
);

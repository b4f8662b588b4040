/**
 * The one HTTP server in this process (openApp + runServer, as `namndbot start` wires them), on
 * a local port with Slack and Teams mounted and a Store the test can make fail:
 * readiness follows the Store and the shutdown, Store errors are counted, bodies are bounded
 * (also chunked ones), one person flooding the bot is slowed politely while others are not, and
 * text is bounded through a platform. Retention runs before the server listens.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp, type App } from '../../bin/app';
import { runServer, type RunningServer } from '../../bin/run-server';
import { RATE_LIMITED_TEXT, STORE_DOWN_TEXT } from '../../src/core/core';
import { MAX_INPUT_CHARS } from '../../src/core/parser';
import type { NewEvent, StoredEvent } from '../../src/domain/records';
import { GALLRAD } from '../../src/ops/retention';
import { FileStore } from '../../src/store/file-store';
import { StoreUnavailableError, type OnceMark, type Store } from '../../src/store/store';
import { FakeSlack } from '../slack/fake-slack';
import { SIGNING_SECRET, SlackSender } from '../slack/slack-sender';
import { FakeConnector, closeClientSockets, postActivity, textActivity } from '../teams/fake-connector';
import { PEOPLE, visibleText } from '../teams/env';
import { delayingProxy, EXAMPLE, get, metric } from './support';

/** A FileStore that fails on demand, like a Redis that went away. */
class SwitchableStore implements Store {
  readonly kind = 'file';
  down = new Set<'ping' | 'append'>();
  constructor(readonly inner: FileStore) {}
  private fail(op: 'ping' | 'append'): void {
    if (this.down.has(op)) throw new StoreUnavailableError(`${op}: the test took the store away`, { written: 'no' });
  }
  readEvents = (s: string, a: number) => this.inner.readEvents(s, a);
  append = async (s: string, e: NewEvent[], x?: number, m?: readonly OnceMark[]) => (this.fail('append'), this.inner.append(s, e, x, m));
  redact = (s: string, e: StoredEvent[]) => this.inner.redact(s, e);
  listStreams = () => this.inner.listStreams();
  claim = (k: string, o: string, t: number) => this.inner.claim(k, o, t);
  release = (k: string, o: string) => this.inner.release(k, o);
  markOnce = (k: string, t: number) => this.inner.markOnce(k, t);
  unmark = (k: string) => this.inner.unmark(k);
  getValue = (k: string) => this.inner.getValue(k);
  setValue = (k: string, v: unknown) => this.inner.setValue(k, v);
  deleteValue = (k: string) => this.inner.deleteValue(k);
  valueKeys = (p: string) => this.inner.valueKeys(p);
  ping = async () => (this.fail('ping'), this.inner.ping());
  close = () => this.inner.close();
}

interface Env {
  app: App;
  running: RunningServer;
  url: string;
  store: SwitchableStore;
  serviceUrl: string;
  connector: FakeConnector;
  slack: FakeSlack;
  close(): Promise<void>;
}

async function start(env: Record<string, string> = {}, options: { now?: string; before?: (store: FileStore) => Promise<void>; slowConnectorMs?: number; firstTickDelayMs?: number } = {}): Promise<Env> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-server-'));
  const inner = await FileStore.open({ dataDir: dir });
  await options.before?.(inner);
  const store = new SwitchableStore(inner);
  const app = await openApp({
    env: { NAMNDBOT_COMMITTEES: EXAMPLE, NAMNDBOT_PORT: '0', ...env },
    now: options.now ?? '2027-01-10T10:00:00+01:00',
    logLevel: 'silent',
    processMetrics: false,
    store,
  });
  const slack = await new FakeSlack().start();
  const connector = new FakeConnector();
  let serviceUrl = await connector.start();
  const proxy = options.slowConnectorMs ? await delayingProxy(serviceUrl, () => true, options.slowConnectorMs) : undefined;
  if (proxy) serviceUrl = `${proxy.url}/`;
  const running = await runServer(
    app,
    { slack: { mode: 'http', botToken: 'xoxb-server-test', signingSecret: SIGNING_SECRET, port: 0, path: '/slack/events' }, teams: { auth: { mode: 'none' }, port: 0 }, slackApiUrl: slack.apiUrl },
    { signals: false, scheduler: options.firstTickDelayMs !== undefined, ...(options.firstTickDelayMs !== undefined ? { firstTickDelayMs: options.firstTickDelayMs } : {}) },
  );
  return {
    app,
    running,
    url: `http://127.0.0.1:${running.port}`,
    store,
    serviceUrl,
    connector,
    slack,
    async close() {
      await running.stop();
      await proxy?.stop();
      await slack.stop();
      await connector.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

afterAll(() => closeClientSockets());

test('ready before the first reminder tick, which follows shortly after; a stop before it leaves the scheduler off', async () => {
  const e = await start({}, { firstTickDelayMs: 300 });
  const ticking = jest.spyOn(e.app.scheduler, 'start');
  try {
    // Ready at once: answering needs no tick (the holiday tables and the planning wait).
    expect((await get(`${e.url}/readyz`)).status).toBe(200);
    expect(ticking).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 600));
    expect(ticking).toHaveBeenCalledTimes(1);
  } finally {
    await e.close();
  }
  const early = await start({}, { firstTickDelayMs: 300 });
  const never = jest.spyOn(early.app.scheduler, 'start');
  await early.close();
  await new Promise((r) => setTimeout(r, 600));
  expect(never).not.toHaveBeenCalled();
});

const say = (e: Env, person: (typeof PEOPLE)[keyof typeof PEOPLE], text: string) =>
  postActivity(e.url, textActivity({ serviceUrl: e.serviceUrl, from: person, where: 'personal', text }));

/** What the bot answered `person` last, as text. */
const lastReply = (e: Env, person: { aadObjectId: string }) => {
  const sent = e.connector.sent().filter((s) => s.conversationId === `a:personal-${person.aadObjectId}`);
  return sent.length ? visibleText(sent[sent.length - 1]!.body) : '';
};

test('with Teams in development mode (no authentication) the one server listens on 127.0.0.1 only', async () => {
  const e = await start();
  try {
    expect(e.running.host).toBe('127.0.0.1');
    expect((await fetch(`${e.url}/healthz`)).status).toBe(200);
  } finally {
    await e.close();
  }
});

test('readiness follows the Store; Store errors are counted by operation; a command meets a Store that is down with a Swedish answer', async () => {
  const e = await start();
  try {
    expect((await get(`${e.url}/readyz`)).status).toBe(200);
    e.store.down.add('ping');
    const notReady = await get(`${e.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect((await get(`${e.url}/healthz`)).status).toBe(200);
    e.store.down.delete('ping');
    expect((await get(`${e.url}/readyz`)).status).toBe(200);

    e.store.down.add('append');
    expect((await say(e, PEOPLE.tomas, 'jäv 3/27 part')).status).toBe(200);
    expect(lastReply(e, PEOPLE.tomas)).toBe(STORE_DOWN_TEXT);
    e.store.down.delete('append');
    expect((await say(e, PEOPLE.tomas, 'jäv 3/27 part')).status).toBe(200);
    expect(lastReply(e, PEOPLE.tomas)).toMatch(/Jäv anmält i ärende 3\/27/);

    const text = (await get(`${e.url}/metrics`)).body;
    expect(metric(text, 'namndbot_store_errors_total', { operation: 'ping' })).toBe(1);
    expect(metric(text, 'namndbot_store_errors_total', { operation: 'append' })).toBe(1);
    expect(metric(text, 'namndbot_commands_total', { outcome: 'store-unavailable' })).toBe(1);
    expect(metric(text, 'namndbot_commands_total', { command: 'jav.declare', outcome: 'recorded' })).toBe(1);
  } finally {
    await e.close();
  }
});

test('readiness is 503 once the shutdown has begun, while a request in flight is still answered', async () => {
  // The connector answers after 600 ms, so the turn (and its HTTP request) is in flight.
  const e = await start({}, { slowConnectorMs: 600 });
  try {
    const activity = JSON.stringify(textActivity({ serviceUrl: e.serviceUrl, from: PEOPLE.tomas, where: 'personal', text: 'möten' }));
    const socket = connect(e.running.port, '127.0.0.1');
    let raw = '';
    socket.on('data', (d) => (raw += d.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(`POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(activity)}\r\n\r\n${activity}`);
    await new Promise((r) => setTimeout(r, 200));
    const stopping = e.running.stop();
    await new Promise((r) => setTimeout(r, 50));
    // The same connection, still open for the request in flight, asks whether the bot is ready.
    socket.write('GET /readyz HTTP/1.1\r\nHost: bot\r\n\r\n');
    await closed;
    await stopping;
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 503]);
    expect(raw).toContain('not ready');
    expect(lastReply(e, PEOPLE.tomas)).toContain('sammanträde');
  } finally {
    await e.close();
  }
});

function postChunked(url: string, chunks: Buffer[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server answers and closes before the whole body is sent: that is the point.
    req.on('error', (err: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(err.code ?? '') ? undefined : reject(err)));
    const write = (i: number) => {
      if (i === chunks.length) return req.end();
      req.write(chunks[i], () => setTimeout(() => write(i + 1), 5));
    };
    write(0);
  });
}

test('bodies over NAMNDBOT_MAX_BODY_KB get 413, with or without content-length, on both platforms', async () => {
  const e = await start({ NAMNDBOT_MAX_BODY_KB: '4' });
  try {
    const big = Buffer.alloc(8 * 1024, 'a');
    for (const route of ['/api/messages', '/slack/events']) {
      // Declared too large: refused before reading.
      expect(await postChunked(`${e.url}${route}`, [big], { 'Content-Length': String(big.length) })).toBe(413);
      // Chunked, no content-length: refused once 4 kB have arrived; the rest is never read.
      const chunks = Array.from({ length: 64 }, () => Buffer.alloc(1024, 'b'));
      expect(await postChunked(`${e.url}${route}`, chunks)).toBe(413);
    }
    // Normal requests still work, chunked or not.
    const activity = Buffer.from(JSON.stringify(textActivity({ serviceUrl: e.serviceUrl, from: PEOPLE.lena, where: 'personal', text: 'möten' })));
    expect(await postChunked(`${e.url}/api/messages`, [activity.subarray(0, 100), activity.subarray(100)])).toBe(200);
    expect(lastReply(e, PEOPLE.lena)).toContain('sammanträde');
    const slack = new SlackSender(`${e.url}/slack/events`, e.slack);
    const { answer } = await slack.command('U0BV9FWYA1P', '/namnd', 'möten');
    expect(answer.status).toBe(200);
  } finally {
    await e.close();
  }
});

test('flooding one person through Teams gets a polite Swedish answer; the others are unaffected', async () => {
  const e = await start({ NAMNDBOT_RATE_LIMIT_BURST: '5', NAMNDBOT_RATE_LIMIT_PER_MINUTE: '6' });
  try {
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) {
      expect((await say(e, PEOPLE.tomas, 'möten')).status).toBe(200);
      answers.push(lastReply(e, PEOPLE.tomas));
    }
    expect(answers.filter((a) => a === RATE_LIMITED_TEXT)).toHaveLength(7);
    expect(answers.slice(0, 5).every((a) => a.includes('sammanträde'))).toBe(true);
    expect(RATE_LIMITED_TEXT).toMatch(/^Du skickar många kommandon just nu\. Vänta en liten stund/);
    // Everyone else: answered as usual, also during the flood.
    expect((await say(e, PEOPLE.lena, 'jäv 3/27 part')).status).toBe(200);
    expect(lastReply(e, PEOPLE.lena)).toMatch(/Jäv anmält i ärende 3\/27/);
    expect((await say(e, PEOPLE.sofia, 'möten')).status).toBe(200);
    expect(lastReply(e, PEOPLE.sofia)).toContain('sammanträde');
    const text = (await get(`${e.url}/metrics`)).body;
    expect(metric(text, 'namndbot_commands_total', { command: 'none', outcome: 'rate-limited' })).toBe(7);
  } finally {
    await e.close();
  }
});

test('text is bounded: an overlong message through Teams is refused in Swedish and nothing is recorded', async () => {
  const e = await start();
  try {
    const before = (await e.store.readEvents('kfn', 0)).length;
    const long = `övrig fråga ${'Varför '.repeat(Math.ceil(MAX_INPUT_CHARS / 7) + 10)}`;
    expect((await say(e, PEOPLE.sofia, long)).status).toBe(200);
    expect(lastReply(e, PEOPLE.sofia)).toMatch(new RegExp(`^Meddelandet är för långt \\(\\d+ tecken\\)\\. Skriv högst ${MAX_INPUT_CHARS} tecken\\.`));
    expect((await e.store.readEvents('kfn', 0)).length).toBe(before);
  } finally {
    await e.close();
  }
});

test('with NAMNDBOT_RETENTION_DAYS set, a retention pass runs before the server listens', async () => {
  const at = '2026-11-05T09:00:00.000Z';
  const e = await start(
    { NAMNDBOT_RETENTION_DAYS: '30' },
    {
      now: '2027-06-01T10:00:00+02:00',
      before: async (store) => {
        await store.append('kfn', [
          { id: 'a', at, actor: { memberId: 'amira.haddad', via: 'slack' }, type: 'forhinder.reported', forhinderId: 'H1', meetingId: 'kfn-2026-11-12', memberId: 'amira.haddad', lopnummer: [] },
          { id: 'b', at, actor: { memberId: 'amira.haddad', via: 'slack' }, type: 'jav.declared', declarationId: 'J1', meetingId: 'kfn-2026-11-12', lopnummer: '72/26', memberId: 'amira.haddad', ground: 'partsjav', motivation: 'Min bror' },
        ]);
      },
    },
  );
  try {
    const [forhinder, jav] = await e.store.readEvents('kfn', 0);
    expect(forhinder).toMatchObject({ type: 'forhinder.reported', memberId: GALLRAD });
    expect(jav).toMatchObject({ type: 'jav.declared', memberId: 'amira.haddad', motivation: 'Min bror' });
  } finally {
    await e.close();
  }
});

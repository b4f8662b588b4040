/**
 * Graceful shutdown of the real process (`tsx bin/main.ts start`) on SIGTERM:
 *
 * - during a burst of jäv declarations through Teams (dev mode: a 200 from /api/messages comes
 *   after the turn, so it means the declaration was taken), every declaration the bot confirmed
 *   is in the file store afterwards, and the process exits 0;
 * - during reminder sends to a slow Slack, with Redis (where claims outlive the process and can
 *   be looked at): sends under way finish and are recorded, and no reminder claim is left held.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { applyEvent, emptyState } from '../../src/domain/state';
import { FileStore } from '../../src/store/file-store';
import { createRedisStore } from '../../src/store/redis-store';
import { FakeSlack } from '../slack/fake-slack';
import { SIGNING_SECRET } from '../slack/slack-sender';
import { describeRedis, deleteKeys, keysUnder, REDIS_TEST_URL, uniquePrefix } from '../support/redis';
import { FakeConnector, closeClientSockets, postActivity, textActivity, type Person } from '../teams/fake-connector';
import { PEOPLE, visibleText } from '../teams/env';
import { delayingProxy, EXAMPLE, freePort, spawnBot, stopBot } from './support';

afterAll(() => closeClientSockets());

test('SIGTERM during a burst of jäv declarations: everything acknowledged is kept, and the process exits 0', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-shutdown-'));
  const connector = new FakeConnector();
  const serviceUrl = await connector.start();
  const bot = await spawnBot({
    port: await freePort(),
    args: ['start', '--now', '2027-01-10T10:00:00+01:00'],
    // One process: the signal reaches the bot itself (see spawnBot on the tsx CLI).
    runner: 'node',
    env: { NAMNDBOT_DATA_DIR: dir, TEAMS_DEV_NO_AUTH: 'true', NAMNDBOT_RATE_LIMIT_BURST: '100000', LOG_LEVEL: 'warn' },
  });
  try {
    const people: Person[] = [
      PEOPLE.tomas,
      PEOPLE.lena,
      PEOPLE.helena,
      PEOPLE.sofia,
      PEOPLE.ingrid,
      PEOPLE.karin,
      { aadObjectId: '88723137-d7cf-477f-9377-a2536dfe9654', id: '29:per-olof', name: 'Per-Olof Wikström' },
      { aadObjectId: '83079946-7df5-463e-b64c-27178bc76723', id: '29:anders', name: 'Anders Nyström' },
    ];
    const committee = await loadCommitteeFile(EXAMPLE);
    const items = committee.meetings.find((m) => m.id === 'kfn-2027-01-21')!.items.map((i) => i.lopnummer);
    const memberOf = new Map(committee.members.flatMap((m) => m.identities.teams.map((t) => [t, m.id] as const)));
    // Each person a declaration on each ärende: 80 distinct declarations, 8 in flight at a time.
    const work = items.flatMap((lopnummer) => people.map((person) => ({ person, lopnummer })));
    const outcomes: { person: Person; lopnummer: string; status: number | 'error' }[] = [];
    let next = 0;
    let signalled = false;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < work.length) {
          const w = work[next++]!;
          const status = await postActivity(bot.url, textActivity({ serviceUrl, from: w.person, where: 'personal', text: `jäv ${w.lopnummer} part Skäl ${w.lopnummer}` })).then(
            (r) => r.status,
            () => 'error' as const,
          );
          outcomes.push({ ...w, status });
          // SIGTERM in the middle of the burst, with requests in flight.
          if (!signalled && outcomes.length === 20) {
            signalled = true;
            bot.child.kill('SIGTERM');
          }
        }
      }),
    );
    // The one SIGTERM was sent mid-burst: wait for the exit.
    const exit = await stopBot(bot, null, 20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    // LOG_LEVEL=warn: not one info line ("handled" for each command) was written.
    expect(bot.logs().length).toBeGreaterThan(0);
    expect(bot.logs().filter((l) => Number(l.level) < 40)).toEqual([]);

    // What the bot confirmed in the turns that were answered 200.
    const acknowledged = outcomes.filter((o) => o.status === 200);
    const confirmed = new Set(
      connector
        .sent()
        .flatMap((s) => [...visibleText(s.body).matchAll(/Jäv anmält i ärende (\d+\/27)/g)].map((m) => `${s.conversationId}|${m[1]}`)),
    );
    const confirmedAcks = acknowledged.filter((o) => confirmed.has(`a:personal-${o.person.aadObjectId}|${o.lopnummer}`));
    expect(confirmedAcks.length).toBeGreaterThanOrEqual(20);
    // The burst really was cut short: some requests came after the server stopped taking them.
    expect(outcomes.length).toBe(work.length);
    expect(acknowledged.length).toBeLessThan(work.length);

    // The store, opened after the process is gone: every confirmed declaration is there.
    const store = await FileStore.open({ dataDir: dir });
    try {
      const state = emptyState();
      for (const e of await store.readEvents('kfn', 0)) applyEvent(state, e);
      const stored = new Set([...state.declarations.values()].map((d) => `${d.memberId}|${d.lopnummer}`));
      for (const o of confirmedAcks) expect(stored).toContain(`${memberOf.get(o.person.aadObjectId)}|${o.lopnummer}`);
      // And nothing that was never sent.
      const sentKeys = new Set(work.map((w) => `${memberOf.get(w.person.aadObjectId)}|${w.lopnummer}`));
      for (const s of stored) expect(sentKeys).toContain(s);
    } finally {
      await store.close();
    }
  } finally {
    await bot.kill();
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

describeRedis('SIGTERM while reminders are being sent (Redis)', () => {
  test('sends under way finish and are recorded, claims not sent are released, the process exits 0', async () => {
    const prefix = uniquePrefix('shutdown');
    const slack = await new FakeSlack().start();
    // Slack answers each message after 1.5 s: the scheduler's first tick is mid-send at SIGTERM.
    const proxy = await delayingProxy(slack.apiUrl, (p) => p.includes('chat.postMessage'), 1500);
    const bot = await spawnBot({
      port: await freePort(),
      // Kallelsen to the January meeting is out: reminders to 14 members are due at start.
      args: ['start', '--now', '2027-01-15T09:00:00+01:00'],
      runner: 'node',
      env: {
        REDIS_URL: REDIS_TEST_URL,
        REDIS_PREFIX: prefix,
        SLACK_BOT_TOKEN: 'xoxb-0000-shutdown-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `${proxy.url}/api/`,
        LOG_LEVEL: 'info',
      },
    });
    try {
      const deadline = Date.now() + 10_000;
      while (proxy.held() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(proxy.held()).toBeGreaterThan(0);
      const exit = await stopBot(bot, 'SIGTERM', 20_000);
      expect(exit).toEqual({ code: 0, signal: null });

      // No claim is left: neither one released early nor one whose send finished.
      const keys = await keysUnder(prefix);
      expect(keys.filter((k) => k.startsWith(`${prefix}claim:`))).toEqual([]);
      // Every reminder Slack received is recorded as sent, so a restart does not send it again.
      const delivered = slack.callsOf('chat.postMessage').length;
      const store = createRedisStore(REDIS_TEST_URL, { prefix });
      try {
        await new Promise((r) => setTimeout(r, 200));
        const events = await store.readEvents('kfn', 0);
        const sent = events.filter((e) => e.type === 'reminder.sent');
        // The secretary's note about unreachable members is a message too, but not a reminder.
        expect(sent.length).toBeGreaterThan(0);
        expect(sent.length).toBeGreaterThanOrEqual(delivered - 1);
        expect(sent.length).toBeLessThanOrEqual(delivered);
        // Some reminders were never started: the tick stopped, and they go out after a restart.
        expect(sent.length).toBeLessThan(14);
      } finally {
        await store.close();
      }
    } finally {
      await bot.kill();
      await proxy.stop();
      await slack.stop();
      await deleteKeys(prefix);
    }
  });
});

/**
 * Redis goes away mid-run: a redis-server of our own, AOF with appendfsync always in a temporary
 * directory, killed (SIGKILL) while members declare jäv through the core, then started again.
 *
 * What must hold: while Redis is away every command gets the Swedish "försök igen" answer at
 * once and nothing is half-written; the bot recovers by itself when Redis returns; and no
 * declaration the bot acknowledged is lost, nor recorded twice.
 */
import path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core, STORE_DOWN_TEXT, STORE_UNKNOWN_TEXT } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { openRedisStoreWithRetry, type RedisStore } from '../../src/store/redis-store';
import { describeRedis } from '../support/redis';
import { RedisServerProcess } from '../support/redis-server';

const EXAMPLE = path.join(__dirname, '../../examples/kfn.yaml');
const NOW = '2027-01-10T10:00:00+01:00';
const ITEMS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Outcome {
  acknowledged: boolean;
  /** How many "försök igen" answers it took. */
  storeDown: number;
}

describeRedis(
  'Redis restarted mid-run (AOF, appendfsync always)',
  () => {
    let server: RedisServerProcess;
    let committee: Committee;
    const opened: RedisStore[] = [];
    beforeAll(async () => {
      committee = await loadCommitteeFile(EXAMPLE);
    });
    beforeEach(async () => {
      server = await RedisServerProcess.start({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await server.stop();
    });

    async function bot(): Promise<{ core: Core; store: RedisStore }> {
      const store = await openRedisStoreWithRetry(server.url, { prefix: 'namndbot:', startupTimeoutMs: 10_000 });
      opened.push(store);
      return { store, core: new Core({ committees: [committee], store, clock: new ManualClock(NOW) }) };
    }

    it('answers "försök igen" while Redis is away, recovers by itself, and loses no acknowledged declaration', async () => {
      const { core } = await bot();
      let delivery = 0;
      const say = async (as: string, text: string) =>
        (await core.handle({ deliveryId: `d-${++delivery}`, platform: 'console', platformUserId: as, place: { kind: 'private' }, input: { kind: 'text', text } }))
          .map((o) => toPlainText(o.message))
          .join('\n');

      const electeds = committee.members.filter((m) => m.role === 'ledamot' || m.role === 'ersättare').map((m) => m.id);
      const work = electeds.flatMap((m) => ITEMS.map((item) => ({ member: m, item })));
      const outcomes = new Map<string, Outcome>();
      let acknowledgedCount = 0;

      // Four members' "clients", each declaring in turn and trying again, as told, after "försök igen".
      let next = 0;
      const worker = async () => {
        while (next < work.length) {
          const { member, item } = work[next++]!;
          const outcome: Outcome = { acknowledged: false, storeDown: 0 };
          outcomes.set(`${member} ${item}/27`, outcome);
          for (;;) {
            const answer = await say(member, `jäv ${item} part Min sambo är sökande`);
            // "Inget har sparats" when Redis was not reached; "jag vet inte om det hann sparas"
            // when it died with the write sent. Both say: send it again.
            if (answer === STORE_DOWN_TEXT || answer === STORE_UNKNOWN_TEXT) {
              outcome.storeDown++;
              await sleep(50);
              continue;
            }
            // After an ambiguous failure (Redis died with the write in flight) the retry may
            // find it recorded already: that too is an acknowledgement.
            expect(answer).toMatch(/^(Jäv anmält|Du har redan anmält jäv)/);
            outcome.acknowledged = true;
            acknowledgedCount++;
            break;
          }
        }
      };
      const workers = Promise.all([worker(), worker(), worker(), worker()]);

      // Kill Redis twice while the workers run.
      for (const after of [30, 80]) {
        while (acknowledgedCount < after) await sleep(5);
        const acknowledgedBefore = [...outcomes].filter(([, o]) => o.acknowledged).map(([k]) => k);
        await server.kill('SIGKILL');

        // While it is away: the Swedish answer, at once, for a write and for a read.
        for (const text of ['jäv 1 part', 'jäv lista']) {
          const started = Date.now();
          expect(await say('karin.lundqvist', text)).toBe(STORE_DOWN_TEXT);
          expect(Date.now() - started).toBeLessThan(1000);
        }
        expect(STORE_DOWN_TEXT).toMatch(/Försök igen/);
        await sleep(700);

        await server.restart();
        // Everything acknowledged before the kill is there after the restart (read by a new process).
        const { store: fresh } = await bot();
        const stored = await fresh.readEvents(committee.id, 0);
        const keys = new Set(stored.map((e) => (e.type === 'jav.declared' ? `${e.memberId} ${e.lopnummer}` : '')));
        for (const k of acknowledgedBefore) expect(keys).toContain(k);
      }

      // The bot recovered by itself: the workers finish without anyone touching the store.
      await workers;
      expect(acknowledgedCount).toBe(work.length);
      // Some commands really did hit the outage.
      expect([...outcomes.values()].some((o) => o.storeDown > 0)).toBe(true);

      // After a last restart, from a new process: every acknowledged declaration, each once,
      // and every record whole (readEvents validates each one and its position).
      await server.kill('SIGKILL');
      await server.restart();
      const { store: after, core: afterCore } = await bot();
      const stored = await after.readEvents(committee.id, 0);
      expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
      const declared = stored.flatMap((e) => (e.type === 'jav.declared' ? [`${e.memberId} ${e.lopnummer}`] : []));
      expect(declared.length).toBe(new Set(declared).size);
      for (const [k, o] of outcomes) if (o.acknowledged) expect(declared).toContain(k);
      expect(declared).toHaveLength(work.length);
      // The new process's core agrees.
      const state = await afterCore.log.state(committee.id);
      expect([...state.declarations.values()].filter((d) => d.meetingId === 'kfn-2027-01-21')).toHaveLength(work.length);
    });
  },
  { ownServers: true },
);

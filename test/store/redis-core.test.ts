/**
 * Several bot processes on one Redis, as the core sees it: two Cores, each with its own
 * RedisStore (its own connection and its own cached state), on the example committee.
 * Races that matter must come out exactly once: declaring and withdrawing jäv, moving an övrig
 * fråga, and a platform delivery seen by two processes.
 */
import path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import type { Outgoing } from '../../src/core/outgoing';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import type { StoredEvent } from '../../src/domain/records';
import { openRedisStoreWithRetry, RedisStore } from '../../src/store/redis-store';
import { VersionConflictError } from '../../src/store/store';
import { deleteKeys, describeRedis, REDIS_TEST_URL, uniquePrefix } from '../support/redis';

const EXAMPLE = path.join(__dirname, '../../examples/kfn.yaml');
// Clock before the meeting of 2027-01-21 (ärenden 1/27–10/27).
const NOW = '2027-01-10T10:00:00+01:00';
const SECRETARY = 'maria.ekstrom';

const plain = (replies: Outgoing[]) => replies.map((o) => toPlainText(o.message)).join('\n');

describeRedis('Two bot processes on one Redis', () => {
  let committee: Committee;
  let prefix: string;
  let stores: RedisStore[];
  let cores: [Core, Core];
  let n = 0;

  beforeAll(async () => {
    committee = await loadCommitteeFile(EXAMPLE);
  });
  beforeEach(async () => {
    prefix = uniquePrefix('core');
    stores = await Promise.all([1, 2].map(() => openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, startupTimeoutMs: 5000 })));
    cores = [0, 1].map((i) => new Core({ committees: [committee], store: stores[i]!, clock: new ManualClock(NOW) })) as [Core, Core];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await deleteKeys(prefix);
  });

  /**
   * Makes the next append of each store wait until both have got there, so that both decide on
   * the same state and send the same expectedSeq: a real race, every time. Counts the losers.
   */
  function forceRace(): { conflicts: number } {
    const result = { conflicts: 0 };
    let waiting: (() => void)[] = [];
    for (const store of stores) {
      const original = RedisStore.prototype.append.bind(store);
      let armed = true;
      store.append = async (...args) => {
        if (armed) {
          armed = false;
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === stores.length) {
              waiting.forEach((w) => w());
              waiting = [];
            }
          });
        }
        try {
          return await original(...args);
        } catch (err) {
          if (err instanceof VersionConflictError) result.conflicts++;
          throw err;
        }
      };
    }
    return result;
  }

  const say = (core: Core, as: string, text: string, deliveryId = `d-${++n}`) =>
    core.handle({ deliveryId, platform: 'console', platformUserId: as, place: { kind: 'private' }, input: { kind: 'text', text } });
  const events = (): Promise<StoredEvent[]> => stores[0]!.readEvents(committee.id, 0);
  const ofType = async (type: StoredEvent['type']) => (await events()).filter((e) => e.type === type);

  it('records a jäv declared at the same moment through both processes exactly once', async () => {
    const pairs: [string, string][] = [
      ['amira.haddad', '3'],
      ['tomas.engstrom', '3'],
      ['amira.haddad', '5'],
      ['helena.sandberg', '7'],
      ['nils.holmgren', '2'],
    ];
    for (const [member, item] of pairs) {
      const race = forceRace();
      const answers = await Promise.all(cores.map((core) => say(core, member, `jäv ${item} part Min bror äger bolaget`)));
      const texts = answers.map(plain).sort();
      expect(texts.filter((t) => t.startsWith('Jäv anmält'))).toHaveLength(1);
      expect(texts.filter((t) => t.startsWith('Du har redan anmält jäv'))).toHaveLength(1);
      // The loser's append was refused by Redis, and the core decided again on the new state.
      expect(race.conflicts).toBe(1);
    }
    const declared = await ofType('jav.declared');
    expect(declared).toHaveLength(pairs.length);
    expect(new Set(declared.map((d) => (d.type === 'jav.declared' ? `${d.memberId} ${d.lopnummer}` : ''))).size).toBe(pairs.length);
    expect(declared.map((d) => (d.type === 'jav.declared' ? d.declarationId : ''))).toEqual(['J1', 'J2', 'J3', 'J4', 'J5']);
  });

  it('loses no declaration and reuses no id when many are made through both at once', async () => {
    const members = committee.members.filter((m) => m.role === 'ledamot' || m.role === 'ersättare').map((m) => m.id);
    const work = members.flatMap((m) => ['1', '4', '6'].map((item) => [m, item] as const));
    const answers: string[] = [];
    // Six at a time: each command is retried on a conflict a bounded number of times.
    for (let i = 0; i < work.length; i += 6) {
      const batch = work.slice(i, i + 6);
      answers.push(...(await Promise.all(batch.map(([m, item], k) => say(cores[k % 2]!, m, `jäv ${item} övrigt`)))).map(plain));
    }
    expect(answers.filter((a) => a.startsWith('Jäv anmält'))).toHaveLength(work.length);
    const declared = await ofType('jav.declared');
    expect(declared).toHaveLength(work.length);
    const ids = declared.map((d) => (d.type === 'jav.declared' ? d.declarationId : ''));
    expect(new Set(ids).size).toBe(work.length);
    // Both processes see the same state afterwards.
    const lists = await Promise.all(cores.map((core) => say(core, members[0]!, 'jäv lista')));
    expect(plain(lists[0]!)).toBe(plain(lists[1]!));
  });

  it('records a withdrawal made through both processes at once exactly once', async () => {
    expect(plain(await say(cores[0], 'amira.haddad', 'jäv 3 part'))).toContain('jäv återkalla J1');
    const race = forceRace();
    const answers = (await Promise.all(cores.map((core) => say(core, 'amira.haddad', 'jäv återkalla J1')))).map(plain).sort();
    expect(race.conflicts).toBe(1);
    expect(answers.filter((a) => a.startsWith('Jävsanmälan J1 är återkallad.'))).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('Jävsanmälan J1 är redan återkallad'))).toHaveLength(1);
    expect(await ofType('jav.withdrawn')).toHaveLength(1);
  });

  it('moves an övrig fråga moved through both processes at once exactly once', async () => {
    expect(plain(await say(cores[1], 'amira.haddad', 'övrig fråga Hur går arbetet med det nya badhuset?'))).toContain('F1');
    const race = forceRace();
    const answers = (await Promise.all(cores.map((core) => say(core, SECRETARY, 'övrig fråga flytta F1 2027-02-18')))).map(plain).sort();
    expect(race.conflicts).toBe(1);
    expect(answers.filter((a) => a.startsWith('Fråga F1 är flyttad'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('redan anmäld till'))).toHaveLength(1);
    expect(await ofType('fraga.moved')).toHaveLength(1);
  });

  it('processes a delivery that reaches both processes once', async () => {
    const answers = await Promise.all(cores.map((core) => say(core, 'amira.haddad', 'jäv 3 part', 'slack-Ev0ABC')));
    expect(answers.filter((a) => a.length > 0)).toHaveLength(1);
    expect(answers.filter((a) => a.length === 0)).toHaveLength(1);
    // And again later, through either.
    expect(await say(cores[0], 'amira.haddad', 'jäv 3 part', 'slack-Ev0ABC')).toEqual([]);
    expect(await say(cores[1], 'amira.haddad', 'jäv 3 part', 'slack-Ev0ABC')).toEqual([]);
    expect(await ofType('jav.declared')).toHaveLength(1);
    // A different delivery of the same text is a new command.
    expect(plain(await say(cores[1], 'amira.haddad', 'jäv 3 part', 'slack-Ev0ABD'))).toMatch(/^Du har redan anmält jäv/);
  });
});

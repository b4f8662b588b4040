/**
 * A busy committee written by three bot processes at once (issue 14.9): three Cores, each with
 * its own RedisStore connection and cached state, on one Redis, all hammering the same committee.
 * Their appends race on the committee's version all the time; the loser decides again on a fresh
 * read. No member may be refused for that ("Något gick fel … inget har sparats"), and every
 * command lands exactly once.
 */
import path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { openRedisStoreWithRetry, RedisStore } from '../../src/store/redis-store';
import { VersionConflictError } from '../../src/store/store';
import { deleteKeys, describeRedis, REDIS_TEST_URL, uniquePrefix } from '../support/redis';

const EXAMPLE = path.join(__dirname, '../../examples/kfn.yaml');
const NOW = '2027-01-10T10:00:00+01:00';
const CORES = 3;
/** Commands per core, sent with `IN_FLIGHT` outstanding at a time per core. */
const PER_CORE = 400;
const IN_FLIGHT = 24;

describeRedis('Three bot processes on one busy committee', () => {
  let committee: Committee;
  let prefix: string;
  let stores: RedisStore[] = [];

  beforeAll(async () => {
    committee = await loadCommitteeFile(EXAMPLE);
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await deleteKeys(prefix);
  });

  it('refuses no command for conflicts, and records each once', async () => {
    prefix = uniquePrefix('busy');
    stores = await Promise.all(Array.from({ length: CORES }, () => openRedisStoreWithRetry(REDIS_TEST_URL, { prefix, startupTimeoutMs: 5000 })));
    let conflicts = 0;
    for (const store of stores) {
      const original = RedisStore.prototype.append.bind(store);
      store.append = async (...args) => {
        try {
          return await original(...args);
        } catch (err) {
          if (err instanceof VersionConflictError) conflicts++;
          throw err;
        }
      };
    }
    const cores = stores.map((store) => new Core({ committees: [committee], store, clock: new ManualClock(NOW) }));
    const members = committee.members.filter((m) => m.role === 'ledamot' || m.role === 'ersättare').map((m) => m.id);
    let n = 0;
    const answers: { text: string; answer: string }[] = [];
    const run = async (core: Core, c: number) => {
      let i = 0;
      const worker = async () => {
        while (i < PER_CORE) {
          const k = i++;
          const member = members[(k + c) % members.length]!;
          const text = `Fråga ${c}-${k} om badhusets öppettider?`;
          const replies = await core.handle({ deliveryId: `d-${c}-${k}-${++n}`, platform: 'console', platformUserId: member, place: { kind: 'private' }, input: { kind: 'text', text: `övrig fråga ${text}` } });
          answers.push({ text, answer: replies.map((o) => toPlainText(o.message)).join('\n') });
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    };
    await Promise.all(cores.map((core, c) => run(core, c)));

    const refused = answers.filter((a) => !/^Din övriga fråga F\d+ är anmäld/.test(a.answer));
    expect({ refused: refused.length, examples: refused.slice(0, 3).map((a) => a.answer) }).toEqual({ refused: 0, examples: [] });
    // The races were real: the appends did conflict, and were decided again.
    expect(conflicts).toBeGreaterThan(0);
    const events = await stores[0]!.readEvents(committee.id, 0);
    const asked = events.flatMap((e) => (e.type === 'fraga.announced' ? [e] : []));
    expect(asked).toHaveLength(CORES * PER_CORE);
    expect(new Set(asked.map((e) => e.text)).size).toBe(CORES * PER_CORE);
    expect(new Set(asked.map((e) => e.questionId)).size).toBe(CORES * PER_CORE);
  }, 120_000);
});

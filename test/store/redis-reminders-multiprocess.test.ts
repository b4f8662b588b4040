/**
 * Three bot processes on one Redis, 1,000 reminders falling due at the same instant: each is
 * delivered exactly once and recorded as sent exactly once.
 *
 * The processes are real child processes (test/support/reminder-worker.ts, bundled: see
 * test/support/reminder-processes.ts), each with its own RedisStore connection, Core, Scheduler
 * (its own claim owner) and ManualClock set to the same instant. They start together (each says "ready", then all are told "go") and tick
 * until nothing is left. Their adapters append one line per delivery to a Redis list; the test
 * counts deliveries per reminder across all processes, and `reminder.sent` records per reminder
 * in the committees' streams.
 *
 * The wave: 50 committees × 21 elected members get the kallelse.members reminder at fredag
 * 2027-03-19 08:00. One member per committee was already reminded (recorded here before the
 * workers start, as if by an earlier process), which leaves exactly 50 × 20 = 1,000 due; the
 * parent checks that with planReminders on the state in Redis before starting the workers.
 *
 * NAMNDBOT_TEST_VERBOSE=1 prints the timing and how the reminders were shared out.
 */
import { adminClient, describeRedis, keysUnder } from '../support/redis';
import { countBy, killWorker, openFleet, seedWave, summaryOf, within, type Fleet } from '../support/reminder-processes';
import { deliveriesKey, type WorkerSummary } from '../support/reminder-worker';

const COMMITTEES = 50;
const PROCESSES = 3;
const DUE = 1000;
/** Starting three processes on a loaded machine takes a while; this is before the clock below starts. */
const READY_WITHIN_MS = 45_000;
/** From "go" until every worker has exited. */
const DONE_WITHIN_MS = 60_000;
const VERBOSE = !!process.env.NAMNDBOT_TEST_VERBOSE;

describeRedis('Three bot processes on one Redis: 1,000 reminders due at once', () => {
  let fleet: Fleet | undefined;

  afterAll(() => fleet?.cleanup());

  it('sends each reminder exactly once across the three processes, and each process takes part', async () => {
    const t0 = performance.now();
    fleet = await openFleet('reminders-mp', COMMITTEES);
    const { prefix, committees, store, workers } = fleet;

    // Start the workers first: they need a moment, in which the parent seeds and checks.
    for (let i = 1; i <= PROCESSES; i++) fleet.start(`bot-${i}`);

    // Seed: one member per committee was reminded already, by an earlier process; exactly 1,000 due.
    const { expected, dueIds, seeded } = await seedWave(fleet.core, committees);
    expect(dueIds.size).toBe(DUE);

    // All ready, then all at once.
    await within(Promise.all(workers.map((w) => w.ready)), READY_WITHIN_MS, 'starting the workers');
    const tReady = performance.now();
    for (const w of workers) w.say('go');
    const results = await within(Promise.all(workers.map((w) => w.exited)), DONE_WITHIN_MS, 'the workers’ ticks').catch((err: unknown) => {
      workers.forEach(killWorker);
      throw err;
    });
    const tDone = performance.now();
    const summaries = results.map((r, i) => summaryOf<WorkerSummary>(workers[i]!, r));

    // Deliveries, as the adapters of all three processes saw them.
    const admin = adminClient();
    const lines = await admin.lrange(deliveriesKey(prefix), 0, -1).finally(() => admin.disconnect());
    const delivered: string[] = [];
    const byOwner = new Map<string, string[]>();
    const strays: string[] = [];
    for (const line of lines) {
      const [owner, who, hash] = line.split(' ');
      const e = expected.get(who!);
      if (!e) {
        strays.push(line);
        continue;
      }
      // The member got the very message the plan holds for them.
      expect(hash).toBe(e.hash);
      delivered.push(e.reminder.id);
      byOwner.set(owner!, [...(byOwner.get(owner!) ?? []), e.reminder.id]);
    }
    // Nobody else was written to: not the member reminded before, not the secretary.
    expect(strays).toEqual([]);
    const deliveries = countBy(delivered);
    const duplicates = [...deliveries].filter(([, n]) => n > 1);
    const missing = [...dueIds].filter((id) => !deliveries.has(id));
    expect({ duplicates: duplicates.length, missing: missing.length, examples: [...duplicates.slice(0, 3), ...missing.slice(0, 3)] }).toEqual({ duplicates: 0, missing: 0, examples: [] });
    expect(lines).toHaveLength(DUE);

    // Records: exactly one reminder.sent per reminder, and nothing else was recorded.
    const sentRecords: string[] = [];
    for (const c of committees) {
      for (const e of await store.readEvents(c.id, 0)) {
        expect(e.type).toBe('reminder.sent');
        if (e.type === 'reminder.sent') sentRecords.push(e.reminderId);
      }
    }
    const records = countBy(sentRecords);
    const notOnce = [...records].filter(([, n]) => n !== 1);
    expect({ recordedMoreThanOnce: notOnce.length, examples: notOnce.slice(0, 3) }).toEqual({ recordedMoreThanOnce: 0, examples: [] });
    expect(new Set(records.keys())).toEqual(new Set([...dueIds, ...seeded]));

    // What each process says it sent is what its adapter delivered.
    for (const s of summaries) {
      expect([...s.sent].sort()).toEqual([...(byOwner.get(s.owner) ?? [])].sort());
      expect({ owner: s.owner, failed: s.failed, dropped: s.dropped, unreachable: s.unreachable }).toEqual({ owner: s.owner, failed: 0, dropped: 0, unreachable: 0 });
    }
    // Every claim was released, and no retry state was left behind.
    expect(await keysUnder(`${prefix}claim:`)).toEqual([]);
    expect(await keysUnder(`${prefix}value:`)).toEqual([]);

    if (VERBOSE) {
      const share = summaries.map((s) => `${s.owner} ${s.sent.length} in ${s.ticks} ticks / ${s.ms} ms${s.extraTicksForUnrecorded ? ` (+${s.extraTicksForUnrecorded} to record)` : ''}${Object.keys(s.warnings).length ? ` ${JSON.stringify(s.warnings)}` : ''}`);
      process.stderr.write(
        `multi-process reminders: seed+start ${((tReady - t0) / 1000).toFixed(1)} s, ticks ${((tDone - tReady) / 1000).toFixed(1)} s; ${share.join('; ')}\n` +
          summaries.map((s) => `  ${s.owner}: ${s.perTick.map((t) => `${t.sent}/${t.busy}/${t.deferred}/${t.planned}`).join(' ')}`).join('\n') +
          '\n',
      );
    }

    // All three took part. Not flaky by nature: they start on "go", after their set-up, and the
    // wave takes 1.5–3 s, far longer than a process needs to reach its first committee. Claims
    // for one committee are taken in one burst, so a process tends to win a committee's 20 at
    // once; on a loaded 2-core machine each process sent 180–480 of the 1,000 (nine runs).
    for (const s of summaries) expect({ owner: s.owner, sent: s.sent.length > 0 }).toEqual({ owner: s.owner, sent: true });
  }, 150_000);
});

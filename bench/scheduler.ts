/**
 * The scheduler on the embedded store: 6,000 committees with 5 open meetings each (two held,
 * with justering under way or awaiting the anslag; three to come, with kallelse, members' and
 * handläggare reminders). Meeting dates vary between committees, as they do in real life.
 *
 * Measured, as a running bot lives it: a start after downtime (catching up: sending what still
 * matters, dropping what is stale), the steady ticks (one a minute), a restart on Monday before
 * office hours (the cold tick: a fresh scheduler plans every committee), the 08:00 tick when a
 * wave of reminders falls due and is claimed, sent (to a counting delivery) and recorded, and the
 * tick after it. Target: under 200 ms per tick and under 300 MB peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Core, type MemberDelivery } from '../src/core/core';
import { Scheduler, type TickReport } from '../src/core/scheduler';
import { ManualClock } from '../src/domain/clock';
import { committeeSchema, type Committee } from '../src/domain/committee';
import type { NewEvent } from '../src/domain/records';
import { addCalendarDays, stockholmInstant } from '../src/domain/time';
import { FileStore } from '../src/store/file-store';
import { percentile, sampleRss } from './stats';

export const COMMITTEES = 6000;
const MEETINGS = 5;
/** Friday 2027-03-12, 16:00: the bot starts after a downtime and catches up. */
const CATCH_UP = '2027-03-12T16:00:00+01:00';
/** Monday 2027-03-15, 07:00: restarted before office hours, so the cold tick sends nothing. */
const COLD = '2027-03-15T07:00:00+01:00';
const WAVE = '2027-03-15T08:00:00+01:00';

/** Committee i meets every other week, its dates shifted by i % 10 working-week days. */
function benchCommittee(i: number): Committee {
  const shift = i % 10;
  const dates = [-18, -4, 10, 24, 38].map((d) => addCalendarDays('2027-03-15', d - shift));
  const members = [
    { id: 'ordf', name: 'Ordförande', party: 'S', role: 'ordförande' },
    { id: 'vice', name: 'Vice ordförande', party: 'M', role: 'vice ordförande' },
    ...Array.from({ length: 7 }, (_, k) => ({ id: `led${k}`, name: `Ledamot ${k}`, party: 'S', role: 'ledamot' })),
    ...Array.from({ length: 6 }, (_, k) => ({ id: `ers${k}`, name: `Ersättare ${k}`, party: 'M', role: 'ersättare' })),
    { id: 'sekr', name: 'Sekreterare', role: 'sekreterare' },
    ...Array.from({ length: 3 }, (_, k) => ({ id: `handl${k}`, name: `Handläggare ${k}`, role: 'handläggare' })),
  ].map((m) => ({ ...m, identities: { console: m.id } }));
  return committeeSchema.parse({
    id: `n${i}`,
    name: `Nämnd ${i}`,
    shortName: `N${i}`,
    members,
    meetings: dates.map((date, k) => ({
      id: `m${k}`,
      date,
      start: '13:00',
      end: '16:00',
      place: 'Kommunhuset',
      items: Array.from({ length: 8 }, (_, n) => ({ lopnummer: `${k * 8 + n + 1}/27`, title: `Ärende ${n + 1}`, handlaggare: `handl${n % 3}` })),
    })),
  });
}

/** The records that make the two held meetings "open": justering recorded, some signatures. */
function seedEvents(c: Committee): NewEvent[] {
  const [m0, m1] = c.meetings;
  const at = (date: string, clock: string) => stockholmInstant(addCalendarDays(date, 1), clock).toISOString();
  const ev = (when: string, payload: object): NewEvent => ({ id: `${c.id}-${when}-${JSON.stringify(payload).length}-${Math.random()}`, at: when, actor: { memberId: 'sekr', via: 'console' }, ...payload }) as NewEvent;
  return [
    // Meeting 0: everyone signed; the anslag is not yet recorded.
    ev(at(m0.date, '09:00'), { type: 'justering.recorded', meetingId: m0.id, justerare: ['led0', 'led1'], dueDate: addCalendarDays(m0.date, 14) }),
    ev(at(m0.date, '10:00'), { type: 'justering.signed', meetingId: m0.id, memberId: 'led0' }),
    ev(at(m0.date, '10:05'), { type: 'justering.signed', meetingId: m0.id, memberId: 'led1' }),
    ev(at(m0.date, '10:10'), { type: 'justering.signed', meetingId: m0.id, memberId: 'ordf' }),
    // Meeting 1: justering under way, one of three has signed.
    ev(at(m1.date, '09:00'), { type: 'justering.recorded', meetingId: m1.id, justerare: ['led2', 'led3'], dueDate: addCalendarDays(m1.date, 14) }),
    ev(at(m1.date, '11:00'), { type: 'justering.signed', meetingId: m1.id, memberId: 'led2' }),
  ];
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

export async function benchScheduler(): Promise<string[]> {
  const rss = sampleRss();
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-sched-'));
  const clock = new ManualClock(CATCH_UP);
  const store = await FileStore.open({ dataDir: dir, clock });
  try {
    const t0 = performance.now();
    const committees = Array.from({ length: COMMITTEES }, (_, i) => benchCommittee(i));
    await pool(committees, 64, async (c) => {
      await store.append(c.id, seedEvents(c), 0);
    });
    const seedMs = performance.now() - t0;

    let delivered = 0;
    const delivery: MemberDelivery = { deliver: async () => void delivered++ };
    const core = new Core({ committees, store, clock });
    for (const c of committees) await core.state(c.id);
    // What the committee files, the store and the core hold before any reminder is planned.
    const baseRss = process.memoryUsage().rss;
    const minute = (from: string, m: number) => new Date(new Date(from).getTime() + m * 60_000);
    const steadyTicks = async (s: Scheduler, from: string, first: number, count: number, into: number[]) => {
      for (let m = first; m < first + count; m++) {
        clock.set(minute(from, m));
        const t = performance.now();
        await s.tick();
        into.push(performance.now() - t);
      }
    };
    const timed = async (s: Scheduler, at: Date | string) => {
      clock.set(at);
      const t = performance.now();
      const report = await s.tick();
      return { ms: performance.now() - t, report };
    };

    // Friday afternoon: the bot starts after being down; it catches up (sends, drops), then ticks.
    // Catching up is one long tick: no planning budget, so everything is planned at once.
    const first = new Scheduler({ core, store, delivery, clock, owner: 'bench-1', planBudgetMs: Infinity });
    const catchUp = await timed(first, CATCH_UP);
    const replan = await timed(first, minute(CATCH_UP, 1)); // its own records changed every committee
    /** Quiet ticks: nothing to send, as most ticks of a running bot. */
    const steady: number[] = [];
    await steadyTicks(first, CATCH_UP, 2, 30, steady);
    await first.stop();

    // Monday 07:00: restarted. A fresh scheduler plans every committee; nothing may go out before 08:00.
    const second = new Scheduler({ core, store, delivery, clock, owner: 'bench-2' });
    const cold = await timed(second, COLD);
    // The planning budget spreads the cold start over a few ticks, one a minute.
    const coldTicks = [cold.ms];
    let coldPlanned = cold.report.planned;
    for (let m = 1; coldPlanned < COMMITTEES && m < 30; m++) {
      const t = await timed(second, minute(COLD, m));
      coldTicks.push(t.ms);
      coldPlanned += t.report.planned;
    }
    await steadyTicks(second, COLD, coldTicks.length, 30, steady);
    // 08:00: the weekend's and the morning's reminders fall due: claimed, sent and recorded.
    const deliveredBefore = delivered;
    const wave = await timed(second, WAVE);
    const afterWave = await timed(second, minute(WAVE, 1));
    await steadyTicks(second, WAVE, 2, 30, steady);
    await second.stop();
    const peak = rss.stop();

    steady.sort((a, b) => a - b);
    const events = (await Promise.all(committees.map((c) => store.readEvents(c.id, 0)))).reduce((n, e) => n + e.length, 0);
    const line = (r: TickReport) => `${r.planned} nämnder planerade, ${r.sent.length} skickade, ${r.dropped.length} strukna`;
    const ok = (ms: number) => (ms < 200 ? 'uppfyllt' : 'EJ uppfyllt');
    return [
      `Schemaläggaren på den inbyggda lagringen: ${COMMITTEES} nämnder × ${MEETINGS} öppna sammanträden (${COMMITTEES * MEETINGS}), 20 personer per nämnd`,
      `  förberedelse: ${(seedMs / 1000).toFixed(1)} s att spara ${COMMITTEES * 6} poster`,
      `  start efter driftstopp, fredag 16.00: ${catchUp.ms.toFixed(0)} ms (${line(catchUp.report)}), tick därefter ${replan.ms.toFixed(0)} ms (${line(replan.report)})`,
      `  omstart måndag 7.00 (allt ska planeras, inget får gå ut före 8.00): ${coldTicks.length} tick med planeringsbudget 75 ms: ${coldTicks.map((x) => `${x.toFixed(0)} ms`).join(', ')} (första: ${line(cold.report)}, ${cold.report.deferred} väntar till nästa)`,
      `  vanlig tick, en i minuten (${steady.length} st): p50 ${percentile(steady, 50).toFixed(1)} ms, p99 ${percentile(steady, 99).toFixed(1)} ms, max ${steady[steady.length - 1].toFixed(1)} ms`,
      `  kl. 8.00 faller påminnelser ut: ${wave.ms.toFixed(0)} ms (${line(wave.report)}; ${delivered - deliveredBefore} levererade, ${(wave.ms / Math.max(1, wave.report.sent.length)).toFixed(2)} ms per påminnelse med post)`,
      `  tick efter vågen (de som skickade planeras om): ${afterWave.ms.toFixed(0)} ms (${line(afterWave.report)})`,
      `  poster i lagringen efteråt: ${events}`,
      `  högsta minne (RSS): ${(peak / 1024 / 1024).toFixed(0)} MB; före första tick (nämndfiler, lagring, kärna): ${(baseRss / 1024 / 1024).toFixed(0)} MB`,
      `  mål < 200 ms per tick (utom när tusentals påminnelser skickas och sparas): omstart ${ok(Math.max(...coldTicks))}, vanlig tick ${ok(steady[steady.length - 1])}, efter vågen ${ok(afterWave.ms)}`,
      `  mål < 300 MB: ${peak < 300 * 1024 * 1024 ? 'uppfyllt' : 'EJ uppfyllt'}`,
    ];
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void benchScheduler().then((lines) => process.stdout.write(`${lines.join('\n')}\n`));

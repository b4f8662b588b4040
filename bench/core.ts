/**
 * Core throughput on the embedded store: 10,000 jäv declarations and 10,000 övriga frågor
 * through `Core.handle`, sequential and at 50 concurrent. The sequential run goes in rounds, and
 * in each round blocks of commands alternate with blocks of as many bare appends with fdatasync to
 * one file (the floor any durable store stands on), so that both meet the disk as it is in the
 * same second: on a shared disk whose slow syncs come in spells, a whole round of each in turn let
 * a spell land on one and not the other (per-round ratios from 1.2 to 10.2 in one run). Each round
 * is compared with its own baseline: the median of the per-round ratios.
 *
 * Not measured, first: all the commands once on a store of their own, for the compiler's
 * warm-up, which a running bot has long paid; then, on the measured store, a warm-up round of
 * both. On this 2-core machine the optimizing compiler (TurboFan) works through about the first
 * 6,000 commands of a process: p99 per thousand commands in a fresh process 1.6, 1.5, 1.1, 1.8,
 * 1.4, 0.7, 1.1 ms, then 0.4-0.9 ms; with TurboFan off (`node --no-opt`) 0.6-0.8 ms from the
 * first thousand on (two runs each). With a warm-up round of 3,000 alone, the first measured
 * round's ratio was the highest of the five in 8 of 11 runs. With the pass before it, it still
 * was in 4 of 4 (2.9-3.7, the medians 1.9-3.0), for a reason not found: it is not the compiler
 * there, but the append's tail (the slowest 1 % of commands 3,000-7,000 on a fresh store spent
 * 1.5-2.6 ms in the append, those of commands 10,000-20,000 1.2-1.4 ms), and bare appends to a
 * fresh file show no such start.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Core } from '../src/core/core';
import type { Incoming } from '../src/core/incoming';
import { ManualClock } from '../src/domain/clock';
import { committeeSchema, type Committee } from '../src/domain/committee';
import { FileStore } from '../src/store/file-store';
import type { Store } from '../src/store/store';
import { formatRate, median, percentile, sampleRss } from './stats';

export const MEMBERS = 100;
export const ITEMS = 100;

/** 100 ledamöter and a meeting with 100 ärenden: 10,000 distinct jäv declarations. */
export function benchCommittee(): Committee {
  return committeeSchema.parse({
    id: 'bench',
    name: 'Bänknämnden',
    shortName: 'BN',
    members: [
      ...Array.from({ length: MEMBERS }, (_, i) => ({ id: `m${i}`, name: `Ledamot ${i}`, party: 'S', role: 'ledamot', identities: { console: `m${i}` } })),
      { id: 'sekr', name: 'Sekreterare', role: 'sekreterare', identities: { console: 'sekr' } },
    ],
    meetings: [
      {
        id: 'mote',
        date: '2027-06-10',
        start: '09:00',
        place: 'Kommunhuset',
        items: Array.from({ length: ITEMS }, (_, i) => ({ lopnummer: `${i + 1}/27`, title: `Ärende nummer ${i + 1}` })),
      },
    ],
  });
}

/** The 20,000 commands: every member declares jäv in every ärende, and asks 100 questions. */
export function benchCommands(): Incoming[] {
  const out: Incoming[] = [];
  for (let m = 0; m < MEMBERS; m++) {
    for (let i = 0; i < ITEMS; i++) {
      out.push({ deliveryId: `j-${m}-${i}`, platform: 'console', platformUserId: `m${m}`, place: { kind: 'private' }, input: { kind: 'text', text: `jäv ${i + 1}/27 part Bänkmotivering ${i}` } });
      out.push({ deliveryId: `f-${m}-${i}`, platform: 'console', platformUserId: `m${m}`, place: { kind: 'private' }, input: { kind: 'text', text: `övrig fråga Bänkfråga ${m}-${i}` } });
    }
  }
  return out;
}

export interface RunResult {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

/** Runs the commands through `core` with `concurrency` in flight; latencies in ms. */
export async function drive(core: Core, commands: Incoming[], concurrency: number, expect: (text: string) => boolean): Promise<RunResult & { latencies: number[] }> {
  const latencies: number[] = new Array(commands.length);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= commands.length) return;
      const t = performance.now();
      const replies = await core.handle(commands[i]);
      latencies[i] = performance.now() - t;
      if (!expect(replies.map((r) => r.message.text).join('\n'))) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { perSecond: commands.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), failures, latencies };
}

const recorded = (text: string) => text.startsWith('Jäv anmält') || text.startsWith('Din övriga fråga');

async function onFreshStore<T>(open: (dir: string) => Promise<Store>, fn: (core: Core) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-'));
  const store = await open(dir);
  try {
    return await fn(new Core({ committees: [benchCommittee()], store, clock: new ManualClock('2027-05-01T10:00:00+02:00') }));
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bare appends with fdatasync to one file, in sequence: the floor any durable store stands on. Latencies in ms. */
function bareSyncedAppends(fd: number, n: number): number[] {
  const line = `${JSON.stringify({ type: 'jav.declared', declarationId: 'J1', meetingId: 'mote', lopnummer: '1/27', memberId: 'm1', ground: 'partsjav', at: new Date(0).toISOString() })}\n`;
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    writeSync(fd, line);
    fdatasyncSync(fd);
    latencies.push(performance.now() - t);
  }
  return latencies;
}

/** The latencies of one round or block, as a rate (of the time they sum to) and percentiles. */
function summary(latencies: number[], failures = 0): RunResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = latencies.reduce((sum, x) => sum + x, 0);
  return { perSecond: (1000 * latencies.length) / total, p50: percentile(sorted, 50), p99: percentile(sorted, 99), failures };
}

/**
 * One round: `commands` through the core one at a time in blocks of `BLOCK`, each right after as
 * many bare appends, so the two alternate every few tenths of a second.
 */
async function interleavedRound(core: Core, fd: number, commands: Incoming[]): Promise<{ base: RunResult; core: RunResult }> {
  const base: number[] = [];
  const own: number[] = [];
  let failures = 0;
  for (let from = 0; from < commands.length; from += BLOCK) {
    const block = commands.slice(from, from + BLOCK);
    base.push(...bareSyncedAppends(fd, block.length));
    const r = await drive(core, block, 1, recorded);
    own.push(...r.latencies);
    failures += r.failures;
  }
  return { base: summary(base), core: summary(own, failures) };
}

/** Rounds of the bare appends and the core, alternating in blocks, so both meet the same disk load. */
const ROUNDS = 5;
/** Commands (and bare appends) in a block: about a tenth of a second of each. */
const BLOCK = 200;
/** Commands of the unmeasured warm-up round (and as many bare appends before them). */
const WARM_UP = 3000;
/** The core's sequential p99 ≤ this × the bare append+fdatasync p99 of the same round (issue 18). */
const TARGET_P99_RATIO = 3;

export async function benchCore(): Promise<string[]> {
  const commands = benchCommands();
  const rss = sampleRss();
  const openFile = (dir: string) => FileStore.open({ dataDir: dir });
  const per = Math.ceil((commands.length - WARM_UP) / ROUNDS);
  const rounds: { base: RunResult; core: RunResult }[] = [];
  let warmUpFailures = 0;
  const bareFile = path.join(tmpdir(), `namndbot-bench-fsync-${process.pid}.log`);
  const fd = openSync(bareFile, 'a');
  try {
    // The compiler's warm-up: every command once, on a store of its own.
    warmUpFailures = (await onFreshStore(openFile, (core) => drive(core, commands, 1, recorded))).failures;
    await onFreshStore(openFile, async (core) => {
      warmUpFailures += (await interleavedRound(core, fd, commands.slice(0, WARM_UP))).core.failures;
      for (let r = 0; r < ROUNDS; r++) {
        const from = WARM_UP + r * per;
        rounds.push(await interleavedRound(core, fd, commands.slice(from, from + per)));
      }
    });
  } finally {
    closeSync(fd);
    await rm(bareFile, { force: true });
  }
  const concurrent = await onFreshStore(openFile, (core) => drive(core, commands, 50, recorded));
  const peak = rss.stop();
  const p99Ratios = rounds.map((x) => x.core.p99 / x.base.p99);
  const rateRatios = rounds.map((x) => x.core.perSecond / x.base.perSecond);
  const p99Ratio = median(p99Ratios);
  const seqP99 = median(rounds.map((x) => x.core.p99));
  const row = (name: string, r: RunResult) =>
    `  ${name.padEnd(26)} ${formatRate(r.perSecond)} kommandon/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms${r.failures ? `   FEL: ${r.failures}` : ''}`;
  const list = (xs: number[], digits = 2) => xs.map((x) => x.toFixed(digits)).join(', ');
  const ok = (met: boolean) => (met ? 'uppfyllt' : 'EJ uppfyllt');
  return [
    `Kärnan på den inbyggda lagringen: ${commands.length} kommandon (10 000 jäv + 10 000 övriga frågor); i följd: först alla en gång på en egen lagring och ${WARM_UP} på den mätta, som uppvärmning (mäts inte${warmUpFailures ? `, FEL: ${warmUpFailures}` : ''}), sedan ${ROUNDS} omgångar, i varje omgång block om ${BLOCK} kommandon växelvis med lika många råa append+fdatasync`,
    ...rounds.map((x, i) => `${row(`i följd, omgång ${i + 1}`, x.core)}   (rå: ${formatRate(x.base.perSecond).trim()} /s, p99 ${x.base.p99.toFixed(2)} ms)`),
    row('50 samtidiga', concurrent),
    `  högsta minne (RSS)         ${(peak / 1024 / 1024).toFixed(0)} MB`,
    `  i följd mot rå append+fdatasync samma omgång: p99-kvot ${p99Ratio.toFixed(2)} (median av ${list(p99Ratios)}), genomströmning ${median(rateRatios).toFixed(2)} × (median av ${list(rateRatios)})`,
    `  mål: p99 i följd ≤ ${TARGET_P99_RATIO} × rå p99 samma omgång, median av omgångarna (${ok(p99Ratio <= TARGET_P99_RATIO)}); p99 i följd < 10 ms, median ${seqP99.toFixed(2)} ms (${ok(seqP99 < 10)}); ≥ 1 000 kommandon/s vid 50 samtidiga (${ok(concurrent.perSecond >= 1000)})`,
  ];
}

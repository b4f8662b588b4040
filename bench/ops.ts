/**
 * The cost of metrics and logging on the Slack acknowledgement: the Slack ack benchmark of
 * bench/slack.ts (signed slash commands, 50 at a time, real adapter, core and FileStore, answers
 * to a fake Slack) against two copies of the production path, the one HTTP server (BotServer)
 * with the Slack route:
 *
 * - off: no metrics observer, silent logger, the plain Store;
 * - on:  prom-client metrics (the core's observer, the metered Store, /metrics scraped every
 *        250 ms, far more often than Prometheus would), and pino at info writing JSON lines to
 *        a file.
 *
 * Rounds alternate between the two, so load from outside falls on both alike. Target: p99 with
 * metrics and logging on within 10% of off. On a small shared machine the p99 of one run moves
 * by more than that from run to run, so beside the pooled p99s the bench gives the median of
 * the per-round ratios: each round's two runs are next to each other in time.
 *
 *   npx tsx bench/ops.ts            (or through bench/run.ts: benchOps())
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { BotServer } from '../bin/server';
import { SlackAdapter } from '../adapters/slack/slack-adapter';
import { loadCommitteeFile } from '../src/config/committee-file';
import { Core } from '../src/core/core';
import { AdapterDelivery } from '../src/core/delivery';
import { silentLogger, type Logger } from '../src/core/logger';
import { ManualClock } from '../src/domain/clock';
import { MeteredStore } from '../src/ops/metered-store';
import { Metrics } from '../src/ops/metrics';
import { FileStore } from '../src/store/file-store';
import type { Store } from '../src/store/store';
import { FakeSlack } from '../test/slack/fake-slack';
import { fire, percentile, summary, type RunResult } from './slack';
import { collectGarbage } from './stats';
import { SIGNING_SECRET } from '../test/slack/slack-sender';

export interface OpsBenchOptions {
  requests?: number;
  concurrency?: number;
  warmup?: number;
  rounds?: number;
}

// Members of examples/kfn.yaml and what people do most, as in bench/slack.ts.

interface Stack {
  name: string;
  port: number;
  adapter: SlackAdapter;
  metrics?: Metrics;
  logFile?: string;
  stop(): Promise<void>;
}

async function stack(name: string, fake: FakeSlack, on: boolean, dir: string): Promise<Stack> {
  const clock = new ManualClock('2027-01-10T10:00:00+01:00');
  const file = await FileStore.open({ dataDir: path.join(dir, name), clock });
  const metrics = on ? new Metrics() : undefined;
  const store: Store = metrics ? new MeteredStore(file, metrics) : file;
  const logFile = on ? path.join(dir, `${name}.log`) : undefined;
  const destination = logFile ? pino.destination({ dest: logFile, sync: false, mkdir: true }) : undefined;
  const logger: Logger = destination ? pino({ level: 'info', base: { app: 'namndbot' } }, destination) : silentLogger;
  const committee = await loadCommitteeFile(path.join(__dirname, '../examples/kfn.yaml'));
  const delivery = new AdapterDelivery();
  // The per-person rate limit is lifted so every command does the core's real work (as bench/slack.ts).
  const core = new Core({ committees: [committee], store, clock, delivery, logger, ...(metrics ? { observer: metrics } : {}), rateLimit: { burst: 1e9, perMinute: 1e9 } });
  const adapter = new SlackAdapter(
    { core, delivery, logger },
    { mode: 'http', botToken: 'xoxb-bench', signingSecret: SIGNING_SECRET, port: 0, path: '/slack/events' },
    { clientOptions: { slackApiUrl: fake.apiUrl }, listen: false },
  );
  await adapter.start();
  delivery.register(adapter);
  const listener = adapter.requestListener!;
  const server = new BotServer({
    routes: [{ method: 'POST', path: '/slack/events', handle: (req, res) => listener(req, res) }],
    logger,
    maxBodyBytes: 1024 * 1024,
    ready: async () => true,
    ...(metrics ? { metrics } : {}),
  });
  const port = await server.listen(0, '127.0.0.1');
  return {
    name,
    port,
    adapter,
    ...(metrics ? { metrics } : {}),
    ...(logFile ? { logFile } : {}),
    async stop() {
      await server.close();
      await adapter.stop();
      await file.close();
      destination?.flushSync();
      destination?.end();
    },
  };
}

/** Scrapes /metrics every 250 ms while `during` runs (a round lasts about a second). */
async function scraping<T>(port: number, during: () => Promise<T>): Promise<{ result: T; scrapes: number }> {
  let scrapes = 0;
  const timer = setInterval(() => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      res.resume();
      scrapes++;
    });
    req.on('error', () => undefined);
    req.end();
  }, 250);
  try {
    return { result: await during(), scrapes };
  } finally {
    clearInterval(timer);
  }
}

export async function benchOps(options: OpsBenchOptions = {}): Promise<string[]> {
  const total = options.requests ?? 10_000;
  const concurrency = options.concurrency ?? 50;
  const warmup = options.warmup ?? 500;
  const rounds = options.rounds ?? 10;
  const fake = await new FakeSlack().start();
  fake.recordBodies = false;
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-ops-'));
  const off = await stack('off', fake, false, dir);
  const on = await stack('on', fake, true, dir);
  const lines: string[] = [];
  try {
    for (const s of [off, on]) {
      await fire(s.port, fake, warmup, concurrency);
      await s.adapter.idle();
    }
    const per = Math.ceil(total / rounds);
    const all = new Map<Stack, RunResult>([
      [off, { latencies: [], seconds: 0, failures: 0 }],
      [on, { latencies: [], seconds: 0, failures: 0 }],
    ]);
    let scrapes = 0;
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const p99 = new Map<Stack, number>();
      // Alternate which goes first, too.
      for (const s of r % 2 === 0 ? [off, on] : [on, off]) {
        const run = () => fire(s.port, fake, per, concurrency);
        // Neither run pays for the garbage the other left behind.
        collectGarbage();
        const { result, scrapes: n } = s.metrics ? await scraping(s.port, run) : { result: await run(), scrapes: 0 };
        scrapes += n;
        const acc = all.get(s)!;
        acc.latencies.push(...result.latencies);
        acc.seconds += result.seconds;
        acc.failures += result.failures;
        p99.set(s, percentile([...result.latencies].sort((a, b) => a - b), 99));
        // Drain the answers, so one stack's background work never falls in the other's round.
        await s.adapter.idle();
      }
      ratios.push(p99.get(on)! / p99.get(off)!);
    }
    const medianRatio = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    const offRun = summary('mätvärden och loggning av', all.get(off)!, 34);
    const onRun = summary('mätvärden och loggning på (info)', all.get(on)!, 34);
    const ratio = onRun.p99 / offRun.p99;
    const logBytes = on.logFile ? (await stat(on.logFile).catch(() => ({ size: 0 }))).size : 0;
    lines.push(
      `Slack-kvittenser genom den enda HTTP-servern: ${per * rounds} signerade snedstreckskommandon till var, ${concurrency} samtidiga, ${rounds} omgångar om vartannat (node ${process.version})`,
      `  ${offRun.line}`,
      `  ${onRun.line}`,
      `  (på: prom-clients räknare och histogram per kommando, mätt lagring, /metrics hämtad ${scrapes} gånger; pino skrev ${(logBytes / 1024).toFixed(0)} kB JSON-rader)`,
      `  p99-kvot på/av, sammanslaget: ${ratio.toFixed(2)}; median av de ${rounds} omgångarnas kvoter: ${medianRatio.toFixed(2)} (omgångar: ${ratios.map((x) => x.toFixed(2)).join(' ')}); p50-kvot ${(onRun.p50 / offRun.p50).toFixed(2)}`,
      `  mål p99 inom 10 % (≤ 1,10): ${ratio <= 1.1 && medianRatio <= 1.1 ? 'uppfyllt' : medianRatio <= 1.1 ? 'uppfyllt av omgångarnas median, inte av sammanslagen p99' : 'EJ uppfyllt'}`,
    );
  } finally {
    await off.stop();
    await on.stop();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}

if (require.main === module) {
  benchOps().then(
    (lines) => console.log(lines.join('\n')),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

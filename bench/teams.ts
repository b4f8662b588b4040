/**
 * Teams message round trip: 10,000 activities, 50 at a time, POSTed to /api/messages as the
 * Bot Connector does, each timed until the bot answers the POST (by then its reply has reached
 * the fake Bot Connector). Nämndbot (real Core, FileStore, kfn.yaml) next to a bare echo bot
 * run by the same CloudAdapter instance, in the same process and run. Dev mode (no token
 * checks) for both, so the difference is Nämndbot's own work. The two alternate in rounds of
 * 1,000 so that load from anything else on the machine falls on both alike.
 *
 *   npx tsx bench/teams.ts
 *
 * Target: Nämndbot's p99 within 1.3× the echo bot's, as the median of per-round ratios.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TurnContext } from 'botbuilder';
import { readJson, wrapResponse } from '../adapters/teams/http';
import { collectGarbage, median, percentileOf } from './stats';
import { closeClientSockets, postActivity, textActivity, type Person } from '../test/teams/fake-connector';
import { openTeamsEnv, PEOPLE, type TeamsEnv } from '../test/teams/env';

/** 1,000 a round: one round's p99 is then its tenth-slowest, not its fifth (steadier per-round ratios). */
const TOTAL = 10_000;
const CONCURRENCY = 50;
const WARMUP = 500;
const TARGET_RATIO = 1.3;
const ROUNDS = 10;

/** What members type most: read-only commands from several people in personal chat. */
const MIX: [Person, string][] = [
  [PEOPLE.tomas, 'hjälp'],
  [PEOPLE.lena, 'möten'],
  [PEOPLE.helena, 'ärenden'],
  [PEOPLE.sofia, 'jäv lista'],
  [PEOPLE.ingrid, 'övrig fråga lista'],
  [PEOPLE.maria, 'vem är jag'],
];

/** The bare bot: the same CloudAdapter, a logic that echoes the text. */
function echoServer(env: TeamsEnv): Promise<Server> {
  const echo = async (context: TurnContext) => {
    await context.sendActivity({ type: 'message', text: context.activity.text ?? '' });
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      await env.adapter.cloud.process({ body, headers: req.headers as Record<string, string>, method: req.method }, wrapResponse(res), echo);
    })().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function run(botUrl: string, serviceUrl: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const [from, text] = MIX[next++ % MIX.length];
      const activity = textActivity({ serviceUrl, from, where: 'personal', text });
      const started = performance.now();
      const r = await postActivity(botUrl, activity);
      latencies.push(performance.now() - started);
      if (r.status !== 200) throw new Error(`status ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, latencies: number[], seconds: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { name, p50: percentile(sorted, 50), p99: percentile(sorted, 99), rate: latencies.length / seconds };
}

export async function benchTeams(): Promise<string[]> {
  // The per-person rate limit would turn most of this flood into polite refusals (and the
  // clock stands still); lift it so every activity does the real work.
  const env = await openTeamsEnv({ rateLimit: { burst: 1e9, perMinute: 1e9 } });
  env.fake.record = false;
  const echo = await echoServer(env);
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  try {
    // Warm both paths (JIT, sockets, the core's caches) before measuring.
    await run(echoUrl, env.serviceUrl, WARMUP);
    await run(env.botUrl, env.serviceUrl, WARMUP);
    // Interleaved rounds, so both bots see the same machine load (the CI box is shared).
    const bots = [
      { name: 'ekobot (samma CloudAdapter)', url: echoUrl, latencies: [] as number[], seconds: 0 },
      { name: 'Nämndbot (kärna + FileStore)', url: env.botUrl, latencies: [] as number[], seconds: 0 },
    ];
    /** Per round, Nämndbot p99 / echo p99: both measured back to back under the same outside load. */
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const p99s = new Map<string, number>();
      for (const bot of round % 2 ? [...bots].reverse() : bots) {
        collectGarbage();
        const t0 = performance.now();
        const latencies = await run(bot.url, env.serviceUrl, TOTAL / ROUNDS);
        bot.seconds += (performance.now() - t0) / 1000;
        bot.latencies.push(...latencies);
        p99s.set(bot.url, percentileOf(latencies, 99));
      }
      ratios.push(p99s.get(env.botUrl)! / p99s.get(echoUrl)!);
    }
    const results = bots.map((b) => summary(b.name, b.latencies, b.seconds));
    const [bare, ours] = results;
    const pooled = ours.p99 / bare.p99;
    const ratio = median(ratios);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    return [
      `Teams tur och retur, ${TOTAL} aktiviteter, ${CONCURRENCY} samtidiga, utvecklarläge, falsk Bot Connector:`,
      ...results.map((r) => `  ${r.name.padEnd(30)} p50 ${fmt(r.p50).padStart(9)}  p99 ${fmt(r.p99).padStart(9)}  ${r.rate.toFixed(0)} aktiviteter/s`),
      `  p99-kvot, median av de ${ROUNDS} omgångarnas kvoter: ${ratio.toFixed(2)}× (omgångar: ${ratios.map((x) => x.toFixed(2)).join(' ')}; sammanslaget ${pooled.toFixed(2)}×); p50-kvot ${(ours.p50 / bare.p50).toFixed(2)}×`,
      `  mål ≤ ${TARGET_RATIO}× (median av omgångarna): ${ratio <= TARGET_RATIO ? 'uppfyllt' : 'EJ uppfyllt'}`,
    ];
  } finally {
    await new Promise<void>((resolve) => {
      echo.close(() => resolve());
      echo.closeAllConnections();
    });
    await env.close();
    closeClientSockets();
  }
}

if (require.main === module) {
  benchTeams().then(
    (lines) => process.stdout.write(`${lines.join('\n')}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

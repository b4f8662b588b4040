/**
 * Cold start: how long from spawning the bot until it is of use, next to a bare `node -e 0`
 * spawned to its exit in the same round.
 *
 *   - console: spawn → the first reply to `hjälp` (the example committee, an empty data folder);
 *   - server: spawn → `/readyz` answers 200, with Slack configured (HTTP mode, its auth.test
 *     answered by a fake Slack on 127.0.0.1).
 *
 * Measured on the command `npm start` runs (package.json, after its prestart build): compiled
 * JavaScript from .build/. The TypeScript run through tsx (`node --require tsx/cjs bin/main.ts`,
 * what `npm start` ran before) is measured beside it for comparison. The kinds alternate within
 * each round; every figure is the median of the rounds, and the target (≤ 8 × bare node, issue 18)
 * is judged on the median of the per-round ratios.
 *
 *   npm run bench -- start
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeSlack } from '../test/slack/fake-slack';
import { freePort } from '../test/ops/support';
import { median, startArguments } from './stats';

const ROOT = path.join(__dirname, '..');
const ROUNDS = 7;
const TARGET_RATIO = 8;
const TIMEOUT_MS = 60_000;

const TSX_COMMAND = ['--require', 'tsx/cjs', 'bin/main.ts'];

/** The bot's settings cleared (a developer's shell), then `extra`. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(NAMNDBOT_|SLACK_|TEAMS_|REDIS_|LOG_LEVEL)/.test(k)) out[k] = v;
  return { ...out, ...extra };
}

/** Spawn to exit of `node -e 0`. */
function bare(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - t));
  });
}

/** Spawn to the first reply to `hjälp` in the console. */
async function consoleFirstReply(command: string[]): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-start-'));
  try {
    return await new Promise<number>((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, [...command, 'start'], { cwd: ROOT, env: env({ NAMNDBOT_DATA_DIR: dir }), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let answered = false;
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // The help text names the commands; the first chunk of it is the reply.
        if (!answered && out.includes('jäv')) {
          answered = true;
          resolve(performance.now() - t);
          child.stdin.end();
        }
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (!answered) reject(new Error(`the console ended (code ${code}) without answering: ${err.slice(-500)}`));
      });
      child.stdin.write('hjälp\n');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function readyStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Spawn to `/readyz` 200 in server mode with Slack configured; the bot is stopped after. */
async function serverReady(command: string[], slackApiUrl: string): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-start-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...command, 'start'], {
    cwd: ROOT,
    env: env({ NAMNDBOT_DATA_DIR: dir, NAMNDBOT_PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-0000-bench', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', SLACK_API_URL: slackApiUrl, LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const t = performance.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the bot exited before it was ready (code ${child.exitCode}): ${err.slice(-500)}`);
      if ((await readyStatus(port)) === 200) return performance.now() - t;
      if (performance.now() - t > TIMEOUT_MS) throw new Error(`the bot was not ready within ${TIMEOUT_MS} ms: ${err.slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

interface Round {
  bare: number;
  console: number;
  server: number;
  tsxConsole: number;
  tsxServer: number;
}

export async function benchStart(): Promise<string[]> {
  // What `npm start`'s prestart does: the compiled output up to date.
  const built = spawnSync(process.execPath, ['bin/build.js'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bin/build.js failed: ${built.stderr}`);
  const command = startArguments();
  const slack = await new FakeSlack().start();
  const rounds: Round[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      rounds.push({
        bare: await bare(),
        console: await consoleFirstReply(command),
        server: await serverReady(command, slack.apiUrl),
        tsxConsole: await consoleFirstReply(TSX_COMMAND),
        tsxServer: await serverReady(TSX_COMMAND, slack.apiUrl),
      });
    }
  } finally {
    await slack.stop();
  }
  const med = (pick: (r: Round) => number) => median(rounds.map(pick));
  const ratio = (pick: (r: Round) => number) => rounds.map((r) => pick(r) / r.bare);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
  const ok = (met: boolean) => (met ? 'uppfyllt' : 'EJ uppfyllt');
  const row = (name: string, pick: (r: Round) => number) => {
    const ratios = ratio(pick);
    return `  ${name.padEnd(44)} ${med(pick).toFixed(0).padStart(6)} ms   ${median(ratios).toFixed(1).padStart(5)} × bar node (omgångarna: ${list(ratios)})`;
  };
  const consoleRatio = median(ratio((r) => r.console));
  const serverRatio = median(ratio((r) => r.server));
  return [
    `Kallstart: från start av processen tills den är till nytta, ${ROUNDS} omgångar, slagen växelvis i varje omgång; kommandot som npm start kör: node ${command.join(' ')} start`,
    `  bar node -e 0 (start till slut)               ${med((r) => r.bare).toFixed(0).padStart(6)} ms`,
    row('terminalen: första svaret på hjälp', (r) => r.console),
    row('server med Slack: /readyz svarar 200', (r) => r.server),
    row('(jämförelse) tsx: första svaret på hjälp', (r) => r.tsxConsole),
    row('(jämförelse) tsx: /readyz svarar 200', (r) => r.tsxServer),
    `  mål: ≤ ${TARGET_RATIO} × bar node, median av omgångarnas kvoter: terminalen ${consoleRatio.toFixed(1)} (${ok(consoleRatio <= TARGET_RATIO)}), /readyz ${serverRatio.toFixed(1)} (${ok(serverRatio <= TARGET_RATIO)})`,
  ];
}

if (require.main === module) void benchStart().then((lines) => process.stdout.write(`${lines.join('\n')}\n`));

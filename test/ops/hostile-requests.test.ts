/**
 * `npm start` with Slack configured, as a real process, meeting requests meant to hurt it.
 * Nothing a request carries ends the process: a correctly signed Slack request whose body is
 * `payload=null` (Bolt's receiver threw outside any handler, and the process died) gets a clear
 * 400, and the bot goes on answering.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeSlack } from '../slack/fake-slack';
import { SIGNING_SECRET, SlackSender } from '../slack/slack-sender';
import { freePort, get, ROOT, spawnBot, type SpawnedBot } from './support';

const AMIRA = 'U0BV9FWYA1P';

let dir: string;
let slack: FakeSlack;
let bot: SpawnedBot;
let sender: SlackSender;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-hostile-'));
  slack = await new FakeSlack().start();
  bot = await spawnBot({
    port: await freePort(),
    args: ['start', '--now', '2027-01-10T10:00:00+01:00'],
    env: { NAMNDBOT_DATA_DIR: dir, LOG_LEVEL: 'debug', SLACK_BOT_TOKEN: 'xoxb-0000-ops-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
  });
  sender = new SlackSender(`${bot.url}/slack/events`, slack);
}, 30_000);

afterAll(async () => {
  await bot?.kill();
  await slack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The bot still answers: alive, and a real slash command is acknowledged and answered. */
async function stillAnswers(): Promise<void> {
  expect(bot.child.exitCode).toBeNull();
  expect((await get(`${bot.url}/healthz`)).status).toBe(200);
  const { answer, responseUrl } = await sender.command(AMIRA, '/namnd', 'möten');
  expect(answer.status).toBe(200);
  const reply = await slack.waitFor(() => slack.responses.find((r) => responseUrl.endsWith(r.id)));
  expect(String(reply.body.text)).toContain('Kommande sammanträden');
}

test.each([
  ['payload=null', 'application/x-www-form-urlencoded', 'payload=null'],
  ['payload=[]', 'application/x-www-form-urlencoded', 'payload=%5B%5D'],
  ['payload="text"', 'application/x-www-form-urlencoded', 'payload=%22text%22'],
  ['a JSON null', 'application/json', 'null'],
  ['a JSON number', 'application/json', '42'],
])('a signed Slack request with %s gets 400 and the bot goes on', async (_name, contentType, body) => {
  const answer = await sender.post(body, contentType);
  expect({ status: answer.status, text: answer.text }).toEqual({ status: 400, text: 'not a Slack request body' });
  await stillAnswers();
  expect(bot.logs().filter((l) => /unhandled|uncaught/.test(String(l.msg)))).toEqual([]);
}, 30_000);

test('the server\'s policy: an error that escapes every handler is logged by name and the process goes on', async () => {
  // A process of its own that installs the policy, then lets a promise reject unheard and a
  // callback throw; it must still be there to say so, and exit 0 at the end.
  const script = [
    "const { keepRunningOnStrayErrors } = require('./bin/run-server');",
    "const logger = require('pino')({ base: null, timestamp: false });",
    'keepRunningOnStrayErrors({ logger });',
    "Promise.reject(new TypeError('a request body said null'));",
    "setTimeout(() => { throw new RangeError('from a library callback'); }, 10);",
    "setTimeout(() => { logger.info('still here'); }, 100);",
  ].join('\n');
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toEqual([
    { level: 50, err: 'TypeError', msg: 'unhandled rejection; the process goes on' },
    { level: 50, err: 'RangeError', msg: 'uncaught exception; the process goes on' },
    { level: 30, msg: 'still here' },
  ]);
  // The error's message may quote what a request carried: it is not logged.
  expect(run.stdout).not.toContain('said null');
}, 30_000);

/**
 * `npm start` with Slack and Teams both configured: one process, one port. A signed Slack slash
 * command and a Teams activity are both answered, /healthz, /readyz and /metrics are there, the
 * scheduler's reminders show in the metrics, and neither the log nor the metrics carry a name,
 * a motivation, a question or the title of the sekretess ärende 8/27.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeSlack } from '../slack/fake-slack';
import { SIGNING_SECRET, SlackSender } from '../slack/slack-sender';
import { FakeConnector, closeClientSockets, postActivity, textActivity } from '../teams/fake-connector';
import { PEOPLE, visibleText } from '../teams/env';
import { freePort, get, metric, spawnBot, type SpawnedBot } from './support';

const AMIRA = 'U0BV9FWYA1P';
/** Kallelsen to the January meeting is out: 14 reminders are due at start. */
const NOW = '2027-01-15T09:00:00+01:00';

const MOTIVATION = 'Sökanden är min systerson Kalle Persson';
const QUESTION = 'Varför stängde simhallen i Norrby i december?';
/** Never in a log line or a metrics label. */
const FORBIDDEN = [
  'Individärende',
  'fritidsstöd',
  'Kalle Persson',
  'systerson',
  'simhallen',
  'Norrby',
  'Amira',
  'Haddad',
  'Tomas',
  'Engström',
  'Sofia',
  'Bergkvist',
  'Maria Ekström',
  'Internbudget',
];

let dir: string;
let slack: FakeSlack;
let connector: FakeConnector;
let serviceUrl: string;
let bot: SpawnedBot;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-ops-'));
  slack = await new FakeSlack().start();
  connector = new FakeConnector();
  serviceUrl = await connector.start();
  bot = await spawnBot({
    port: await freePort(),
    args: ['start', '--now', NOW],
    env: {
      NAMNDBOT_DATA_DIR: dir,
      // Not even debug lines may carry what people wrote. (trace is the one level that may: it
      // passes on Slack's own request bodies, see adapters/slack/bolt-logger.ts.)
      LOG_LEVEL: 'debug',
      SLACK_BOT_TOKEN: 'xoxb-0000-ops-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      TEAMS_DEV_NO_AUTH: 'true',
    },
  });
}, 30_000);

afterAll(async () => {
  // SIGTERM and the exit code are tested in shutdown.test.ts, on one process (see spawnBot).
  await bot?.kill();
  await slack?.stop();
  await connector?.stop();
  closeClientSockets();
  await rm(dir, { recursive: true, force: true });
});

test('one process answers Slack and Teams on one port, with health, readiness and metrics', async () => {
  expect((await get(`${bot.url}/healthz`)).status).toBe(200);
  expect((await get(`${bot.url}/readyz`)).status).toBe(200);
  // Slack checked the token against the fake Web API at start.
  expect(slack.callsOf('auth.test').length).toBeGreaterThan(0);

  // Slack: a signed slash command, acknowledged at once and answered through its response_url.
  const sender = new SlackSender(`${bot.url}/slack/events`, slack);
  const { answer, responseUrl } = await sender.command(AMIRA, '/jav', `8/27 part ${MOTIVATION}`);
  expect(answer.status).toBe(200);
  const id = responseUrl.split('/').pop();
  const reply = await slack.waitFor(() => slack.responses.find((r) => r.id === id));
  expect(JSON.stringify(reply.body)).toContain('Jäv anmält i ärende 8/27');

  // Teams: an activity in personal chat, answered in the turn through the connector.
  const r = await postActivity(bot.url, textActivity({ serviceUrl, from: PEOPLE.tomas, where: 'personal', text: `jäv 8/27 part ${MOTIVATION}` }));
  expect(r.status).toBe(200);
  // The scheduler may reach Tomas with a due reminder as soon as his address is known, before or
  // after the turn's answer: look for the answer among everything sent to his chat.
  const toTomas = connector.sent().filter((s) => s.conversationId === `a:personal-${PEOPLE.tomas.aadObjectId}`);
  expect(toTomas.map((s) => visibleText(s.body)).join('\n---\n')).toMatch(/Jäv anmält i ärende 8\/27/);
  const q = await postActivity(bot.url, textActivity({ serviceUrl, from: PEOPLE.sofia, where: 'personal', text: `övrig fråga ${QUESTION}` }));
  expect(q.status).toBe(200);

  // Metrics: commands by command and outcome, the latency histogram, reminders, Store errors.
  let text = (await get(`${bot.url}/metrics`)).body;
  // The first ticks send one reminder after another (one in flight per process), a tick's budget
  // at a time (the next follows at once): wait until the Slack members' and the Teams-only
  // members' reminders have been reported.
  const reported = (t: string) => metric(t, 'namndbot_reminders_total', { result: 'sent' }) > 0 && metric(t, 'namndbot_reminders_total', { result: 'unreachable' }) > 0;
  for (let waited = 0; !reported(text) && waited < 15_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    text = (await get(`${bot.url}/metrics`)).body;
  }
  expect(metric(text, 'namndbot_commands_total', { command: 'jav.declare', outcome: 'recorded' })).toBe(2);
  expect(metric(text, 'namndbot_commands_total', { command: 'fraga.announce', outcome: 'recorded' })).toBe(1);
  expect(metric(text, 'namndbot_command_duration_seconds_count', { command: 'jav.declare' })).toBe(2);
  expect(text).toMatch(/namndbot_command_duration_seconds_bucket\{le="0\.05",command="jav\.declare"\}/);
  expect(text).toContain('# TYPE namndbot_store_errors_total counter');
  expect(text).toContain('# TYPE namndbot_process_cpu_seconds_total counter');
  // The first tick ran at start: reminders to Slack members went out through the fake Slack;
  // members reachable only in Teams (no conversation reference yet) were unreachable.
  expect(metric(text, 'namndbot_reminders_total', { result: 'sent' })).toBeGreaterThan(0);
  expect(metric(text, 'namndbot_reminders_total', { result: 'planned' })).toBe(
    metric(text, 'namndbot_reminders_total', { result: 'sent' }) + metric(text, 'namndbot_reminders_total', { result: 'failed' }) + metric(text, 'namndbot_reminders_total', { result: 'unreachable' }),
  );
  expect(metric(text, 'namndbot_reminders_total', { result: 'unreachable' })).toBeGreaterThan(0);
  expect(slack.callsOf('chat.postMessage').length).toBeGreaterThan(0);

  // Nothing a person wrote, no name and no ärende title in a label; the sekretess ärende least of all.
  for (const word of FORBIDDEN) expect({ word, inMetrics: text.includes(word) }).toEqual({ word, inMetrics: false });
  // Labels are fixed words chosen by the code (and prom-client's own for the process metrics).
  const labels = [...text.matchAll(/^\w+\{([^}]*)\}/gm)].flatMap((m) => [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => ({ name: x[1]!, value: x[2]! })));
  const ours = new Set(['command', 'outcome', 'result', 'operation']);
  const processLabels = new Set(['le', 'version', 'major', 'minor', 'patch', 'space', 'type', 'kind']);
  expect(labels.filter((l) => !ours.has(l.name) && !processLabels.has(l.name))).toEqual([]);
  expect(labels.filter((l) => ours.has(l.name) && !/^[a-z][a-z.-]*$/.test(l.value))).toEqual([]);

  // The log: structured JSON lines with ids and outcomes, never names, motivations, questions or titles.
  const declared = await bot.waitForLog((l) => l.msg === 'handled' && l.command === 'jav.declare');
  expect(declared).toMatchObject({ outcome: 'recorded', platform: expect.any(String), deliveryId: expect.any(String) });
  const log = bot.stdout();
  for (const word of FORBIDDEN) expect({ word, inLog: log.includes(word), line: log.split('\n').find((l) => l.includes(word))?.slice(0, 600) }).toEqual({ word, inLog: false });
  expect(log).not.toContain('8/27');
});

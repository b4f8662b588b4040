/**
 * The tools that only read work while the bot runs on the same data folder (issue 19.2): the
 * real bot (`npm start`, in the terminal, stdin kept open) records a justering, and
 * `npx namndbot export`, `reminders --at`, `calendar`, `member export` and `retention --dry-run`
 * run beside it as separate processes and see it. A tool that writes
 * is refused with what to do instead, and changes nothing; the bot goes on working.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanEnv, ROOT } from './support';
import { runProcess } from '../support/cli';

const NOW = '2027-01-22T09:00:00+01:00';

let dir: string;
let env: NodeJS.ProcessEnv;
let bot: ChildProcessWithoutNullStreams;
let botOut = '';
let botErr = '';

/** Resolves once the bot has printed `text` (after what was printed before the call). */
function botSays(text: string, ms = 30_000): Promise<void> {
  const from = botOut.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not say "${text}"; it said: ${botOut.slice(from)}\nstderr: ${botErr}`)), ms);
    const check = () => {
      if (!botOut.slice(from).includes(text)) return;
      clearTimeout(timer);
      bot.stdout.off('data', check);
      resolve();
    };
    bot.stdout.on('data', check);
  });
}

/** `npx namndbot <args>` as its own process, as the docs write it. */
const namndbot = (args: string[]) => runProcess('npx', ['namndbot', ...args], { cwd: ROOT, env });

async function files(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(d, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(d, path.join(e.parentPath, e.name))] = await readFile(path.join(e.parentPath, e.name), 'base64');
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-running-'));
  env = cleanEnv({ NAMNDBOT_DATA_DIR: path.join(dir, 'data'), NAMNDBOT_COMMITTEES: path.join(ROOT, 'examples/kfn.yaml') });
  // npm start, in the terminal; stdin stays open, so the bot keeps running. Its own process
  // group, so that afterAll reaches the bot under npm too.
  bot = spawn('npm', ['start', '--', '--as', 'maria.ekstrom', '--now', NOW], { cwd: ROOT, env, stdio: 'pipe', detached: true });
  bot.stdout.on('data', (d: Buffer) => (botOut += d.toString('utf8')));
  bot.stderr.on('data', (d: Buffer) => (botErr += d.toString('utf8')));
  const recorded = botSays('Justeringen av protokollet från sammanträdet torsdag den 21 januari 2027 är inlagd.', 60_000);
  bot.stdin.write('justering 2027-01-21 amira.haddad johan.sjoberg senast 2027-02-01\n');
  await recorded;
}, 90_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) process.kill(-bot.pid!, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

test('export, reminders, calendar, member export and a retention dry run work beside the running bot and see its records', async () => {
  const [exported, reminders, calendar, member, retention] = await Promise.all([
    namndbot(['export', '--out', path.join(dir, 'diarium')]),
    namndbot(['reminders', '--at', '2027-01-28T08:30']),
    namndbot(['calendar', '--out', path.join(dir, 'kfn.ics')]),
    namndbot(['member', 'export', 'amira.haddad', '--out', path.join(dir, 'amira.json')]),
    namndbot(['retention', '--dry-run', '--days', '30']),
  ]);
  for (const r of [exported, reminders, calendar, member, retention]) {
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  }
  expect(exported.stdout).toContain('Kultur- och fritidsnämnden: 1 post →');
  const csv = await readFile(path.join(dir, 'diarium', 'kfn-handlingar.csv'), 'utf8');
  expect(csv).toContain('Justering');

  expect(reminders.stdout).toContain('Påminnelser torsdag den 28 januari 2027 kl. 8.30 (förhandsvisning: inget skickas och inget sparas)');
  expect(reminders.stdout).toContain('── till Amira Haddad (S), ledamot — justering: två arbetsdagar före sista dagen för justering');

  // The recorded justering date, not the one computed from the rules.
  const ics = (await readFile(path.join(dir, 'kfn.ics'), 'utf8')).replace(/\r\n[ \t]/g, '');
  const justering = ics.slice(ics.indexOf('UID:kfn-kfn-2027-01-21-justering@namndbot'));
  expect(justering.slice(0, justering.indexOf('END:VEVENT'))).toContain('DTSTART;VALUE=DATE:20270201');

  const person = JSON.parse(await readFile(path.join(dir, 'amira.json'), 'utf8')) as { nämnder: { poster: unknown[] }[] };
  expect(person.nämnder[0]!.poster.length).toBeGreaterThan(0);
  expect(retention.stdout).toContain('(provkörning: inget ändras)');
}, 120_000);

test('agenda, import and retention, which write, are refused with what to do instead; nothing changes and the bot goes on', async () => {
  const dataDir = path.join(dir, 'data');
  const before = await files(dataDir);
  const [agenda, imported, retention] = await Promise.all([
    namndbot(['agenda', '--out', path.join(dir, 'utkast')]),
    namndbot(['import', path.join(ROOT, 'examples/kfn-arendelista.csv'), '--meeting', '2027-02-18', '--ja']),
    namndbot(['retention', '--days', '30']),
  ]);
  expect(agenda.code).toBe(1);
  expect(agenda.stderr).toMatch(/^namndbot agenda ändrar i datakatalogen .*, och där kör redan en Nämndbot \(pid \d+\)\. Bara en process åt gången får skriva i den, så inget har ändrats\./);
  expect(agenda.stderr).toContain('skriv dagordning (eller dagordning möte <datum>) till Nämndbot i chatten, eller i terminalen där boten körs');
  expect(imported.code).toBe(1);
  expect(imported.stderr).toContain('dela den med Nämndbot i ett privat meddelande i Slack eller bifoga den i Teams');
  expect(retention.code).toBe(1);
  expect(retention.stderr).toContain('namndbot retention --dry-run (det går medan boten körs)');
  expect(await files(dataDir)).toEqual(before);

  // The bot still holds the folder and answers.
  const answered = botSays('Justeringen');
  bot.stdin.write('justering 2027-01-21\n');
  await answered;
  const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));
  bot.stdin.end();
  expect(await exited).toBe(0);
}, 120_000);

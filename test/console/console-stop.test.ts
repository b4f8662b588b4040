/**
 * Ending the console bot, on the real command line: SIGTERM answers the command in flight and
 * exits cleanly, /avsluta at a terminal exits, and a closed pipe (`| head`) is not a crash.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStore } from '../../src/store/file-store';
import { ROOT } from '../support/cli';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const NOW = '2027-01-10T10:00:00+01:00';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'namndbot-stop-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

test('SIGTERM: every command that was stored is answered, and the bot exits 0', async () => {
  const child = spawn(TSX, ['bin/main.ts', 'start', '--as', 'amira.haddad', '--now', NOW], { cwd: ROOT, env: { ...process.env, NAMNDBOT_DATA_DIR: dataDir }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    // The first answer is out: the next commands are queued or in flight. Stop it now.
    if (!signalled && stdout.includes('är anmäld')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  // stdin stays open, as at a terminal: only the signal ends the session.
  child.stdin.write(Array.from({ length: 40 }, (_, i) => `övrig fråga Fråga nummer ${i + 1}?\n`).join(''));
  const end = await ended;
  expect(signalled).toBe(true);
  expect({ code: end.code, signal: end.signal, stderr: end.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  const store = await FileStore.open({ dataDir });
  try {
    const stored = (await store.readEvents('kfn', 0)).flatMap((e) => (e.type === 'fraga.announced' ? [e.questionId] : []));
    expect(stored.length).toBeGreaterThan(0);
    for (const id of stored) expect(end.stdout).toContain(`Din övriga fråga ${id} är anmäld`);
  } finally {
    await store.close();
  }
}, 60_000);

// A terminal is needed: with a pipe, /avsluta always ended the session. util-linux `script` gives
// the bot a pseudo-terminal; where it is missing, the test is skipped and says so.
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) process.stderr.write('Skipping the /avsluta terminal test: util-linux `script` is not installed (apt-get install bsdutils).\n');
(hasScript ? test : test.skip)('/avsluta at a terminal ends the session and the process', async () => { // Skip reason: without util-linux `script` there is no pseudo-terminal (printed above).
  const command = `${TSX} bin/main.ts start --as amira.haddad`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, NAMNDBOT_DATA_DIR: dataDir }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!sent && out.includes('amira.haddad> ')) {
      sent = true;
      child.stdin.write('/avsluta\r');
    }
  });
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Without an exit the test would hang: give up after a while, and say so.
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const code = await ended;
  clearTimeout(timer);
  expect(sent).toBe(true);
  expect(code).toBe(0);
}, 60_000);

test('namndbot reminders into a pipe that closes at once: no crash, exit 0', async () => {
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${TSX}" bin/main.ts reminders --at 2027-01-20T08:00:00+01:00 | true`], {
    cwd: ROOT,
    env: { ...process.env, NAMNDBOT_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 50_000,
  });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
}, 60_000);

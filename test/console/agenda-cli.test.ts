/**
 * The command-line side of agenda drafts: `namndbot agenda` and `namndbot templates check`.
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../support/cli';

const run = (args: string[], env: Record<string, string>) => runCli(args, '', env);
import mammoth from 'mammoth';



let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-agenda-cli-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

test('namndbot agenda writes the Word file and the Markdown, and records a version', async () => {
  const out = path.join(dir, 'ut');
  const r = await run(['agenda', '--meeting', '2027-01-21', '--out', out, '--now', '2027-01-10T10:00:00+01:00'], { NAMNDBOT_DATA_DIR: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Utkast 1 till kallelse och dagordning för sammanträdet torsdag den 21 januari 2027 (§§ 1–16).');
  expect((await readdir(out)).sort()).toEqual(['dagordning-2027-01-21-kfn-v1.docx', 'dagordning-2027-01-21-kfn-v1.md']);
  const { value } = await mammoth.extractRawText({ path: path.join(out, 'dagordning-2027-01-21-kfn-v1.docx') });
  const order = ['Val av justerare', 'Anmälan av jäv', 'Godkännande av dagordning', 'Budgetuppföljning helår 2026', 'Avslutning'];
  const positions = order.map((t) => value.indexOf(t));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  // Nothing changed: no new version is recorded (issue 19.9), the same documents come again.
  const again = await run(['agenda', '--meeting', '2027-01-21', '--out', out, '--now', '2027-01-10T10:00:00+01:00'], { NAMNDBOT_DATA_DIR: dir });
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('Utkast 1 till kallelse');
  expect(again.stdout).toContain('Inget har ändrats sedan version 1, så ingen ny version sparades.');
  expect((await readdir(out)).sort()).toEqual(['dagordning-2027-01-21-kfn-v1.docx', 'dagordning-2027-01-21-kfn-v1.md']);
  // A member announces an övrig fråga: the next draft is version 2.
  const question = await runCli(['start', '--as', 'amira.haddad', '--now', '2027-01-10T10:00:00+01:00'], 'övrig fråga Hur går arbetet med simhallen?\n', { NAMNDBOT_DATA_DIR: dir });
  expect(question.code).toBe(0);
  const changed = await run(['agenda', '--meeting', '2027-01-21', '--out', out, '--now', '2027-01-10T10:00:00+01:00'], { NAMNDBOT_DATA_DIR: dir });
  expect(changed.stdout).toContain('Utkast 2');
  expect(await readdir(out)).toContain('dagordning-2027-01-21-kfn-v2.docx');
}, 90_000);

test('namndbot templates check names the broken template, the line and what is wrong', async () => {
  const own = path.join(dir, 'mallar');
  await mkdir(own);
  await copyFile(path.join(ROOT, 'templates/kallelse.docx'), path.join(own, 'kallelse.docx'));
  await writeFile(path.join(own, 'dagordning.md.liquid'), '# {{ heading.committee }}\n{% for item in items %}\n- {{ item.heading }}\n');
  const committeeFile = path.join(dir, 'kfn.yaml');
  const yaml = await readFile(path.join(ROOT, 'examples/kfn.yaml'), 'utf8');
  await writeFile(committeeFile, yaml.replace(/^settings:\n/m, `settings:\n  templates: ${own}\n`));
  const r = await run(['templates', 'check'], { NAMNDBOT_DATA_DIR: dir, NAMNDBOT_COMMITTEES: committeeFile });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`${path.join(ROOT, 'templates')}: alla mallar är i ordning.`);
  expect(r.stdout).toContain('Fel i mallen dagordning.md.liquid, rad 2');
  expect(r.stdout).toContain('avslutas aldrig');
}, 60_000);

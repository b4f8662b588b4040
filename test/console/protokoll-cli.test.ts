/**
 * `namndbot protokoll`: the protokoll draft from the command line, after the meeting was recorded
 * in the terminal with the documented commands.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import { runCli } from '../support/cli';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-protokoll-cli-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** The records the data folder holds (not the once-marks, which expire), to show that a refusal changed nothing. */
async function dataFiles(): Promise<string> {
  const names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.jsonl') && !n.endsWith('marks.jsonl')).sort();
  return (await Promise.all(names.map(async (n) => `${n}\n${await readFile(path.join(dir, n), 'utf8')}`))).join('\n');
}

test('namndbot protokoll writes the full and the public version, Word and Markdown, and records a version', async () => {
  const env = { NAMNDBOT_DATA_DIR: dir };
  const before = await runCli(['start', '--as', 'maria.ekstrom', '--now', '2027-01-10T10:00:00+01:00'], 'dagordning möte 2027-01-21\n', env);
  expect(before.code).toBe(0);
  const during = await runCli(['start', '--as', 'maria.ekstrom', '--now', '2027-01-21T17:00:00+01:00'], 'närvaro 1–9 amira.haddad\nbeslut 2/27 enligt förslag\nprotokoll utan § 12\n', env);
  expect(during.stdout).toContain('§ 12 (5/27) står bara i den fullständiga versionen av protokollet, inte i den offentliga.');
  const out = path.join(dir, 'ut');
  const r = await runCli(['protokoll', '--meeting', '2027-01-21', '--out', out, '--now', '2027-01-21T18:00:00+01:00'], '', env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Utkast 1 till protokoll för sammanträdet torsdag den 21 januari 2027 (Paragraf 1–11, 13–14 och 16).');
  expect((await readdir(out)).sort()).toEqual([
    'protokoll-2027-01-21-kfn-v1-offentlig.docx',
    'protokoll-2027-01-21-kfn-v1-offentlig.md',
    'protokoll-2027-01-21-kfn-v1.docx',
    'protokoll-2027-01-21-kfn-v1.md',
  ]);
  const full = (await mammoth.extractRawText({ path: path.join(out, 'protokoll-2027-01-21-kfn-v1.docx') })).value;
  expect(full).toContain('Amira Haddad (S) §§ 1–9');
  expect(full).toContain('Paragraf 1–16');
  const open = (await mammoth.extractRawText({ path: path.join(out, 'protokoll-2027-01-21-kfn-v1-offentlig.docx') })).value;
  expect(open).toContain('Paragraf 1–11, 13–14 och 16');
  expect(open).not.toContain('Biblioteksplan');
  // Nothing changed: version 1 again, with its documents; after a new beslut, version 2.
  const again = await runCli(['protokoll', '--meeting', '2027-01-21', '--out', out, '--now', '2027-01-21T18:00:00+01:00'], '', env);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('Utkast 1 till protokoll');
  expect(again.stdout).toContain('Inget har ändrats sedan version 1, så ingen ny version sparades.');
  await runCli(['start', '--as', 'maria.ekstrom', '--now', '2027-01-21T18:00:00+01:00'], 'beslut 3/27 enligt förslag\n', env);
  const changed = await runCli(['protokoll', '--meeting', '2027-01-21', '--out', out, '--now', '2027-01-21T18:00:00+01:00'], '', env);
  expect(changed.stdout).toContain('Utkast 2 till protokoll');
  expect(await readdir(out)).toContain('protokoll-2027-01-21-kfn-v2.docx');
}, 120_000);

test('bad input: a Swedish message, a non-zero exit code and nothing recorded', async () => {
  const env = { NAMNDBOT_DATA_DIR: dir };
  await runCli(['start', '--as', 'maria.ekstrom', '--now', '2027-01-10T10:00:00+01:00'], 'dagordning möte 2027-01-21\n', env);
  const recorded = await dataFiles();
  expect(recorded).toContain('agenda.drafted');
  const cases: [string[], number, string][] = [
    [['protokoll'], 2, 'Ange sammanträdet: namndbot protokoll --meeting ÅÅÅÅ-MM-DD (sammanträden i Kultur- och fritidsnämnden: 2026-11-12, 2027-01-21, 2027-02-18).\n'],
    [['protokoll', '--meeting', '2030-01-01'], 1, 'Jag hittar inget sammanträde "2030-01-01".'],
    [['protokoll', '--meeting', '2027-01-21', '--committee', 'xyz'], 2, 'Ingen nämnd heter "xyz". Nämnder: kfn.\n'],
  ];
  for (const [args, code, message] of cases) {
    const r = await runCli([...args, '--out', path.join(dir, 'ut'), '--now', '2027-01-21T18:00:00+01:00'], '', env);
    expect({ args, code: r.code, stderr: r.stderr.slice(0, message.length), stdout: r.stdout }).toEqual({ args, code, stderr: message, stdout: '' });
  }
  expect(await dataFiles()).toBe(recorded);
}, 120_000);

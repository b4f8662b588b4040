/**
 * The whole bot, scripted through stdin: `npm start` as a newcomer runs it, on the example
 * committee and the embedded store in a temporary data directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli as run } from '../support/cli';

const NOW = '2027-01-10T10:00:00+01:00';


let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'namndbot-console-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

test('a scripted session: declare, switch person, decide, and it is all kept', async () => {
  const script = [
    'jäv 3 part Min bror driver ett företag som berörs',
    'övrig fråga Hur går arbetet med det nya badhuset?',
    '/som maria.ekstrom',
    'jäv översikt',
    'övrig fråga avslå F1 Frågan besvaras under ärende 2/27',
    'blargh',
  ].join('\n');
  const first = await run(['start', '--as', 'amira.haddad', '--now', NOW], `${script}\n`, { NAMNDBOT_DATA_DIR: dataDir });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const out = first.stdout;
  const order = [
    'Jäv anmält i ärende 3/27 Internbudget och verksamhetsplan 2027 till sammanträdet torsdag den 21 januari 2027.',
    'Din övriga fråga F1 är anmäld till sammanträdet torsdag den 21 januari 2027.',
    'Du är nu Maria Ekström, sekreterare.',
    'Amira Haddad (S) anmäler jäv och deltar inte i handläggningen av ärendet.',
    '── Privat meddelande till Amira Haddad (S) ──',
    'Din övriga fråga F1 tas inte upp. Skäl: Frågan besvaras under ärende 2/27',
    'Fråga F1 är avslagen. Ledamoten får skälet.',
    '[avslagen] — Frågan besvaras under ärende 2/27',
    'Jag förstår inte "blargh".',
  ];
  let at = -1;
  for (const line of order) {
    const i = out.indexOf(line, at + 1);
    expect({ line, found: i > at }).toEqual({ line, found: true });
    at = i;
  }

  // A second run on the same data directory sees what the first recorded.
  const second = await run(['start', '--as', 'amira.haddad', '--now', NOW], 'jäv lista\növrig fråga lista\n', { NAMNDBOT_DATA_DIR: dataDir });
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('J1: 3/27 Internbudget och verksamhetsplan 2027');
  expect(second.stdout).toContain('[avslagen] — Frågan besvaras under ärende 2/27');

  // And the export for the diarium has every record, with who, when and how.
  const exported = await run(['export', '--out', path.join(dataDir, 'ut')], '', { NAMNDBOT_DATA_DIR: dataDir });
  expect(exported.code).toBe(0);
  expect(exported.stdout).toContain('Kultur- och fritidsnämnden: 3 poster');
  const csv = await readFile(path.join(dataDir, 'ut', 'kfn-handlingar.csv'), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
  expect(lines[0]).toBe('Löpnr;Tidpunkt;Händelse;Id;Sammanträde;Ärende;Ledamot;Jävsgrund;Text;Registrerad av;Kanal;Post-id');
  expect(lines[1]).toMatch(/^1;2027-01-10 10:00;Jäv anmält;J1;2027-01-21;3\/27 Internbudget och verksamhetsplan 2027;Amira Haddad \(S\);partsjäv\/intressejäv;Min bror driver ett företag som berörs;Amira Haddad \(S\);console;[0-9a-f-]{36}$/);
  expect(lines[3]).toMatch(/^3;2027-01-10 10:00;Övrig fråga avslagen;F1;2027-01-21;;Amira Haddad \(S\);;Frågan besvaras under ärende 2\/27;Maria Ekström;console;/);
  const json = JSON.parse(await readFile(path.join(dataDir, 'ut', 'kfn-handlingar.json'), 'utf8'));
  expect(json.records).toHaveLength(3);
}, 60_000);

test('an unknown --as is refused with a hint', async () => {
  const r = await run(['start', '--as', 'nobody', '--now', NOW], '', { NAMNDBOT_DATA_DIR: dataDir });
  expect(r.code).toBe(2);
  expect(r.stdout).toContain('Det finns ingen med id "nobody" i nämndfilerna. Välj ett id ur nämndfilen, till exempel --as maria.ekstrom.');
}, 30_000);

test('a broken committee file stops the bot before it starts, naming file and place', async () => {
  const r = await run(['start', '--now', NOW], 'hjälp\n', { NAMNDBOT_DATA_DIR: dataDir, NAMNDBOT_COMMITTEES: 'test/fixtures/committees/broken/schema-errors.yaml' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('Nämndbot startade inte.');
  expect(r.stderr).toContain('test/fixtures/committees/broken/schema-errors.yaml');
  expect(r.stdout).toBe('');
}, 30_000);

test('a sekretess ärende is kept out of the export text', async () => {
  await run(['start', '--as', 'amira.haddad', '--now', NOW], 'jäv 8 part Sökanden är min systerson\n', { NAMNDBOT_DATA_DIR: dataDir });
  await run(['export', '--out', dataDir], '', { NAMNDBOT_DATA_DIR: dataDir });
  const csv = await readFile(path.join(dataDir, 'kfn-handlingar.csv'), 'utf8');
  expect(csv).toContain(';8/27 (sekretess);');
  expect(csv.toLowerCase()).not.toContain('fritidsstöd');
}, 60_000);

/** The cells of a semicolon CSV whose cells hold no line breaks. */
function csvCells(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .map((line) => [...line.matchAll(/(?:^|;)("(?:[^"]|"")*"|[^;]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1])));
}

test('what a member typed never becomes a formula in the diarium CSV; the JSON keeps it as typed', async () => {
  const typed = ['=HYPERLINK("http://example.invalid/x";"Klicka")', '@SUM(A1:A9)', '+46 70 123', ' =1+1'];
  const script = ['jäv 3 part =1+1', ...typed.map((t) => `övrig fråga ${t}`), '/som maria.ekstrom', 'övrig fråga avslå F2 +2+3'].join('\n');
  await run(['start', '--as', 'amira.haddad', '--now', NOW], `${script}\n`, { NAMNDBOT_DATA_DIR: dataDir });
  await run(['export', '--out', dataDir], '', { NAMNDBOT_DATA_DIR: dataDir });
  const rows = csvCells(await readFile(path.join(dataDir, 'kfn-handlingar.csv'), 'utf8'));
  const texts = rows.slice(1).map((r) => r[8]);
  expect(texts).toEqual(["'=1+1", ...typed.map((t) => `'${t.trim()}`), "'+2+3"]);
  for (const cell of rows.flat()) expect(cell).not.toMatch(/^\s*[=+\-@\t\r]/);
  const json = JSON.parse(await readFile(path.join(dataDir, 'kfn-handlingar.json'), 'utf8'));
  expect(json.records.map((r: { text: string }) => r.text)).toEqual(['=1+1', ...typed.map((t) => t.trim()), '+2+3']);
}, 60_000);

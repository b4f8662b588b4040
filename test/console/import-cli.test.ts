/**
 * `namndbot import`: the preview, and nothing recorded until confirmed with --ja.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../support/cli';

const NOW = ['--now', '2027-01-10T10:00:00+01:00'];
const FIXTURES = path.join(ROOT, 'test/fixtures/import');

let dir: string;
let env: Record<string, string>;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-import-cli-'));
  env = { NAMNDBOT_DATA_DIR: dir, NAMNDBOT_COMMITTEES: path.join(FIXTURES, 'tu-tomt.yaml') };
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

test('namndbot import shows the preview, records only with --ja, and the agenda then has the ärenden', async () => {
  const file = path.join(FIXTURES, 'arenden.xlsx');
  const preview = await runCli(['import', file, ...NOW], '', env);
  expect(preview.stdout).toContain('Förhandsvisning av importen från arenden.xlsx till sammanträdet torsdag den 11 februari 2027: 8 ärenden. Inget är sparat ännu.');
  expect(preview.stdout).toContain('Inget har sparats. Kör igen med --ja för att spara importen.');
  expect(preview.code).toBe(1);
  const saved = await runCli(['import', file, '--ja', ...NOW], '', env);
  expect(saved.stdout).toContain('Importen från arenden.xlsx är sparad: sammanträdet torsdag den 11 februari 2027 har nu 8 ärenden.');
  expect(saved.code).toBe(0);
  const agenda = await runCli(['agenda', '--out', path.join(dir, 'ut'), ...NOW], '', env);
  expect(agenda.stdout).toContain('§ 10 TU handlingsplan och budget 2027');
  const bad = await runCli(['import', path.join(FIXTURES, 'tu-tomt.yaml'), '--ja', ...NOW], '', env);
  expect(bad.stdout).toContain('kunde inte importeras, och inget har ändrats');
  expect(bad.code).toBe(1);
}, 90_000);

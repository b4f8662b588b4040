/**
 * A damaged line in the data folder, as an operator meets it: the bot and the export stop with
 * a Swedish message naming file and line, and `--set-aside-damaged` starts with every good record.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStore } from '../../src/store/file-store';
import { runCli as run } from '../support/cli';
import { makeHarness } from '../support/harness';

const NOW = '2027-01-10T10:00:00+01:00';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'namndbot-damaged-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

// Three command-line runs: on a busy machine each takes seconds.
test('a damaged line: a Swedish message naming file and line, then a start that sets it aside and keeps every good record', async () => {
  const h = await makeHarness({ now: NOW, store: () => FileStore.open({ dataDir }) });
  for (const q of ['Första frågan?', 'Andra frågan?', 'Tredje frågan?']) await h.text('amira.haddad', `övrig fråga ${q}`);
  await h.close();
  const file = path.join(dataDir, 'streams', 'kfn.jsonl');
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[1] = lines[1]!.slice(0, 40);
  await writeFile(file, lines.join('\n'));

  for (const args of [['start', '--now', NOW], ['export', '--out', path.join(dataDir, 'ut')]]) {
    const refused = await run(args, 'övrig fråga lista\n', { NAMNDBOT_DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Rad 2 i filen streams/kfn.jsonl i datakatalogen ${dataDir} är skadad`);
    expect(refused.stderr).toContain('Inget har ändrats.');
    expect(refused.stderr).toContain('--set-aside-damaged');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    // The section the message points at is there under that heading.
    const section = /Se docs\/it\/operations\.md, avsnittet "([^"]+)"/.exec(refused.stderr)?.[1];
    expect((await readFile(path.join(__dirname, '../../docs/it/operations.md'), 'utf8')).split('\n')).toContain(`## ${section}`);
  }
  expect(await readFile(file, 'utf8')).toBe(lines.join('\n'));

  const repaired = await run(['start', '--as', 'amira.haddad', '--now', NOW, '--set-aside-damaged'], 'övrig fråga lista\n', { NAMNDBOT_DATA_DIR: dataDir });
  expect(repaired.code).toBe(0);
  expect(repaired.stdout).toContain('Första frågan?');
  expect(repaired.stdout).toContain('Tredje frågan?');
  expect(repaired.stdout).not.toContain('Andra frågan?');
  expect(await readdir(path.join(dataDir, 'damaged'))).toEqual([expect.stringMatching(/^streams_kfn\.jsonl\.line-2\./)]);
  // The repaired folder opens as it is from now on.
  const store = await FileStore.open({ dataDir });
  expect((await store.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 3]);
  await store.close();
}, 120_000);

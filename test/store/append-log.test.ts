/**
 * The append log's group commit, on a real file: chunks appended in one turn of the event loop
 * share one write and one fdatasync, also the very first ones, which wait for the file to open.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog } from '../../src/store/file-store-log';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-append-log-'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function newLog(name: string): AppendLog {
  return new AppendLog({ file: path.join(dir, name), exists: false, size: 0, lines: 0, onFatal: () => undefined });
}

test('appends made in one turn share one commit, also while the file is being opened', async () => {
  const log = newLog('group.log');
  // The first chunk opens the file: the other 49 arrive meanwhile and join its commit.
  await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(`first ${i}\n`)));
  expect(log.syncs).toBe(1);
  // A handle already open: the same.
  await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(`second ${i}\n`)));
  expect(log.syncs).toBe(2);
  await log.close();
  const expected = [...Array.from({ length: 50 }, (_, i) => `first ${i}\n`), ...Array.from({ length: 50 }, (_, i) => `second ${i}\n`)].join('');
  expect(await fs.readFile(path.join(dir, 'group.log'), 'utf8')).toBe(expected);
});

/**
 * The file store opened read-only beside a writer that holds the data folder (issue 19.2): the
 * command-line tools that only read work while the bot runs, and the one-writer rule stays.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoredEvent } from '../../src/domain/records';
import { FileStore, LOCK_FILE, streamFileName } from '../../src/store/file-store';
import { StoreUnavailableError } from '../../src/store/store';
import { newEvent } from './contract';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-readonly-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** Every file under `dir` with its bytes, to show that nothing was touched. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = (await fs.readFile(file)).toString('base64');
  }
  return out;
}

test('opens beside the writer without its lock, reads every complete line, and leaves a torn last line alone', async () => {
  const dataDir = await tempDir();
  const writer = await FileStore.open({ dataDir });
  try {
    await writer.append('kfn', [newEvent(1), newEvent(2)]);
    await writer.append('kfn', [newEvent(3)]);
    await writer.setValue('teams:ref:a', { conversation: 'x' });
    await writer.markOnce('delivery:1', 60_000);
    // A write under way: the next line is on disk only in part (no newline yet).
    const torn = JSON.stringify([{ ...newEvent(4), seq: 4 }]);
    await fs.appendFile(path.join(dataDir, 'streams', streamFileName('kfn')), torn.slice(0, 40));
    await fs.appendFile(path.join(dataDir, 'values.jsonl'), '{"k":"teams:ref:b","v":');
    const before = await snapshot(dataDir);

    const loaded: StoredEvent[] = [];
    const reader = await FileStore.open({ dataDir, readOnly: true, onRecordsLoaded: (_, records) => loaded.push(...records) });
    try {
      const events = await reader.readEvents('kfn', 0);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(events.map((e) => (e as { questionId?: string }).questionId)).toEqual(['q-1', 'q-2', 'q-3']);
      expect(loaded.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(await reader.readEvents('kfn', 2)).toHaveLength(1);
      expect(await reader.listStreams()).toEqual(['kfn']);
      expect(await reader.getValue('teams:ref:a')).toEqual({ conversation: 'x' });
      expect(await reader.getValue('teams:ref:b')).toBeUndefined();
      await reader.ping();
    } finally {
      await reader.close();
    }
    // Nothing cut, completed, compacted or released: the writer's files and lock are as they were.
    expect(await snapshot(dataDir)).toEqual(before);
    expect((await fs.readFile(path.join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
  } finally {
    await writer.close();
  }
});

test('refuses every write, and nothing reaches the disk', async () => {
  const dataDir = await tempDir();
  const writer = await FileStore.open({ dataDir });
  await writer.append('kfn', [newEvent(1)]);
  await writer.setValue('k', 1);
  const before = await snapshot(dataDir);
  const reader = await FileStore.open({ dataDir, readOnly: true });
  try {
    const refusals = [
      reader.append('kfn', [newEvent(2)]),
      reader.append('new-stream', [newEvent(3)]),
      reader.setValue('k', 2),
      reader.deleteValue('k'),
      reader.markOnce('m', 1000),
      reader.unmark('m'),
      reader.redact('kfn', []),
    ];
    for (const r of await Promise.allSettled(refusals)) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason as StoreUnavailableError;
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(err.written).toBe('no');
    }
    expect((await reader.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1]);
    expect(await reader.getValue('k')).toBe(1);
    await reader.close();
    expect(await snapshot(dataDir)).toEqual(before);
  } finally {
    await reader.close();
    await writer.close();
  }
});

test('keeps what it read at open while the writer rewrites a stream (retention) or appends', async () => {
  const dataDir = await tempDir();
  const writer = await FileStore.open({ dataDir });
  try {
    const [first] = await writer.append('kfn', [newEvent(1)]);
    await writer.append('kfn', [newEvent(2)]);
    const reader = await FileStore.open({ dataDir, readOnly: true });
    try {
      // The writer replaces the file whole; offsets the reader took at open no longer hold.
      await writer.redact('kfn', [{ ...first!, text: '(gallrad)' } as StoredEvent]);
      await writer.append('kfn', [newEvent(3)]);
      const events = await reader.readEvents('kfn', 0);
      expect(events.map((e) => e.seq)).toEqual([1, 2]);
      expect((events[0] as { text?: string }).text).toBe('Fråga nummer 1: hur går det med förskolan i Åby?');
    } finally {
      await reader.close();
    }
  } finally {
    await writer.close();
  }
});

test('a data folder not made yet is read as empty and not created', async () => {
  const dataDir = path.join(await tempDir(), 'finns-inte');
  const reader = await FileStore.open({ dataDir, readOnly: true });
  expect(await reader.listStreams()).toEqual([]);
  expect(await reader.readEvents('kfn', 0)).toEqual([]);
  await reader.close();
  await expect(fs.stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
});

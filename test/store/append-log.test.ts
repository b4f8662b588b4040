/**
 * The append log's group commit, on a real file: chunks appended in one turn of the event loop
 * share one write and one fdatasync, also the very first ones, which wait for the file to open.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog, type AppendLogOptions } from '../../src/store/file-store-log';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-append-log-'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A new log file in the test folder; `options` as AppendLog takes them (how commits are timed, where they run). */
function newLog(name: string, options: Pick<AppendLogOptions, 'elapsedMs' | 'inlineCommitMaxMs'> = {}): AppendLog {
  return new AppendLog({ file: path.join(dir, name), exists: false, size: 0, lines: 0, onFatal: () => undefined, ...options });
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

describe('where a commit runs: inline while commits are fast, else on the thread pool', () => {
  /** Every call of `fdatasyncSync` and of FileHandle's `datasync` from now on, by which; `order` has an i or a p for each, in turn. */
  async function countCommits(): Promise<{ inline: number; pool: number; order: string; restore: () => void }> {
    const counts = { inline: 0, pool: 0, order: '', restore: () => {} };
    const nodeFs = require('node:fs') as { fdatasyncSync: (fd: number) => void };
    const fh = await fs.open(path.join(dir, 'probe'), 'w');
    const handleProto = Object.getPrototypeOf(fh) as { datasync: () => Promise<void> };
    await fh.close();
    const originalSync = nodeFs.fdatasyncSync;
    const originalDatasync = handleProto.datasync;
    nodeFs.fdatasyncSync = (fd) => {
      counts.inline++;
      counts.order += 'i';
      originalSync(fd);
    };
    handleProto.datasync = function (this: unknown) {
      counts.pool++;
      counts.order += 'p';
      return originalDatasync.call(this);
    };
    counts.restore = () => {
      nodeFs.fdatasyncSync = originalSync;
      handleProto.datasync = originalDatasync;
    };
    return counts;
  }

  /** An elapsed-time source where every commit takes `ms()` (called once per commit). */
  function commitsTaking(ms: () => number): () => number {
    let now = 0;
    let starting = true;
    return () => {
      if (!starting) now += ms();
      starting = !starting;
      return now;
    };
  }

  test('fast commits stay on the event loop: one fdatasync each, durable and in order', async () => {
    const counts = await countCommits();
    try {
      const log = newLog('inline.log', { elapsedMs: commitsTaking(() => 0.3) });
      for (let i = 0; i < 5; i++) await log.append(`line ${i}\n`);
      expect([log.syncs, log.inlineSyncs, counts.inline, counts.pool]).toEqual([5, 5, 5, 0]);
      await log.close();
      expect(await fs.readFile(path.join(dir, 'inline.log'), 'utf8')).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
    } finally {
      counts.restore();
    }
  });

  test('appends waiting together commit on the thread pool, in one go; an append on its own inline', async () => {
    const counts = await countCommits();
    try {
      const log = newLog('together.log', { elapsedMs: commitsTaking(() => 0.3) });
      await log.append('alone\n');
      // Made in one turn, as by requests handled at the same time: one commit for the three.
      await Promise.all([log.append('a\n'), log.append('b\n'), log.append('c\n')]);
      await log.append('alone again\n');
      expect([log.syncs, log.inlineSyncs, counts.order]).toEqual([3, 2, 'ipi']);
      await log.close();
      expect(await fs.readFile(path.join(dir, 'together.log'), 'utf8')).toBe('alone\na\nb\nc\nalone again\n');
    } finally {
      counts.restore();
    }
  });

  test('one slow inline commit sends the next two to the thread pool, then inline is tried again', async () => {
    const counts = await countCommits();
    try {
      let commit = 0;
      // The first commit takes 10 ms (over the 2 ms allowed inline); the rest 0.3 ms.
      const log = newLog('slow.log', { elapsedMs: commitsTaking(() => (++commit === 1 ? 10 : 0.3)) });
      await log.append('slow\n');
      for (let i = 0; i < 2; i++) await log.append(`pool ${i}\n`);
      expect([log.inlineSyncs, counts.inline, counts.pool]).toEqual([1, 1, 2]);
      for (let i = 0; i < 3; i++) await log.append(`inline again ${i}\n`);
      expect([log.syncs, log.inlineSyncs, counts.order]).toEqual([6, 4, 'ippiii']);
      await log.close();
      const lines = (await fs.readFile(path.join(dir, 'slow.log'), 'utf8')).trim().split('\n');
      expect(lines).toEqual(['slow', 'pool 0', 'pool 1', 'inline again 0', 'inline again 1', 'inline again 2']);
    } finally {
      counts.restore();
    }
  });

  test('while the inline tries stay slow, the runs on the thread pool double up to 32', async () => {
    const counts = await countCommits();
    try {
      // A slow disk: every inline commit takes 10 ms (calls of elapsedMs come only from inline ones).
      const log = newLog('slow-disk.log', { elapsedMs: commitsTaking(() => 10) });
      for (let i = 0; i < 101; i++) await log.append(`line ${i}\n`);
      const inlineAt = [...counts.order].flatMap((c, i) => (c === 'i' ? [i] : []));
      // Runs of 2, 4, 8, 16, 32, 32 between the tries.
      expect(inlineAt).toEqual([0, 3, 8, 17, 34, 67, 100]);
      expect([log.syncs, log.inlineSyncs]).toEqual([101, 7]);
      await log.close();
    } finally {
      counts.restore();
    }
  });

  test('a fast inline commit after slow ones starts the runs from two again', async () => {
    const counts = await countCommits();
    try {
      // Inline commits in turn: slow, slow, fast, slow (pool commits do not call elapsedMs).
      const inlineTimes = [10, 10, 0.3, 10];
      let inline = 0;
      const log = newLog('mixed.log', { elapsedMs: commitsTaking(() => inlineTimes[inline++] ?? 0.3) });
      for (let i = 0; i < 16; i++) await log.append(`line ${i}\n`);
      // slow → 2 on the pool; slow → 4; fast → stays inline; slow → 2 again (not 8); then fast ones inline.
      expect(counts.order).toEqual('ippippppiippiiii');
      await log.close();
    } finally {
      counts.restore();
    }
  });

  test('a burst of inline commits lets the event loop turn every 10 ms or so', async () => {
    const log = newLog('burst.log', { elapsedMs: commitsTaking(() => 0.3) });
    await log.append('opened\n');
    // A turn of the event loop is what signals, requests and timers need to be handled.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 60) await log.append(`line ${n++}\n`);
    ticking = false;
    expect(log.inlineSyncs).toBe(log.syncs);
    expect(turns).toBeGreaterThanOrEqual(4);
    await log.close();
  });

  test('inlineCommitMaxMs 0: every commit on the thread pool', async () => {
    const counts = await countCommits();
    try {
      const log = newLog('pool.log', { inlineCommitMaxMs: 0 });
      for (let i = 0; i < 3; i++) await log.append(`line ${i}\n`);
      expect([log.syncs, log.inlineSyncs, counts.inline, counts.pool]).toEqual([3, 0, 0, 3]);
      await log.close();
    } finally {
      counts.restore();
    }
  });
});

/**
 * Where the append log's write+fdatasync runs: inline (on the calling thread) while the disk
 * syncs fast, through libuv's thread pool once it syncs slowly, so a slow disk never stalls the
 * event loop for long. Counted on the real calls: the fs module's fdatasyncSync (inline) and
 * FileHandle's datasync (thread pool). A slow disk is played by making either sync take longer.
 */
import * as fsModule from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog, INLINE_SYNC_BELOW_MS, SyncTiming } from '../../src/store/file-store-log';

let dir: string;
let inline = 0;
let pooled = 0;
/** Extra ms each inline fdatasync takes: 0 is this machine's disk as it is. */
let slowBy = 0;
const restores: (() => void)[] = [];

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-append-log-'));
  const fsObject = require('node:fs') as Record<string, unknown>;
  const originalSync = fsObject.fdatasyncSync as (fd: number) => void;
  fsObject.fdatasyncSync = (fd: number) => {
    inline++;
    originalSync(fd);
    busyWait(slowBy);
  };
  restores.push(() => (fsObject.fdatasyncSync = originalSync));
  const probe = await fs.open(path.join(dir, 'probe'), 'w');
  const handleProto = Object.getPrototypeOf(probe) as Record<string, unknown>;
  await probe.close();
  const originalDatasync = handleProto.datasync as () => Promise<void>;
  handleProto.datasync = function (this: unknown) {
    pooled++;
    const extra = slowBy;
    return originalDatasync.call(this).then(() => new Promise<void>((resolve) => setTimeout(resolve, extra)));
  };
  restores.push(() => (handleProto.datasync = originalDatasync));
});

afterAll(async () => {
  for (const restore of restores) restore();
  await fs.rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  inline = pooled = slowBy = 0;
});

function newLog(name: string, syncTiming?: SyncTiming): AppendLog {
  return new AppendLog({ file: path.join(dir, name), exists: false, size: 0, lines: 0, onFatal: () => undefined, ...(syncTiming ? { syncTiming } : {}) });
}

test('the named fs function is the one the log calls (else the counts below prove nothing)', () => {
  expect(fsModule.fdatasyncSync).toBe((require('node:fs') as typeof fsModule).fdatasyncSync);
});

test('a disk that syncs fast is written inline: every commit one fdatasyncSync, none through the pool', async () => {
  const log = newLog('fast.log');
  for (let i = 0; i < 20; i++) await log.append(`line ${i}\n`);
  await log.close();
  expect({ inline, pooled }).toEqual({ inline: 20, pooled: 0 });
  expect(await fs.readFile(path.join(dir, 'fast.log'), 'utf8')).toBe(Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(''));
});

test('a disk that syncs slowly moves to the thread pool, and every line still lands once, in order', async () => {
  slowBy = 5 * INLINE_SYNC_BELOW_MS;
  const log = newLog('slow.log');
  for (let i = 0; i < 20; i++) await log.append(`line ${i}\n`);
  await log.close();
  // The first commit is inline and measures the disk; every one after it goes through the pool.
  expect({ inline, pooled }).toEqual({ inline: 1, pooled: 19 });
  expect(await fs.readFile(path.join(dir, 'slow.log'), 'utf8')).toBe(Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(''));
});

test('appends made in one turn share one commit on the inline path too', async () => {
  const log = newLog('group.log');
  await log.append('first\n');
  const before = log.syncs;
  await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(`together ${i}\n`)));
  await log.close();
  expect(log.syncs - before).toBe(1);
  expect(inline).toBe(2);
});

test('logs that share a disk measure it once: a new log on a slow disk goes straight to the pool', async () => {
  slowBy = 5 * INLINE_SYNC_BELOW_MS;
  const disk = new SyncTiming();
  const first = newLog('shared-1.log', disk);
  for (let i = 0; i < 3; i++) await first.append(`line ${i}\n`);
  await first.close();
  expect({ inline, pooled }).toEqual({ inline: 1, pooled: 2 });
  const second = newLog('shared-2.log', disk);
  for (let i = 0; i < 3; i++) await second.append(`line ${i}\n`);
  await second.close();
  expect({ inline, pooled }).toEqual({ inline: 1, pooled: 5 });
});

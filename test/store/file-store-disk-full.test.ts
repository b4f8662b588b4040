/**
 * A full disk, for real: the data directory on a small tmpfs of the test's own, filled up with a
 * file and freed again. The file store must refuse writes honestly while it is full, keep
 * answering reads, recover by itself once there is space, and a start on the full disk must say
 * so in Swedish.
 *
 * Mounting a tmpfs needs root (or CAP_SYS_ADMIN). Where the test process cannot mount one, the
 * suite is skipped and says why: a full disk cannot be made safely any other way (filling the
 * real disk would harm everything else on the machine).
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirUnusableError, FileStore } from '../../src/store/file-store';
import { StoreUnavailableError } from '../../src/store/store';
import { runCli } from '../support/cli';
import { newEvent } from './contract';

function tryMount(): { dir: string } | { reason: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'namndbot-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { reason: (r.stderr || r.error?.message || `mount exited with ${r.status}`).trim() };
}

const mounted = tryMount();
if ('reason' in mounted) {
  process.stderr.write(`Skipping the disk-full suite: cannot mount a small tmpfs here (${mounted.reason}). It needs root or CAP_SYS_ADMIN.\n`);
}
const describeMounted = 'dir' in mounted ? describe : describe.skip; // Skip reason: mounting a 1 MB tmpfs needs root or CAP_SYS_ADMIN; the reason is printed above.
const mountDir = 'dir' in mounted ? mounted.dir : '';

/** Fills the file system with one file until it refuses (ENOSPC); returns the file to remove. */
async function fillUp(dir: string): Promise<string> {
  const filler = path.join(dir, 'filler');
  const fh = await fs.open(filler, 'w');
  try {
    const chunk = Buffer.alloc(4096, 120);
    for (;;) await fh.write(chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await fh.close();
  }
  return filler;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeMounted('FileStore on a full disk (tmpfs)', () => {
  afterAll(() => {
    spawnSync('umount', [mountDir]);
    rmSync(mountDir, { recursive: true, force: true });
  });

  it('refuses writes saying nothing was written, keeps reading, and works again once space is back, without a restart', async () => {
    const dataDir = path.join(mountDir, 'data');
    const logged: string[] = [];
    const logger = { info: (_: object, m: string) => void logged.push(m), warn: (_: object, m: string) => void logged.push(m), error: (_: object, m: string) => void logged.push(m) };
    const store = await FileStore.open({ dataDir, logger });
    let filler = '';
    try {
      const before = [newEvent(), newEvent()];
      for (const e of before) await store.append('kfn', [e]);
      await store.markOnce('delivery-1', 60_000);
      filler = await fillUp(mountDir);

      // A write now fails, as disk full, and certainly not written.
      const big = { ...newEvent(), text: 'x'.repeat(8192) } as ReturnType<typeof newEvent>;
      const err = await store.append('kfn', [big], 2).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(err).toMatchObject({ diskFull: true, written: 'no' });
      expect(logged).toContain('the file store stopped after a failed write; it reloads from disk on the next call');

      // Reads go on while the disk is full: the store reloads what is on disk.
      expect((await store.readEvents('kfn', 0)).map((e) => e.id)).toEqual(before.map((e) => e.id));
      expect(await store.markOnce('delivery-1', 60_000)).toBe(false);
      // Writing still fails while full.
      await expect(store.append('kfn', [big], 2)).rejects.toMatchObject({ diskFull: true });

      // Space is back: the same store, not restarted, takes the write.
      await fs.rm(filler);
      filler = '';
      let stored;
      for (let i = 0; i < 30 && !stored; i++) {
        stored = await store.append('kfn', [big], 2).catch(async () => {
          await sleep(100);
          return undefined;
        });
      }
      expect(stored?.[0]?.seq).toBe(3);
      expect(logged).toContain('the file store works again: reloaded the data directory after a failed write');
    } finally {
      if (filler) await fs.rm(filler, { force: true });
      await store.close();
    }
    // What is on disk is exactly what was acknowledged.
    const again = await FileStore.open({ dataDir });
    try {
      expect((await again.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    } finally {
      await again.close();
    }
  });

  it('a start on a full disk says so in Swedish', async () => {
    const dataDir = path.join(mountDir, 'ny');
    const filler = await fillUp(mountDir);
    try {
      const err = await FileStore.open({ dataDir }).then(async (s) => s.close(), (e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirUnusableError);
      expect((err as DataDirUnusableError).userMessage).toContain(`Disken där datakatalogen ${dataDir} ligger är full`);
      // The bot itself (the reading tools open the store read-only and need no room there).
      const run = await runCli(['start'], '', { NAMNDBOT_DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`Nämndbot startade inte.\n${(err as DataDirUnusableError).userMessage}\n`);
    } finally {
      await fs.rm(filler);
    }
  }, 60_000);
});

/**
 * The data directory's lock file: only one process may use a data directory at a time, because
 * the file store keeps its state in memory and checks `expectedSeq` there.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StoreUnavailableError } from './store';
import { fsyncDir } from './file-store-log';

export const LOCK_FILE = 'namndbot.lock';

/** The data directory is held by another live process (or by another FileStore in this one). */
export class DataDirLockedError extends StoreUnavailableError {
  /** Swedish, for the person who started Nämndbot. */
  readonly userMessage: string;
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data directory ${dataDir} is already in use by another Nämndbot process (pid ${pid})`);
    this.name = 'DataDirLockedError';
    this.userMessage =
      `Datakatalogen ${dataDir} används redan av en annan Nämndbot-process (pid ${pid}). ` +
      `Stoppa den eller välj en annan katalog med NAMNDBOT_DATA_DIR.`;
  }
}

/** Data directories (real paths) that a FileStore in this process holds. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parsePid(text: string): number | undefined {
  const m = /^\s*(\d+)\s*$/.exec(text);
  const pid = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Temp files of processes that died while taking the lock. */
async function removeDeadTemps(dir: string): Promise<void> {
  const pattern = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}\\.(\\d+)\\.[a-z0-9]*\\.tmp$`);
  for (const name of await fs.readdir(dir)) {
    const pid = Number(pattern.exec(name)?.[1] ?? NaN);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Takes the lock of `dir` (which must exist). `shownDir` is the directory as the user wrote it,
 * for messages. A lock left by a dead process is taken over.
 */
export async function acquireLock(dir: string, shownDir: string): Promise<HeldLock> {
  const real = await fs.realpath(dir);
  const lockFile = path.join(dir, LOCK_FILE);
  const mine = `${process.pid}\n`;
  // The lock is created complete (temp file, then link) so that nobody ever reads it half written.
  const tmp = path.join(dir, `${LOCK_FILE}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  await fs.writeFile(tmp, mine);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fs.link(tmp, lockFile);
        await fsyncDir(dir);
        heldHere.add(real);
        await removeDeadTemps(dir);
        return {
          release: async () => {
            heldHere.delete(real);
            // Remove it only if it is still ours.
            if ((await readIfExists(lockFile)) === mine) {
              await fs.rm(lockFile, { force: true });
              await fsyncDir(dir).catch(() => undefined);
            }
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = await readIfExists(lockFile);
      if (held === undefined) continue;
      const pid = parsePid(held);
      if (pid !== undefined) {
        // Our own pid in the lock means either another FileStore in this process, or a lock left
        // by an earlier process that had the same pid (pid 1 in a container).
        const live = pid === process.pid ? heldHere.has(real) : isAlive(pid);
        if (live) throw new DataDirLockedError(shownDir, pid);
      }
      // Stale (dead pid, or unreadable content). Remove it only if nobody replaced it meanwhile.
      if ((await readIfExists(lockFile)) === held) await fs.rm(lockFile, { force: true });
    }
    throw new StoreUnavailableError(`could not take the lock ${lockFile}: it keeps changing`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

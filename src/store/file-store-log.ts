/**
 * Low-level file helpers for the file store: an append-only log with group commit, crash-safe
 * whole-file replacement, and reading a log whose last line may be torn.
 */
import * as nodeFs from 'node:fs';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { StoreUnavailableError } from './store';

/** fsync a directory so that a file created, renamed or removed in it survives a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the metadata anyway.
  if (process.platform === 'win32') return;
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** write() may write less than asked (e.g. when a signal arrives); loop until all is written. */
export async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** The same as `writeAll`, on the calling thread. */
function writeAllSync(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += nodeFs.writeSync(fd, buf, off, buf.length - off);
}

/** Writes `text` to `file`.tmp and fsyncs it: the first half of a crash-safe replace. */
export async function writeTempDurably(file: string, text: string | Buffer): Promise<string> {
  const tmp = `${file}.tmp`;
  const fh = await fs.open(tmp, 'w');
  try {
    await writeAll(fh, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}

/** Replaces `file` with `text` so that a crash leaves either the old or the new content. */
export async function replaceFileDurably(file: string, text: string | Buffer): Promise<void> {
  const tmp = await writeTempDurably(file, text);
  await fs.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

export interface LogLine {
  /** 1-based line number, for error messages. */
  lineNo: number;
  /** Byte offset of the line's first byte in the file. */
  start: number;
  text: string;
}

export interface ReadLog {
  lines: LogLine[];
  /** The line number the bytes after the last complete line would have. */
  nextLineNo: number;
  /** Bytes after the last newline: a write that a crash cut short. Never acknowledged. */
  tornBytes: number;
  /** Size of the complete lines. */
  validBytes: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The complete lines of `buf`, which holds the file's bytes from offset `base` on and starts at
 * line `firstLineNo`. A line that is not valid UTF-8 is reported by `onBadLine`.
 */
export function splitLines(buf: Buffer, base: number, firstLineNo: number, onBadLine: (lineNo: number, detail: string) => never): LogLine[] {
  const complete = buf.lastIndexOf(0x0a) + 1;
  const lines: LogLine[] = [];
  let start = 0;
  let lineNo = firstLineNo - 1;
  while (start < complete) {
    const end = buf.indexOf(0x0a, start);
    lineNo++;
    let text: string;
    try {
      text = strictUtf8.decode(buf.subarray(start, end));
    } catch {
      onBadLine(lineNo, 'not valid UTF-8');
    }
    lines.push({ lineNo, start: base + start, text });
    start = end + 1;
  }
  return lines;
}

/**
 * Reads a JSON-lines log. Every acknowledged write ends with '\n', so bytes after the last
 * newline are an unacknowledged, torn write. A line that is not valid UTF-8 is reported by
 * `onBadLine` (the caller raises CorruptRecordError).
 */
export async function readLog(file: string, onBadLine: (lineNo: number, detail: string) => never): Promise<ReadLog> {
  return readLogFrom(file, 0, 1, onBadLine);
}

/**
 * The same from byte `offset` on, which starts line `firstLineNo` (a file store snapshot covers
 * what comes before). Offsets and `validBytes` count from the start of the file.
 */
export async function readLogFrom(file: string, offset: number, firstLineNo: number, onBadLine: (lineNo: number, detail: string) => never): Promise<ReadLog> {
  const buf = offset === 0 ? await fs.readFile(file) : await readToEnd(file, offset);
  const complete = buf.lastIndexOf(0x0a) + 1;
  const lines = splitLines(buf, offset, firstLineNo, onBadLine);
  return { lines, nextLineNo: firstLineNo + lines.length, tornBytes: buf.length - complete, validBytes: offset + complete };
}

/** The bytes of `file` from `start` to its end. */
async function readToEnd(file: string, start: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafe(Math.max(0, size - start));
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}

/** The bytes of `file` from `start` up to `end` (exclusive). */
export async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(end - start);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
      if (bytesRead === 0) throw new Error(`${file} ends at ${start + off}, before ${end}`);
      off += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** Appends `text` to `file` and makes it durable (a repair at open, before any log writes). */
export async function appendDurably(file: string, text: string): Promise<void> {
  const fh = await fs.open(file, 'a');
  try {
    await writeAll(fh, Buffer.from(text, 'utf8'));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Cuts a torn tail off a log and makes the cut durable. */
export async function truncateDurably(file: string, size: number): Promise<void> {
  const fh = await fs.open(file, 'r+');
  try {
    await fh.truncate(size);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Rewrites a log from the in-memory state (marks, values) once it holds at least `minLines`
 * lines and twice as many as after the last rewrite (amortized O(1) per write), at a moment
 * when no write is queued.
 */
export interface Compactor {
  minLines: number;
  /** The live state as log text; must be equivalent to replaying the whole log. */
  snapshot(): { text: string; lines: number };
}

export interface AppendLogOptions {
  file: string;
  /** The file already exists on disk (its directory entry is durable). */
  exists: boolean;
  /** Size in bytes and number of lines of the file as loaded. */
  size: number;
  lines: number;
  /** Called once when a write fails: the store then refuses all further work (fail-stop). */
  onFatal: (err: Error) => void;
  /** Called when the log opens its file, so that an owner can bound the files open at once (`releaseHandle`). */
  onOpen?: (log: AppendLog) => void;
  compactor?: Compactor;
  /** See `INLINE_COMMIT_MAX_MS`; 0 commits on Node's thread pool always. */
  inlineCommitMaxMs?: number;
  /** Elapsed time in ms from any fixed origin, to time inline commits. Default `performance.now()`; tests set it. */
  elapsedMs?: () => number;
}

/**
 * A commit (write + fdatasync) that took at most this long on the event loop's own thread is done
 * there again next time. Why: on a disk that syncs in a fraction of a millisecond, the two trips
 * through Node's thread pool (the write, then the fdatasync) cost more than the sync itself.
 * Measured with bench/core.ts on a 2-core VM whose bare append+fdatasync p99 was 0.2-0.4 ms: a
 * command's sequential p99 was 3.1-5.8× the bare one with every commit in the thread pool (seven
 * runs), 2.1-3.6× with this (five runs, median 2.55), and its throughput rose from 0.29-0.46× to
 * 0.54-0.63× the bare one; the scheduler's morning wave went out at 2,600-3,500 reminders a second
 * instead of 1,800-2,800. The cost: while a commit runs inline nothing else does, so Slack's ack
 * p99 against bare Bolt went from 1.12 to 1.24-1.32 (target 1.3). Hence only an append on its own
 * commits inline: appends waiting together mean requests handled at the same time, and then the
 * pool's thread syncs while the event loop goes on with them (Slack's ratio 1.17-1.27 in four
 * runs, against 1.31-1.32 with every fast batch inline; the core's 50 concurrent commands 25,400 a
 * second against 20,400). Blocking the event loop for a millisecond or two is acceptable; for
 * longer it is not, so a slower commit sends the next ones to the thread pool before one is tried
 * inline again: `FIRST_POOL_RUN` after a slow commit that follows a fast one, twice as many after
 * each slow try, up to `MAX_POOL_RUN`. So on a slow disk one commit in 33 blocks the loop, once,
 * while on a fast disk a single slow sync (a flush of the disk's cache, a neighbour's burst) sends
 * only two commits to the pool. A fixed run of 32 after every slow commit put a command in a
 * hundred or more on the pool, where it took twice as long: with bench/core.ts's 17,000 measured
 * commands, 192 went to the pool on a quiet disk and 1,302 on a busy one (sequential p99 1.45 ms);
 * with the doubling runs, 74 on the same busy disk (p99 0.92 ms). The file store's marks and
 * values logs never commit inline (`inlineCommitMaxMs: 0`, see FileStore's `newLog`).
 */
export const INLINE_COMMIT_MAX_MS = 2;
const FIRST_POOL_RUN = 2;
const MAX_POOL_RUN = 32;
/**
 * Inline commits let the event loop turn at least this often (ms), so that a burst of commands
 * (lines piped to the console, a queue of requests) does not hold off signals, requests and
 * timers until all of it is written (a console given 40 lines at once did not see SIGTERM in
 * time). Once per commit measured worse in bench/core.ts, as did every 2 ms; 10 ms measured as
 * well as never (p99 ratio 2.1-3.6 against 2.3-3.2, four runs each).
 */
const INLINE_CHAIN_MAX_MS = 10;

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * An append-only file with group commit: chunks appended while a write+fsync is in flight are
 * written together by the next one, and each caller's promise resolves after the fsync that
 * covers its chunk. Chunks reach the file in the order they were appended. A commit of one chunk
 * is done on the event loop's thread while commits there take at most `INLINE_COMMIT_MAX_MS`;
 * a commit of several, or after a slow one, on Node's thread pool (see there); either way one
 * write and one fdatasync.
 */
export class AppendLog {
  private fh: FileHandle | undefined;
  private exists: boolean;
  private size: number;
  private lines: number;
  private queue: Buffer[] = [];
  private enqueued = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private running = false;
  /** releaseHandle() was asked while a write was under way. */
  private closeWhenIdle = false;
  /** The write loop while it runs, so that close() waits for a compaction under way. */
  private loop: Promise<void> | undefined;
  /** Callers of compactNow() waiting for the next compaction. */
  private compactWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private failure: Error | undefined;
  /** Lines in the file right after it was loaded or last compacted. */
  private baseLines: number;
  /** How many write+fsync rounds ran: group commit makes this far smaller than the appends. */
  syncs = 0;
  /** Of `syncs`, how many ran on the event loop's thread (the rest on the thread pool). */
  inlineSyncs = 0;
  /** Commits still to go to the thread pool before one is tried inline again (after a slow one). */
  private asyncCommitsLeft = 0;
  /** How many the last slow inline commit sent to the pool; 0 once an inline commit was fast. */
  private poolRun = 0;
  /** When an inline commit last waited a turn of the event loop (performance.now()). */
  private lastTurn = -Infinity;
  private readonly inlineCommitMaxMs: number;
  private readonly elapsedMs: () => number;

  constructor(private readonly opts: AppendLogOptions) {
    this.exists = opts.exists;
    this.size = opts.size;
    this.lines = opts.lines;
    this.baseLines = opts.lines;
    this.inlineCommitMaxMs = opts.inlineCommitMaxMs ?? INLINE_COMMIT_MAX_MS;
    this.elapsedMs = opts.elapsedMs ?? (() => performance.now());
  }

  /** Queues one chunk (whole lines ending in '\n'); resolves once it is durable. */
  append(text: string | Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.queue.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    const ticket = ++this.enqueued;
    const done = this.waitFor(ticket);
    this.kick();
    return done;
  }

  /**
   * Rewrites the file from the live state as soon as nothing is queued, so that a removed
   * value's old line is gone from disk too (retention). Resolves when the rewrite is done.
   */
  compactNow(): Promise<void> {
    if (!this.opts.compactor) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => this.compactWaiters.push({ resolve, reject }));
    this.kick();
    return done;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Closes the file handle, at once or when the write under way is done; the next write opens
   * it again. Frees a file descriptor of a log that is seldom written.
   */
  releaseHandle(): void {
    if (this.running) {
      this.closeWhenIdle = true;
      return;
    }
    const fh = this.fh;
    this.fh = undefined;
    void fh?.close().catch(() => undefined);
  }

  /** Resolves once everything appended so far is durable. */
  sync(): Promise<void> {
    return this.waitFor(this.enqueued);
  }

  /** Flushes, then closes the file. */
  async close(): Promise<void> {
    await this.sync().catch(() => undefined);
    await this.loop;
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close();
  }

  private waitFor(upTo: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable >= upTo) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.compactWaiters.length > 0) {
        if (this.queue.length === 0) {
          const waiters = this.compactWaiters.splice(0);
          if (this.opts.compactor) await this.compact(this.opts.compactor);
          for (const w of waiters) w.resolve();
          continue;
        }
        // The handle first: chunks appended while it is got join this batch.
        const fh = await this.handle();
        const mayInline = this.inlineCommitMaxMs > 0 && this.asyncCommitsLeft === 0;
        // Inline commits wait a turn of the event loop now and then (`INLINE_CHAIN_MAX_MS`):
        // otherwise a run of commands whose writes all commit inline resolves in one long chain
        // of promises, and signals, requests and timers wait for all of it. Appends made
        // meanwhile join the batch.
        if (mayInline && performance.now() - this.lastTurn > INLINE_CHAIN_MAX_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          this.lastTurn = performance.now();
        }
        const batch = this.queue;
        this.queue = [];
        const upTo = this.enqueued;
        const buf = Buffer.concat(batch);
        // Only an append on its own commits inline. Several waiting together mean requests are
        // being handled at the same time: the pool's thread syncs while the event loop goes on
        // with them (`INLINE_COMMIT_MAX_MS`).
        await this.commit(fh, buf, mayInline && batch.length === 1);
        this.syncs++;
        this.size += buf.length;
        this.lines += batch.length;
        this.durable = upTo;
        // Waiters are in ticket order; one splice, not a shift per waiter (O(n²) on big groups).
        let done = 0;
        while (done < this.waiters.length && this.waiters[done]!.upTo <= upTo) done++;
        for (const w of this.waiters.splice(0, done)) w.resolve();
        // Only with nothing queued: then the in-memory state is exactly what is durable, and a
        // rewrite can never make a write durable whose promise later rejects.
        const compactor = this.opts.compactor;
        if (compactor && this.queue.length === 0 && this.lines >= Math.max(compactor.minLines, 2 * this.baseLines)) {
          await this.compact(compactor);
        }
      }
    } catch (err) {
      await this.fail(err);
    } finally {
      this.running = false;
      if (this.closeWhenIdle) {
        this.closeWhenIdle = false;
        this.releaseHandle();
      }
    }
  }

  /** Writes and fdatasyncs one batch: inline while that is fast, else on the thread pool (`INLINE_COMMIT_MAX_MS`). */
  private async commit(fh: FileHandle, buf: Buffer, inline: boolean): Promise<void> {
    if (inline) {
      const started = this.elapsedMs();
      writeAllSync(fh.fd, buf);
      // fdatasync also persists the file size, which is all an append needs.
      nodeFs.fdatasyncSync(fh.fd);
      this.inlineSyncs++;
      if (this.elapsedMs() - started > this.inlineCommitMaxMs) {
        this.poolRun = this.poolRun === 0 ? FIRST_POOL_RUN : Math.min(MAX_POOL_RUN, 2 * this.poolRun);
        this.asyncCommitsLeft = this.poolRun;
      } else this.poolRun = 0;
      return;
    }
    if (this.asyncCommitsLeft > 0) this.asyncCommitsLeft--;
    await writeAll(fh, buf);
    await fh.datasync();
  }

  private async handle(): Promise<FileHandle> {
    if (this.fh) return this.fh;
    const fh = await fs.open(this.opts.file, 'a');
    this.fh = fh;
    this.opts.onOpen?.(this);
    if (!this.exists) {
      // The new file's directory entry must be durable before its first write is acknowledged.
      await fsyncDir(path.dirname(this.opts.file));
      this.exists = true;
    }
    return fh;
  }

  /** Replaces the file by the live state. Appends that arrive meanwhile wait in the queue. */
  private async compact(compactor: Compactor): Promise<void> {
    const { text, lines } = compactor.snapshot();
    let tmp: string;
    try {
      tmp = await writeTempDurably(this.opts.file, text);
    } catch {
      // The old file is intact: not fatal, try again after more writes.
      await fs.rm(`${this.opts.file}.tmp`, { force: true }).catch(() => undefined);
      this.baseLines = this.lines;
      return;
    }
    // From the rename on, the old handle points at the replaced file: never write to it again.
    // A failure here is fatal (caught by run()).
    const old = this.fh;
    this.fh = undefined;
    await old?.close();
    await fs.rename(tmp, this.opts.file);
    await fsyncDir(path.dirname(this.opts.file));
    this.exists = true;
    this.size = Buffer.byteLength(text, 'utf8');
    this.lines = lines;
    this.baseLines = lines;
  }

  private async fail(err: unknown): Promise<void> {
    // Node's own errors may come from another realm (a vm context): not `instanceof Error`, but whole.
    const cause = typeof err === 'object' && err !== null && 'message' in err ? (err as Error) : new Error(String(err));
    // Cut off what was written but not acknowledged, so that a rejected write is not on disk
    // either. Only when that cut is sure (or nothing was open to write to) is it "not written".
    let cut = this.fh === undefined;
    if (this.fh) cut = await this.fh.truncate(this.size).then(() => true, () => false);
    this.failure = new StoreUnavailableError(`write to ${this.opts.file} failed: ${cause.message}`, { cause, written: cut ? 'no' : 'unknown' });
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    for (const w of this.compactWaiters.splice(0)) w.reject(this.failure);
    this.queue = [];
    this.opts.onFatal(this.failure);
  }
}

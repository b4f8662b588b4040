/**
 * The embedded file store: the default Store, no server.
 *
 * Layout of the data directory:
 *   namndbot.lock          pid of the process that uses the directory
 *   streams/<id>.jsonl     one file per stream; each line is one append: a JSON array of events, or
 *                          {"e":[events],"m":[{"k":key,"x":expiresAtMs}]} for an append that sets
 *                          once-marks (the core's delivery marks): both in one write, one fsync
 *   marks.jsonl            once-marks set on their own: {"k":key,"x":expiresAtMs} or {"k":key,"d":1} (unmark)
 *   values.jsonl           values: {"k":key,"v":value} or {"k":key,"d":1} (deleted); the last line for a key wins
 *   snapshots/<id>.json    the stream's folded state up to a line (with `projection`): a cache, never a record
 *
 * Open applies marks.jsonl first and then the marks of the stream lines, so a mark set with an
 * append stands after a restart even where an unmark of it followed (an error after the append
 * was written): a delivery whose records are on disk is never recorded twice. Before a redact
 * rewrites a stream without those marks, marks.jsonl is rewritten from memory, marks included.
 *
 * Every write is appended and fsynced before its promise resolves, with group commit: writes
 * that arrive while an fsync is in flight share the next one. One line per append makes a
 * multi-event append atomic: a crash can only cut the last line, and a line without its
 * newline was never acknowledged; on open it is cut away, unless it parses and validates as a
 * whole record (only its newline was lost), which is kept. Either repair is logged. Anything
 * else that does not parse or validate is a CorruptRecordError naming file and line, never
 * skipped; opened with `setAsideDamaged`, each such line is moved into a file of its own under
 * damaged/ instead (logged), and every good record stays. A stream line set aside leaves a gap
 * line, {"gap":n,"setAside":"damaged/…"}, so the seq of the records after it stay what they were
 * (n is how many seqs the next good line skips; the export shows the gap in its numbering).
 *
 * Events live on disk only: in memory each stream keeps its length and, per line of its file,
 * the byte offset and the seq of the line's first event, so a read of the events after a seq
 * reads just those lines back (and validates them again: a record changed on disk is reported,
 * never used). The core keeps its own projection and asks only for what is new, which is
 * nothing at all on the hot path. Open can hand each stream's records to its caller once it
 * has validated them (`onRecordsLoaded`), so that a start reads and validates the history once:
 * the caller folds them then and asks only for what comes after. Once-marks, claims and values
 * are kept in memory.
 *
 * Snapshots (`projection`): open folds each stream itself and hands over the state. Where a
 * stream has a snapshot, open reads it and only the lines after the part it covers, so a start
 * costs what came since the last snapshot, not every year of history; the lines it covers are not
 * indexed in memory, and a read that reaches into them (export, retention, a person's records)
 * reads the file from its start. A snapshot is written as the store opens, for a stream with at
 * least `snapshotAfter` records folded past its last one: the state, the seq, byte offset and
 * line count it covers, a hash of the last line it covers, the once-marks set with those lines
 * still live, and a checksum. It is written off any command's path (a temp file and a rename,
 * no fsync: a crash can only make it unusable). A snapshot is used only when whole (checksum), of
 * the projection's format, and of this stream file (the covered last line is there, byte for
 * byte, with the seq it names); anything else is ignored with a log line and the stream folded
 * whole, and a new snapshot written. If a line after it does not follow from it, the stream is
 * judged whole again, so a damaged line is reported by file and line as without a snapshot. The
 * stream stays the truth: deleting snapshots/ loses nothing. Damage inside the covered part is
 * found by whatever reads it back, and by `setAsideDamaged`, which reads every line and uses no
 * snapshot; a rewrite (redact, setting lines aside) removes the stream's snapshot first.
 *
 * The expectedSeq check and the in-memory append happen synchronously when `append` is called,
 * so concurrent appends in this process are serialized. Only one process may use a directory
 * (lock file). Reads wait until what they return is durable. If a write or fsync fails (a full
 * disk) the store stops: what was in memory may be ahead of the disk. The next call reloads
 * everything from what is really on disk, as a restart would, and goes on if that works (at most
 * one attempt a second; calls meanwhile reject with the failure). So the store recovers by
 * itself once space is back, and reads work again as soon as the reload does.
 *
 * `redact` (retention) reads a stream back, checks and replaces the given events and rewrites
 * the file, one event per line, by the same crash-safe replace as compaction (temp file, fsync,
 * rename): a crash leaves the old file or the new one. Appends to that stream during the
 * rewrite wait and go to the new file after it.
 * `deleteValue` has values.jsonl rewritten within a second (or at close), so a deleted value's
 * old lines do not linger on disk.
 *
 * `readOnly` opens a directory that another process may be writing (the running bot), for the
 * command-line tools that only read (export, reminders, calendar, member export): no lock is
 * taken, nothing is created, repaired or rewritten, and every write method refuses. It reads
 * every complete line as the files are at open; a last line without its newline is a write
 * still under way (or one a crash cut short) and is left out, not cut off. The events are kept
 * in memory, so that a later rewrite by the writer (retention's redact, a compaction: both
 * replace the file whole) cannot move lines under the reader. It neither reads nor writes
 * snapshots (it reads every event anyway). The one-writer rule stays.
 */
import { createHash } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { type Clock, systemClock } from '../domain/clock';
import { deepFreeze } from '../domain/freeze';
import { type NewEvent, type StoredEvent, newEventSchema, storedEventSchema } from '../domain/records';
import { AlreadyMarkedError, CorruptRecordError, distinctMarks, type OnceMark, quietLogger, type Store, type StoreLogger, StoreUnavailableError, type StreamProjection, VersionConflictError } from './store';
import { AppendLog, appendDurably, type Compactor, fsyncDir, readLog, readLogFrom, type ReadLog, readRange, replaceFileDurably, splitLines, truncateDurably } from './file-store-log';
import { DataDirLockedError, type HeldLock, acquireLock } from './file-store-lock';

export { DataDirLockedError, LOCK_FILE } from './file-store-lock';

/** The data directory could not be opened; `userMessage` says why in Swedish, and what to do. */
export class DataDirUnusableError extends StoreUnavailableError {
  readonly userMessage: string;
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(`cannot open data directory ${dataDir}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, written: 'no' });
    this.userMessage = this.diskFull
      ? `Disken där datakatalogen ${dataDir} ligger är full, så Nämndbot kan inte spara något. Frigör utrymme på disken ` +
        `(eller flytta datakatalogen och ange den nya med NAMNDBOT_DATA_DIR) och starta igen. Inget har ändrats.`
      : `Datakatalogen ${dataDir} kan inte användas (${cause instanceof Error ? cause.message : String(cause)}). ` +
        `Kontrollera att den finns och att Nämndbot får läsa och skriva i den, eller ange en annan med NAMNDBOT_DATA_DIR.`;
  }
}

/** A damaged line stopped the open; `userMessage` says in Swedish where it is and what to do. */
export class DamagedDataFileError extends CorruptRecordError {
  readonly userMessage: string;
  constructor(
    readonly dataDir: string,
    cause: CorruptRecordError,
  ) {
    super(cause.where, cause.detail, cause.file === undefined ? undefined : { file: cause.file, line: cause.line });
    const place = cause.line === undefined ? `Filen ${cause.file ?? cause.where}` : `Rad ${cause.line} i filen ${cause.file}`;
    this.userMessage =
      `${place} i datakatalogen ${dataDir} är skadad och kan inte läsas (${cause.detail}). Inget har ändrats.\n` +
      `Gör en kopia av datakatalogen och starta sedan med --set-aside-damaged (npm start -- --set-aside-damaged): ` +
      `den skadade raden flyttas till en egen fil under ${path.join(dataDir, DAMAGED_DIR)} och alla hela poster behålls. ` +
      `Se docs/it/operations.md, avsnittet "A damaged data file".`;
  }
}

export interface FileStoreOptions<S = unknown> {
  /** The data directory, created if missing. Relative paths are resolved against the cwd. */
  dataDir: string;
  /** For claim and once-mark expiry. Default: the system clock. */
  clock?: Clock;
  /** Where repairs at open are logged (a torn tail cut, a last line completed, a line set aside). */
  logger?: StoreLogger;
  /**
   * Open a data directory with damaged lines: move each line that does not parse or validate
   * into a file of its own under damaged/ and keep every good record. Off: such a line stops the
   * open with a CorruptRecordError naming file and line, and nothing is changed.
   */
  setAsideDamaged?: boolean;
  /**
   * Given each stream's records once open has read and validated the stream whole (after any
   * repair), in order, so that the caller can fold them then (the core's `states`) instead of
   * reading the whole history back and validating it again at its first command. The records
   * are the caller's.
   */
  onRecordsLoaded?: (stream: string, records: readonly StoredEvent[]) => void;
  /**
   * Fold each stream as it opens and keep snapshots of the folded state (see the header), so
   * that an open reads a snapshot and the lines after it rather than the whole history. Not with
   * `onRecordsLoaded`.
   */
  projection?: FileStoreProjection<S>;
  /**
   * Read what is there without taking the lock, while another process may write (see the
   * header): nothing on disk is created or changed, writes are refused. Not with `setAsideDamaged`.
   */
  readOnly?: boolean;
}

export interface FileStoreProjection<S> {
  fold: StreamProjection<S>;
  /**
   * Given each stream's state once open has folded it: from its snapshot and the lines after
   * it, or (no usable snapshot) from the whole stream. `fromSnapshot` is the seq the snapshot
   * covered, 0 for none. The state is the caller's.
   */
  onLoaded(stream: string, state: S, loaded: { fromSnapshot: number }): void;
  /** Records folded at open past a stream's snapshot (or without one) from which a new snapshot is written. Default 500. */
  snapshotAfter?: number;
}

const STREAMS_DIR = 'streams';
/** Snapshots of streams' folded states, one file per stream (see the header). */
export const SNAPSHOTS_DIR = 'snapshots';
/** The layout of a snapshot file; what its state holds is the projection's `format`. */
const SNAPSHOT_VERSION = 1;
const DEFAULT_SNAPSHOT_AFTER = 500;
/** Lines (and misnamed stream files) set aside by `setAsideDamaged`, one file each. */
export const DAMAGED_DIR = 'damaged';
const MARKS_FILE = 'marks.jsonl';
const VALUES_FILE = 'values.jsonl';
const STREAM_EXT = '.jsonl';
/** How soon after a deleteValue the values log is rewritten without the deleted value's lines. */
const PURGE_DELAY_MS = 1000;
/** After a failed reload (the disk still full), the next attempt waits this long. */
const RECOVERY_PAUSE_MS = 1000;
/** Rewrite the marks and values logs from memory once they hold this many lines (and doubled). */
const COMPACT_MIN_LINES = 1000;
/**
 * Stream files kept open at once; the least recently opened is closed when another opens. With
 * thousands of committees the process stays far below the usual limit of 1,024 descriptors.
 */
const MAX_OPEN_STREAM_FILES = 64;

// ---- stream ids as file names ------------------------------------------------------------

const SAFE_BYTE = /^[a-z0-9_-]$/;
// Device names that Windows refuses as file names, whatever the extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;
const MAX_NAME = 200;

/**
 * A stream id as a file name: a–z, 0–9, '_' and '-' stay, every other UTF-8 byte becomes %XX.
 * Upper case is escaped too, so ids that differ only in case never share a file on a
 * case-insensitive file system. The mapping is one-to-one.
 */
export function streamFileName(stream: string): string {
  if (typeof stream !== 'string' || stream.length === 0) throw new RangeError('stream id must be a non-empty string');
  const bytes = Buffer.from(stream, 'utf8');
  // A lone surrogate would be encoded as U+FFFD and collide with a real U+FFFD.
  if (bytes.toString('utf8') !== stream) throw new RangeError('stream id must be well-formed Unicode');
  let name = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    name += b < 0x80 && SAFE_BYTE.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (WINDOWS_RESERVED.test(name)) name = `%${name.charCodeAt(0).toString(16).toUpperCase()}${name.slice(1)}`;
  if (name.length > MAX_NAME) throw new RangeError(`stream id is too long for a file name: ${stream.slice(0, 40)}…`);
  return name + STREAM_EXT;
}

/** The stream id of a file name, or undefined if the name is not one `streamFileName` makes. */
export function streamIdOfFile(file: string): string | undefined {
  if (!file.endsWith(STREAM_EXT)) return undefined;
  const base = file.slice(0, -STREAM_EXT.length);
  if (!/^(?:[a-z0-9_-]|%[0-9A-F]{2})+$/.test(base)) return undefined;
  try {
    const bytes = Buffer.from(base.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    const id = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return streamFileName(id) === file ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A stream file as error messages name it: streams/<name>. */
function shownName(file: string): string {
  return `${STREAMS_DIR}/${path.basename(file)}`;
}

// ---- records on disk -------------------------------------------------------------------------

const markLineSchema = z.union([
  z.object({ k: z.string(), x: z.number().finite() }).strict(),
  z.object({ k: z.string(), d: z.literal(1) }).strict(),
]);
const valueLineSchema = z.union([z.object({ k: z.string(), v: z.unknown() }).strict(), z.object({ k: z.string(), d: z.literal(1) }).strict()]);

function parseJsonLine(where: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw corrupt(where, `not JSON: ${(err as Error).message}`);
  }
}

/** A CorruptRecordError for `file:line` (or a whole file), with file and line apart. */
function corrupt(where: string, detail: string): CorruptRecordError {
  const m = /^(.*):(\d+)$/.exec(where);
  return new CorruptRecordError(where, detail, m ? { file: m[1]!, line: Number(m[2]) } : { file: where });
}

function zodDetail(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** mkdir -p, making each newly created directory durable in its parent. */
async function ensureDir(dir: string): Promise<void> {
  if (await exists(dir)) return;
  await ensureDir(path.dirname(dir));
  try {
    await fs.mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await fsyncDir(path.dirname(dir));
}

/** An append waiting while its stream's file is rewritten (redact). */
interface HeldLine {
  bytes: Buffer;
  firstSeq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface StreamState {
  /** Seq of the last event appended: durable, or queued for the file. */
  length: number;
  log: AppendLog;
  file: string;
  /** Per line of the file, in order: the byte offset where it starts and the seq of its first event. */
  lineStart: number[];
  lineSeq: number[];
  /** Where the next line goes: the file's size once every queued line is written. */
  end: number;
  /** Counts rewrites: line offsets taken before one no longer hold. */
  generation: number;
  /** Opened read-only: the stream's events as they were at open (see the header). */
  eventsAtOpen?: StoredEvent[];
  /**
   * Where the indexed lines begin: lines before `baseOffset` (the part a snapshot covered at
   * open) are not in `lineStart`/`lineSeq`; they hold seqs 1 … `baseSeq` in `baseLines` lines and
   * are read from the start of the file when asked for. 0 when the whole file is indexed.
   */
  baseOffset: number;
  baseSeq: number;
  baseLines: number;
  /** While `redact` rewrites the file: appended lines waiting for the new file. */
  held?: HeldLine[];
  /** Settles when the rewrite is done and the held lines are queued on the new log. */
  rewriting?: Promise<void>;
}

/** The index of the line that holds event `seq`: the last line whose first seq is at most `seq`. */
function lineOf(lineSeq: number[], seq: number): number {
  let lo = 0;
  let hi = lineSeq.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineSeq[mid]! <= seq) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function addLine(st: StreamState, bytes: Buffer, firstSeq: number): void {
  st.lineStart.push(st.end);
  st.lineSeq.push(firstSeq);
  st.end += bytes.length;
}

const gapLineSchema = z.object({ gap: z.number().int().positive(), setAside: z.string() }).strict();
/** An append that set once-marks: its events and the marks, in one line (one write, one fsync). */
const markedLineSchema = z.object({ e: z.array(z.unknown()), m: z.array(z.object({ k: z.string(), x: z.number().finite() }).strict()).min(1) }).strict();

/** A once-mark as a stream line holds it. */
interface LineMark {
  k: string;
  x: number;
}

/** A stream line: the events of one append (and the marks set with it), or a gap left where a damaged line was set aside. */
type StreamLine = { events: StoredEvent[]; marks?: LineMark[] } | { gap: number };

/** The line an append writes: its events, with the marks it sets when there are any. */
function appendLine(events: StoredEvent[], marks: LineMark[]): string {
  return `${marks.length ? JSON.stringify({ e: events, m: marks }) : JSON.stringify(events)}\n`;
}

/**
 * One line of a stream file: a non-empty array of valid events numbered on from `firstSeq`, or a
 * gap line. With `jumpAhead` (right after a line set aside) the events may start later.
 */
function parseStreamLine(where: string, text: string, firstSeq: number, jumpAhead = false): StreamLine {
  let batch = parseJsonLine(where, text);
  let marks: LineMark[] | undefined;
  if (!Array.isArray(batch)) {
    const gap = gapLineSchema.safeParse(batch);
    if (gap.success) return { gap: gap.data.gap };
    const marked = markedLineSchema.safeParse(batch);
    if (marked.success) {
      batch = marked.data.e;
      marks = marked.data.m;
    }
  }
  if (!Array.isArray(batch) || batch.length === 0) throw corrupt(where, 'expected a non-empty array of events');
  let next = firstSeq;
  const events = batch.map((raw, i) => {
    const r = storedEventSchema.safeParse(raw);
    if (!r.success) throw corrupt(where, zodDetail(r.error));
    if (i === 0 && jumpAhead && r.data.seq > firstSeq) next = r.data.seq;
    if (r.data.seq !== next + i) throw corrupt(where, `seq ${r.data.seq} where ${next + i} was expected`);
    return r.data;
  });
  return marks ? { events, marks } : { events };
}

/** The events of a stream line; a gap line has none. */
function eventsOf(line: StreamLine): StoredEvent[] {
  return 'events' in line ? line.events : [];
}

/** How many seqs a line takes up. */
function seqCount(line: StreamLine): number {
  return 'events' in line ? line.events.length : line.gap;
}

/** A stream's events as file lines, one event a line, with a gap line wherever the seqs jump. */
function streamLines(events: StoredEvent[]): { bytes: Buffer; firstSeq: number }[] {
  const lines: { bytes: Buffer; firstSeq: number }[] = [];
  let next = 1;
  for (const e of events) {
    if (e.seq > next) lines.push({ bytes: Buffer.from(`${JSON.stringify({ gap: e.seq - next, setAside: DAMAGED_DIR })}\n`), firstSeq: next });
    lines.push({ bytes: Buffer.from(`${JSON.stringify([e])}\n`, 'utf8'), firstSeq: e.seq });
    next = e.seq + 1;
  }
  return lines;
}

/** The complete lines of a file as raw bytes (damaged ones included), and what follows the last newline. */
function rawLines(buf: Buffer): { lines: Buffer[]; tail: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = buf.indexOf(0x0a); end >= 0; end = buf.indexOf(0x0a, start)) {
    lines.push(buf.subarray(start, end));
    start = end + 1;
  }
  return { lines, tail: buf.subarray(start) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeLine(where: string, bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw corrupt(where, 'not valid UTF-8');
  }
}

// ---- snapshots -----------------------------------------------------------------------------

/** The first line of a snapshot file; the folded state (the projection's bytes) follows it. */
const snapshotHeaderSchema = z
  .object({
    v: z.number().int(),
    format: z.string(),
    /** The stream's length (last seq) at `offset`. */
    seq: z.number().int().positive(),
    /** Bytes of the stream file covered, and how many lines they hold. */
    offset: z.number().int().positive(),
    lines: z.number().int().positive(),
    /** Where the last covered line starts, and the sha256 of its bytes: ties the snapshot to this file. */
    lastLine: z.number().int().nonnegative(),
    lastHash: z.string(),
    /** sha256 of everything after the header line. */
    bodyHash: z.string(),
    /** Once-marks set with the covered lines, still live when the snapshot was written. */
    marks: z.array(z.object({ k: z.string(), x: z.number().finite() }).strict()),
  })
  .strict();

interface Snapshot<S> {
  offset: number;
  seq: number;
  lines: number;
  marks: LineMark[];
  state: S;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** snapshots/<name>.json beside streams/<name>.jsonl. */
function snapshotFileOf(streamFile: string): string {
  return path.join(path.dirname(path.dirname(streamFile)), SNAPSHOTS_DIR, `${path.basename(streamFile, STREAM_EXT)}.json`);
}

function shownSnapshot(streamFile: string): string {
  return `${SNAPSHOTS_DIR}/${path.basename(snapshotFileOf(streamFile))}`;
}

/** Removes a stream's snapshot before its file is rewritten (its offsets would no longer hold). */
async function removeSnapshot(streamFile: string): Promise<void> {
  const file = snapshotFileOf(streamFile);
  if (!(await exists(file))) return;
  await fs.rm(file, { force: true });
  await fsyncDir(path.dirname(file));
}

interface Claim {
  owner: string;
  expiresAt: number;
}

export class FileStore implements Store {
  readonly kind = 'file';
  private readonly streams = new Map<string, StreamState>();
  private readonly claims = new Map<string, Claim>();
  /** key -> expiry (ms since epoch, by the injected clock). */
  private readonly marks = new Map<string, number>();
  /** key -> the value as JSON text, so that every get returns a fresh copy. */
  private readonly values = new Map<string, string>();
  private marksLog!: AppendLog;
  /** While opening: the marks found in stream lines, applied after marks.jsonl (see the header). */
  private lineMarks: LineMark[] = [];
  private valuesLog!: AppendLog;
  private failure: StoreUnavailableError | undefined;
  /** A reload after a failure, while it runs. */
  private recovering: Promise<void> | undefined;
  /** Right after a failed reload: the next attempt waits a second. */
  private recoveryPaused = false;
  private closing: Promise<void> | undefined;
  /** A rewrite of values.jsonl is due (a value was deleted); at most one a second. */
  private purgeTimer: NodeJS.Timeout | undefined;
  private purging: Promise<void> | undefined;
  /** Stream logs with their file open, least recently opened first. */
  private readonly openStreamLogs = new Set<AppendLog>();

  private constructor(
    /** Absolute path of the data directory. */
    readonly dataDir: string,
    private readonly clock: Clock,
    private readonly lock: HeldLock,
    private readonly logger: StoreLogger,
    private readonly setAsideDamaged: boolean,
    private readonly readOnly = false,
  ) {}

  /**
   * Opens (creating if needed) the data directory: takes its lock, repairs a torn last line,
   * validates and loads everything. Rejects with DataDirLockedError if another live process
   * holds the directory, CorruptRecordError if a stored record does not validate.
   */
  static async open<S = unknown>(options: FileStoreOptions<S>): Promise<FileStore> {
    const dataDir = path.resolve(options.dataDir);
    const readOnly = options.readOnly ?? false;
    if (readOnly && options.setAsideDamaged) throw new RangeError('setAsideDamaged rewrites files: not with readOnly');
    if (options.projection && options.onRecordsLoaded) throw new RangeError('projection or onRecordsLoaded, not both');
    try {
      if (!readOnly) await ensureDir(dataDir);
      // Read-only takes no lock: the writer (the running bot) keeps it.
      const lock = readOnly ? { release: async () => undefined } : await acquireLock(dataDir, options.dataDir);
      const store = new FileStore(dataDir, options.clock ?? systemClock, lock, options.logger ?? quietLogger, options.setAsideDamaged ?? false, readOnly);
      try {
        await store.load({ onRecordsLoaded: options.onRecordsLoaded, projection: options.projection as FileStoreProjection<unknown> | undefined });
      } catch (err) {
        await store.closeLogs();
        await lock.release();
        throw err;
      }
      return store;
    } catch (err) {
      if (err instanceof CorruptRecordError) throw new DamagedDataFileError(options.dataDir, err);
      if (err instanceof DataDirLockedError) throw err;
      // File system trouble (a full disk, permissions, a file where the directory should be, disk gone).
      throw new DataDirUnusableError(options.dataDir, err);
    }
  }

  // ---- Store ------------------------------------------------------------------------------

  /**
   * This process is the folder's only writer (the lock), so the length in memory is the
   * stream's. False while the store is closing or failed (a read tells what is wrong, or
   * recovers), and while appends of this process are queued past `seq`.
   */
  isCurrent(stream: string, seq: number): boolean {
    if (this.closing || this.failure) return false;
    return (this.streams.get(stream)?.length ?? 0) === seq;
  }

  async readEvents(stream: string, afterSeq: number): Promise<StoredEvent[]> {
    await this.usable();
    const st = this.streams.get(stream);
    if (!st) return [];
    const from = Number.isFinite(afterSeq) ? Math.max(0, Math.floor(afterSeq)) : 0;
    // The snapshot is what was appended when called; it is handed out once durable, never a
    // write a crash can undo.
    const upTo = st.length;
    for (;;) {
      if (st.rewriting) await st.rewriting;
      await st.log.sync();
      if (from >= upTo) return [];
      if (st.rewriting) continue;
      const generation = st.generation;
      const events = await this.readLines(st, from, upTo);
      // A rewrite that began meanwhile may have replaced the file under the offsets: read again.
      if (st.generation === generation && !st.rewriting) return events.map(deepFreeze);
    }
  }

  /** Events from+1 … upTo, read back from the durable part of the file and validated. */
  private async readLines(st: StreamState, from: number, upTo: number): Promise<StoredEvent[]> {
    if (st.eventsAtOpen) return st.eventsAtOpen.filter((e) => e.seq > from && e.seq <= upTo);
    const onBadLine = (lineNo: number, detail: string): never => {
      throw corrupt(`${shownName(st.file)}:${lineNo}`, detail);
    };
    const events: StoredEvent[] = [];
    if (from < st.baseSeq) {
      // Lines a snapshot covered at open are not indexed: read the file from its start (export,
      // retention, a person's records: the rare readers of the whole history).
      const last = upTo <= st.baseSeq ? -1 : lineOf(st.lineSeq, upTo);
      const end = last < 0 ? st.baseOffset : last + 1 < st.lineStart.length ? st.lineStart[last + 1]! : st.end;
      let next = 1;
      for (const { lineNo, text } of splitLines(await readRange(st.file, 0, end), 0, 1, onBadLine)) {
        const line = parseStreamLine(`${shownName(st.file)}:${lineNo}`, text, next);
        for (const e of eventsOf(line)) if (e.seq > from && e.seq <= upTo) events.push(e);
        next += seqCount(line);
      }
      return events;
    }
    const first = lineOf(st.lineSeq, from + 1);
    const last = lineOf(st.lineSeq, upTo);
    const start = st.lineStart[first]!;
    const end = last + 1 < st.lineStart.length ? st.lineStart[last + 1]! : st.end;
    const lines = splitLines(await readRange(st.file, start, end), start, st.baseLines + first + 1, onBadLine);
    for (let i = 0; i < lines.length; i++) {
      const { lineNo, text } = lines[i]!;
      for (const e of eventsOf(parseStreamLine(`${shownName(st.file)}:${lineNo}`, text, st.lineSeq[first + i]!))) {
        if (e.seq > from && e.seq <= upTo) events.push(e);
      }
    }
    return events;
  }

  async append(stream: string, events: NewEvent[], expectedSeq?: number, marks?: readonly OnceMark[]): Promise<StoredEvent[]> {
    // Everything up to the in-memory length is synchronous, so concurrent calls are serialized.
    await this.usable();
    this.writable();
    const file = streamFileName(stream);
    if (!Array.isArray(events)) throw new TypeError('events must be an array');
    if (expectedSeq !== undefined && !(Number.isSafeInteger(expectedSeq) && expectedSeq >= 0)) {
      throw new RangeError(`expectedSeq must be a whole number >= 0, got ${expectedSeq}`);
    }
    const wanted = distinctMarks(marks);
    // Throws a ZodError for an event that does not match the schema: nothing is written.
    const parsed = events.map((e) => newEventSchema.parse(e));
    let st = this.streams.get(stream);
    const last = st ? st.length : 0;
    if (expectedSeq !== undefined && expectedSeq !== last) throw new VersionConflictError(stream, expectedSeq, last);
    const now = this.clock.now().getTime();
    const seen = wanted.filter((m) => (this.marks.get(m.key) ?? 0) > now).map((m) => m.key);
    if (seen.length) {
      // Those marks may still be on their way to disk; answer once they are there.
      await this.marksLog.sync();
      throw new AlreadyMarkedError(seen);
    }
    for (const m of wanted) this.marks.set(m.key, now + m.ttlMs);
    const lineMarks = wanted.map((m) => ({ k: m.key, x: now + m.ttlMs }));
    if (parsed.length === 0) {
      // Marks alone go to marks.jsonl.
      const marking = wanted.length ? this.marksLog.append(lineMarks.map((m) => `${JSON.stringify(m)}\n`).join('')) : undefined;
      await Promise.all([st?.log.sync(), marking]);
      return [];
    }
    // The seq goes onto zod's output, a fresh object of the store's own, rather than onto a second
    // copy: an append per reminder sent made that copy a large share of a busy scheduler's garbage,
    // which sets how far V8 lets the heap grow (bench/scheduler.ts, issue 18).
    const stored = parsed.map((e, i) => deepFreeze(Object.assign(e, { seq: last + i + 1 })) as StoredEvent);
    if (!st) {
      const full = path.join(this.dataDir, STREAMS_DIR, file);
      st = this.newStream(full, this.newLog(full, false, 0, 0));
      this.streams.set(stream, st);
    }
    st.length += stored.length;
    // The marks ride in the events' line: one write and one fsync for both, and a crash keeps
    // both or neither.
    const bytes = Buffer.from(appendLine(stored, lineMarks), 'utf8');
    let writing: Promise<void>;
    if (st.held) {
      const held = st.held;
      writing = new Promise<void>((resolve, reject) => held.push({ bytes, firstSeq: last + 1, resolve, reject }));
    } else {
      addLine(st, bytes, last + 1);
      writing = st.log.append(bytes);
    }
    await writing;
    return stored;
  }

  async redact(stream: string, events: StoredEvent[]): Promise<void> {
    await this.usable();
    this.writable();
    if (!Array.isArray(events)) throw new TypeError('events must be an array');
    const st = this.streams.get(stream);
    // One rewrite of a stream at a time.
    while (st?.rewriting) await st.rewriting.catch(() => undefined);
    await this.usable();
    // Throws a ZodError for a replacement that does not validate: nothing is changed.
    const replacements = events.map((e) => storedEventSchema.parse(e));
    if (replacements.length === 0) return;
    if (!st) throw new RangeError(`stream ${stream} has no event with seq ${replacements[0]!.seq}`);
    // From here appends wait in `held`, so the file read back below is the whole stream.
    const upTo = st.length;
    st.held = [];
    let refused: RangeError | undefined;
    let replacing = false;
    const rewrite = (async () => {
      await st.log.sync();
      const current = await this.readLines(st, 0, upTo);
      // By seq, not by position: a line set aside leaves a gap in the seqs.
      const index = new Map(current.map((e, i) => [e.seq, i]));
      for (const r of replacements) {
        const c = current[index.get(r.seq) ?? -1];
        if (!c) refused ??= new RangeError(`stream ${stream} has no event with seq ${r.seq}`);
        else if (c.id !== r.id || c.type !== r.type) refused ??= new RangeError(`event ${r.seq} of stream ${stream} is not ${r.type} ${r.id}`);
      }
      if (refused) return;
      for (const r of replacements) current[index.get(r.seq)!] = r;
      // The rewritten lines carry no marks: marks.jsonl takes over every live one first.
      await this.marksLog.compactNow();
      // The snapshot's offsets name lines of the old file: gone before the file is replaced.
      await removeSnapshot(st.file);
      // Past this point a failure leaves the store stopped (fail-stop); before it nothing changed.
      replacing = true;
      await st.log.close();
      this.openStreamLogs.delete(st.log);
      if (this.failure) throw this.failure;
      const lines = streamLines(current);
      await replaceFileDurably(st.file, Buffer.concat(lines.map((l) => l.bytes)));
      st.lineStart = [];
      st.lineSeq = [];
      st.end = 0;
      st.baseOffset = st.baseSeq = st.baseLines = 0;
      for (const l of lines) addLine(st, l.bytes, l.firstSeq);
      st.generation++;
      st.log = this.newLog(st.file, true, st.end, upTo);
    })();
    const release = () => {
      const held = st.held ?? [];
      st.held = undefined;
      st.rewriting = undefined;
      return held;
    };
    st.rewriting = rewrite.then(
      () => {
        // The held lines go to the new file (or, when refused, the old one), in order.
        for (const h of release()) {
          addLine(st, h.bytes, h.firstSeq);
          st.log.append(h.bytes).then(h.resolve, h.reject);
        }
      },
      (err: unknown) => {
        if (!replacing) {
          // Reading back failed (a record changed on disk): nothing was changed; carry on as before.
          for (const h of release()) {
            addLine(st, h.bytes, h.firstSeq);
            st.log.append(h.bytes).then(h.resolve, h.reject);
          }
          throw err;
        }
        // The file on disk is the old one or the new one; a restart reads which (fail-stop).
        this.failure ??= err instanceof StoreUnavailableError ? err : new StoreUnavailableError(`the file store stopped after a failed rewrite: ${(err as Error).message}`, { cause: err });
        for (const h of release()) h.reject(this.failure);
        throw this.failure;
      },
    );
    await st.rewriting;
    if (refused) throw refused;
  }

  async listStreams(): Promise<string[]> {
    await this.usable();
    const live = [...this.streams].filter(([, st]) => st.length > 0);
    await Promise.all(live.map(async ([, st]) => {
      if (st.rewriting) await st.rewriting;
      await st.log.sync();
    }));
    return live.map(([id]) => id).sort();
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    await this.usable();
    assertTtl(ttlMs);
    const now = this.clock.now().getTime();
    const held = this.claims.get(key);
    if (held && held.expiresAt > now) return false;
    if (this.claims.size > 1000) this.sweepClaims(now);
    this.claims.set(key, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.usable();
    if (this.claims.get(key)?.owner === owner) this.claims.delete(key);
  }

  async markOnce(key: string, ttlMs: number): Promise<boolean> {
    await this.usable();
    this.writable();
    assertTtl(ttlMs);
    const now = this.clock.now().getTime();
    const expiresAt = this.marks.get(key);
    if (expiresAt !== undefined && expiresAt > now) {
      // The mark may still be on its way to disk; answer once it is there.
      await this.marksLog.sync();
      return false;
    }
    const until = now + ttlMs;
    this.marks.set(key, until);
    await this.marksLog.append(`${JSON.stringify({ k: key, x: until })}\n`);
    return true;
  }

  async unmark(key: string): Promise<void> {
    await this.usable();
    this.writable();
    if (!this.marks.has(key)) {
      await this.marksLog.sync();
      return;
    }
    this.marks.delete(key);
    await this.marksLog.append(`${JSON.stringify({ k: key, d: 1 })}\n`);
  }

  async getValue(key: string): Promise<unknown | undefined> {
    await this.usable();
    const text = this.values.get(key);
    await this.valuesLog.sync();
    return text === undefined ? undefined : JSON.parse(text);
  }

  async setValue(key: string, value: unknown): Promise<void> {
    await this.usable();
    this.writable();
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`value for ${key} cannot be stored as JSON`);
    this.values.set(key, text);
    await this.valuesLog.append(`{"k":${JSON.stringify(key)},"v":${text}}\n`);
  }

  async deleteValue(key: string): Promise<void> {
    await this.usable();
    this.writable();
    if (!this.values.has(key)) {
      await this.valuesLog.sync();
      return;
    }
    this.values.delete(key);
    await this.valuesLog.append(`${JSON.stringify({ k: key, d: 1 })}\n`);
    // The value's earlier lines would stay in the file until the next compaction, and a deleted
    // value may be personal data removed (retention): rewrite the file within a second (and at
    // close). Deletes meanwhile share the rewrite, so a burst of them costs one.
    this.purgeTimer ??= setTimeout(() => void this.purge(), PURGE_DELAY_MS);
    this.purgeTimer.unref();
  }

  private purge(): Promise<void> {
    clearTimeout(this.purgeTimer);
    this.purgeTimer = undefined;
    this.purging = this.valuesLog.compactNow().catch(() => undefined);
    return this.purging;
  }

  async valueKeys(prefix: string): Promise<string[]> {
    await this.usable();
    const keys = [...this.values.keys()].filter((k) => k.startsWith(prefix)).sort();
    await this.valuesLog.sync();
    return keys;
  }

  async ping(): Promise<void> {
    await this.usable();
    try {
      await fs.access(this.dataDir, this.readOnly ? fsConstants.R_OK : fsConstants.R_OK | fsConstants.W_OK);
    } catch (err) {
      throw new StoreUnavailableError(`data directory ${this.dataDir} is not usable`, { cause: err });
    }
  }

  /** Waits for pending writes, closes the files and releases the lock. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.streams.values()].map((st) => st.rewriting?.catch(() => undefined)));
      if (this.purgeTimer) await this.purge();
      await this.purging;
      await this.closeLogs();
      await this.lock.release();
    })();
    return this.closing;
  }

  /**
   * Counters for metrics and tests: `syncs` is every write+fdatasync, `inlineSyncs` those of
   * them done on the event loop's thread (see `newLog`).
   */
  stats(): { streams: number; events: number; syncs: number; inlineSyncs: number } {
    let events = 0;
    let syncs = this.marksLog.syncs + this.valuesLog.syncs;
    let inlineSyncs = this.marksLog.inlineSyncs + this.valuesLog.inlineSyncs;
    for (const st of this.streams.values()) {
      events += st.length;
      syncs += st.log.syncs;
      inlineSyncs += st.log.inlineSyncs;
    }
    return { streams: this.streams.size, events, syncs, inlineSyncs };
  }

  // ---- internals --------------------------------------------------------------------------

  /** Opened read-only: every write is refused, and nothing was written. */
  private writable(): void {
    if (this.readOnly) throw new StoreUnavailableError(`the file store of ${this.dataDir} is open read-only`, { written: 'no' });
  }

  /** Throws when closed; after a failure, first tries to reload from disk (see the header). */
  private async usable(): Promise<void> {
    if (this.closing) throw new StoreUnavailableError('the file store is closed', { written: 'no' });
    if (!this.failure) return;
    if (this.recoveryPaused && !this.recovering) throw this.failure;
    this.recovering ??= this.recover().finally(() => {
      this.recovering = undefined;
    });
    await this.recovering;
    if (this.closing) throw new StoreUnavailableError('the file store is closed', { written: 'no' });
  }

  /** Drops what memory holds of the files and loads them again; claims (memory only) stay. */
  private async recover(): Promise<void> {
    const failure = this.failure!;
    await Promise.all([...this.streams.values()].map((st) => st.rewriting?.catch(() => undefined)));
    await this.purging;
    await this.closeLogs().catch(() => undefined);
    this.streams.clear();
    this.marks.clear();
    this.lineMarks = [];
    this.values.clear();
    this.openStreamLogs.clear();
    try {
      // The core keeps its states: nothing to hand over again.
      await this.load();
    } catch (err) {
      await this.closeLogs().catch(() => undefined);
      this.failure = new StoreUnavailableError(`the file store could not reload after a failed write: ${(err as Error).message}`, { cause: err, written: 'no' });
      this.recoveryPaused = true;
      setTimeout(() => {
        this.recoveryPaused = false;
      }, RECOVERY_PAUSE_MS).unref();
      this.logger.warn({ diskFull: this.failure.diskFull }, 'the file store is still stopped: reloading the data directory failed; the next call tries again');
      throw this.failure;
    }
    this.failure = undefined;
    this.logger.info({ diskFull: failure.diskFull }, 'the file store works again: reloaded the data directory after a failed write');
  }

  private newLog(file: string, existsOnDisk: boolean, size: number, lines: number, compactor?: Compactor): AppendLog {
    return new AppendLog({
      file,
      exists: existsOnDisk,
      size,
      lines,
      compactor,
      onFatal: this.logFailed,
      // Stream files are many and mostly quiet: keep only the recently written ones open.
      // marks.jsonl and values.jsonl (the logs with a compactor) always commit on the thread
      // pool: they are written by answers that record nothing (a query's once-mark, an adapter's
      // remembered values), which come while other requests are being acknowledged, and a sync
      // on the event loop's thread holds those up. Measured with bench/slack.ts (read-only
      // commands, each a once-mark), three alternating pairs: ack p99 against bare Bolt 1.15,
      // 1.18, 1.17 with this, 1.27, 1.28, 1.26 with those commits inline when alone. A command
      // that records commits its stream line inline as before (`INLINE_COMMIT_MAX_MS`).
      ...(compactor ? { inlineCommitMaxMs: 0 } : { onOpen: this.streamFileOpened }),
    });
  }

  /** Shared by every log (a store has thousands): the first failed write stops the store. */
  private readonly logFailed = (err: Error): void => {
    if (this.failure) return;
    this.failure = new StoreUnavailableError(`the file store stopped after a failed write: ${err.message}`, { cause: err });
    this.logger.error({ diskFull: this.failure.diskFull }, 'the file store stopped after a failed write; it reloads from disk on the next call');
  };

  private readonly streamFileOpened = (log: AppendLog): void => {
    this.openStreamLogs.delete(log);
    this.openStreamLogs.add(log);
    for (const oldest of this.openStreamLogs) {
      if (this.openStreamLogs.size <= MAX_OPEN_STREAM_FILES) break;
      this.openStreamLogs.delete(oldest);
      oldest.releaseHandle();
    }
  };

  private async closeLogs(): Promise<void> {
    const logs = [...[...this.streams.values()].map((s) => s.log), this.marksLog, this.valuesLog].filter(Boolean);
    await Promise.all(logs.map((l) => l.close()));
  }

  private sweepClaims(now: number): void {
    for (const [k, c] of this.claims) if (c.expiresAt <= now) this.claims.delete(k);
  }

  private async load(handOver: HandOver = {}): Promise<void> {
    const streamsDir = path.join(this.dataDir, STREAMS_DIR);
    // Read-only creates nothing: a folder not made yet holds no records.
    if (this.readOnly && !(await exists(streamsDir))) return this.loadKeyedLogs();
    if (!this.readOnly) await ensureDir(streamsDir);
    for (const name of (await fs.readdir(streamsDir)).sort()) {
      if (!name.endsWith(STREAM_EXT)) continue;
      const id = streamIdOfFile(name);
      const shown = `${STREAMS_DIR}/${name}`;
      if (id === undefined) {
        const err = corrupt(shown, 'not a stream file name this store makes');
        if (!this.setAsideDamaged) throw err;
        // Its records belong to no stream this store knows: the whole file goes aside.
        const aside = await this.setAside(shown, await fs.readFile(path.join(streamsDir, name)));
        await fs.rm(path.join(streamsDir, name));
        await fsyncDir(streamsDir);
        this.logger.warn({ file: shown, setAside: aside }, 'set aside a stream file with a name this store does not make');
        continue;
      }
      await this.withSetAside(shown, (file) => this.repairStream(file, shown), () => this.loadStream(id, path.join(streamsDir, name), shown, handOver));
    }
    await this.loadKeyedLogs();
  }

  private async loadKeyedLogs(): Promise<void> {
    const checkMark = (where: string, line: unknown) => {
      const r = markLineSchema.safeParse(line);
      if (!r.success) throw corrupt(where, zodDetail(r.error));
      return r.data;
    };
    const checkValue = (where: string, line: unknown) => {
      const r = valueLineSchema.safeParse(line);
      if (!r.success) throw corrupt(where, zodDetail(r.error));
      if (!('d' in r.data && !('v' in r.data)) && !Object.prototype.hasOwnProperty.call(line, 'v')) throw corrupt(where, 'v: missing');
      return r.data;
    };
    this.marksLog = await this.withSetAside(MARKS_FILE, (file) => this.repairKeyedLog(file, MARKS_FILE, checkMark), () =>
      this.loadKeyedLog(MARKS_FILE, checkMark, (line) => {
        if ('d' in line) this.marks.delete(line.k);
        else this.marks.set(line.k, line.x);
      }, this.marksCompactor()),
    );
    // Then the marks set with appends, still live.
    const now = this.clock.now().getTime();
    for (const m of this.lineMarks) if (m.x > now && m.x > (this.marks.get(m.k) ?? 0)) this.marks.set(m.k, m.x);
    this.lineMarks = [];
    this.valuesLog = await this.withSetAside(VALUES_FILE, (file) => this.repairKeyedLog(file, VALUES_FILE, checkValue), () =>
      this.loadKeyedLog(VALUES_FILE, checkValue, (line) => {
        if ('v' in line) this.values.set(line.k, JSON.stringify(line.v));
        else this.values.delete(line.k);
      }, this.valuesCompactor()),
    );
  }

  /**
   * Loads one file; a damaged line stops the open (CorruptRecordError), or with
   * `setAsideDamaged` is moved aside by `repair` and the file loaded again.
   */
  private async withSetAside<T>(shown: string, repair: (file: string) => Promise<void>, load: () => Promise<T>): Promise<T> {
    try {
      return await load();
    } catch (err) {
      if (!(err instanceof CorruptRecordError) || !this.setAsideDamaged) throw err;
      await repair(path.join(this.dataDir, shown));
      return load();
    }
  }

  /** Writes one damaged line (or file) to a file of its own under damaged/, durably; its name there. */
  private async setAside(shown: string, bytes: Buffer, line?: number): Promise<string> {
    const dir = path.join(this.dataDir, DAMAGED_DIR);
    await ensureDir(dir);
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const name = `${shown.replace(/\//g, '_')}${line === undefined ? '' : `.line-${line}`}.${stamp}`;
    await replaceFileDurably(path.join(dir, name), bytes);
    return `${DAMAGED_DIR}/${name}`;
  }

  /**
   * Moves every damaged line of a stream file aside and rewrites the file without them. Where
   * the next good line's seqs start later than expected, a gap line takes the damaged line's
   * place, so every record keeps its seq. The tail (after the last newline) is left as it is.
   */
  private async repairStream(file: string, shown: string): Promise<void> {
    // Lines move: the stream's snapshot would point into the old file.
    await removeSnapshot(file);
    const { lines, tail } = rawLines(await fs.readFile(file));
    const out: Buffer[] = [];
    let next = 1;
    let afterDamaged: string | undefined;
    for (const [i, bytes] of lines.entries()) {
      const where = `${shown}:${i + 1}`;
      let line: StreamLine;
      try {
        line = parseStreamLine(where, decodeLine(where, bytes), next, afterDamaged !== undefined);
      } catch (err) {
        if (!(err instanceof CorruptRecordError)) throw err;
        const aside = await this.setAside(shown, Buffer.concat([bytes, Buffer.from('\n')]), i + 1);
        this.logger.warn({ file: shown, line: i + 1, setAside: aside, detail: err.detail }, 'set aside a damaged line');
        afterDamaged ??= aside;
        continue;
      }
      const first = 'events' in line ? line.events[0]!.seq : next;
      if (first > next) out.push(Buffer.from(`${JSON.stringify({ gap: first - next, setAside: afterDamaged })}\n`));
      out.push(bytes, Buffer.from('\n'));
      next = first + seqCount(line);
      afterDamaged = undefined;
    }
    await replaceFileDurably(file, Buffer.concat([...out, tail]));
  }

  /** Moves every damaged line of marks.jsonl or values.jsonl aside and rewrites the file without them. */
  private async repairKeyedLog(file: string, shown: string, check: (where: string, line: unknown) => unknown): Promise<void> {
    const { lines, tail } = rawLines(await fs.readFile(file));
    const out: Buffer[] = [];
    for (const [i, bytes] of lines.entries()) {
      const where = `${shown}:${i + 1}`;
      try {
        check(where, parseJsonLine(where, decodeLine(where, bytes)));
        out.push(bytes, Buffer.from('\n'));
      } catch (err) {
        if (!(err instanceof CorruptRecordError)) throw err;
        const aside = await this.setAside(shown, Buffer.concat([bytes, Buffer.from('\n')]), i + 1);
        this.logger.warn({ file: shown, line: i + 1, setAside: aside, detail: err.detail }, 'set aside a damaged line');
      }
    }
    await replaceFileDurably(file, Buffer.concat([...out, tail]));
  }

  /**
   * Loads a stream: validates its lines and indexes them (the events themselves stay on disk),
   * from its snapshot on when it has a usable one (see the header), else whole.
   */
  private async loadStream(id: string, file: string, shown: string, handOver: HandOver): Promise<void> {
    // Setting damaged lines aside checks every line: no snapshot then. Read-only keeps every event anyway.
    const fold = handOver.projection?.fold;
    const snapshot = fold && !this.readOnly && !this.setAsideDamaged ? await this.readSnapshot(file, fold) : undefined;
    if (!snapshot) return this.loadStreamFrom(id, file, shown, handOver, undefined);
    try {
      await this.loadStreamFrom(id, file, shown, handOver, snapshot);
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      // The lines after it do not follow from the snapshot, or one is damaged: judge the stream whole.
      this.logger.warn({ file: shownSnapshot(file), reason: err.message }, 'ignored a snapshot: the lines after it do not follow from it; folding the whole stream');
      await this.loadStreamFrom(id, file, shown, handOver, undefined);
    }
  }

  private async loadStreamFrom(id: string, file: string, shown: string, handOver: HandOver, snapshot: Snapshot<unknown> | undefined): Promise<void> {
    const base = snapshot ?? { offset: 0, seq: 0, lines: 0, marks: [] };
    const log = await readLogFrom(file, base.offset, base.lines + 1, (lineNo, detail) => {
      throw corrupt(`${shown}:${lineNo}`, detail);
    });
    const st = this.newStream(file, this.newLog(file, true, log.validBytes, base.lines + log.lines.length));
    st.baseOffset = base.offset;
    st.baseLines = base.lines;
    st.baseSeq = st.length = base.seq;
    // Handed over once the stream has loaded whole: a load that fails is repaired and run again.
    const records: StoredEvent[] | undefined = handOver.onRecordsLoaded || this.readOnly ? [] : undefined;
    const fold = handOver.projection?.fold;
    const state = fold ? (snapshot ? snapshot.state : fold.empty()) : undefined;
    let folded = 0;
    const marks: LineMark[] = [...base.marks];
    const take = (line: StreamLine): void => {
      for (const e of eventsOf(line)) {
        records?.push(e);
        if (fold) fold.apply(state, e);
      }
      folded += eventsOf(line).length;
      if ('marks' in line && line.marks) marks.push(...line.marks);
    };
    for (const { lineNo, start, text } of log.lines) {
      const line = parseStreamLine(`${shown}:${lineNo}`, text, st.length + 1);
      take(line);
      st.lineStart.push(start);
      st.lineSeq.push(st.length + 1);
      st.length += seqCount(line);
    }
    st.end = log.validBytes;
    // Read-only: a torn last line may be a write still under way; leave it out and the file alone.
    if (this.readOnly) st.eventsAtOpen = [...records!];
    else if (log.tornBytes > 0) {
      const tail = await this.repairTail(file, shown, log, (where, text) => parseStreamLine(where, text, st.length + 1));
      if (tail) {
        take(tail.parsed);
        st.lineStart.push(st.end);
        st.lineSeq.push(st.length + 1);
        st.length += seqCount(tail.parsed);
        st.end += tail.bytes;
        st.log = this.newLog(file, true, st.end, log.nextLineNo);
      }
    }
    this.lineMarks.push(...marks);
    this.streams.set(id, st);
    if (records) handOver.onRecordsLoaded?.(id, records);
    const projection = handOver.projection;
    if (projection) {
      if (!this.readOnly && folded > 0 && folded >= (projection.snapshotAfter ?? DEFAULT_SNAPSHOT_AFTER)) await this.writeSnapshot(st, projection.fold, state, marks);
      projection.onLoaded(id, state, { fromSnapshot: snapshot?.seq ?? 0 });
    }
  }

  /**
   * The stream's snapshot if it is usable: whole (its checksum), of the projection's format, and
   * covering lines this stream file really has (its last line there, byte for byte, ending with
   * the seq it names). Anything else is ignored, with a log line, and the stream folded whole.
   */
  private async readSnapshot<S>(streamFile: string, fold: StreamProjection<S>): Promise<Snapshot<S> | undefined> {
    const file = snapshotFileOf(streamFile);
    let buf: Buffer;
    try {
      buf = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const ignore = (reason: string): undefined => {
      this.logger.warn({ file: shownSnapshot(streamFile), reason }, 'ignored a snapshot; folding the whole stream (a new snapshot is written)');
      return undefined;
    };
    const nl = buf.indexOf(0x0a);
    if (nl < 0) return ignore('cut short');
    let header: z.infer<typeof snapshotHeaderSchema>;
    try {
      const parsed = snapshotHeaderSchema.safeParse(JSON.parse(buf.subarray(0, nl).toString('utf8')));
      if (!parsed.success) return ignore(`not a snapshot header: ${zodDetail(parsed.error)}`);
      header = parsed.data;
    } catch {
      return ignore('not a snapshot header: not JSON');
    }
    if (header.v !== SNAPSHOT_VERSION) return ignore(`snapshot layout ${header.v}, this version reads ${SNAPSHOT_VERSION}`);
    if (header.format !== fold.format) return ignore('written for another format of the state (another version of Nämndbot)');
    const body = buf.subarray(nl + 1);
    if (sha256(body) !== header.bodyHash) return ignore('damaged: its checksum does not match');
    const size = (await fs.stat(streamFile)).size;
    if (header.offset > size || header.lastLine >= header.offset) return ignore('ahead of the stream file: it covers more than the file holds');
    const last = await readRange(streamFile, header.lastLine, header.offset);
    const before = header.lastLine === 0 ? undefined : (await readRange(streamFile, header.lastLine - 1, header.lastLine))[0];
    if (sha256(last) !== header.lastHash || last[last.length - 1] !== 0x0a || (before !== undefined && before !== 0x0a)) return ignore('does not match the stream file');
    try {
      const line = JSON.parse(last.toString('utf8')) as unknown;
      const events = Array.isArray(line) ? line : (line as { e?: unknown }).e;
      const lastSeq = Array.isArray(events) ? (events[events.length - 1] as { seq?: unknown } | undefined)?.seq : undefined;
      if (lastSeq !== undefined && lastSeq !== header.seq) return ignore('does not match the stream file');
    } catch {
      return ignore('does not match the stream file');
    }
    let state: S;
    try {
      state = fold.decode(body);
    } catch (err) {
      return ignore(`its state cannot be read: ${(err as Error).message}`);
    }
    return { offset: header.offset, seq: header.seq, lines: header.lines, marks: header.marks, state };
  }

  /**
   * Writes a stream's snapshot: its state folded up to the stream's end as loaded. A temp file
   * and a rename, no fsync: a snapshot a crash damages or loses is ignored at the next open, and
   * costs only a slower start. A failure is logged, never fatal.
   */
  private async writeSnapshot<S>(st: StreamState, fold: StreamProjection<S>, state: S, marks: LineMark[]): Promise<void> {
    const file = snapshotFileOf(st.file);
    try {
      const body = fold.encode(state);
      if (body === undefined || st.lineStart.length === 0) return;
      const lastLine = st.lineStart[st.lineStart.length - 1]!;
      const now = this.clock.now().getTime();
      const header = {
        v: SNAPSHOT_VERSION,
        format: fold.format,
        seq: st.length,
        offset: st.end,
        lines: st.baseLines + st.lineStart.length,
        lastLine,
        lastHash: sha256(await readRange(st.file, lastLine, st.end)),
        bodyHash: sha256(body),
        marks: marks.filter((m) => m.x > now),
      };
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(`${file}.tmp`, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), Buffer.from(body.buffer, body.byteOffset, body.byteLength)]));
      await fs.rename(`${file}.tmp`, file);
    } catch (err) {
      await fs.rm(`${file}.tmp`, { force: true }).catch(() => undefined);
      this.logger.warn({ file: shownSnapshot(st.file), reason: (err as Error).message }, 'could not write a snapshot; the next start folds the stream from the last one');
    }
  }

  /**
   * The bytes after a file's last newline. A whole record that only lost its newline is kept
   * (the newline is written); anything else is a write a crash cut short, never acknowledged,
   * and is cut off. Either way it is logged. Returns the kept line, if any.
   */
  private async repairTail<T>(file: string, shown: string, log: ReadLog, parse: (where: string, text: string) => T): Promise<{ parsed: T; bytes: number } | undefined> {
    const where = `${shown}:${log.nextLineNo}`;
    const buf = await fs.readFile(file);
    const tail = buf.subarray(log.validBytes);
    let parsed: T | undefined;
    try {
      parsed = parse(where, decodeLine(where, tail));
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
    }
    if (parsed === undefined) {
      await truncateDurably(file, log.validBytes);
      this.logger.warn({ file: shown, line: log.nextLineNo, bytes: tail.length }, 'cut off a torn last line (a write a crash cut short, never acknowledged)');
      return undefined;
    }
    await appendDurably(file, '\n');
    this.logger.warn({ file: shown, line: log.nextLineNo }, 'kept a whole last record that had lost its newline, and wrote the newline');
    return { parsed, bytes: tail.length + 1 };
  }

  private newStream(file: string, log: AppendLog): StreamState {
    return { length: 0, log, file, lineStart: [], lineSeq: [], end: 0, generation: 0, baseOffset: 0, baseSeq: 0, baseLines: 0 };
  }

  /**
   * Loads marks.jsonl or values.jsonl and rewrites it if it had a torn tail or dead lines. Every
   * line is checked before any is applied, so a damaged one leaves the memory as it was.
   */
  private async loadKeyedLog<L>(
    name: string,
    check: (where: string, line: unknown) => L,
    apply: (line: L) => void,
    compactor: Compactor,
  ): Promise<AppendLog> {
    const file = path.join(this.dataDir, name);
    // A temp file is a compaction a crash interrupted before its rename: the log itself is intact.
    // (Read-only: it may be the writer's compaction under way; leave it.)
    if (!this.readOnly) await fs.rm(`${file}.tmp`, { force: true });
    if (!(await exists(file))) return this.newLog(file, false, 0, 0, compactor);
    const log = await readLog(file, (lineNo, detail) => {
      throw corrupt(`${name}:${lineNo}`, detail);
    });
    const checked = log.lines.map(({ lineNo, text }) => {
      const where = `${name}:${lineNo}`;
      return check(where, parseJsonLine(where, text));
    });
    let size = log.validBytes;
    if (log.tornBytes > 0 && !this.readOnly) {
      const tail = await this.repairTail(file, name, log, (where, text) => check(where, parseJsonLine(where, text)));
      if (tail) {
        checked.push(tail.parsed);
        size += tail.bytes;
      }
    }
    for (const line of checked) apply(line);
    if (this.readOnly) return this.newLog(file, true, size, checked.length, compactor);
    const snap = compactor.snapshot();
    if (snap.lines !== checked.length) {
      try {
        await replaceFileDurably(file, snap.text);
        return this.newLog(file, true, Buffer.byteLength(snap.text), snap.lines, compactor);
      } catch {
        // No room for the shorter copy (a full disk): the file as it is says the same.
        await fs.rm(`${file}.tmp`, { force: true }).catch(() => undefined);
      }
    }
    return this.newLog(file, true, size, checked.length, compactor);
  }

  private marksCompactor(): Compactor {
    return {
      minLines: COMPACT_MIN_LINES,
      snapshot: () => {
        const now = this.clock.now().getTime();
        let text = '';
        let lines = 0;
        for (const [k, x] of this.marks) {
          if (x <= now) {
            this.marks.delete(k);
            continue;
          }
          text += `${JSON.stringify({ k, x })}\n`;
          lines++;
        }
        return { text, lines };
      },
    };
  }

  private valuesCompactor(): Compactor {
    return {
      minLines: COMPACT_MIN_LINES,
      snapshot: () => {
        let text = '';
        for (const [k, v] of this.values) text += `{"k":${JSON.stringify(k)},"v":${v}}\n`;
        return { text, lines: this.values.size };
      },
    };
  }
}

/** What open hands each stream's records or folded state to (`FileStoreOptions`). */
interface HandOver {
  onRecordsLoaded?: FileStoreOptions['onRecordsLoaded'];
  projection?: FileStoreProjection<unknown>;
}

function assertTtl(ttlMs: number): void {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
}

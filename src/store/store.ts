/**
 * The Store seam: all state Nämndbot keeps goes through this interface.
 *
 * Implementations: the embedded file store (`file-store.ts`, the default, no server) and the
 * Redis store (`redis-store.ts`). Both pass the one contract suite in `test/store/contract.ts`.
 *
 * What is stored:
 * - **Streams** of events, one per committee (`records.ts`). Appends are atomic and ordered;
 *   `expectedSeq` makes them conditional, which is how the core avoids lost updates and races
 *   (two declarations of the same jäv, two overlapping § ranges) across processes.
 * - **Claims**: short leases that let exactly one process send a reminder. A claim not released
 *   expires after its ttl, so a crashed sender's reminder is retried.
 * - **Once-marks**: "seen this delivery id", with a ttl, so a platform's retried delivery is
 *   processed once. The marks of the deliveries a batch of events answers go with the append
 *   that records them: both or neither.
 * - **Values**: small JSON documents that adapters keep (a Teams conversation reference).
 *
 * Retention (src/ops/retention.ts) is the one exception to append-only: `redact` replaces
 * stored events in place with a copy whose personal fields are blanked (same seq, id and type,
 * so every later record and every projection still lines up), and `deleteValue` removes values
 * such as the conversation reference of someone no longer in any committee.
 *
 * Promises resolve only once the write is durable; a rejected promise means nothing was written.
 */
import type { NewEvent, StoredEvent } from '../domain/records';

export interface Store {
  /** "file" or "redis": for logs and health checks. */
  readonly kind: string;

  /** Events of a stream with seq > afterSeq, oldest first, validated. An unknown stream has none. */
  readEvents(stream: string, afterSeq: number): Promise<StoredEvent[]>;

  /**
   * Optional. True when this process knows, without I/O, that `seq` is the stream's last seq (0
   * for an unknown stream), so that `readEvents(stream, seq)` would give nothing. Only a store
   * that no other process writes can know it (the file store, which locks its folder); false
   * whenever unsure, and then the caller reads. The Redis store leaves it out. It spares the
   * scheduler a read per committee per tick.
   */
  isCurrent?(stream: string, seq: number): boolean;

  /**
   * Appends events to the end of a stream as one atomic write and returns them with their seq.
   * With `expectedSeq`, the append happens only if the stream's last seq is exactly that
   * (0 for an empty stream); otherwise it rejects with `VersionConflictError` and writes nothing.
   * With `marks`, it also sets these once-marks (as `markOnce`), together with the events: if any
   * of them is set already, nothing is appended and none is set, and it rejects with
   * `AlreadyMarkedError` naming those. The file store and Redis outside Cluster do both in one
   * write; in Redis Cluster, where a mark lives in another slot, the marks are set just before
   * the append and taken back if it fails.
   */
  append(stream: string, events: NewEvent[], expectedSeq?: number, marks?: readonly OnceMark[]): Promise<StoredEvent[]>;

  /** Ids of every stream that has at least one event. */
  listStreams(): Promise<string[]>;

  /**
   * Replaces stored events in place, for retention only: each given event takes the place of
   * the stored one with the same seq, which must have the same id and type; it must validate
   * like an appended event. All or nothing: a seq not in the stream, or an id or type that
   * differs, rejects with RangeError and nothing is changed. Appends meanwhile are not lost.
   */
  redact(stream: string, events: StoredEvent[]): Promise<void>;

  /** Takes a lease on `key` for `owner` if nobody holds an unexpired one. True if taken. */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives up a lease early; does nothing if `owner` does not hold it. */
  release(key: string, owner: string): Promise<void>;

  /** True the first time `key` is marked within `ttlMs`; false while the mark lives. */
  markOnce(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Removes a once-mark, so that a delivery whose processing failed can be tried again. On the
   * file store a mark that was set with an append lives in that append's line, and stands again
   * after a restart: a delivery whose records were written is not recorded twice.
   */
  unmark(key: string): Promise<void>;

  getValue(key: string): Promise<unknown | undefined>;
  setValue(key: string, value: unknown): Promise<void>;
  /** Removes a value (key and all); nothing happens when there is none. */
  deleteValue(key: string): Promise<void>;
  /** Keys of the values whose key starts with `prefix`, sorted. */
  valueKeys(prefix: string): Promise<string[]>;

  /** Resolves when the store can be used; rejects with `StoreUnavailableError` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A state folded from a stream's events, which a store may keep snapshots of so that an open
 * reads a snapshot and the events after it, not the whole stream (the file store does:
 * `FileStoreOptions.projection`). The store only folds, encodes and decodes through this; what
 * the state means is the caller's (the core gives the committee state, src/domain/state-snapshot.ts).
 */
export interface StreamProjection<S> {
  /** Names what `encode` writes; a snapshot of another format is ignored and the state folded from the events. */
  readonly format: string;
  empty(): S;
  apply(state: S, event: StoredEvent): void;
  /** The state as bytes; undefined when it cannot be kept (no snapshot is written then). */
  encode(state: S): Uint8Array | undefined;
  /** The state `encode` wrote; throws when the bytes are not one. */
  decode(bytes: Uint8Array): S;
}

/** A once-mark to set together with an append. */
export interface OnceMark {
  key: string;
  ttlMs: number;
}

/** The marks given with an append, checked and each key once (as `markOnce` would take them one by one). */
export function distinctMarks(marks: readonly OnceMark[] | undefined): OnceMark[] {
  if (marks === undefined) return [];
  if (!Array.isArray(marks)) throw new TypeError('marks must be an array');
  const byKey = new Map<string, OnceMark>();
  for (const m of marks) {
    if (typeof m?.key !== 'string') throw new TypeError('a mark key must be a string');
    if (!(Number.isFinite(m.ttlMs) && m.ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number, got ${m.ttlMs}`);
    if (!byKey.has(m.key)) byKey.set(m.key, m);
  }
  return [...byKey.values()];
}

/** Some of the once-marks given with an append were set already. Nothing was appended or marked. */
export class AlreadyMarkedError extends Error {
  constructor(readonly keys: string[]) {
    super(`already marked: ${keys.length} of the marks given with the append`);
    this.name = 'AlreadyMarkedError';
  }
}

/** The stream's last seq was not the one expected: someone else appended first. Nothing was written. */
export class VersionConflictError extends Error {
  constructor(
    readonly stream: string,
    readonly expectedSeq: number,
    readonly actualSeq: number,
  ) {
    super(`version conflict on stream ${stream}: expected ${expectedSeq}, found ${actualSeq}`);
    this.name = 'VersionConflictError';
  }
}

/**
 * The store cannot be reached (Redis down, disk gone or full); the caller may retry. `written`
 * says what became of a write: 'no' when certainly nothing was written, 'unknown' when it may
 * have been (the connection broke with the append sent, a write failed after another one of the
 * same append was durable). Without it a failed write counts as 'unknown'. `diskFull`: the file
 * system had no space left (ENOSPC, EDQUOT).
 */
export class StoreUnavailableError extends Error {
  readonly written: 'no' | 'unknown';
  readonly diskFull: boolean;
  constructor(message: string, options?: { cause?: unknown; written?: 'no' | 'unknown'; diskFull?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.written = options?.written ?? 'unknown';
    this.diskFull = options?.diskFull ?? isDiskFull(options?.cause);
  }
}

/** The error, or one it was caused by, is the file system saying it has no space left. */
export function isDiskFull(err: unknown): boolean {
  // Not `instanceof Error`: Node's own errors may come from another realm (a vm context).
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreUnavailableError && e.diskFull) return true;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  }
  return false;
}

/**
 * A stored record failed validation. It is reported, never silently used. `where` names the
 * record (a file and line, or a Redis key); the file store also gives `file` and `line` apart.
 */
export class CorruptRecordError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(
    readonly where: string,
    readonly detail: string,
    at?: { file: string; line?: number },
  ) {
    super(`corrupt record at ${where}: ${detail}`);
    this.name = 'CorruptRecordError';
    this.file = at?.file;
    this.line = at?.line;
  }
}

/** The part of a pino logger a store uses (stores do not import the core's logger). */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const quietLogger: StoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

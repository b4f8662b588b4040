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
 *   processed once.
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
   * Appends events to the end of a stream as one atomic write and returns them with their seq.
   * With `expectedSeq`, the append happens only if the stream's last seq is exactly that
   * (0 for an empty stream); otherwise it rejects with `VersionConflictError` and writes nothing.
   */
  append(stream: string, events: NewEvent[], expectedSeq?: number): Promise<StoredEvent[]>;

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
  /** Removes a once-mark, so that a delivery whose processing failed can be tried again. */
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

/** The store cannot be reached (Redis down, disk gone). Nothing was written; the caller may retry. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A stored record failed validation. It is reported, never silently used. */
export class CorruptRecordError extends Error {
  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(`corrupt record at ${where}: ${detail}`);
    this.name = 'CorruptRecordError';
  }
}

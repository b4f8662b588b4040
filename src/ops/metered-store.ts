/**
 * A Store that counts its own failures for `/metrics`, by operation: whatever part of the bot
 * called it (a command, the scheduler, an adapter keeping a Teams reference). A version conflict
 * is not a failure: it is how the core notices another process and tries again.
 */
import type { NewEvent, StoredEvent } from '../domain/records';
import { AlreadyMarkedError, VersionConflictError, type OnceMark, type Store } from '../store/store';

export interface StoreErrorSink {
  storeError(operation: string): void;
}

export class MeteredStore implements Store {
  readonly kind: string;

  constructor(
    readonly inner: Store,
    private readonly sink: StoreErrorSink,
  ) {
    this.kind = inner.kind;
  }

  private count<T>(operation: string, p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      // A lost race and a delivery seen before are answers, not Store failures.
      if (!(err instanceof VersionConflictError || err instanceof AlreadyMarkedError)) this.sink.storeError(operation);
      throw err;
    });
  }

  readEvents(stream: string, afterSeq: number): Promise<StoredEvent[]> {
    return this.count('readEvents', call(() => this.inner.readEvents(stream, afterSeq)));
  }
  /** The inner store's answer; false when it has none (then the caller reads, and is counted). */
  isCurrent(stream: string, seq: number): boolean {
    return this.inner.isCurrent?.(stream, seq) ?? false;
  }
  append(stream: string, events: NewEvent[], expectedSeq?: number, marks?: readonly OnceMark[]): Promise<StoredEvent[]> {
    return this.count('append', call(() => this.inner.append(stream, events, expectedSeq, marks)));
  }
  redact(stream: string, events: StoredEvent[]): Promise<void> {
    return this.count('redact', call(() => this.inner.redact(stream, events)));
  }
  listStreams(): Promise<string[]> {
    return this.count('listStreams', call(() => this.inner.listStreams()));
  }
  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.count('claim', call(() => this.inner.claim(key, owner, ttlMs)));
  }
  release(key: string, owner: string): Promise<void> {
    return this.count('release', call(() => this.inner.release(key, owner)));
  }
  markOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.count('markOnce', call(() => this.inner.markOnce(key, ttlMs)));
  }
  unmark(key: string): Promise<void> {
    return this.count('unmark', call(() => this.inner.unmark(key)));
  }
  getValue(key: string): Promise<unknown | undefined> {
    return this.count('getValue', call(() => this.inner.getValue(key)));
  }
  setValue(key: string, value: unknown): Promise<void> {
    return this.count('setValue', call(() => this.inner.setValue(key, value)));
  }
  deleteValue(key: string): Promise<void> {
    return this.count('deleteValue', call(() => this.inner.deleteValue(key)));
  }
  valueKeys(prefix: string): Promise<string[]> {
    return this.count('valueKeys', call(() => this.inner.valueKeys(prefix)));
  }
  ping(): Promise<void> {
    return this.count('ping', call(() => this.inner.ping()));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Stores may throw synchronously (a closed file store); make that a rejection to count. */
function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

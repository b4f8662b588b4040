/**
 * The Redis store: the Store for installations with several bot processes, on ioredis.
 *
 * Keys, all under the prefix P (default "namndbot:"):
 *   P events:{<stream>}   list; element i is the JSON of the event with seq i+1
 *   P streams             set of stream ids that have (or are about to get) events
 *   P claim:<key>         claim owner, with PX ttl
 *   P mark:<key>          once-mark, with PX ttl (set several at a time by one script, outside Cluster)
 *   P value:<key>         JSON value
 * In a stream key the id is the Cluster hash tag ({…}); '{', '}' and '%' in an id are
 * %-escaped, so every stream has exactly one key and every key of one append is in one slot.
 *
 * An append is one Lua script (one round trip): check the length against expectedSeq, then
 * RPUSH every event with its seq written in. Scripts run atomically, so an append is all or
 * nothing and two processes can never both win the same expectedSeq. Outside Cluster the same
 * script also adds the stream to the registry set; in Cluster that set lives in another slot,
 * so it is added to before the append (registry first: a listed stream may be empty, but a
 * stream with events is never unlisted; listStreams skips empty ones).
 *
 * Failing fast: no offline queue, no retries of a command whose connection broke, and a command
 * timeout. Any failure to talk to Redis is a StoreUnavailableError, so the core answers "försök
 * igen" at once. ioredis reconnects in the background, so the store recovers by itself. A
 * command cut off by a broken connection may still have been carried out by Redis: that is the
 * one case where a rejected write can have happened (the core's expectedSeq makes a retry safe).
 *
 * Durability is Redis's: with `appendfsync always` an acknowledged write survives a crash,
 * with `everysec` up to about a second of writes can be lost (see docs/it/redis.md).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { z } from 'zod';
import { type NewEvent, type StoredEvent, newEventSchema, storedEventSchema } from '../domain/records';
import { AlreadyMarkedError, CorruptRecordError, distinctMarks, type OnceMark, quietLogger, type Store, type StoreLogger, StoreUnavailableError, VersionConflictError } from './store';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_STARTUP_TIMEOUT_S,
  RedisConfigError,
  checkRedisPrefix,
  describeRedisTarget,
  parseRedisUrl,
  type RedisSettings,
  type RedisTarget,
} from './redis-config';

export type { StoreLogger } from './store';

export interface RedisStoreOptions {
  /** Prefix of every key. Default "namndbot:". Must not contain { or }. */
  prefix?: string;
  logger?: StoreLogger;
  /** A command without an answer after this long fails with StoreUnavailableError. Default 2000. */
  commandTimeoutMs?: number;
  /** How long one connection attempt may take. Default 5000. */
  connectTimeoutMs?: number;
  /** PEM CA certificate(s) for TLS with a private CA. */
  tlsCa?: string | Buffer;
  /** Password of the Sentinel processes (the Redis password is in the URL). */
  sentinelPassword?: string;
  /** Shown in CLIENT LIST. Default "namndbot". */
  connectionName?: string;
}

export interface RedisPersistence {
  /** undefined when the server would not say. */
  aof: boolean | undefined;
  /** "always", "everysec" or "no"; undefined when CONFIG is not allowed. */
  appendfsync: string | undefined;
}

type Client = Redis | Cluster;

interface Scripts {
  namndbotAppend(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<[number, number]>;
  namndbotAppendAt(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<[number, number]>;
  namndbotAppendMarked(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  namndbotMark(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  namndbotRedact(key: string, ...args: (string | number)[]): Promise<[number, number]>;
  namndbotRelease(key: string, owner: string): Promise<number>;
}

// KEYS[1] the stream's list, KEYS[2] (not in Cluster) the registry set.
// ARGV[1] expected length or -1, ARGV[2] the stream id, ARGV[3…] events as JSON objects without seq.
// Returns {1, length before} when appended, {0, length} on a version conflict (nothing written).
// For an append without an expected length, which has to learn the seqs from the list.
const APPEND_LUA = `
local n = redis.call('LLEN', KEYS[1])
local expected = tonumber(ARGV[1])
if expected >= 0 and n ~= expected then return {0, n} end
local count = #ARGV - 2
if count == 0 then return {1, n} end
if KEYS[2] then redis.call('SADD', KEYS[2], ARGV[2]) end
local batch = {}
for i = 1, count do
  batch[#batch + 1] = '{"seq":' .. string.format('%d', n + i) .. ',' .. string.sub(ARGV[i + 2], 2)
  if #batch == 1000 then redis.call('RPUSH', KEYS[1], unpack(batch)); batch = {} end
end
if #batch > 0 then redis.call('RPUSH', KEYS[1], unpack(batch)) end
return {1, n}
`;

// The same when the expected length is given (every append the core makes): the seqs follow
// from it, so the records come complete and the script only checks the length and pushes them.
// ARGV[1] expected length, ARGV[2] the stream id, ARGV[3…] the records.
const APPEND_AT_LUA = `
local n = redis.call('LLEN', KEYS[1])
if n ~= tonumber(ARGV[1]) then return {0, n} end
if #ARGV == 2 then return {1, n} end
if KEYS[2] then redis.call('SADD', KEYS[2], ARGV[2]) end
for i = 3, #ARGV, 1000 do redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV))) end
return {1, n}
`;

// An append with once-marks (outside Cluster): the marks and the records in one step.
// KEYS[1] the stream's list, KEYS[2] the registry set, KEYS[3…] the marks.
// ARGV[1] expected length or -1, ARGV[2] the stream id, ARGV[3] how many marks, then each mark's
// ttl in ms, then the events: complete records when a length is expected, else without seq.
// Returns {1, length before} when done, {0, length} on a version conflict, {2, length, i…} when
// the marks at those positions were set already; in both refusals nothing is written or marked.
const APPEND_MARKED_LUA = `
local n = redis.call('LLEN', KEYS[1])
local expected = tonumber(ARGV[1])
if expected >= 0 and n ~= expected then return {0, n} end
local m = tonumber(ARGV[3])
local seen = {}
local set = {}
for i = 1, m do
  if redis.call('SET', KEYS[2 + i], '1', 'PX', ARGV[3 + i], 'NX') then set[#set + 1] = KEYS[2 + i] else seen[#seen + 1] = i end
end
if #seen > 0 then
  if #set > 0 then redis.call('DEL', unpack(set)) end
  return {2, n, unpack(seen)}
end
local first = 4 + m
if #ARGV < first then return {1, n} end
redis.call('SADD', KEYS[2], ARGV[2])
if expected >= 0 then
  for i = first, #ARGV, 1000 do redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV))) end
  return {1, n}
end
local batch = {}
for i = first, #ARGV do
  batch[#batch + 1] = '{"seq":' .. string.format('%d', n + i - first + 1) .. ',' .. string.sub(ARGV[i], 2)
  if #batch == 1000 then redis.call('RPUSH', KEYS[1], unpack(batch)); batch = {} end
end
if #batch > 0 then redis.call('RPUSH', KEYS[1], unpack(batch)) end
return {1, n}
`;

// KEYS[1] the stream's list. ARGV: per event its index (seq - 1), expected id, expected type and
// new JSON. Checks every one first, then sets them: all or nothing. Returns {1, 0} when done,
// {0, index} when an index is out of range or holds another record (nothing changed).
const REDACT_LUA = `
local n = redis.call('LLEN', KEYS[1])
for i = 1, #ARGV, 4 do
  local idx = tonumber(ARGV[i])
  if idx >= n then return {0, idx} end
  local current = cjson.decode(redis.call('LINDEX', KEYS[1], idx))
  if current['id'] ~= ARGV[i + 1] or current['type'] ~= ARGV[i + 2] then return {0, idx} end
end
for i = 1, #ARGV, 4 do redis.call('LSET', KEYS[1], tonumber(ARGV[i]), ARGV[i + 3]) end
return {1, 0}
`;

// KEYS: once-marks; ARGV: their ttls in ms, in the same order. SET NX PX for each, in order, and
// 1 for each that was set, 0 for each that was already there: many deliveries, one round trip.
const MARK_LUA = `
local out = {}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'PX', ARGV[i], 'NX') then out[i] = 1 else out[i] = 0 end
end
return out
`;

/** Once-marks sent together in one script call, at most. */
const MARK_BATCH = 500;

// Deletes the claim only if `owner` still holds it: an expired claim taken over by another
// process must not be released by the old owner.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

function zodDetail(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function errorText(err: unknown): string {
  // Not `instanceof Error`: errors from another realm (node core under jest) fail that test.
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') return (err as Error).message;
  return String(err);
}

/** Wrong password or user: retrying will not help. */
export function isRedisAuthError(err: unknown): boolean {
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  const text = `${errorText(err)} ${cause ? errorText(cause) : ''}`;
  return /WRONGPASS|NOAUTH|invalid (username-)?password|NOPERM/i.test(text);
}

/** The server's certificate is not trusted or not for this host: retrying will not help. */
export function isRedisTlsError(err: unknown): boolean {
  return /certificate|altnames|SELF_SIGNED|UNABLE_TO_VERIFY|CERT_|wrong version number|ssl3_get_record|packet length too long/i.test(errorText(err));
}

function assertTtl(ttlMs: number): number {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

function assertStreamId(stream: string): void {
  if (typeof stream !== 'string' || stream.length === 0) throw new RangeError('stream id must be a non-empty string');
  // A lone surrogate would be sent as U+FFFD and collide with a real U+FFFD.
  if (Buffer.from(stream, 'utf8').toString('utf8') !== stream) throw new RangeError('stream id must be well-formed Unicode');
}

function assertKey(key: string): void {
  if (typeof key !== 'string') throw new TypeError('key must be a string');
}

/** Reconnect quickly (the bot should recover within seconds of Redis returning), with jitter. */
function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times - 1, 5), 2000) + Math.floor(Math.random() * 100);
}

function buildClient(target: RedisTarget, o: RedisStoreOptions): Client {
  const tls = target.tls ? (o.tlsCa ? { ca: o.tlsCa } : {}) : undefined;
  // Fail fast instead of queueing: a command while disconnected rejects at once, and a command
  // whose connection broke is rejected, not silently sent again after a reconnect.
  const failFast = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: o.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeout: o.connectTimeoutMs ?? 5000,
    connectionName: o.connectionName ?? 'namndbot',
    keepAlive: 10_000,
    // A demoted master answers READONLY after a failover: reconnect (through Sentinel, to the
    // new master). The failed command is not resent; the person is asked to try again.
    reconnectOnError: (err: Error) => /^READONLY/.test(err.message),
  } satisfies RedisOptions;
  const auth = { ...(target.username ? { username: target.username } : {}), ...(target.password ? { password: target.password } : {}) };
  switch (target.mode) {
    case 'standalone':
      return new Redis({ ...failFast, ...auth, host: target.host, port: target.port, db: target.db, tls, retryStrategy: reconnectDelay, enableAutoPipelining: true });
    case 'sentinel':
      return new Redis({
        ...failFast,
        ...auth,
        sentinels: target.sentinels,
        name: target.masterName,
        db: target.db,
        tls,
        enableTLSForSentinelMode: target.tls,
        ...(target.tls ? { sentinelTLS: tls } : {}),
        ...(o.sentinelPassword ? { sentinelPassword: o.sentinelPassword } : {}),
        sentinelCommandTimeout: o.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        retryStrategy: reconnectDelay,
        enableAutoPipelining: true,
      });
    case 'cluster': {
      const { enableOfflineQueue, ...nodeOptions } = failFast;
      const options: ClusterOptions = {
        enableOfflineQueue,
        enableAutoPipelining: true,
        // Every command goes to the slot's master: reads must see the latest append.
        scaleReads: 'master',
        clusterRetryStrategy: reconnectDelay,
        slotsRefreshTimeout: 2000,
        redisOptions: { ...nodeOptions, ...auth, tls },
        // With TLS, keep host names so that certificates issued for names verify.
        ...(target.tls ? { dnsLookup: (address: string, cb: (err: null, address: string) => void) => cb(null, address) } : {}),
      };
      return new Cluster(target.nodes, options);
    }
  }
}

export class RedisStore implements Store {
  readonly kind = 'redis';
  /** Where the store connects, without credentials: for logs and messages. */
  readonly where: string;
  readonly prefix: string;
  private readonly client: Client;
  private readonly scripts: Scripts;
  private readonly clustered: boolean;
  private readonly logger: StoreLogger;
  private readonly registryKey: string;
  private closing: Promise<void> | undefined;
  /** Once-marks waiting for this turn's script call (`markOnce`). */
  private readonly pendingMarks: { key: string; ttl: number; resolve: (set: boolean) => void; reject: (err: unknown) => void }[] = [];
  /** The last connection error ioredis reported, for messages; cleared when ready. */
  private lastConnectionError: string | undefined;
  private down = false;
  private everReady = false;

  /** Use `createRedisStore` or `openRedisStoreWithRetry`. */
  constructor(target: RedisTarget, options: RedisStoreOptions = {}) {
    const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    const problem = checkRedisPrefix(prefix);
    if (problem) throw new RedisConfigError([`REDIS_PREFIX: ${problem}`]);
    this.prefix = prefix;
    this.where = describeRedisTarget(target);
    this.logger = options.logger ?? quietLogger;
    this.clustered = target.mode === 'cluster';
    this.registryKey = `${prefix}streams`;
    this.client = buildClient(target, options);
    this.client.defineCommand('namndbotAppend', { lua: APPEND_LUA });
    this.client.defineCommand('namndbotAppendAt', { lua: APPEND_AT_LUA });
    this.client.defineCommand('namndbotAppendMarked', { lua: APPEND_MARKED_LUA });
    this.client.defineCommand('namndbotMark', { lua: MARK_LUA });
    this.client.defineCommand('namndbotRelease', { lua: RELEASE_LUA, numberOfKeys: 1 });
    this.client.defineCommand('namndbotRedact', { lua: REDACT_LUA, numberOfKeys: 1 });
    this.scripts = this.client as unknown as Scripts;
    this.client.on('error', (err: unknown) => {
      this.lastConnectionError = errorText(err);
    });
    this.client.on('node error', (err: unknown) => {
      this.lastConnectionError = errorText(err);
    });
    // Logged once per outage; failures before the first connection are the opener's to report.
    this.client.on('close', () => {
      if (this.everReady && !this.down && !this.closing) {
        this.down = true;
        this.logger.error({ redis: this.where }, `Förbindelsen med Redis på ${this.where} bröts; försöker återansluta (connection to Redis lost, reconnecting)`);
      }
    });
    this.client.on('ready', () => {
      this.lastConnectionError = undefined;
      this.everReady = true;
      if (this.down) this.logger.info({ redis: this.where }, `Redis på ${this.where} nås igen (Redis is reachable again)`);
      this.down = false;
    });
  }

  // ---- keys -------------------------------------------------------------------------------

  /** The list that holds a stream. The id is the hash tag, with its braces escaped. */
  eventsKey(stream: string): string {
    return `${this.prefix}events:{${stream.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
  }
  private claimKey(key: string): string {
    return `${this.prefix}claim:${key}`;
  }
  private markKey(key: string): string {
    return `${this.prefix}mark:${key}`;
  }
  private valueKey(key: string): string {
    return `${this.prefix}value:${key}`;
  }

  // ---- Store ------------------------------------------------------------------------------

  async readEvents(stream: string, afterSeq: number): Promise<StoredEvent[]> {
    this.assertOpen();
    assertStreamId(stream);
    const from = Number.isFinite(afterSeq) ? Math.max(0, Math.floor(afterSeq)) : 0;
    const key = this.eventsKey(stream);
    const texts = await this.call(key, () => this.client.lrange(key, from, -1));
    return texts.map((text, i) => this.parseStored(key, from + i, text));
  }

  async append(stream: string, events: NewEvent[], expectedSeq?: number, marks?: readonly OnceMark[]): Promise<StoredEvent[]> {
    this.assertOpen();
    assertStreamId(stream);
    if (!Array.isArray(events)) throw new TypeError('events must be an array');
    if (expectedSeq !== undefined && !(Number.isSafeInteger(expectedSeq) && expectedSeq >= 0)) {
      throw new RangeError(`expectedSeq must be a whole number >= 0, got ${expectedSeq}`);
    }
    const wanted = distinctMarks(marks);
    // Throws a ZodError for an event that does not match the schema: nothing is sent.
    const parsed = events.map((e) => newEventSchema.parse(e));
    const texts = parsed.map((e) => {
      const text = JSON.stringify(e);
      // The script writes the seq in after the opening brace.
      if (!text.startsWith('{"')) throw new TypeError('an event must be a non-empty JSON object');
      return text;
    });
    const key = this.eventsKey(stream);
    // With a length expected, the seqs follow from it: the records go complete.
    const records = expectedSeq === undefined ? texts : texts.map((text, i) => `{"seq":${expectedSeq + i + 1},${text.slice(1)}`);
    let reply: number[];
    if (wanted.length && !this.clustered) {
      const markKeys = wanted.map((m) => this.markKey(m.key));
      reply = await this.call(key, () =>
        this.scripts.namndbotAppendMarked(2 + markKeys.length, key, this.registryKey, ...markKeys, expectedSeq ?? -1, stream, markKeys.length, ...wanted.map((m) => Math.ceil(m.ttlMs)), ...records),
      );
    } else {
      const marked = wanted.length ? await this.markBeforeAppend(wanted) : [];
      try {
        if (this.clustered && texts.length > 0) await this.call(this.registryKey, () => this.client.sadd(this.registryKey, stream));
        const keys = this.clustered ? [key] : [key, this.registryKey];
        reply =
          expectedSeq === undefined
            ? await this.call(key, () => this.scripts.namndbotAppend(keys.length, ...keys, -1, stream, ...records))
            : await this.call(key, () => this.scripts.namndbotAppendAt(keys.length, ...keys, expectedSeq, stream, ...records));
        if (reply[0] !== 1) throw new VersionConflictError(stream, expectedSeq ?? -1, Number(reply[1]));
      } catch (err) {
        // Nothing was appended: the marks are taken back, so that the deliveries can be tried again.
        await this.unmarkAll(marked);
        throw err;
      }
    }
    const [ok, before] = reply;
    if (ok === 2) throw new AlreadyMarkedError(reply.slice(2).map((i) => wanted[Number(i) - 1]!.key));
    if (ok !== 1) throw new VersionConflictError(stream, expectedSeq ?? -1, Number(before));
    // zod's parse gave new objects of our own: they become the stored records (copying each showed in profiles).
    const first = Number(before) + 1;
    return parsed.map((e, i) => Object.assign(e, { seq: first + i }) as StoredEvent);
  }

  /** In Cluster: sets the marks one by one before an append; none stays set if any was set already. */
  private async markBeforeAppend(wanted: OnceMark[]): Promise<string[]> {
    const set = await Promise.all(
      wanted.map(async (m) => {
        const k = this.markKey(m.key);
        return (await this.call(k, () => this.client.set(k, '1', 'PX', Math.ceil(m.ttlMs), 'NX'))) === 'OK';
      }),
    );
    const marked = wanted.filter((_, i) => set[i]).map((m) => m.key);
    if (marked.length < wanted.length) {
      await this.unmarkAll(marked);
      throw new AlreadyMarkedError(wanted.filter((_, i) => !set[i]).map((m) => m.key));
    }
    return marked;
  }

  private async unmarkAll(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.unmark(k).catch(() => undefined)));
  }

  async listStreams(): Promise<string[]> {
    this.assertOpen();
    const ids = await this.call(this.registryKey, () => this.client.smembers(this.registryKey));
    // Auto-pipelining sends these together.
    const present = await Promise.all(ids.map((id) => this.call(this.eventsKey(id), () => this.client.exists(this.eventsKey(id)))));
    return ids.filter((_, i) => present[i] === 1).sort();
  }

  async redact(stream: string, events: StoredEvent[]): Promise<void> {
    this.assertOpen();
    assertStreamId(stream);
    if (!Array.isArray(events)) throw new TypeError('events must be an array');
    const args: (string | number)[] = [];
    for (const e of events) {
      const { seq, ...rest } = storedEventSchema.parse(e);
      // Written like an append writes it: seq first.
      args.push(seq - 1, rest.id, rest.type, `{"seq":${seq},${JSON.stringify(rest).slice(1)}`);
    }
    if (args.length === 0) return;
    const key = this.eventsKey(stream);
    const [ok, index] = await this.call(key, () => this.scripts.namndbotRedact(key, ...args));
    if (ok !== 1) throw new RangeError(`event ${Number(index) + 1} of stream ${stream} is missing or is another record`);
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    assertKey(key);
    const ttl = assertTtl(ttlMs);
    const k = this.claimKey(key);
    return (await this.call(k, () => this.client.set(k, String(owner), 'PX', ttl, 'NX'))) === 'OK';
  }

  async release(key: string, owner: string): Promise<void> {
    this.assertOpen();
    assertKey(key);
    const k = this.claimKey(key);
    await this.call(k, () => this.scripts.namndbotRelease(k, String(owner)));
  }

  async markOnce(key: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    assertKey(key);
    const ttl = assertTtl(ttlMs);
    const k = this.markKey(key);
    // In Cluster the marks live in different slots, so no script can take several.
    if (this.clustered) return (await this.call(k, () => this.client.set(k, '1', 'PX', ttl, 'NX'))) === 'OK';
    // Marks asked for in one turn of the event loop (deliveries arriving together) go in one call.
    return new Promise<boolean>((resolve, reject) => {
      this.pendingMarks.push({ key: k, ttl, resolve, reject });
      if (this.pendingMarks.length === 1) process.nextTick(() => this.sendMarks());
    });
  }

  private sendMarks(): void {
    while (this.pendingMarks.length > 0) {
      const batch = this.pendingMarks.splice(0, MARK_BATCH);
      this.call(undefined, () => this.scripts.namndbotMark(batch.length, ...batch.map((m) => m.key), ...batch.map((m) => m.ttl))).then(
        (set) => batch.forEach((m, i) => m.resolve(set[i] === 1)),
        (err: unknown) => batch.forEach((m) => m.reject(err)),
      );
    }
  }

  async unmark(key: string): Promise<void> {
    this.assertOpen();
    assertKey(key);
    const k = this.markKey(key);
    await this.call(k, () => this.client.del(k));
  }

  async getValue(key: string): Promise<unknown | undefined> {
    this.assertOpen();
    assertKey(key);
    const k = this.valueKey(key);
    const text = await this.call(k, () => this.client.get(k));
    if (text === null) return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CorruptRecordError(k, `not JSON: ${errorText(err)}`);
    }
  }

  async setValue(key: string, value: unknown): Promise<void> {
    this.assertOpen();
    assertKey(key);
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`value for ${key} cannot be stored as JSON`);
    const k = this.valueKey(key);
    await this.call(k, () => this.client.set(k, text));
  }

  async deleteValue(key: string): Promise<void> {
    this.assertOpen();
    assertKey(key);
    const k = this.valueKey(key);
    await this.call(k, () => this.client.del(k));
  }

  async valueKeys(prefix: string): Promise<string[]> {
    this.assertOpen();
    assertKey(prefix);
    const base = this.valueKey('');
    const pattern = `${(base + prefix).replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
    // In Cluster every master holds some keys: scan each.
    const servers: Redis[] = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    const found = new Set<string>();
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await this.call(undefined, () => server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
        for (const k of keys) found.add(k.slice(base.length));
        cursor = next;
      } while (cursor !== '0');
    }
    return [...found].sort();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.call(undefined, () => this.client.ping());
  }

  /** Closes the connection. Safe to call twice, and when Redis is down. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.client.quit();
      } catch {
        // Not connected: nothing to flush, just stop reconnecting.
        this.client.disconnect();
      }
    })();
    return this.closing;
  }

  /** What the server persists, for the start-up warning and health checks. In Cluster: the weakest master. */
  async persistence(): Promise<RedisPersistence> {
    this.assertOpen();
    const servers: Redis[] = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    const each = await Promise.all(servers.map((s) => this.call(undefined, () => serverPersistence(s))));
    // Weakest first: no AOF, fsync never, fsync every second, unknown, fsync always.
    const order = (p: RedisPersistence) => (p.aof === false ? 0 : ['no', 'everysec', undefined, 'always'].indexOf(p.appendfsync) + 1 || 3);
    return each.sort((a, b) => order(a) - order(b))[0] ?? { aof: undefined, appendfsync: undefined };
  }

  /** Why the last connection attempt failed, while not connected. */
  get connectionProblem(): string | undefined {
    return this.client.status === 'ready' ? undefined : this.lastConnectionError;
  }

  /** The underlying ioredis client: for tests and the bench only. */
  get redis(): Client {
    return this.client;
  }

  // ---- internals --------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closing) throw new StoreUnavailableError('the Redis store is closed');
  }

  /** Runs one Redis call and turns every failure to talk to Redis into StoreUnavailableError. */
  private async call<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(err, key);
    }
  }

  private translate(err: unknown, key: string | undefined): Error {
    if (err instanceof StoreUnavailableError || err instanceof CorruptRecordError || err instanceof VersionConflictError) return err;
    const text = errorText(err);
    // A key of the wrong type is damaged data, not an outage.
    if (/^WRONGTYPE/.test(text)) return new CorruptRecordError(key ?? '(unknown key)', text);
    if (this.closing) return new StoreUnavailableError('the Redis store is closed', { cause: err, written: 'no' });
    // ioredis says "Stream isn't writeable…" when disconnected: the command was never sent, so
    // nothing was written. Otherwise (a timeout, the connection lost with the command sent) it
    // may have run. The connection error says why.
    const unsent = /isn't writeable|isn't ready/i.test(text);
    const reason = unsent || /Connection is closed/i.test(text) ? `not connected (${this.lastConnectionError ?? text})` : text;
    return new StoreUnavailableError(`Redis at ${this.where} is not available: ${reason}`, { cause: err, written: unsent ? 'no' : 'unknown' });
  }

  private parseStored(key: string, index: number, text: string): StoredEvent {
    const where = `${key}[${index}]`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new CorruptRecordError(where, `not JSON: ${errorText(err)}`);
    }
    const r = storedEventSchema.safeParse(raw);
    if (!r.success) throw new CorruptRecordError(where, zodDetail(r.error));
    // The seq inside must match the position: catches elements removed or inserted by hand.
    if (r.data.seq !== index + 1) throw new CorruptRecordError(where, `seq ${r.data.seq} where ${index + 1} was expected`);
    return r.data;
  }
}

async function serverPersistence(server: Redis): Promise<RedisPersistence> {
  const info = await server.info('persistence');
  const m = /^aof_enabled:(\d)/m.exec(info);
  let appendfsync: string | undefined;
  try {
    // Managed services often refuse CONFIG; then we cannot tell.
    const reply = (await server.config('GET', 'appendfsync')) as unknown;
    if (Array.isArray(reply) && typeof reply[1] === 'string') appendfsync = reply[1];
  } catch {
    appendfsync = undefined;
  }
  return { aof: m ? m[1] === '1' : undefined, appendfsync };
}

/**
 * A Redis store; connects in the background (commands fail with StoreUnavailableError until it
 * has). `url` is a REDIS_URL (see redis-config.ts) or an already parsed target.
 */
export function createRedisStore(url: string | RedisTarget, options: RedisStoreOptions = {}): RedisStore {
  return new RedisStore(typeof url === 'string' ? parseRedisUrl(url) : url, options);
}

export interface OpenRedisOptions extends RedisStoreOptions {
  /** Give up after this long; 0 retries forever. Default 120 s. */
  startupTimeoutMs?: number;
  /** First wait between attempts, doubled each time up to `maxRetryDelayMs`. Default 1000. */
  retryDelayMs?: number;
  /** Default 15000. */
  maxRetryDelayMs?: number;
  /** Stops the retries (SIGTERM during start-up); the promise then rejects. */
  signal?: AbortSignal;
}

/** Resolves on the client's next 'ready', 'error' or 'end', after `ms` at most, or on abort. */
function settle(client: Client, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      client.off('end', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done);
    client.once('error', done);
    client.once('end', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Opens a Redis store and waits until Redis answers. While it does not, says so plainly in the
 * log ("Kan inte nå Redis på redis://… – försöker igen om 2 s") and retries with backoff, until
 * `startupTimeoutMs`. Rejects with StoreUnavailableError when the time is up, at once when
 * Redis refuses the credentials, and logs a warning when Redis does not persist with AOF.
 */
export async function openRedisStoreWithRetry(url: string | RedisTarget, options: OpenRedisOptions = {}): Promise<RedisStore> {
  const logger = options.logger ?? quietLogger;
  const store = createRedisStore(url, { ...options, logger });
  const client = store.redis;
  const started = performance.now();
  const deadline = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_S * 1000;
  const maxDelay = options.maxRetryDelayMs ?? 15_000;
  let delay = options.retryDelayMs ?? 1000;
  const giveUp = async (message: string, cause: unknown): Promise<never> => {
    await store.close();
    throw new StoreUnavailableError(message, { cause });
  };
  for (let attempt = 1; ; attempt++) {
    if (client.status !== 'ready') await settle(client, (options.connectTimeoutMs ?? 5000) + 500, options.signal);
    if (options.signal?.aborted) return giveUp(`start aborted while waiting for Redis at ${store.where}`, options.signal.reason);
    let failure: unknown;
    try {
      await store.ping();
    } catch (err) {
      failure = err;
    }
    if (failure === undefined) {
      if (attempt > 1) logger.info({ redis: store.where, attempt }, `Redis på ${store.where} svarar nu (Redis is answering now)`);
      await warnAboutPersistence(store, logger);
      return store;
    }
    const reason = store.connectionProblem ?? errorText(failure);
    if (isRedisAuthError(failure) || isRedisAuthError(reason)) {
      logger.error({ redis: store.where, err: reason }, `Redis på ${store.where} godtar inte användaren eller lösenordet i REDIS_URL (Redis refused the credentials)`);
      return giveUp(`Redis at ${store.where} refused the credentials: ${reason}`, failure);
    }
    if (isRedisTlsError(reason)) {
      logger.error(
        { redis: store.where, err: reason },
        `TLS-förbindelsen med Redis på ${store.where} gick inte att upprätta: ${reason}. Kontrollera certifikatet och REDIS_TLS_CA_FILE (TLS to Redis failed).`,
      );
      return giveUp(`TLS to Redis at ${store.where} failed: ${reason}`, failure);
    }
    const elapsed = performance.now() - started;
    if (deadline > 0 && elapsed >= deadline) {
      logger.error({ redis: store.where, err: reason }, `Kan inte nå Redis på ${store.where} – ger upp efter ${seconds(Math.round(elapsed / 100) * 100)} (cannot reach Redis, giving up)`);
      return giveUp(`cannot reach Redis at ${store.where} after ${seconds(Math.round(elapsed / 100) * 100)}: ${reason}`, failure);
    }
    logger.warn(
      { redis: store.where, attempt, retryInMs: delay, err: reason },
      `Kan inte nå Redis på ${store.where} – försöker igen om ${seconds(delay)} (cannot reach Redis: ${reason}; retrying in ${seconds(delay)})`,
    );
    // Wake early when the client reconnects on its own.
    await settleReady(client, deadline > 0 ? Math.min(delay, deadline - elapsed) : delay, options.signal);
    delay = Math.min(delay * 2, maxDelay);
  }
}

function settleReady(client: Client, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function warnAboutPersistence(store: RedisStore, logger: StoreLogger): Promise<void> {
  let p: RedisPersistence;
  try {
    p = await store.persistence();
  } catch {
    return;
  }
  if (p.aof === false) {
    logger.warn(
      { redis: store.where, aof: false },
      `Redis på ${store.where} har inte AOF påslaget (appendonly no): en omstart av Redis kan förlora allt som sparats sedan den senaste ögonblicksbilden. Se docs/it/redis.md. (Redis has no AOF persistence.)`,
    );
  } else if (p.appendfsync === 'no') {
    logger.warn({ redis: store.where, appendfsync: 'no' }, `Redis på ${store.where} har appendfsync no: ett strömavbrott kan förlora upp till ~30 s av det som sparats. Se docs/it/redis.md.`);
  } else {
    logger.info({ redis: store.where, aof: p.aof, appendfsync: p.appendfsync }, 'redis persistence');
  }
}

/** The entry's one call: settings from `readRedisSettings` to an open store. */
export async function openRedisStoreFromSettings(settings: RedisSettings, extra: { logger?: StoreLogger; signal?: AbortSignal } = {}): Promise<RedisStore> {
  return openRedisStoreWithRetry(settings.target, {
    prefix: settings.prefix,
    commandTimeoutMs: settings.commandTimeoutMs,
    startupTimeoutMs: settings.startupTimeoutMs,
    ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
    ...(settings.tlsCaFile ? { tlsCa: readCa(settings.tlsCaFile) } : {}),
    ...extra,
  });
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new RedisConfigError([`REDIS_TLS_CA_FILE: kan inte läsa ${file}: ${errorText(err)}`]);
  }
}

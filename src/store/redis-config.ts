/**
 * Redis settings from the environment: pure parsing, no connection, no file access.
 *
 * REDIS_URL picks the Redis store (unset: the embedded file store) and says how to reach Redis:
 *
 *   redis://[user:password@]host[:6379][/db]                          one server
 *   rediss://…                                                        the same over TLS
 *   redis-sentinel://[user:password@]host[:26379][,host…]/master[/db]  Sentinel; auth is Redis's
 *   rediss-sentinel://…                                               TLS to Sentinels and Redis
 *   redis-cluster://[user:password@]host[:6379][,host…]               Cluster (no db)
 *   rediss-cluster://…                                                Cluster over TLS
 *
 * A password with reserved characters (@ : / , ? #) is percent-encoded. Nothing here echoes a
 * password: problems name the setting, and `describeRedisTarget` leaves credentials out.
 * `REDIS_SETTINGS` has the same shape as `SETTINGS` in src/config/settings.ts, to be merged there.
 */

/** One row of the settings table; structurally the same as `SettingSpec` in src/config/settings.ts. */
export interface RedisSettingSpec {
  env: string;
  description: string;
  default?: string;
  secret?: boolean;
}

export const DEFAULT_REDIS_PREFIX = 'namndbot:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;
export const DEFAULT_STARTUP_TIMEOUT_S = 120;

export const REDIS_SETTINGS: readonly RedisSettingSpec[] = [
  {
    env: 'REDIS_URL',
    description:
      'Keep state in Redis instead of the embedded file store. redis:// or rediss:// (TLS) for one server, redis-sentinel:// or rediss-sentinel:// for Sentinel, redis-cluster:// or rediss-cluster:// for Cluster; see docs/it/redis.md. Unset: the file store.',
    secret: true,
  },
  {
    env: 'REDIS_PREFIX',
    description: 'Prefix of every Redis key, so that several installations can share one Redis. Must not contain { or }.',
    default: DEFAULT_REDIS_PREFIX,
  },
  { env: 'REDIS_SENTINEL_PASSWORD', description: 'Password of the Sentinel processes themselves, if they require one (the Redis password goes in REDIS_URL).', secret: true },
  { env: 'REDIS_TLS_CA_FILE', description: 'PEM file with the CA certificate(s) that signed the Redis server certificate, for rediss:// with a private CA.' },
  {
    env: 'REDIS_COMMAND_TIMEOUT_MS',
    description: 'A Redis command without an answer after this many milliseconds fails; the person is asked to try again.',
    default: String(DEFAULT_COMMAND_TIMEOUT_MS),
  },
  {
    env: 'REDIS_STARTUP_TIMEOUT_S',
    description: 'How long the bot keeps retrying at start while Redis cannot be reached, in seconds; 0 retries forever.',
    default: String(DEFAULT_STARTUP_TIMEOUT_S),
  },
];

export interface HostPort {
  host: string;
  port: number;
}

interface Auth {
  username?: string;
  password?: string;
}

export type RedisTarget =
  | ({ mode: 'standalone'; tls: boolean; host: string; port: number; db: number } & Auth)
  | ({ mode: 'sentinel'; tls: boolean; sentinels: HostPort[]; masterName: string; db: number } & Auth)
  | ({ mode: 'cluster'; tls: boolean; nodes: HostPort[] } & Auth);

export interface RedisSettings {
  target: RedisTarget;
  prefix: string;
  sentinelPassword?: string;
  tlsCaFile?: string;
  commandTimeoutMs: number;
  /** 0: retry forever. */
  startupTimeoutMs: number;
}

export class RedisConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Redis-inställningarna är inte giltiga:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RedisConfigError';
  }
}

const SCHEMES: Record<string, { mode: RedisTarget['mode']; tls: boolean; port: number }> = {
  'redis:': { mode: 'standalone', tls: false, port: 6379 },
  'rediss:': { mode: 'standalone', tls: true, port: 6379 },
  'redis-sentinel:': { mode: 'sentinel', tls: false, port: 26379 },
  'rediss-sentinel:': { mode: 'sentinel', tls: true, port: 26379 },
  'redis-cluster:': { mode: 'cluster', tls: false, port: 6379 },
  'rediss-cluster:': { mode: 'cluster', tls: true, port: 6379 },
};
const SCHEME_LIST = 'redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// eller rediss-cluster://';

const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9._-]+)?$/;

function decode(part: string, what: string, problems: string[]): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    problems.push(`REDIS_URL: ${what} är felaktigt procentkodat`);
    return undefined;
  }
}

function parseHosts(list: string, defaultPort: number, problems: string[]): HostPort[] {
  const out: HostPort[] = [];
  for (const raw of list.split(',')) {
    const item = raw.trim();
    if (item === '') {
      problems.push('REDIS_URL: en värd i listan är tom');
      continue;
    }
    // [v6addr]:port, or host:port, or host.
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(item) ?? /^([^:]+)(?::(.*))?$/.exec(item);
    if (!m) {
      problems.push(`REDIS_URL: "${item}" är ingen värd (skriv värd:port, eller [IPv6-adress]:port)`);
      continue;
    }
    const host = m[1]!;
    const bracketed = item.startsWith('[');
    if (bracketed ? !IPV6.test(host) : !HOSTNAME.test(host)) {
      problems.push(`REDIS_URL: "${host}" är inget giltigt värdnamn`);
      continue;
    }
    let port = defaultPort;
    if (m[2] !== undefined) {
      port = /^\d{1,5}$/.test(m[2]) ? Number(m[2]) : NaN;
      if (!(port >= 1 && port <= 65535)) {
        problems.push(`REDIS_URL: porten "${m[2]}" hos ${host} är inget portnummer (1–65535)`);
        continue;
      }
    }
    out.push({ host, port });
  }
  return out;
}

function parseDb(text: string, problems: string[]): number {
  if (/^\d{1,5}$/.test(text)) return Number(text);
  problems.push(`REDIS_URL: databasen "${text}" ska vara ett heltal, till exempel /0`);
  return 0;
}

/** Parses REDIS_URL. Throws RedisConfigError listing every problem found. */
export function parseRedisUrl(url: string): RedisTarget {
  const problems: string[] = [];
  const target = parseRedisUrlInto(url.trim(), problems);
  if (problems.length > 0 || !target) throw new RedisConfigError(problems.length ? problems : ['REDIS_URL: kunde inte tolkas']);
  return target;
}

function parseRedisUrlInto(url: string, problems: string[]): RedisTarget | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:)\/\/([^/?#]*)([^?#]*)([?#].*)?$/.exec(url);
  if (!m) {
    problems.push(`REDIS_URL: ska börja med ${SCHEME_LIST}`);
    return undefined;
  }
  const [, schemeRaw, authority, pathPart, rest] = m;
  const scheme = SCHEMES[schemeRaw!.toLowerCase()];
  if (!scheme) {
    problems.push(`REDIS_URL: schemat "${schemeRaw}//" stöds inte; använd ${SCHEME_LIST}`);
    return undefined;
  }
  if (rest) problems.push('REDIS_URL: frågeparametrar och fragment (?… #…) stöds inte; se docs/it/redis.md');

  // The last '@' ends the credentials, so that an unencoded '@' in a password still works.
  const at = authority!.lastIndexOf('@');
  const userinfo = at >= 0 ? authority!.slice(0, at) : undefined;
  const hostList = at >= 0 ? authority!.slice(at + 1) : authority!;
  const auth: Auth = {};
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo, 'användarnamnet', problems);
    const pass = colon >= 0 ? decode(userinfo.slice(colon + 1), 'lösenordet', problems) : undefined;
    if (user) auth.username = user;
    if (pass) auth.password = pass;
  }
  if (hostList.trim() === '') {
    problems.push('REDIS_URL: värden saknas, till exempel redis://127.0.0.1:6379');
    return undefined;
  }
  const hosts = parseHosts(hostList, scheme.port, problems);
  const segments = pathPart!.split('/').filter((s) => s !== '');

  switch (scheme.mode) {
    case 'standalone': {
      if (hosts.length > 1) problems.push('REDIS_URL: flera värdar går bara med redis-sentinel:// eller redis-cluster://');
      if (segments.length > 1) problems.push('REDIS_URL: sökvägen ska bara vara databasens nummer, till exempel /0');
      const db = segments.length ? parseDb(segments[0]!, problems) : 0;
      const h = hosts[0];
      return h ? { mode: 'standalone', tls: scheme.tls, host: h.host, port: h.port, db, ...auth } : undefined;
    }
    case 'sentinel': {
      const masterName = segments[0] !== undefined ? decode(segments[0], 'mastergruppens namn', problems) : undefined;
      if (!masterName) problems.push('REDIS_URL: mastergruppens namn saknas, till exempel redis-sentinel://sentinel1:26379,sentinel2:26379/mymaster');
      if (segments.length > 2) problems.push('REDIS_URL: efter mastergruppens namn får bara databasens nummer stå, till exempel /mymaster/0');
      const db = segments.length > 1 ? parseDb(segments[1]!, problems) : 0;
      return hosts.length && masterName ? { mode: 'sentinel', tls: scheme.tls, sentinels: hosts, masterName, db, ...auth } : undefined;
    }
    case 'cluster': {
      if (segments.length > 0) problems.push('REDIS_URL: Redis Cluster har bara databas 0; ta bort /… efter värdarna');
      return hosts.length ? { mode: 'cluster', tls: scheme.tls, nodes: hosts, ...auth } : undefined;
    }
  }
}

function hostText(h: HostPort): string {
  return `${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
}

/** The target as a URL without credentials: for logs and messages. */
export function describeRedisTarget(t: RedisTarget): string {
  const s = t.tls ? 's' : '';
  const user = t.username ? `${encodeURIComponent(t.username)}@` : '';
  switch (t.mode) {
    case 'standalone':
      return `redis${s}://${user}${hostText(t)}${t.db ? `/${t.db}` : ''}`;
    case 'sentinel':
      return `redis${s}-sentinel://${user}${t.sentinels.map(hostText).join(',')}/${encodeURIComponent(t.masterName)}${t.db ? `/${t.db}` : ''}`;
    case 'cluster':
      return `redis${s}-cluster://${user}${t.nodes.map(hostText).join(',')}`;
  }
}

/** Checks a key prefix: braces would turn part of it into a Cluster hash tag. */
export function checkRedisPrefix(prefix: string): string | undefined {
  if (prefix === '') return 'får inte vara tomt';
  if (prefix.length > 100) return 'får vara högst 100 tecken';
  if (/[{}]/.test(prefix)) return 'får inte innehålla { eller } (de styr Redis Clusters fördelning av nycklar)';
  if (/[\s\u0000-\u001f\u007f]/.test(prefix)) return 'får inte innehålla mellanslag eller styrtecken';
  return undefined;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name}: ska vara ett heltal ${min}–${max}, inte "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

/**
 * The Redis settings, or undefined when REDIS_URL is not set (then the file store is used).
 * Throws RedisConfigError listing every problem.
 */
export function readRedisSettings(env: NodeJS.ProcessEnv): RedisSettings | undefined {
  const url = env.REDIS_URL?.trim();
  if (!url) return undefined;
  const problems: string[] = [];
  const target = parseRedisUrlInto(url, problems);
  const prefix = env.REDIS_PREFIX?.trim() || DEFAULT_REDIS_PREFIX;
  const prefixProblem = checkRedisPrefix(prefix);
  if (prefixProblem) problems.push(`REDIS_PREFIX: ${prefixProblem}`);
  const commandTimeoutMs = intSetting(env, 'REDIS_COMMAND_TIMEOUT_MS', DEFAULT_COMMAND_TIMEOUT_MS, 100, 60_000, problems);
  const startupTimeoutS = intSetting(env, 'REDIS_STARTUP_TIMEOUT_S', DEFAULT_STARTUP_TIMEOUT_S, 0, 86_400, problems);
  const sentinelPassword = env.REDIS_SENTINEL_PASSWORD || undefined;
  const tlsCaFile = env.REDIS_TLS_CA_FILE?.trim() || undefined;
  if (sentinelPassword && target && target.mode !== 'sentinel') problems.push('REDIS_SENTINEL_PASSWORD: används bara med redis-sentinel:// eller rediss-sentinel://');
  if (tlsCaFile && target && !target.tls) problems.push('REDIS_TLS_CA_FILE: används bara med TLS (rediss://, rediss-sentinel://, rediss-cluster://)');
  if (problems.length > 0 || !target) throw new RedisConfigError(problems.length ? problems : ['REDIS_URL: kunde inte tolkas']);
  return {
    target,
    prefix,
    ...(sentinelPassword ? { sentinelPassword } : {}),
    ...(tlsCaFile ? { tlsCaFile } : {}),
    commandTimeoutMs,
    startupTimeoutMs: startupTimeoutS * 1000,
  };
}

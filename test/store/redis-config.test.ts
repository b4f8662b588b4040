import {
  DEFAULT_REDIS_PREFIX,
  REDIS_SETTINGS,
  RedisConfigError,
  describeRedisTarget,
  parseRedisUrl,
  readRedisSettings,
} from '../../src/store/redis-config';
import type { SettingSpec } from '../../src/config/settings';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof RedisConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a RedisConfigError');
}

describe('parseRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', { mode: 'standalone', tls: false, host: '127.0.0.1', port: 6379, db: 0 }],
    ['redis://redis.kommun.se', { mode: 'standalone', tls: false, host: 'redis.kommun.se', port: 6379, db: 0 }],
    ['rediss://redis.kommun.se:6380/2', { mode: 'standalone', tls: true, host: 'redis.kommun.se', port: 6380, db: 2 }],
    ['redis://:hemligt@h:1', { mode: 'standalone', host: 'h', port: 1, password: 'hemligt' }],
    ['redis://namndbot:p%40ss%3Aw%2Fd@h', { mode: 'standalone', host: 'h', username: 'namndbot', password: 'p@ss:w/d' }],
    ['redis://u:p@ss@h', { host: 'h', username: 'u', password: 'p@ss' }],
    ['redis://[::1]:6390', { mode: 'standalone', host: '::1', port: 6390 }],
    ['REDIS://H', { mode: 'standalone', host: 'H' }],
  ])('%s', (url, expected) => {
    expect(parseRedisUrl(url)).toMatchObject(expected);
  });

  it('reads Sentinel: several sentinels, default port 26379, the master group and a db', () => {
    expect(parseRedisUrl('redis-sentinel://:pw@s1:26380,s2,[fe80::1]:26381/mymaster/3')).toEqual({
      mode: 'sentinel',
      tls: false,
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: 'fe80::1', port: 26381 },
      ],
      masterName: 'mymaster',
      db: 3,
      password: 'pw',
    });
    expect(parseRedisUrl('rediss-sentinel://s1/mymaster')).toMatchObject({ mode: 'sentinel', tls: true, db: 0 });
  });

  it('reads Cluster: several nodes, default port 6379, no db', () => {
    expect(parseRedisUrl('rediss-cluster://u:p@n1:7000,n2:7001,n3')).toEqual({
      mode: 'cluster',
      tls: true,
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
        { host: 'n3', port: 6379 },
      ],
      username: 'u',
      password: 'p',
    });
  });

  it.each([
    ['http://h', /schemat "http:\/\/" stöds inte/],
    ['127.0.0.1:6379', /ska börja med redis:\/\//],
    ['redis://', /värden saknas/],
    ['redis://h:0', /porten "0"/],
    ['redis://h:99999', /porten "99999"/],
    ['redis://h:abc', /porten "abc"/],
    ['redis://h/x', /databasen "x"/],
    ['redis://a,b', /flera värdar/],
    ['redis://h?tls=true', /frågeparametrar/],
    ['redis-sentinel://s1:26379', /mastergruppens namn saknas/],
    ['redis-cluster://n1/0', /bara databas 0/],
    ['redis://bad_host!', /inget giltigt värdnamn/],
    ['redis-cluster://n1,,n2', /tom/],
  ])('refuses %s', (url, problem) => {
    expect(problemsOf(() => parseRedisUrl(url)).join('\n')).toMatch(problem);
  });

  it('never repeats the password in a problem', () => {
    const problems = problemsOf(() => parseRedisUrl('redis://:topphemligt@h:bad/x'));
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.join('\n')).not.toContain('topphemligt');
  });
});

describe('describeRedisTarget', () => {
  it.each([
    ['redis://:pw@127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['rediss://bot:pw@h:6380/2', 'rediss://bot@h:6380/2'],
    ['redis-sentinel://:pw@s1,s2:26380/mymaster', 'redis-sentinel://s1:26379,s2:26380/mymaster'],
    ['rediss-cluster://:pw@[::1]:7000,n2', 'rediss-cluster://[::1]:7000,n2:6379'],
  ])('%s is shown as %s, without the password', (url, shown) => {
    expect(describeRedisTarget(parseRedisUrl(url))).toBe(shown);
  });

  it('round-trips: what it shows parses to the same target (less the password)', () => {
    const t = parseRedisUrl('redis-sentinel://u:pw@s1:1,s2:2/m/4');
    const { password: _pw, ...rest } = t;
    expect(parseRedisUrl(describeRedisTarget(t))).toEqual(rest);
  });
});

describe('readRedisSettings', () => {
  it('is undefined without REDIS_URL: the file store is used', () => {
    expect(readRedisSettings({})).toBeUndefined();
    expect(readRedisSettings({ REDIS_URL: '  ', REDIS_PREFIX: 'x:' })).toBeUndefined();
  });

  it('has defaults for everything else', () => {
    expect(readRedisSettings({ REDIS_URL: 'redis://h' })).toEqual({
      target: { mode: 'standalone', tls: false, host: 'h', port: 6379, db: 0 },
      prefix: DEFAULT_REDIS_PREFIX,
      commandTimeoutMs: 2000,
      startupTimeoutMs: 120_000,
    });
  });

  it('reads every setting', () => {
    expect(
      readRedisSettings({
        REDIS_URL: 'rediss-sentinel://:pw@s1/mymaster',
        REDIS_PREFIX: 'sjobacka:kfn:',
        REDIS_SENTINEL_PASSWORD: 'spw',
        REDIS_TLS_CA_FILE: '/etc/ssl/kommun-ca.pem',
        REDIS_COMMAND_TIMEOUT_MS: '500',
        REDIS_STARTUP_TIMEOUT_S: '0',
      }),
    ).toEqual({
      target: { mode: 'sentinel', tls: true, sentinels: [{ host: 's1', port: 26379 }], masterName: 'mymaster', db: 0, password: 'pw' },
      prefix: 'sjobacka:kfn:',
      sentinelPassword: 'spw',
      tlsCaFile: '/etc/ssl/kommun-ca.pem',
      commandTimeoutMs: 500,
      startupTimeoutMs: 0,
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      readRedisSettings({
        REDIS_URL: 'redis://h:0',
        REDIS_PREFIX: 'a{b}',
        REDIS_COMMAND_TIMEOUT_MS: 'snabbt',
        REDIS_STARTUP_TIMEOUT_S: '-1',
        REDIS_SENTINEL_PASSWORD: 'x',
        REDIS_TLS_CA_FILE: '/ca.pem',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^REDIS_URL: porten/),
      expect.stringMatching(/^REDIS_PREFIX: får inte innehålla \{ eller \}/),
      expect.stringMatching(/^REDIS_COMMAND_TIMEOUT_MS: ska vara ett heltal/),
      expect.stringMatching(/^REDIS_STARTUP_TIMEOUT_S: ska vara ett heltal/),
    ]);
    expect(problemsOf(() => readRedisSettings({ REDIS_URL: 'redis://h', REDIS_SENTINEL_PASSWORD: 'x', REDIS_TLS_CA_FILE: '/ca.pem' }))).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_PASSWORD: används bara med redis-sentinel/),
      expect.stringMatching(/^REDIS_TLS_CA_FILE: används bara med TLS/),
    ]);
  });
});

describe('REDIS_SETTINGS', () => {
  it('has the shape of the settings table, documents every variable readRedisSettings reads, and marks secrets', () => {
    const specs: readonly SettingSpec[] = REDIS_SETTINGS;
    expect(specs.map((s) => s.env)).toEqual(['REDIS_URL', 'REDIS_PREFIX', 'REDIS_SENTINEL_PASSWORD', 'REDIS_TLS_CA_FILE', 'REDIS_COMMAND_TIMEOUT_MS', 'REDIS_STARTUP_TIMEOUT_S']);
    expect(specs.filter((s) => s.secret).map((s) => s.env)).toEqual(['REDIS_URL', 'REDIS_SENTINEL_PASSWORD']);
    for (const s of specs) expect(s.description.length).toBeGreaterThan(20);
    // The defaults in the table are the ones the parser uses.
    const parsed = readRedisSettings({ REDIS_URL: 'redis://h' })!;
    expect(specs.find((s) => s.env === 'REDIS_PREFIX')!.default).toBe(parsed.prefix);
    expect(Number(specs.find((s) => s.env === 'REDIS_COMMAND_TIMEOUT_MS')!.default)).toBe(parsed.commandTimeoutMs);
    expect(Number(specs.find((s) => s.env === 'REDIS_STARTUP_TIMEOUT_S')!.default) * 1000).toBe(parsed.startupTimeoutMs);
  });
});

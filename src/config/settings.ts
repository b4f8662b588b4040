/**
 * The bot's settings, from environment variables. With the Redis, Slack and Teams tables it makes
 * one table, `ALL_SETTINGS` in bin/cli/config-check.ts: `namndbot config check` lists it,
 * and a test checks that the README's settings table names every setting in it.
 */
import { z } from 'zod';

export interface SettingSpec {
  env: string;
  /** For the IT department, in English like the README. */
  description: string;
  default?: string;
  secret?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
  { env: 'NAMNDBOT_COMMITTEES', description: 'Committee files or folders of them, separated by commas.', default: 'examples/kfn.yaml' },
  { env: 'NAMNDBOT_DATA_DIR', description: 'Folder of the embedded file store (used when REDIS_URL is not set).', default: './data' },
  { env: 'LOG_LEVEL', description: 'pino log level: fatal, error, warn, info, debug, trace or silent.', default: 'info' },
  { env: 'NAMNDBOT_PORT', description: 'Port of the one HTTP server (Slack endpoint, Teams /api/messages, /healthz, /readyz, /metrics) when Slack or Teams is configured. 0: any free port.', default: '3000' },
  { env: 'NAMNDBOT_MAX_BODY_KB', description: 'Largest HTTP request body accepted, in kB; larger ones get 413.', default: '1024' },
  {
    env: 'NAMNDBOT_REQUEST_TIMEOUT_S',
    description: 'Seconds an HTTP request (headers and body) may take to arrive; slower ones get 408 and the connection is closed. Headers get at most 10 s.',
    default: '15',
  },
  {
    env: 'NAMNDBOT_METRICS_TOKEN',
    description: 'When set (at least 16 characters), /metrics answers only requests with the header Authorization: Bearer <token>. Unset: /metrics is open; keep it internal (docs/it/operations.md).',
    secret: true,
  },
  { env: 'NAMNDBOT_RATE_LIMIT_PER_MINUTE', description: 'Commands one person may send per minute (chat platforms; the console is not limited).', default: '30' },
  { env: 'SLACK_API_URL', description: 'Another Slack Web API base URL, e.g. https://slack-gov.com/api/ for GovSlack or a proxy. Unset: Slack\'s own.' },
  { env: 'NAMNDBOT_RATE_LIMIT_BURST', description: 'Commands one person may send at once before the per-minute rate applies.', default: '20' },
  {
    env: 'NAMNDBOT_RETENTION_DAYS',
    description:
      'Retention (gallring): days after the last day for överklagande of a meeting after which personal data that is not a public record is removed (see docs/it/operations.md). Unset: nothing is removed.',
  },
];

const positiveInt = (what: string) => z.coerce.number({ message: `skriv ${what} som ett heltal` }).int(`skriv ${what} som ett heltal`).positive(`${what} måste vara större än 0`);

const settingsSchema = z.object({
  NAMNDBOT_COMMITTEES: z.string().min(1),
  NAMNDBOT_DATA_DIR: z.string().min(1),
  // 0: any free port (tests); the port taken is logged.
  NAMNDBOT_PORT: z.coerce.number({ message: 'skriv porten som ett heltal' }).int('skriv porten som ett heltal').min(0, 'porten måste vara 0–65535').max(65535, 'porten måste vara 0–65535'),
  NAMNDBOT_MAX_BODY_KB: positiveInt('storleken'),
  NAMNDBOT_REQUEST_TIMEOUT_S: positiveInt('antalet sekunder'),
  NAMNDBOT_METRICS_TOKEN: z.string().min(16, 'välj en nyckel med minst 16 tecken (till exempel från openssl rand -hex 24)').regex(/^\S+$/, 'nyckeln får inte innehålla mellanslag').optional(),
  NAMNDBOT_RATE_LIMIT_PER_MINUTE: positiveInt('antalet'),
  NAMNDBOT_RATE_LIMIT_BURST: positiveInt('antalet'),
  NAMNDBOT_RETENTION_DAYS: z.coerce
    .number({ message: 'skriv antalet dagar som ett heltal' })
    .int('skriv antalet dagar som ett heltal')
    .min(0, 'antalet dagar kan inte vara negativt')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'välj fatal, error, warn, info, debug, trace eller silent',
  }),
});

export interface Settings {
  committeePaths: string[];
  dataDir: string;
  logLevel: string;
  port: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** Bearer token /metrics requires; undefined: /metrics is open (keep it internal). */
  metricsToken?: string;
  rateLimit: { perMinute: number; burst: number };
  /** Retention period in days after a meeting's överklagandetid; undefined: retention is off. */
  retentionDays?: number;
  /** Which settings were taken from the environment, and which are defaults. */
  sources: Record<string, 'miljövariabel' | 'standardvärde'>;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Inställningarna är inte giltiga:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const raw: Record<string, string> = {};
  const sources: Settings['sources'] = {};
  for (const s of SETTINGS) {
    const v = env[s.env];
    if (v !== undefined && v.trim() !== '') {
      raw[s.env] = v.trim();
      sources[s.env] = 'miljövariabel';
    } else if (s.default !== undefined) {
      raw[s.env] = s.default;
      sources[s.env] = 'standardvärde';
    }
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  return {
    committeePaths: parsed.data.NAMNDBOT_COMMITTEES.split(',').map((p) => p.trim()).filter(Boolean),
    dataDir: parsed.data.NAMNDBOT_DATA_DIR,
    logLevel: parsed.data.LOG_LEVEL,
    port: parsed.data.NAMNDBOT_PORT,
    maxBodyBytes: parsed.data.NAMNDBOT_MAX_BODY_KB * 1024,
    requestTimeoutMs: parsed.data.NAMNDBOT_REQUEST_TIMEOUT_S * 1000,
    ...(parsed.data.NAMNDBOT_METRICS_TOKEN !== undefined ? { metricsToken: parsed.data.NAMNDBOT_METRICS_TOKEN } : {}),
    rateLimit: { perMinute: parsed.data.NAMNDBOT_RATE_LIMIT_PER_MINUTE, burst: parsed.data.NAMNDBOT_RATE_LIMIT_BURST },
    ...(parsed.data.NAMNDBOT_RETENTION_DAYS !== undefined ? { retentionDays: parsed.data.NAMNDBOT_RETENTION_DAYS } : {}),
    sources,
  };
}

/**
 * The bot's settings, from environment variables. One table: the README's settings table and
 * `namndbot config check` are both generated from it, so a setting cannot go undocumented.
 * Platform settings (Slack, Teams, Redis) join this table as their adapters land.
 */
import { z } from 'zod';

export interface SettingSpec {
  env: string;
  /** Swedish? No: for the IT department, in English like the README. */
  description: string;
  default?: string;
  secret?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
  { env: 'NAMNDBOT_COMMITTEES', description: 'Committee files or folders of them, separated by commas.', default: 'examples/kfn.yaml' },
  { env: 'NAMNDBOT_DATA_DIR', description: 'Folder of the embedded file store (used when REDIS_URL is not set).', default: './data' },
  { env: 'LOG_LEVEL', description: 'pino log level: fatal, error, warn, info, debug, trace or silent.', default: 'info' },
];

const settingsSchema = z.object({
  NAMNDBOT_COMMITTEES: z.string().min(1),
  NAMNDBOT_DATA_DIR: z.string().min(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'välj fatal, error, warn, info, debug, trace eller silent',
  }),
});

export interface Settings {
  committeePaths: string[];
  dataDir: string;
  logLevel: string;
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
    sources,
  };
}

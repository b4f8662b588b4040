/**
 * The Slack adapter's settings, from environment variables.
 *
 * Slack is off when none of its variables is set. Once any is set, the mode's required ones must
 * be too: a half-set configuration stops the start with one message, in Swedish and English,
 * naming each missing variable. `SLACK_SETTINGS` has the same shape as `SETTINGS` in
 * src/config/settings.ts so the entry can add it to the settings table.
 */
import { z } from 'zod';
import { SettingsError, type SettingSpec } from '../../src/config/settings';

export const SLACK_SETTINGS: readonly SettingSpec[] = [
  { env: 'SLACK_BOT_TOKEN', description: 'Slack bot token (xoxb-…), from OAuth & Permissions. Setting any SLACK_ variable turns Slack on.', secret: true },
  { env: 'SLACK_SIGNING_SECRET', description: 'Slack signing secret, from Basic Information. Required in HTTP mode.', secret: true },
  { env: 'SLACK_APP_TOKEN', description: 'Slack app-level token (xapp-…) with connections:write. Required in Socket Mode.', secret: true },
  {
    env: 'SLACK_MODE',
    description: 'http (Slack calls a public request URL) or socket (Socket Mode, no inbound port). Default: socket when SLACK_APP_TOKEN is set, otherwise http.',
  },
  { env: 'SLACK_PORT', description: 'HTTP mode: the port the Slack endpoint listens on.', default: '3000' },
  { env: 'SLACK_PATH', description: 'HTTP mode: the path of the request URL for commands, interactivity and events.', default: '/slack/events' },
];

export type SlackSettings =
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; path: string }
  | { mode: 'socket'; botToken: string; appToken: string };

const KEYS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_MODE', 'SLACK_PORT', 'SLACK_PATH'] as const;
type Key = (typeof KEYS)[number];

const token = (prefix: string, sv: string, en: string) =>
  z.string().refine((s) => s.startsWith(prefix), { message: `${sv} börjar med ${prefix} / ${en} starts with ${prefix}` });

const shape = z.object({
  SLACK_BOT_TOKEN: token('xoxb-', 'bot-token', 'a bot token').optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[0-9a-f]{16,128}$/i, { message: 'ska vara hemligheten från Basic Information (hexadecimal) / must be the hex secret from Basic Information' })
    .optional(),
  SLACK_APP_TOKEN: token('xapp-', 'app-token', 'an app-level token').optional(),
  SLACK_MODE: z.enum(['http', 'socket'], { message: 'välj http eller socket / choose http or socket' }).optional(),
  SLACK_PORT: z.coerce
    .number({ message: 'ska vara ett portnummer / must be a port number' })
    .int({ message: 'ska vara ett heltal / must be an integer' })
    .min(0, { message: 'ska vara 0–65535 / must be 0–65535' })
    .max(65535, { message: 'ska vara 0–65535 / must be 0–65535' }),
  SLACK_PATH: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, { message: 'ska börja med / / must start with /' }),
});

/**
 * The Slack settings, or undefined when Slack is not configured at all.
 * Throws `SettingsError` (which the entry prints without a stack) for a half-set or invalid configuration.
 */
export function readSlackSettings(env: NodeJS.ProcessEnv): SlackSettings | undefined {
  const given: Partial<Record<Key, string>> = {};
  for (const key of KEYS) {
    const v = env[key]?.trim();
    if (v) given[key] = v;
  }
  // Port and path alone (or a mode alone) do not turn Slack on: they have harmless defaults in
  // deployment templates. A token or secret does.
  if (!given.SLACK_BOT_TOKEN && !given.SLACK_SIGNING_SECRET && !given.SLACK_APP_TOKEN) return undefined;

  const parsed = shape.safeParse({ SLACK_PORT: '3000', SLACK_PATH: '/slack/events', ...given });
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  const s = parsed.data;
  const mode = s.SLACK_MODE ?? (s.SLACK_APP_TOKEN ? 'socket' : 'http');
  const needed: Key[] = mode === 'http' ? ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] : ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'];
  const missing = needed.filter((k) => !s[k]);
  if (missing.length > 0) {
    const modeSv = mode === 'http' ? 'HTTP-läge' : 'Socket Mode';
    const modeEn = mode === 'http' ? 'HTTP mode' : 'Socket Mode';
    throw new SettingsError([
      `Slack är bara delvis inställt: ${missing.join(' och ')} saknas (behövs i ${modeSv}). ` +
        `Slack is only partly configured: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing (needed in ${modeEn}). ` +
        'Se/see adapters/slack/README.md.',
    ]);
  }
  if (mode === 'http') {
    return { mode, botToken: s.SLACK_BOT_TOKEN!, signingSecret: s.SLACK_SIGNING_SECRET!, port: s.SLACK_PORT, path: s.SLACK_PATH };
  }
  return { mode, botToken: s.SLACK_BOT_TOKEN!, appToken: s.SLACK_APP_TOKEN! };
}

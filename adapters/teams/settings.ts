/**
 * The Teams adapter's settings, from environment variables.
 *
 * The variable names are the Bot Framework's own (MicrosoftAppId, MicrosoftAppPassword …), so
 * the values from the Azure Bot resource can be pasted as they are. `TEAMS_SETTINGS` has the
 * same shape as `SETTINGS` in src/config/settings.ts, so the entry can add it to the settings
 * table (README, `namndbot config check`).
 *
 * Authentication is never off by accident: with no MicrosoftAppId the adapter refuses to start
 * unless TEAMS_DEV_NO_AUTH=true is set, and that flag is refused next to an app id or unless
 * NODE_ENV is unset, development or test (any case); in that mode servers bind 127.0.0.1.
 */
import { z } from 'zod';
import { SettingsError, type SettingSpec } from '../../src/config/settings';

export const TEAMS_SETTINGS: readonly SettingSpec[] = [
  {
    env: 'MicrosoftAppId',
    description: 'Teams: the application (client) id of the Azure Bot registration. Setting it turns the Teams adapter on.',
  },
  {
    env: 'MicrosoftAppPassword',
    description: 'Teams: a client secret of that app registration. Not used with a certificate or a managed identity.',
    secret: true,
  },
  {
    env: 'MicrosoftAppTenantId',
    description: 'Teams: the Microsoft Entra tenant (directory) id of the app registration. Required for SingleTenant and UserAssignedMSI.',
  },
  {
    env: 'MicrosoftAppType',
    description: 'Teams: SingleTenant, MultiTenant or UserAssignedMSI, as chosen on the Azure Bot resource.',
    default: 'SingleTenant',
  },
  {
    env: 'CertificateThumbprint',
    description: 'Teams: thumbprint of a certificate credential, instead of MicrosoftAppPassword (with CertificatePrivateKey).',
  },
  {
    env: 'CertificatePrivateKey',
    description: 'Teams: the PEM private key of that certificate.',
    secret: true,
  },
  {
    env: 'TEAMS_PORT',
    description: 'Teams: the HTTP port the bot listens on; the messaging endpoint is https://<host>/api/messages behind your proxy.',
    default: '3978',
  },
  {
    env: 'TEAMS_DEV_NO_AUTH',
    description: 'Teams: true runs WITHOUT verifying that requests come from Microsoft, for local development only. Refused with an app id, or unless NODE_ENV is unset, development or test; the server then listens on 127.0.0.1 only.',
    default: 'false',
  },
];

export const APP_TYPES = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const;
export type AppType = (typeof APP_TYPES)[number];

export type TeamsAuth =
  | { mode: 'none' }
  | {
      mode: 'entra';
      appId: string;
      appType: AppType;
      tenantId?: string;
      password?: string;
      certificate?: { thumbprint: string; privateKey: string };
    };

export interface TeamsSettings {
  auth: TeamsAuth;
  port: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const raw = z.object({
  MicrosoftAppId: z.string().regex(GUID, 'ska vara ett GUID, till exempel 0b7e1c2a-…, från Azure-botens konfiguration').optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().regex(GUID, 'ska vara ett GUID (katalog-id i Microsoft Entra)').optional(),
  MicrosoftAppType: z.enum(APP_TYPES, { message: `välj ${APP_TYPES.join(', ')}` }).default('SingleTenant'),
  CertificateThumbprint: z.string().optional(),
  CertificatePrivateKey: z.string().optional(),
  TEAMS_PORT: z.coerce.number({ message: 'ska vara ett portnummer' }).int('ska vara ett heltal').min(1, 'ska vara 1–65535').max(65535, 'ska vara 1–65535').default(3978),
  TEAMS_DEV_NO_AUTH: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['true', 'false'], { message: 'skriv true eller false' })).default('false'),
});

/**
 * NODE_ENV values under which the development flag is allowed: none, or one that names
 * development or tests, in any case. Anything else (production, Production, prod, staging, …)
 * may be a server others reach, so the flag is refused there rather than guessed at.
 */
export function developmentEnv(nodeEnv: string | undefined): boolean {
  const v = (nodeEnv ?? '').trim().toLowerCase();
  return v === '' || ['development', 'dev', 'test', 'local'].includes(v);
}

/** Where a server runs in development mode without authentication: this machine only. */
export const DEV_NO_AUTH_HOST = '127.0.0.1';

/** The variables that name Teams; any one of them set means the operator wants Teams. */
const TEAMS_VARIABLES = TEAMS_SETTINGS.map((s) => s.env);

function present(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of TEAMS_VARIABLES) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') out[name] = v.trim();
  }
  return out;
}

/** True when any Teams variable is set: the entry should then start Teams (or fail loudly). */
export function teamsRequested(env: NodeJS.ProcessEnv): boolean {
  const set = present(env);
  // TEAMS_DEV_NO_AUTH=false alone is not a request for Teams.
  return Object.keys(set).some((k) => !(k === 'TEAMS_DEV_NO_AUTH' && set[k] === 'false'));
}

/**
 * Reads and checks the Teams settings. Throws `SettingsError` (Swedish, for the person who
 * configures) when they are incomplete or contradictory, including when no app id is set and
 * the development flag is not.
 */
export function readTeamsSettings(env: NodeJS.ProcessEnv): TeamsSettings {
  const parsed = raw.safeParse(present(env));
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  const s = parsed.data;
  const problems: string[] = [];
  const devNoAuth = s.TEAMS_DEV_NO_AUTH === 'true';
  const certificate =
    s.CertificateThumbprint || s.CertificatePrivateKey
      ? { thumbprint: s.CertificateThumbprint ?? '', privateKey: s.CertificatePrivateKey ?? '' }
      : undefined;

  if (devNoAuth) {
    if (s.MicrosoftAppId) problems.push('TEAMS_DEV_NO_AUTH: är true fast MicrosoftAppId är satt. Ta bort TEAMS_DEV_NO_AUTH i drift; den stänger av kontrollen av att anropen kommer från Microsoft.');
    if (!developmentEnv(env.NODE_ENV)) {
      problems.push(`TEAMS_DEV_NO_AUTH: får bara vara true när NODE_ENV saknas eller är development eller test (nu NODE_ENV=${env.NODE_ENV}).`);
    }
    if (problems.length) throw new SettingsError(problems);
    return { auth: { mode: 'none' }, port: s.TEAMS_PORT };
  }

  if (!s.MicrosoftAppId) {
    throw new SettingsError([
      'MicrosoftAppId: saknas. Teams-adaptern kräver Azure-botens app-id (och MicrosoftAppPassword och MicrosoftAppTenantId). För lokal utveckling utan inloggning: sätt TEAMS_DEV_NO_AUTH=true.',
    ]);
  }
  if (certificate && (!certificate.thumbprint || !certificate.privateKey)) {
    problems.push('CertificateThumbprint, CertificatePrivateKey: ange båda, eller ingen av dem.');
  }
  if (certificate && s.MicrosoftAppPassword) problems.push('MicrosoftAppPassword: ange antingen en hemlighet eller ett certifikat, inte båda.');
  switch (s.MicrosoftAppType) {
    case 'SingleTenant':
      if (!s.MicrosoftAppTenantId) problems.push('MicrosoftAppTenantId: saknas; SingleTenant kräver katalog-id:t (tenant id).');
      if (!s.MicrosoftAppPassword && !certificate) problems.push('MicrosoftAppPassword: saknas; ange appregistreringens hemlighet (eller CertificateThumbprint och CertificatePrivateKey).');
      break;
    case 'MultiTenant':
      if (!s.MicrosoftAppPassword && !certificate) problems.push('MicrosoftAppPassword: saknas; ange appregistreringens hemlighet (eller CertificateThumbprint och CertificatePrivateKey).');
      break;
    case 'UserAssignedMSI':
      if (!s.MicrosoftAppTenantId) problems.push('MicrosoftAppTenantId: saknas; UserAssignedMSI kräver katalog-id:t (tenant id).');
      if (s.MicrosoftAppPassword || certificate) problems.push('MicrosoftAppPassword: ska inte anges med UserAssignedMSI; den hanterade identiteten loggar in.');
      break;
  }
  if (problems.length) throw new SettingsError(problems);
  return {
    auth: {
      mode: 'entra',
      appId: s.MicrosoftAppId,
      appType: s.MicrosoftAppType,
      ...(s.MicrosoftAppTenantId ? { tenantId: s.MicrosoftAppTenantId } : {}),
      ...(s.MicrosoftAppPassword ? { password: s.MicrosoftAppPassword } : {}),
      ...(certificate ? { certificate } : {}),
    },
    port: s.TEAMS_PORT,
  };
}

/** The app id used for proactive calls; empty without authentication (dev mode). */
export function appIdOf(settings: TeamsSettings): string {
  return settings.auth.mode === 'entra' ? settings.auth.appId : '';
}

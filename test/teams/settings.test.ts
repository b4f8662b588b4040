import { openTeamsEnv } from './env';
import { SETTINGS, SettingsError } from '../../src/config/settings';
import { readTeamsSettings, TEAMS_SETTINGS, teamsRequested } from '../../adapters/teams/settings';

const APP = '0b7e1c2a-1111-4222-8333-444455556666';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('TEAMS_SETTINGS', () => {
  test('has the shape of the settings table, with unique names not clashing with the core settings', () => {
    const names = TEAMS_SETTINGS.map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    for (const s of TEAMS_SETTINGS) {
      expect(s.description.length).toBeGreaterThan(10);
      expect(SETTINGS.map((c) => c.env)).not.toContain(s.env);
    }
    expect(TEAMS_SETTINGS.filter((s) => s.secret).map((s) => s.env).sort()).toEqual(['CertificatePrivateKey', 'MicrosoftAppPassword']);
  });
});

describe('teamsRequested', () => {
  test.each([
    [{}, false],
    [{ TEAMS_DEV_NO_AUTH: 'false' }, false],
    [{ TEAMS_DEV_NO_AUTH: 'true' }, true],
    [{ MicrosoftAppId: APP }, true],
    [{ MicrosoftAppPassword: 'x' }, true],
    [{ TEAMS_PORT: '4000' }, true],
    [{ MicrosoftAppId: '  ' }, false],
  ])('%j → %s', (env, expected) => {
    expect(teamsRequested(env)).toBe(expected);
  });
});

describe('readTeamsSettings', () => {
  const ok: [string, NodeJS.ProcessEnv, unknown][] = [
    ['dev mode, explicit flag', { TEAMS_DEV_NO_AUTH: 'true' }, { auth: { mode: 'none' }, port: 3978 }],
    ['dev mode on another port', { TEAMS_DEV_NO_AUTH: 'true', TEAMS_PORT: '4000' }, { auth: { mode: 'none' }, port: 4000 }],
    ['dev mode written TRUE, NODE_ENV=Development', { TEAMS_DEV_NO_AUTH: 'TRUE', NODE_ENV: 'Development' }, { auth: { mode: 'none' }, port: 3978 }],
    ['dev mode in tests', { TEAMS_DEV_NO_AUTH: 'true', NODE_ENV: 'test' }, { auth: { mode: 'none' }, port: 3978 }],
    [
      'SingleTenant with a secret (the default type)',
      { MicrosoftAppId: APP, MicrosoftAppPassword: 's3cret', MicrosoftAppTenantId: TENANT },
      { auth: { mode: 'entra', appId: APP, appType: 'SingleTenant', tenantId: TENANT, password: 's3cret' }, port: 3978 },
    ],
    [
      'SingleTenant with a certificate',
      { MicrosoftAppId: APP, MicrosoftAppTenantId: TENANT, CertificateThumbprint: 'AB12', CertificatePrivateKey: '-----BEGIN PRIVATE KEY-----' },
      { auth: { mode: 'entra', appId: APP, appType: 'SingleTenant', tenantId: TENANT, certificate: { thumbprint: 'AB12', privateKey: '-----BEGIN PRIVATE KEY-----' } }, port: 3978 },
    ],
    ['MultiTenant without a tenant', { MicrosoftAppId: APP, MicrosoftAppPassword: 's', MicrosoftAppType: 'MultiTenant' }, { auth: { mode: 'entra', appType: 'MultiTenant' } }],
    ['UserAssignedMSI', { MicrosoftAppId: APP, MicrosoftAppTenantId: TENANT, MicrosoftAppType: 'UserAssignedMSI' }, { auth: { mode: 'entra', appType: 'UserAssignedMSI' } }],
  ];
  test.each(ok)('%s', (_name, env, expected) => {
    expect(readTeamsSettings(env)).toMatchObject(expected as object);
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['no app id and no dev flag: never unauthenticated by accident', { MicrosoftAppPassword: 's', MicrosoftAppTenantId: TENANT }, /MicrosoftAppId: saknas.*TEAMS_DEV_NO_AUTH=true/],
    ['only a port', { TEAMS_PORT: '3978' }, /MicrosoftAppId: saknas/],
    ['dev flag next to an app id', { TEAMS_DEV_NO_AUTH: 'true', MicrosoftAppId: APP }, /TEAMS_DEV_NO_AUTH: är true fast MicrosoftAppId/],
    ['dev flag in production', { TEAMS_DEV_NO_AUTH: 'true', NODE_ENV: 'production' }, /NODE_ENV=production/],
    ['dev flag with NODE_ENV=Production', { TEAMS_DEV_NO_AUTH: 'true', NODE_ENV: 'Production' }, /TEAMS_DEV_NO_AUTH: får bara vara true när NODE_ENV saknas eller är development eller test \(nu NODE_ENV=Production\)/],
    ['dev flag with NODE_ENV=prod', { TEAMS_DEV_NO_AUTH: 'true', NODE_ENV: 'prod' }, /nu NODE_ENV=prod\)/],
    ['dev flag with NODE_ENV= PRODUCTION ', { TEAMS_DEV_NO_AUTH: 'true', NODE_ENV: ' PRODUCTION ' }, /får bara vara true/],
    ['dev flag with NODE_ENV=staging', { TEAMS_DEV_NO_AUTH: 'true', NODE_ENV: 'staging' }, /får bara vara true/],
    ['dev flag written True, in production', { TEAMS_DEV_NO_AUTH: 'True', NODE_ENV: 'production' }, /får bara vara true/],
    ['dev flag not a boolean', { TEAMS_DEV_NO_AUTH: 'yes' }, /TEAMS_DEV_NO_AUTH: skriv true eller false/],
    ['SingleTenant without a tenant', { MicrosoftAppId: APP, MicrosoftAppPassword: 's' }, /MicrosoftAppTenantId: saknas/],
    ['SingleTenant without a secret', { MicrosoftAppId: APP, MicrosoftAppTenantId: TENANT }, /MicrosoftAppPassword: saknas/],
    ['app id not a GUID', { MicrosoftAppId: 'namndbot', MicrosoftAppPassword: 's', MicrosoftAppTenantId: TENANT }, /MicrosoftAppId: ska vara ett GUID/],
    ['unknown app type', { MicrosoftAppId: APP, MicrosoftAppPassword: 's', MicrosoftAppType: 'Single' }, /MicrosoftAppType: välj SingleTenant, MultiTenant, UserAssignedMSI/],
    ['half a certificate', { MicrosoftAppId: APP, MicrosoftAppTenantId: TENANT, CertificateThumbprint: 'AB12' }, /ange båda/],
    ['secret and certificate', { MicrosoftAppId: APP, MicrosoftAppTenantId: TENANT, MicrosoftAppPassword: 's', CertificateThumbprint: 'A', CertificatePrivateKey: 'K' }, /antingen en hemlighet eller ett certifikat/],
    ['MSI with a secret', { MicrosoftAppId: APP, MicrosoftAppTenantId: TENANT, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: 's' }, /ska inte anges med UserAssignedMSI/],
    ['port out of range', { TEAMS_DEV_NO_AUTH: 'true', TEAMS_PORT: '70000' }, /TEAMS_PORT: ska vara 1–65535/],
    ['port not a number', { TEAMS_DEV_NO_AUTH: 'true', TEAMS_PORT: 'http' }, /TEAMS_PORT: ska vara ett portnummer/],
  ];
  test.each(bad)('%s', (_name, env, message) => {
    let caught: unknown;
    try {
      readTeamsSettings(env);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    expect((caught as SettingsError).message).toMatch(message);
  });
});

test('without authentication the adapter listens on 127.0.0.1 only', async () => {
  const env = await openTeamsEnv();
  try {
    expect(env.adapter.host).toBe('127.0.0.1');
  } finally {
    await env.close();
  }
});

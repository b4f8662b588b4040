/**
 * `namndbot config check`, and the README's settings table against the one merged table.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_SETTINGS, checkConfiguration, maskSecret, settingRows } from '../../bin/cli/config-check';
import { runCli } from '../support/cli';
import { cleanEnv, ROOT } from './support';

const TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const SIGNING = '8f742231b10e8888abcd99aaaaaa85a5';
const APP_PASSWORD = 'Q~s3cr3t.value_FROM-azure';
const REDIS_PASSWORD = 'r3d1s-p4ss';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-config-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const good = () => ({
  NAMNDBOT_DATA_DIR: path.join(dir, 'data'),
  NAMNDBOT_COMMITTEES: path.join(ROOT, 'examples/kfn.yaml'),
  NAMNDBOT_RETENTION_DAYS: '90',
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_SIGNING_SECRET: SIGNING,
  MicrosoftAppId: '0b7e1c2a-1111-4222-8333-444455556666',
  MicrosoftAppPassword: APP_PASSWORD,
  MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  REDIS_URL: `redis://app:${REDIS_PASSWORD}@redis.example.internal:6380/2`,
});

test('secrets are shown by kind only', () => {
  expect(maskSecret(TOKEN)).toBe('xoxb-****');
  expect(maskSecret('xapp-1-A0-123-abc')).toBe('xapp-****');
  expect(maskSecret(SIGNING)).toBe('****');
  // An Azure secret that happens to look like a prefix shows nothing of itself.
  expect(maskSecret('abcd-efgh-secret')).toBe('****');
  expect(maskSecret(`redis://app:${REDIS_PASSWORD}@redis.example.internal:6380/2`)).toBe('redis://app:****@redis.example.internal:6380/2');
  expect(maskSecret(`rediss-sentinel://:${REDIS_PASSWORD}@s1:26379,s2:26379/mymaster`)).toBe('rediss-sentinel://:****@s1:26379,s2:26379/mymaster');
  expect(maskSecret('redis://redis.example.internal:6379')).toBe('redis://redis.example.internal:6379');
});

test('every setting is listed with its value and source', () => {
  const rows = settingRows(cleanEnv({ NAMNDBOT_PORT: '8080', SLACK_BOT_TOKEN: TOKEN }));
  expect(rows.map((r) => r.env)).toEqual(ALL_SETTINGS.map((s) => s.env));
  const row = (env: string) => rows.find((r) => r.env === env);
  expect(row('NAMNDBOT_PORT')).toEqual({ env: 'NAMNDBOT_PORT', shown: '8080', source: 'miljövariabel' });
  expect(row('NAMNDBOT_DATA_DIR')).toEqual({ env: 'NAMNDBOT_DATA_DIR', shown: './data', source: 'standardvärde' });
  expect(row('NAMNDBOT_RETENTION_DAYS')).toEqual({ env: 'NAMNDBOT_RETENTION_DAYS', shown: undefined, source: 'inte satt' });
  expect(row('SLACK_BOT_TOKEN')).toEqual({ env: 'SLACK_BOT_TOKEN', shown: 'xoxb-****', source: 'miljövariabel' });
  // Names are unique across the merged table.
  expect(new Set(ALL_SETTINGS.map((s) => s.env)).size).toBe(ALL_SETTINGS.length);
});

test('a valid configuration: exit 0, every setting listed, no secret printed', async () => {
  const r = await runCli(['config', 'check'], '', cleanEnv(good()) as Record<string, string>);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  for (const s of ALL_SETTINGS) expect(r.stdout).toMatch(new RegExp(`^  ${s.env} +.* (miljövariabel|standardvärde|inte satt)$`, 'm'));
  expect(r.stdout).toMatch(/^ {2}SLACK_BOT_TOKEN +xoxb-\*{4} +miljövariabel$/m);
  expect(r.stdout).toMatch(/^ {2}MicrosoftAppPassword +\*{4} +miljövariabel$/m);
  expect(r.stdout).toMatch(/^ {2}NAMNDBOT_PORT +3000 +standardvärde$/m);
  expect(r.stdout).toMatch(/^ {2}CertificatePrivateKey +— +inte satt$/m);
  for (const secret of [TOKEN, SIGNING, APP_PASSWORD, REDIS_PASSWORD, TOKEN.slice(5, 15)]) expect(r.stdout).not.toContain(secret);
  expect(r.stdout).toContain('Nämnd: Kultur- och fritidsnämnden (kfn)');
  expect(r.stdout).toContain('Slack: på, HTTP-läge');
  expect(r.stdout).toContain('Teams: på, med inloggning (SingleTenant)');
  expect(r.stdout).toContain('Lagring: Redis på redis://app@redis.example.internal:6380/2');
  expect(r.stdout).toContain('Gallring: personuppgifter som inte är allmänna handlingar tas bort 90 dagar efter överklagandetiden');
  expect(r.stdout).toContain('Konfigurationen är giltig.');
}, 30_000);

test('problems anywhere: exit 1 and every one of them in Swedish', async () => {
  const broken = path.join(dir, 'trasig.yaml');
  await writeFile(broken, 'id: trasig\nname: Trasiga nämnden\nshortName: TN\nmembers:\n  - id: Å\n    name: X\n    role: kung\nmeetings: []\n');
  const env = cleanEnv({
    ...good(),
    NAMNDBOT_COMMITTEES: broken,
    NAMNDBOT_PORT: 'tre',
    NAMNDBOT_RETENTION_DAYS: '-5',
    REDIS_URL: 'http://redis.example.internal',
    SLACK_BOT_TOKEN: 'xoxp-user-token-by-mistake',
    MicrosoftAppId: 'inte-ett-guid',
  }) as Record<string, string>;
  const result = await checkConfiguration(env);
  const all = result.problems.join('\n');
  expect(all).toContain('NAMNDBOT_PORT: skriv porten som ett heltal');
  expect(all).toContain('NAMNDBOT_RETENTION_DAYS: antalet dagar kan inte vara negativt');
  expect(all).toMatch(/REDIS_URL: /);
  expect(all).toContain('SLACK_BOT_TOKEN: bot-token börjar med xoxb-');
  expect(all).toContain('MicrosoftAppId: ska vara ett GUID');
  expect(all).toMatch(/trasig\.yaml.*members/);
  expect(all).toContain('välj en av: ordförande');

  const r = await runCli(['config', 'check'], '', env);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/Konfigurationen har \d+ problem; Nämndbot startar inte förrän de är rättade:/);
  for (const p of result.problems) expect(r.stdout).toContain(p);
  // The listing is there too, and still masks.
  expect(r.stdout).toMatch(/^ {2}SLACK_BOT_TOKEN +xoxp-\*{4} +miljövariabel$/m);
  expect(r.stdout).not.toContain(APP_PASSWORD);
}, 30_000);

test('notes: ports the one server does not use, and the example committee in use', async () => {
  const result = await checkConfiguration(cleanEnv({ NAMNDBOT_DATA_DIR: path.join(dir, 'data'), SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING, SLACK_PORT: '3001', TEAMS_DEV_NO_AUTH: 'true', TEAMS_PORT: '3978' }));
  expect(result.problems).toEqual([]);
  expect(result.notes.join('\n')).toContain('SLACK_PORT används inte av namndbot start');
  expect(result.notes.join('\n')).toContain('TEAMS_PORT används inte av namndbot start');
  expect(result.notes.join('\n')).toContain('exempelnämnden');
  expect(result.summary.join('\n')).toContain('Teams: på, UTAN inloggning');
});

test("the README's settings table names every setting, and nothing else", async () => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Settings'), readme.indexOf('\n## ', readme.indexOf('\n## Settings') + 5));
  const documented = [...section.matchAll(/^\| `([A-Za-z_]+)` \|/gm)].map((m) => m[1]);
  expect([...documented].sort()).toEqual(ALL_SETTINGS.map((s) => s.env).sort());
});

/**
 * Forged Bot Connector tokens get 401, with nothing of the token or the reason in the answer.
 * The real CloudAdapter's authentication reads its signing keys from a local OpenID server of
 * the test's own (as it would read Microsoft's), whose key id the forgeries name: a token signed
 * with another key, one with `alg: none`, one signed HS256 with the public key as the secret.
 * A token signed with the published key is let through, so the check is the real one.
 */
import { createHmac, generateKeyPairSync, sign as rsaSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import pino from 'pino';
import { closeClientSockets, postActivity, textActivity } from './fake-connector';
import { openTeamsEnv, PEOPLE, type TeamsEnv } from './env';

const APP_ID = '0b7e1c2a-1111-4222-8333-444455556666';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const KID = 'namndbot-test-key';
const CONNECTOR_ISSUER = 'https://api.botframework.com';

const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

let keys: Server;
let keysUrl: string;
let keyFetches = 0;
let env: TeamsEnv;
const logs: string[] = [];
const consoleErrors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

beforeAll(async () => {
  keys = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith('/down/')) return res.writeHead(500).end();
    if (req.url === '/openidconfiguration') return res.end(JSON.stringify({ issuer: CONNECTOR_ISSUER, jwks_uri: `${keysUrl}/keys` }));
    keyFetches++;
    const jwk = published.publicKey.export({ format: 'jwk' });
    res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e }] }));
  });
  await new Promise<void>((r) => keys.listen(0, '127.0.0.1', r));
  keysUrl = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
  env = await openTeamsEnv({
    settings: { auth: { mode: 'entra', appId: APP_ID, appType: 'SingleTenant', tenantId: TENANT, password: 'not-used' } },
    adapter: { authentication: authenticationWithKeysAt(`${keysUrl}/openidconfiguration`) },
    logger: pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString('utf8')), done()) })),
  });
});

/** Microsoft's public-cloud settings, except where the channel's signing keys are read. */
function authenticationWithKeysAt(openIdUrl: string) {
  return new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-used',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TENANT,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: `https://login.microsoftonline.com/${TENANT}`,
    ToChannelFromBotOAuthScope: CONNECTOR_ISSUER,
    ToBotFromChannelTokenIssuer: CONNECTOR_ISSUER,
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: openIdUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdUrl,
    CallerId: 'urn:botframework:azure',
  });
}

afterAll(async () => {
  await env.close();
  closeClientSockets();
  await new Promise((r) => keys.close(r));
  consoleErrors.mockRestore();
});

const b64url = (x: object | Buffer) => (Buffer.isBuffer(x) ? x : Buffer.from(JSON.stringify(x))).toString('base64url');

function claims(serviceUrl: string) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: CONNECTOR_ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600 };
}

function rs256(key: KeyObject, payload: object): string {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64url(payload)}`;
  return `${input}.${b64url(rsaSign('sha256', Buffer.from(input), key))}`;
}

function none(payload: object): string {
  return `${b64url({ alg: 'none', typ: 'JWT', kid: KID })}.${b64url(payload)}.`;
}

/** The alg confusion: HMAC with the published public key (PEM) as the shared secret. */
function hs256WithPublicKey(payload: object): string {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: KID })}.${b64url(payload)}`;
  const secret = published.publicKey.export({ type: 'spki', format: 'pem' });
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

test.each([
  ['signed with another key, naming the real key id', () => rs256(attacker.privateKey, claims(env.serviceUrl))],
  ['alg none', () => none(claims(env.serviceUrl))],
  ['HS256 with the public key as the secret', () => hs256WithPublicKey(claims(env.serviceUrl))],
  ['signed with the real key for another bot', () => rs256(published.privateKey, { ...claims(env.serviceUrl), aud: 'another-app' })],
])('%s → 401 with an empty body; the core never sees the activity', async (_name, token) => {
  const before = (await env.core.log.state('kfn')).version;
  const forged = token();
  const activity = textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.tomas, where: 'personal', text: 'övrig fråga Ska inte sparas' });
  const r = await postActivity(env.botUrl, activity, { Authorization: `Bearer ${forged}` });
  expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: '' });
  expect(env.fake.requests).toHaveLength(0);
  expect((await env.core.log.state('kfn')).version).toBe(before);
  const log = logs.join('');
  expect(log).toContain('teams request refused: token not valid');
  expect(log).not.toContain(forged.split('.')[1]);
  expect(log).not.toContain('Ska inte sparas');
});

test('a token signed with the published key is let through (the keys were read from the local server)', async () => {
  const activity = { ...textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.tomas, where: 'personal', text: '' }), type: 'typing' };
  delete (activity as { text?: string }).text;
  const r = await postActivity(env.botUrl, activity, { Authorization: `Bearer ${rs256(published.privateKey, claims(env.serviceUrl))}` });
  expect(r.status).toBe(200);
  expect(keyFetches).toBeGreaterThan(0);
});

test('when the signing keys cannot be fetched the request gets 503 (the Bot Connector tries again), not 401', async () => {
  const down = await openTeamsEnv({
    settings: { auth: { mode: 'entra', appId: APP_ID, appType: 'SingleTenant', tenantId: TENANT, password: 'not-used' } },
    adapter: { authentication: authenticationWithKeysAt(`${keysUrl}/down/openidconfiguration`) },
  });
  try {
    const activity = textActivity({ serviceUrl: down.serviceUrl, from: PEOPLE.tomas, where: 'personal', text: 'möten' });
    const r = await postActivity(down.botUrl, activity, { Authorization: `Bearer ${rs256(published.privateKey, claims(down.serviceUrl))}` });
    expect({ status: r.status, body: r.body }).toEqual({ status: 503, body: '' });
  } finally {
    await down.close();
  }
});

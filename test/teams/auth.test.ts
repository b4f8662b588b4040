/**
 * With authentication on (an app id, as in production), the real CloudAdapter refuses an
 * activity that carries no valid Bot Connector token, before the core sees it. Nothing here
 * reaches Microsoft: a missing or undecodable token is refused locally.
 */
import { closeClientSockets, postActivity, textActivity } from './fake-connector';
import { openTeamsEnv, PEOPLE, type TeamsEnv } from './env';

let env: TeamsEnv;
const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

beforeAll(async () => {
  env = await openTeamsEnv({
    settings: {
      auth: { mode: 'entra', appId: '0b7e1c2a-1111-4222-8333-444455556666', appType: 'SingleTenant', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', password: 'not-used' },
    },
  });
});

afterAll(async () => {
  await env.close();
  closeClientSockets();
  errors.mockRestore();
});

test.each([
  ['no Authorization header', {}],
  ['a token that is not a JWT', { Authorization: 'Bearer not-a-token' }],
  ['a token in the wrong scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
])('%s → 401, and the core never sees the activity', async (_name, headers) => {
  const before = (await env.core.log.state('kfn')).version;
  const activity = textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.tomas, where: 'personal', text: 'övrig fråga Ska inte sparas' });
  const r = await postActivity(env.botUrl, activity, headers);
  expect(r.status).toBe(401);
  expect(env.fake.requests).toHaveLength(0);
  expect((await env.core.log.state('kfn')).version).toBe(before);
});

test('anything but POST /api/messages is not served', async () => {
  const other = await fetch(`${env.botUrl}/api/other`, { method: 'POST', body: '{}' });
  expect(other.status).toBe(404);
  const get = await fetch(`${env.botUrl}/api/messages`);
  expect(get.status).toBe(405);
  const notJson = await fetch(`${env.botUrl}/api/messages`, { method: 'POST', body: 'hej' });
  expect(notJson.status).toBe(400);
});

/**
 * Members found by e-mail in Teams, through the real CloudAdapter and the conversation roster on
 * the fake Bot Connector: a member with only `email` in the committee file writes `jäv`, is
 * linked by the roster's address (or user principal name) and the declaration is stored; two
 * roster accounts with the address mean no link and a note to the secretary.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeClientSockets, postActivity, textActivity, type Person } from './fake-connector';
import { openTeamsEnv, PEOPLE, visibleText, type TeamsEnv } from './env';

const EMAIL = 'johan.sjoberg@norrvik.se';
const JOHAN: Person = { aadObjectId: 'a1a1a1a1-2222-4333-8444-555566667777', id: '29:johan', name: 'Johan Sjöberg' };
const TWIN: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555566667777', id: '29:johan-2', name: 'Johan Sjöberg (2)' };

let dir: string;
let file: string;
let env: TeamsEnv;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-teams-email-'));
  file = path.join(dir, 'kfn.yaml');
  // Johan Sjöberg has a Slack id and an e-mail address, no Teams id.
  const text = (await readFile(path.join(__dirname, '../../examples/kfn.yaml'), 'utf8')).replace(
    '      console: johan.sjoberg\n      slack: [U0QGBB1AYWY]\n',
    `      console: johan.sjoberg\n      slack: [U0QGBB1AYWY]\n    email: ${EMAIL}\n`,
  );
  expect(text).toContain(EMAIL);
  await writeFile(file, text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  closeClientSockets();
});
beforeEach(async () => {
  env = await openTeamsEnv({ committeeFile: file });
  // The secretary has written before, so she can be reached privately.
  await say(PEOPLE.maria, 'vem är jag');
  env.fake.reset();
});
afterEach(async () => env.close());

async function say(person: Person, text: string) {
  const r = await postActivity(env.botUrl, textActivity({ serviceUrl: env.serviceUrl, from: person, where: 'personal', text }));
  expect(r.status).toBe(200);
}
const toSecretary = () => env.fake.sent().filter((r) => r.conversationId === `a:personal-${PEOPLE.maria.aadObjectId}`).map((r) => visibleText(r.body));
const toPerson = (p: Person) => env.fake.sent().filter((r) => r.conversationId === `a:personal-${p.aadObjectId}`).map((r) => visibleText(r.body));

test('a member with only email writes jäv: linked through the roster, the declaration stored, the secretary told', async () => {
  env.fake.members = [{ ...JOHAN, userPrincipalName: 'Johan.Sjoberg@norrvik.se' }, { ...PEOPLE.tomas, email: 'tomas@norrvik.se' }];
  await say(JOHAN, 'jäv 4/27 part');
  expect(toPerson(JOHAN).join('\n')).toMatch(/Jäv anmält i ärende 4\/27/);
  const state = await env.core.log.state('kfn');
  expect([...state.declarations.values()].map((d) => [d.memberId, d.lopnummer])).toEqual([['johan.sjoberg', '4/27']]);
  expect(state.linkedIdentities.get(`teams:${JOHAN.aadObjectId}`)).toBe('johan.sjoberg');
  const events = await env.store.readEvents('kfn', 0);
  expect(events.filter((e) => e.type === 'identity.linked')).toMatchObject([{ memberId: 'johan.sjoberg', platform: 'teams', platformUserId: JOHAN.aadObjectId, foundBy: 'email' }]);
  expect(toSecretary().join('\n')).toContain(`Johan Sjöberg (SD) är nu kopplad till sitt Teams-konto (${JOHAN.aadObjectId})`);
  expect(env.fake.requests.some((r) => r.method === 'GET' && r.path.endsWith('/pagedmembers'))).toBe(true);
});

test('two roster accounts with the same e-mail: not linked, nothing recorded, the secretary told', async () => {
  env.fake.members = [
    { ...JOHAN, email: EMAIL },
    { ...TWIN, email: 'JOHAN.SJOBERG@norrvik.se' },
  ];
  await say(JOHAN, 'jäv 4/27 part');
  expect(toPerson(JOHAN).join('\n')).toContain('Jag känner inte igen dig');
  expect((await env.store.readEvents('kfn', 0)).filter((e) => e.type !== 'reminder.sent')).toEqual([]);
  expect(toSecretary().join('\n')).toContain(`Jag kopplade inte kontot ${JOHAN.aadObjectId} på Teams till Johan Sjöberg (SD)`);
});

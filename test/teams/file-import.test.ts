/**
 * Import through Teams: the secretary attaches the ärendelista in her personal chat with the
 * bot; the real CloudAdapter fetches it from the attachment's download URL (served by the fake
 * connector) and feeds the same preview as `namndbot import`; "import spara" records it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileMessageActivity, postActivity, textActivity, type Person } from './fake-connector';
import { PEOPLE, sharedTeamsEnv, visibleText, type TeamsEnv } from './env';

const LIST = path.join(__dirname, '../../examples/kfn-arendelista.csv');
const current = sharedTeamsEnv();
let env: TeamsEnv;
beforeEach(() => {
  env = current();
});

async function attach(person: Person, attachments: Record<string, unknown>[], text?: string) {
  const r = await postActivity(env.botUrl, fileMessageActivity({ serviceUrl: env.serviceUrl, from: person, where: 'personal', attachments, ...(text ? { text } : {}) }));
  expect(r.status).toBe(200);
}
const said = (p: Person) => env.fake.sent().filter((r) => r.conversationId === `a:personal-${p.aadObjectId}`).map((r) => visibleText(r.body)).join('\n');

test('the secretary attaches the ärendelista: fetched, previewed, saved with "import spara"', async () => {
  await attach(PEOPLE.maria, [env.fake.attachFile('kfn-arendelista.csv', new Uint8Array(await readFile(LIST)))], 'import möte 2027-02-18');
  expect(env.fake.downloads).toHaveLength(1);
  expect(said(PEOPLE.maria)).toContain('Förhandsvisning av importen från kfn-arendelista.csv till sammanträdet torsdag den 18 februari 2027');
  expect(await env.store.readEvents('kfn', 0)).toEqual([]);

  await postActivity(env.botUrl, textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal', text: 'import spara' }));
  expect(said(PEOPLE.maria)).toContain('Importen från kfn-arendelista.csv är sparad');
  expect((await env.store.readEvents('kfn', 0)).map((e) => [e.type, e.actor])).toEqual([['items.imported', { memberId: 'maria.ekstrom', via: 'teams' }]]);
});

test('refusals in Swedish, nothing changed: too large, several files, a member', async () => {
  const before = await env.store.readEvents('kfn', 0);
  await attach(PEOPLE.maria, [env.fake.attachFile('stor.csv', new Uint8Array(3 * 1024 * 1024).fill(59))]);
  expect(said(PEOPLE.maria)).toContain('en ärendelista får vara högst 2 MB');
  env.fake.reset();
  await attach(PEOPLE.maria, [env.fake.attachFile('a.csv', new TextEncoder().encode('x')), env.fake.attachFile('b.csv', new TextEncoder().encode('y'))]);
  expect(said(PEOPLE.maria)).toContain('Skicka en fil i taget');
  env.fake.reset();
  await attach(PEOPLE.tomas, [env.fake.attachFile('kfn-arendelista.csv', new Uint8Array(await readFile(LIST)))]);
  expect(said(PEOPLE.tomas)).toContain('Det kan bara sekreteraren göra');
  expect(await env.store.readEvents('kfn', 0)).toEqual(before);
});

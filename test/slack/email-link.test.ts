/**
 * Members found by e-mail, on the real Bolt app against the fake Slack Web API: a member with
 * only `email` in the committee file is linked through users.info and users.lookupByEmail the
 * first time they write, or when a reminder must reach them; two accounts with the address, or
 * none, mean no link and a note to the secretary. Logs carry ids, never the address.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportRows } from '../../src/core/export';
import { allText, EXAMPLE, SECRETARY, startHarness, type SlackHarness } from './harness';

const EMAIL = 'Tomas.Engstrom@norrvik.se';
const TOMAS = 'U0TOMAS0001';
const OTHER = 'U0TOMAS0002';
const DM = { channelId: 'D0TOMAS0001', channelName: 'directmessage' };

let dir: string;
let file: string;
let h: SlackHarness;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-email-'));
  file = path.join(dir, 'kfn.yaml');
  // Tomas Engström with an e-mail address and no Slack (or Teams) id.
  const text = (await readFile(EXAMPLE, 'utf8')).replace('      teams: [cb6cbef3-ee8e-4707-a51b-96b330110122]\n', `    email: ${EMAIL}\n`);
  expect(text).toContain(EMAIL);
  await writeFile(file, text);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
afterEach(async () => h?.close());

async function until<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const secretaryDms = (x: SlackHarness) => x.fake.callsOf('chat.postMessage').filter((c) => c.body.channel === `D${SECRETARY.slice(1)}`).map((c) => allText(c.body));

test('a member with only email sends /jav: linked through users.lookupByEmail, the declaration stored, the secretary told', async () => {
  h = await startHarness({ committeeFile: file });
  h.fake.users.push({ id: TOMAS, email: 'tomas.engstrom@NORRVIK.se' });
  await h.slack.command(TOMAS, '/jav', '3/27 part', DM);
  const state = await until(async () => {
    const s = await h.core.log.state(h.committee.id);
    return s.declarations.size > 0 ? s : undefined;
  });
  expect([...state.declarations.values()].map((d) => [d.memberId, d.lopnummer])).toEqual([['tomas.engstrom', '3/27']]);
  expect(h.fake.callsOf('users.info').map((c) => c.body.user)).toEqual([TOMAS]);
  expect(h.fake.callsOf('users.lookupByEmail').map((c) => c.body.email)).toEqual(['tomas.engstrom@norrvik.se']);
  const events = await h.store.readEvents(h.committee.id, 0);
  expect(events.filter((e) => e.type === 'identity.linked')).toMatchObject([{ memberId: 'tomas.engstrom', platform: 'slack', platformUserId: TOMAS, foundBy: 'email', actor: { via: 'slack' } }]);
  expect(exportRows(h.committee, events).find((r) => r.handelse === 'Konto kopplat')).toMatchObject({ ledamot: 'Tomas Engström (S)', text: 'slack, genom e-postadressen i nämndfilen' });
  await h.fake.waitFor(() => secretaryDms(h).find((t) => t.includes('Tomas Engström (S) är nu kopplad till sitt Slack-konto (U0TOMAS0001)')));

  // The next command needs no look-up: the link is a record.
  await h.slack.command(TOMAS, '/jav', 'lista', DM);
  await h.fake.waitFor(() => h.fake.responses.length >= 2 || undefined);
  expect(h.fake.callsOf('users.info')).toHaveLength(1);
  expect(h.logs.join('\n')).not.toMatch(/norrvik\.se/i);
});

test('two accounts with the same e-mail: not linked, nothing recorded, the secretary told once', async () => {
  h = await startHarness({ committeeFile: file });
  h.fake.users.push({ id: TOMAS, email: EMAIL }, { id: OTHER, email: EMAIL });
  await h.slack.command(OTHER, '/jav', '3/27 part', DM);
  await h.fake.waitFor(() => secretaryDms(h).find((t) => t.includes('Jag kopplade inte kontot U0TOMAS0002 på Slack till Tomas Engström (S)')));
  const answer = await h.fake.waitFor(() => h.fake.responses[0]);
  expect(allText(answer.body)).toContain('Jag känner inte igen dig');
  expect(await h.store.readEvents(h.committee.id, 0)).toEqual([]);
  // Again: still not linked, and the secretary is not told a second time.
  await h.slack.command(OTHER, '/jav', '3/27 part', DM);
  await h.fake.waitFor(() => h.fake.responses[1]);
  expect(await h.store.readEvents(h.committee.id, 0)).toEqual([]);
  expect(secretaryDms(h).filter((t) => t.includes('Jag kopplade inte'))).toHaveLength(1);
  expect(h.logs.join('\n')).not.toMatch(/norrvik\.se/i);
});

test('no account with the address: nobody linked; a member with Slack ids in the file needs no look-up', async () => {
  h = await startHarness({ committeeFile: file });
  h.fake.users.push({ id: OTHER, email: 'someone.else@norrvik.se' });
  await h.slack.command(OTHER, '/jav', '3/27 part', DM);
  await h.fake.waitFor(() => h.fake.responses[0]);
  expect(await h.store.readEvents(h.committee.id, 0)).toEqual([]);
  expect(h.fake.callsOf('users.lookupByEmail')).toHaveLength(0);

  await h.slack.command('U0BV9FWYA1P', '/jav', '3/27 part', DM);
  await h.fake.waitFor(() => h.fake.responses[1]);
  expect((await h.core.log.state(h.committee.id)).declarations.size).toBe(1);
  expect(h.fake.callsOf('users.info')).toHaveLength(1);
});

test('a member with only email is reached: a message to her looks up the account and links it', async () => {
  h = await startHarness({ committeeFile: file });
  h.fake.users.push({ id: TOMAS, email: EMAIL });
  const sent = await h.core.deliverTo(h.committee.id, 'tomas.engstrom', { text: 'Påminnelse', parts: [] });
  expect(sent).toEqual({ ok: true });
  expect(h.fake.callsOf('conversations.open').map((c) => c.body.users)).toContain(TOMAS);
  const events = await h.store.readEvents(h.committee.id, 0);
  expect(events.filter((e) => e.type === 'identity.linked')).toMatchObject([{ memberId: 'tomas.engstrom', platformUserId: TOMAS, foundBy: 'email' }]);
});

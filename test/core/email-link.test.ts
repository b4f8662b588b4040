/**
 * The rules for linking an account found by e-mail (src/core/email-link.ts), as a table, and
 * two members with one address through the core: nobody is linked to the wrong person.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decideEmailLink, type PlatformDirectory } from '../../src/core/email-link';
import type { Member } from '../../src/domain/committee';
import { makeHarness, MINI } from '../support/harness';

const member = (id: string, identities: Member['identities'] = { slack: [], teams: [] }): Member => ({ id, name: id, role: 'ledamot', identities, email: 'a@kommun.se' });
const A = member('a');
const B = member('b');

test.each([
  ['one member, one account: linked', [A], ['U1'], {}, { ok: true, member: A }],
  ['two members with the address', [A, B], ['U1'], {}, { ok: false, problem: 'two-members' }],
  ['the address on two accounts', [A], ['U1', 'U2'], {}, { ok: false, problem: 'two-accounts' }],
  ['the address on another account only', [A], ['U2'], {}, { ok: false, problem: 'two-accounts' }],
  ['the address on no account', [A], [], {}, { ok: false, problem: 'two-accounts' }],
  ['the member has a Slack id in the file', [member('a', { slack: ['U9'], teams: [] })], ['U1'], {}, { ok: false, problem: 'has-account' }],
  ['the member has another account linked', [A], ['U1'], { linkedOf: ['U9'] }, { ok: false, problem: 'has-account' }],
  ['the account is linked to someone else', [A], ['U1'], { owner: 'c' }, { ok: false, problem: 'account-taken' }],
  ['already linked to this member: linked (nothing new)', [A], ['U1'], { owner: 'a', linkedOf: ['U1'] }, { ok: true, member: A }],
] as const)('%s', (_label, matches, accounts, links: { owner?: string; linkedOf?: readonly string[] }, expected) => {
  const got = decideEmailLink({ matches, platform: 'slack', platformUserId: 'U1', accounts, linkedTo: () => links.owner, linkedAccountsOf: () => links.linkedOf ?? [] });
  expect(got).toMatchObject(expected);
});

test('two members with one address in the file: the account is not linked, the secretary is told', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-email-'));
  const file = path.join(dir, 'mini.yaml');
  const text = (await readFile(MINI, 'utf8'))
    .replace('      console: ordf\n      slack: [U0TESTORDF1]\n', '      console: ordf\n    email: delad@kommun.se\n')
    .replace('      console: ledamot\n      teams: [00000000-0000-4000-8000-000000000002]\n', '      console: ledamot\n    email: Delad@Kommun.se\n');
  await writeFile(file, text);
  const h = await makeHarness({ file });
  try {
    const directory: PlatformDirectory = { emailsOf: async () => ['delad@kommun.se'], usersWithEmail: async () => ['U0SHARED001'] };
    const replies = await h.core.handle({ deliveryId: 'd1', platform: 'slack', platformUserId: 'U0SHARED001', place: { kind: 'private' }, input: { kind: 'text', text: 'jäv lista' } }, directory);
    expect(replies.map((r) => r.message.text).join('\n')).toContain('Jag känner inte igen dig');
    expect(await h.eventCount()).toBe(0);
    expect(h.recorder.to('sekr').join('\n')).toContain('Jag kopplade inte kontot U0SHARED001 på Slack: dess e-postadress står på flera i nämndfilen (Anna Ordförande (S) och Bertil Ledamot (M))');
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
});

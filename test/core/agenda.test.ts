import mammoth from 'mammoth';
import type { Outgoing } from '../../src/core/outgoing';
import { makeHarness, plain, type Harness } from '../support/harness';

const SECRETARY = 'maria.ekstrom';
const AMIRA = 'amira.haddad';
const SEKRETESS_TITLE = 'Individärende – ansökan om fritidsstöd';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

function files(replies: Outgoing[]) {
  return replies.flatMap((r) => r.message.parts.flatMap((p) => (p.kind === 'file' ? [{ ...p, sekretess: r.message.sekretess, audience: r.audience }] : [])));
}

test('the secretary gets a preview and both documents; § numbers start at the year’s first', async () => {
  const replies = await h.say(SECRETARY, 'dagordning');
  const text = plain(replies);
  expect(text).toContain('Utkast 1 till kallelse och dagordning för sammanträdet torsdag den 21 januari 2027 (§§ 1–16).');
  expect(text).toContain('§ 3 Anmälan av jäv');
  expect(text).toContain('(6/27) Taxor för uthyrning av idrottshallar och samlingslokaler 2027: handläggare saknas.');
  expect(text).toContain('(7/27) Yttrande över motion om avgiftsfri sommarsimskola: förslag till beslut saknas.');
  const docs = files(replies);
  expect(docs.map((f) => f.name)).toEqual(['dagordning-2027-01-21-kfn-v1.docx', 'dagordning-2027-01-21-kfn-v1.md']);
  for (const f of docs) expect(f.audience).toEqual({ kind: 'asker' });
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(docs[0].bytes) });
  expect(value).toContain('§ 15');
  expect(value).toContain(SEKRETESS_TITLE);
});

test('sekretess: the chat preview never has the title, the private file has, and is marked sekretess', async () => {
  await h.text(AMIRA, 'jäv 8 part');
  const replies = await h.say(SECRETARY, 'dagordning');
  const preview = replies.filter((r) => !r.message.parts.some((p) => p.kind === 'file'));
  expect(plain(preview)).toContain('Sekretessärende');
  expect(plain(preview)).not.toContain('fritidsstöd');
  const withFiles = replies.find((r) => r.message.parts.some((p) => p.kind === 'file'))!;
  expect(withFiles.message.sekretess).toBe(true);
  const md = files(replies).find((f) => f.name.endsWith('.md'))!;
  expect(new TextDecoder().decode(md.bytes)).toContain(SEKRETESS_TITLE);
});

test('a new build is a new version that says what changed', async () => {
  await h.say(SECRETARY, 'dagordning');
  await h.text(AMIRA, 'jäv 3 part');
  await h.text(AMIRA, 'övrig fråga Hur går det med badhuset?');
  await h.text(SECRETARY, 'övrig fråga godkänn F1');
  const text = plain(await h.say(SECRETARY, 'dagordning'));
  expect(text).toContain('Utkast 2 till kallelse och dagordning');
  expect(text).toContain('Ändrat sedan version 1');
  expect(text).toContain('Ny jävsanmälan: Amira Haddad (S)');
  expect(text).toContain('Ny övrig fråga: Amira Haddad (S): Hur går det med badhuset?');
  // The § range stays put between versions of the same meeting.
  expect(text).toContain('(§§ 1–16)');
  expect(plain(await h.say(SECRETARY, 'dagordning'))).toContain('Inget har ändrats sedan version 2, så ingen ny version sparades.');
});

test('§ numbers continue from the year’s previous draft', async () => {
  await h.say(SECRETARY, 'dagordning');
  const feb = plain(await h.say(SECRETARY, 'dagordning möte 2027-02-18'));
  expect(feb).toMatch(/\(§§ 17–\d+\)/);
});

test('two secretaries building at once never get overlapping ranges', async () => {
  const [jan, feb] = await Promise.all([h.say(SECRETARY, 'dagordning'), h.say(SECRETARY, 'dagordning möte 2027-02-18')]);
  const range = (r: Outgoing[]) => {
    const m = /\(§§ (\d+)–(\d+)\)/.exec(plain(r))!;
    return [Number(m[1]), Number(m[2])];
  };
  const [a1, a2] = range(jan);
  const [b1, b2] = range(feb);
  expect(a2 < b1 || b2 < a1).toBe(true);
  const drafted = (await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'agenda.drafted');
  expect(drafted).toHaveLength(2);
});

test.each([
  ['a ledamot', AMIRA, 'dagordning', 'Det kan bara sekreteraren göra, och du är ledamot.'],
  ['a held meeting', SECRETARY, 'dagordning möte 2026-11-12', 'är redan hållet'],
  ['an unknown meeting', SECRETARY, 'dagordning möte 2031-01-01', 'Jag hittar inget sammanträde "2031-01-01"'],
])('refused: %s', async (_, who, command, expected) => {
  expect(await h.text(who, command)).toContain(expected);
  expect(await h.eventCount()).toBe(0);
});

test('an övrig fråga cannot add a link, an image, HTML or a heading to the .md draft', async () => {
  const question = '[Klicka här](http://example.invalid/x) <img src=x onerror=alert(1)> ![bild](http://example.invalid/y.png) **fet** `kod` | tabell';
  await h.text(AMIRA, `övrig fråga ${question}`);
  await h.text(SECRETARY, 'övrig fråga godkänn F1');
  const md = new TextDecoder().decode(files(await h.say(SECRETARY, 'dagordning')).find((f) => f.name.endsWith('.md'))!.bytes);
  expect(md).toContain(
    'Amira Haddad (S): \\[Klicka här\\](http://example.invalid/x) \\<img src=x onerror=alert(1)\\> !\\[bild\\](http://example.invalid/y.png) \\*\\*fet\\*\\* \\`kod\\` \\| tabell',
  );
  expect(md).not.toMatch(/(^|[^\\])(\]\(|<img|\*\*fet)/m);
});

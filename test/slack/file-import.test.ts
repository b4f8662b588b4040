/**
 * Import through Slack: the secretary shares the ärendelista with the bot in its DM; the real
 * Bolt app downloads url_private with the bot token from the fake Slack and feeds the same
 * preview as `namndbot import`; "import spara" records it. Too large files are refused before
 * download, others' files by the core, and nothing changes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { allText, AMIRA, SECRETARY, startHarness, type SlackHarness } from './harness';

const LIST = path.join(__dirname, '../../examples/kfn-arendelista.csv');
let h: SlackHarness;
let n = 0;
afterEach(async () => h?.close());

const dmOf = (user: string) => `D${user.slice(1)}`;

async function share(user: string, file: Record<string, unknown>, text = '') {
  await h.slack.event({ type: 'message', subtype: 'file_share', channel_type: 'im', channel: dmOf(user), user, text, files: [file], ts: `1700000001.00000${++n}` }, `Ev0FILE${++n}`);
  await h.adapter.idle();
}
async function dm(user: string, text: string) {
  await h.slack.event({ type: 'message', channel_type: 'im', channel: dmOf(user), user, text, ts: `1700000002.00000${++n}` }, `Ev0TEXT${++n}`);
  await h.adapter.idle();
}
const posted = (user: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.body.channel === dmOf(user)).map((c) => allText(c.body)).join('\n');

test('the secretary shares the ärendelista: downloaded with the bot token, previewed, saved with "import spara"', async () => {
  h = await startHarness();
  const bytes = new Uint8Array(await readFile(LIST));
  await share(SECRETARY, h.fake.shareFile('kfn-arendelista.csv', bytes), 'import möte 2027-02-18');
  expect(h.fake.downloads).toEqual([{ path: expect.stringContaining('/files-pri/'), authorization: 'Bearer xoxb-test-token' }]);
  expect(posted(SECRETARY)).toContain('Förhandsvisning av importen från kfn-arendelista.csv till sammanträdet torsdag den 18 februari 2027');
  expect(await h.store.readEvents(h.committee.id, 0)).toEqual([]);

  await dm(SECRETARY, 'import spara');
  expect(posted(SECRETARY)).toContain('Importen från kfn-arendelista.csv är sparad');
  const events = await h.store.readEvents(h.committee.id, 0);
  expect(events.map((e) => [e.type, e.actor])).toEqual([['items.imported', { memberId: 'maria.ekstrom', via: 'slack' }]]);
});

test('refusals in Swedish, nothing changed: too large (not downloaded), not a list, several files, a member', async () => {
  h = await startHarness();
  await share(SECRETARY, h.fake.shareFile('stor.xlsx', new Uint8Array(10), 10 * 1024 * 1024));
  expect(h.fake.downloads).toEqual([]);
  expect(posted(SECRETARY)).toContain('Filen är 10,0 MB; en ärendelista får vara högst 2 MB.');

  await share(SECRETARY, h.fake.shareFile('bild.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7])));
  expect(posted(SECRETARY)).toContain('Filen är varken Excel, CSV eller text.');

  const two = [h.fake.shareFile('a.csv', new TextEncoder().encode('x')), h.fake.shareFile('b.csv', new TextEncoder().encode('y'))];
  await h.slack.event({ type: 'message', subtype: 'file_share', channel_type: 'im', channel: dmOf(SECRETARY), user: SECRETARY, text: '', files: two, ts: '1700000003.000001' }, 'Ev0TWOFILES');
  await h.adapter.idle();
  expect(posted(SECRETARY)).toContain('Skicka en fil i taget');

  await share(AMIRA, h.fake.shareFile('kfn-arendelista.csv', new Uint8Array(await readFile(LIST))));
  expect(posted(AMIRA)).toContain('Det kan bara sekreteraren göra');
  expect(await h.store.readEvents(h.committee.id, 0)).toEqual([]);
});

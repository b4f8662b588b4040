/**
 * A committee's template that takes long to fill in does not hold up the bot: it is rendered in a
 * thread of its own, so Slack requests that come in meanwhile are acknowledged as usual (Slack
 * waits 3 seconds for an ack), and the secretary is told what is wrong with the template.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AMIRA, EXAMPLE, SECRETARY, startHarness, type SlackHarness } from './harness';

let h: SlackHarness;
let dir: string;
afterEach(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** examples/kfn.yaml with its own templates folder holding `markdown` as dagordning.md.liquid. */
async function committeeWithTemplate(markdown: string): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-mall-'));
  await mkdir(path.join(dir, 'mallar'));
  await writeFile(path.join(dir, 'mallar', 'dagordning.md.liquid'), markdown);
  const yaml = (await readFile(EXAMPLE, 'utf8')).replace(/^settings:\n/m, `settings:\n  templates: ${JSON.stringify(path.join(dir, 'mallar'))}\n`);
  const file = path.join(dir, 'kfn.yaml');
  await writeFile(file, yaml);
  return file;
}

test('requests that come in while a slow template is filled in are acknowledged before it is done', async () => {
  // 27 million turns: LiquidJS's own time limit (2 s) stops it.
  h = await startHarness({ committeeFile: await committeeWithTemplate('{% for a in (1..300) %}{% for b in (1..300) %}{% for c in (1..300) %}x{% endfor %}{% endfor %}{% endfor %}') });
  const { answer, responseUrl } = await h.slack.command(SECRETARY, '/namnd', 'dagordning');
  const refused = () => h.fake.responses.find((r) => responseUrl.endsWith(r.id) && String(r.body.text).includes('dokumenten kunde inte skapas'));
  expect(answer.status).toBe(200);
  // The documents are rendered once the draft is recorded: from then on, a member asks something
  // every 200 ms until the secretary hears about the template.
  while ((await h.store.readEvents('kfn', 0)).length === 0) await new Promise((r) => setTimeout(r, 20));
  let ackedBefore = 0;
  const deadline = Date.now() + 25_000;
  while (!refused() && Date.now() < deadline) {
    const ping = await h.slack.command(AMIRA, '/namnd', 'möten');
    expect(ping.answer.status).toBe(200);
    if (!refused()) ackedBefore++;
    await new Promise((r) => setTimeout(r, 200));
  }
  const told = refused();
  expect(String(told?.body.text)).toMatch(/Fel i mallen dagordning\.md\.liquid, rad 1, kolumn \d+, vid \{% for \w in \(1\.\.300\) %\}: mallen tog längre tid än 2000 ms att fylla i\./);
  // Rendered on the bot's own thread, the first ping's ack waits until the template is stopped.
  expect(ackedBefore).toBeGreaterThanOrEqual(6);
  // The draft itself is recorded, and the bot goes on answering.
  expect((await h.store.readEvents('kfn', 0)).map((e) => e.type)).toEqual(['agenda.drafted']);
}, 40_000);

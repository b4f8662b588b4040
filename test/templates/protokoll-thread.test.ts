/**
 * The protokoll is rendered in the render thread, as the agenda is (src/templates/thread.ts): a
 * committee's protokoll template that takes long to fill in does not hold up the bot's own thread,
 * so acks go out meanwhile, and the secretary is told what is wrong with the template.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Protokoll } from '../../src/domain/protokoll';
import { templateAgendaRenderer, TemplateError } from '../../src/templates';
import { makeHarness, type Harness } from '../support/harness';
import { docxWithParagraphs, PROTOKOLL_DOCX } from './helpers';

let h: Harness;
let dir: string;
beforeEach(async () => {
  h = await makeHarness({ now: '2027-01-21T17:00:00+01:00' });
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-protokollmall-'));
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

async function recordedProtokoll(): Promise<Protokoll> {
  await h.say('maria.ekstrom', 'dagordning möte 2027-01-21');
  await h.say('maria.ekstrom', 'protokoll möte 2027-01-21');
  const drafted = (await h.store.readEvents(h.committee.id, 0)).filter((e) => e.type === 'protokoll.drafted');
  return (drafted[0] as unknown as { protokoll: Protokoll }).protokoll;
}

test('a slow protokoll template runs in the render thread: the bot thread keeps ticking, and the template is named', async () => {
  const protokoll = await recordedProtokoll();
  await mkdir(path.join(dir, 'mallar'));
  // A million turns over the 16 §§: docxtemplater runs synchronously until its own time limit (2 s) stops it.
  const loops = '{#paragraphs}'.repeat(5) + '{heading}' + '{/paragraphs}'.repeat(5);
  await writeFile(path.join(dir, 'mallar', 'protokoll.docx'), docxWithParagraphs([loops], PROTOKOLL_DOCX));
  const committee = { ...h.committee, settings: { ...h.committee.settings, templates: path.join(dir, 'mallar') } };
  // The longest the bot's own thread went without running a timer while the template was filled in.
  let last = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  const outcome = await templateAgendaRenderer.renderProtokoll(protokoll, committee).then(
    () => 'rendered',
    (err: unknown) => err,
  );
  const took = performance.now() - started;
  clearInterval(ticker);
  longestGap = Math.max(longestGap, performance.now() - last);
  expect(outcome).toBeInstanceOf(TemplateError);
  expect((outcome as TemplateError).message).toBe('Fel i mallen protokoll.docx: mallen tog längre tid än 2000 ms att fylla i. Kontrollera block inuti block, till exempel {#items} inuti {#items}.');
  expect(took).toBeGreaterThan(1500);
  // On the bot's thread this would be one gap of two seconds; in the render thread, timers run on.
  expect(longestGap).toBeLessThan(500);
}, 40_000);

test('the default templates render through the thread: Word and Markdown', async () => {
  const protokoll = await recordedProtokoll();
  const files = await templateAgendaRenderer.renderProtokoll(protokoll, h.committee);
  expect(files.baseName).toBe('protokoll-2027-01-21-kfn');
  expect(Buffer.from(files.docx).subarray(0, 2).toString()).toBe('PK');
  expect(files.markdown).toContain('Paragraf 1–16');
});

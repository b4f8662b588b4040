/**
 * `namndbot templates check` checks the protokoll's templates too, with the sample meeting's
 * protokoll: a broken protokoll.md.liquid or a misspelt field in protokoll.docx is named.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkTemplates } from '../../src/templates';
import { docxWithParagraphs, PROTOKOLL_DOCX } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-protokollcheck-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

test('the default protokoll templates are in order', async () => {
  expect(await checkTemplates()).toEqual([]);
});

test('a committee\'s broken protokoll templates are named, with what is wrong', async () => {
  await writeFile(path.join(dir, 'protokoll.md.liquid'), '# {{ committee }}\n{% for p in paragraphs %}\n- {{ p.heading }}\n');
  await writeFile(path.join(dir, 'protokoll.docx'), docxWithParagraphs(['{paragrafe}', '{#paragraphs}{heading}{/paragraphs}'], PROTOKOLL_DOCX));
  const messages = (await checkTemplates(dir)).map((p) => p.message);
  expect(messages).toEqual([
    expect.stringMatching(/^Fel i mallen protokoll\.md\.liquid, rad 2.*avslutas aldrig/),
    'Fel i mallen protokoll.docx: fältet {paragrafe} finns inte. Fälten som finns står överst i standardmallen protokoll.md.liquid.',
  ]);
});

test('a committee\'s good protokoll templates pass', async () => {
  await writeFile(path.join(dir, 'protokoll.md.liquid'), '# {{ committee }} {{ paragrafer }}\n{% for p in paragraphs %}{{ p.heading }}{% for b in p.beslut %}{{ b }}{% endfor %}{% endfor %}\n');
  await writeFile(path.join(dir, 'protokoll.docx'), docxWithParagraphs(['{paragrafer}', '{#ledamoter}{.}{/ledamoter}', '{#paragraphs}{heading}{#beslut}{.}{/beslut}{/paragraphs}'], PROTOKOLL_DOCX));
  expect(await checkTemplates(dir)).toEqual([]);
});

import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkTemplates, renderDocx, renderMarkdown, TemplateError } from '../../src/templates';
import { fixtureAgenda } from '../fixtures/agenda/fixture';
import { DEFAULT_DOCX, docxWithParagraphs, tempDir } from './helpers';

async function markdownError(source: string): Promise<TemplateError> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'dagordning.md.liquid'), source);
  try {
    await renderMarkdown(fixtureAgenda(), { templatesDir: dir });
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

describe('a broken Markdown template', () => {
  it('names the file, the line and the missing end tag', async () => {
    const err = await markdownError('# {{ committee }}\n\n{% for item in items %}\n- {{ item.heading }}\n');
    expect(err.message).toBe(
      'Fel i mallen dagordning.md.liquid, rad 3, kolumn 1: taggen {% for item in items %} avslutas aldrig. Lägg till {% endfor %} där blocket ska sluta.',
    );
    expect(err.problems).toEqual([
      expect.objectContaining({ file: 'dagordning.md.liquid', line: 3, column: 1, tag: '{% for item in items %}' }),
    ]);
  });

  it('names a misspelt field', async () => {
    expect((await markdownError('# {{ committee }}\nDatum: {{ datum }}\n')).message).toBe(
      'Fel i mallen dagordning.md.liquid, rad 2, kolumn 11: fältet "datum" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
    );
  });

  it('names a misspelt filter, tag, and an unclosed output', async () => {
    expect((await markdownError('{{ committee | versaler }}')).message).toBe(
      'Fel i mallen dagordning.md.liquid, rad 1, kolumn 1, vid {{ committee | versaler }}: filtret "versaler" finns inte. Kontrollera stavningen.',
    );
    expect((await markdownError('\n\n{% om hasArenden %}')).message).toBe(
      'Fel i mallen dagordning.md.liquid, rad 3, kolumn 1, vid {% om hasArenden %}: taggen "om" finns inte i Liquid. Kontrollera stavningen.',
    );
    expect((await markdownError('Plats: {{ place\n')).message).toBe(
      'Fel i mallen dagordning.md.liquid, rad 1, kolumn 8: utskriften {{ place stängs aldrig. Lägg till }} efter den.',
    );
    expect((await markdownError('{% endif %}')).message).toBe(
      'Fel i mallen dagordning.md.liquid, rad 1, kolumn 1: {% endif %} avslutar ett block som aldrig öppnades, eller har fel namn.',
    );
  });
});

describe('a broken Word template', () => {
  async function docxError(paragraphs: string[]): Promise<TemplateError> {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'kallelse.docx'), docxWithParagraphs(paragraphs));
    try {
      await renderDocx(fixtureAgenda(), { templatesDir: dir });
    } catch (err) {
      if (err instanceof TemplateError) return err;
      throw err;
    }
    throw new Error('expected a TemplateError');
  }

  it('lists every problem with its tag', async () => {
    const err = await docxError(['{committee}', 'plats}', '{datum', '{#items}{heading}']);
    expect(err.problems.map((p) => p.message)).toEqual([
      'Fel i mallen kallelse.docx: en } saknar sin { (i texten "plats}"). Lägg till { där taggen börjar.',
      'Fel i mallen kallelse.docx: taggen {datum stängs aldrig. Lägg till } efter den.',
      'Fel i mallen kallelse.docx: blocket {#items} avslutas aldrig. Lägg till {/items} där det ska sluta.',
    ]);
    expect(err.problems[2]).toMatchObject({ file: 'kallelse.docx', tag: '{#items}' });
  });

  it('names mismatched blocks and unknown fields', async () => {
    expect((await docxError(['{#items}{heading}{/arenden}'])).message).toBe(
      'Fel i mallen kallelse.docx: blocket {#items} avslutas med {/arenden}. Början och slutet måste ha samma namn.',
    );
    expect((await docxError(['{#items}{rubrik}{/items}', '{^tomt}inga{/tomt}'])).message).toBe(
      [
        'Fel i mallen kallelse.docx: fältet {rubrik} finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
        'Fel i mallen kallelse.docx: fältet {^tomt} finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
      ].join('\n'),
    );
  });
});

describe('checkTemplates', () => {
  it('finds no problems in the default templates', async () => {
    expect(await checkTemplates()).toEqual([]);
  });

  it('reports every broken template in a directory without rendering a real meeting', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'dagordning.md.liquid'), '# {{ committee }}\n{% if hasArenden %}\n');
    writeFileSync(path.join(dir, 'kort.txt.liquid'), '{{ committee }} {{ paragrafer }}\n');
    writeFileSync(path.join(dir, '_del.liquid'), '{{ ok }}');
    writeFileSync(path.join(dir, '_trasig.liquid'), '{% for x in y %}');
    writeFileSync(path.join(dir, 'kallelse.docx'), docxWithParagraphs(['{#arenden}{heading}']));
    copyFileSync(DEFAULT_DOCX, path.join(dir, 'kallelse-kopia.docx'));
    writeFileSync(path.join(dir, 'trasig.docx'), 'inte en zip');
    writeFileSync(path.join(dir, 'README.txt'), 'ignoreras');

    expect((await checkTemplates(dir)).map((p) => p.message)).toEqual([
      'Fel i mallen _trasig.liquid, rad 1, kolumn 1: taggen {% for x in y %} avslutas aldrig. Lägg till {% endfor %} där blocket ska sluta.',
      'Fel i mallen dagordning.md.liquid, rad 2, kolumn 1: taggen {% if hasArenden %} avslutas aldrig. Lägg till {% endif %} där blocket ska sluta.',
      'Fel i mallen kort.txt.liquid, rad 1, kolumn 20: fältet "paragrafer" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
      'Fel i mallen kallelse.docx: blocket {#arenden} avslutas aldrig. Lägg till {/arenden} där det ska sluta.',
      expect.stringMatching(/^Fel i mallen trasig\.docx: filen är inte ett Word-dokument \(\.docx\)/),
    ]);
  });

  it('reports a missing directory', async () => {
    expect((await checkTemplates(path.join(tempDir(), 'finns-inte'))).map((p) => p.message)).toEqual([
      'Fel i mallen finns-inte: mallkatalogen finns inte.',
    ]);
  });
});

/**
 * Templates run no code: they cannot reach process, constructors or prototypes, cannot read
 * files outside the template directory, and cannot run without bounds.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDocxBuffer, renderLiquidString, renderMarkdown, sampleAgenda, TemplateError, templateView, TEMPLATE_LIMITS } from '../../src/templates';
import { agendaWithItems, fixtureAgenda, manyItems } from '../fixtures/agenda/fixture';
import { docxWithParagraphs, tempDir } from './helpers';

const view = templateView(sampleAgenda());

async function liquidOutcome(source: string): Promise<string> {
  try {
    return `ok:${await renderLiquidString(source, view, 'prov.md.liquid')}`;
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return `error:${(err as TemplateError).message}`;
  }
}

describe('Liquid templates cannot reach code', () => {
  it.each([
    ['{{ "" | constructor }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 1, vid {{ "" | constructor }}: filtret "constructor" finns inte. Kontrollera stavningen.'],
    ['{{ x.constructor.constructor }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4, vid x.constructor.constructor: fältet "x" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ committee.constructor.constructor }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4, vid committee.constructor.constructor: fältet "committee.constructor" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ __proto__ }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4: fältet "__proto__" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ items.__proto__ }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4: fältet "items.__proto__" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ items.first.constructor }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4: fältet "items.first.constructor" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ counts["constructor"] }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4, vid counts["constructor"]: fältet "counts.constructor" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ process }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4: fältet "process" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ process.env.HOME }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4, vid process.env.HOME: fältet "process" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
    ['{{ global }}{{ globalThis }}', 'error:Fel i mallen prov.md.liquid, rad 1, kolumn 4: fältet "global" finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.'],
  ])('%s', async (source, expected) => {
    expect(await liquidOutcome(source)).toBe(expected);
  });

  it('filters that read properties by name yield nothing from prototypes', async () => {
    for (const source of ['{{ items | map: "constructor" | json | raw }}', '{{ items | map: "__proto__" | json | raw }}']) {
      const out = await liquidOutcome(source);
      expect(out).toMatch(/^ok:\[(null,?)+\]$/);
    }
    expect(await liquidOutcome('{{ items | where: "constructor" | size }}')).toMatch(/^(ok:0|error:.*)$/);
  });

  it('never prints a function or anything from the environment', async () => {
    process.env.NAMNDBOT_TEST_SECRET = 'hemligt-värde';
    const probes = [
      '{{ items | sort: "constructor" | json }}',
      '{% assign f = items.first %}{{ f | json }}',
      '{{ committee | split: "" | first }}',
      '{% for k in counts %}{{ k | json }}{% endfor %}',
      '{{ items | first | json }}',
    ];
    for (const source of probes) {
      const out = await liquidOutcome(source);
      expect(out).not.toMatch(/function|native code|hemligt-värde/);
    }
    delete process.env.NAMNDBOT_TEST_SECRET;
  });

  it.each([
    ['{% include "/etc/passwd" %}', '/etc/passwd'],
    ['{% render "../../package.json" %}', '../../package.json'],
    ['{% render "../src/templates/limits.ts" %}', '../src/templates/limits.ts'],
    ['{% render "constructor" %}', 'constructor'],
    ['{% layout "__proto__" %}', '__proto__'],
  ])('cannot read files: %s', async (source, name) => {
    expect(await liquidOutcome(source)).toBe(
      `error:Fel i mallen prov.md.liquid, rad 1, kolumn 1, vid ${source}: mallen "${name}" finns inte. Med include och render går det bara att hämta andra .liquid-mallar ur samma mallkatalog.`,
    );
  });

  it('cannot include a file from the template directory that is not a .liquid template', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'hemlig.txt'), 'HEMLIGT');
    writeFileSync(path.join(dir, 'dagordning.md.liquid'), '{% include "hemlig.txt" %}');
    await expect(renderMarkdown(fixtureAgenda(), { templatesDir: dir })).rejects.toThrow(
      'Fel i mallen dagordning.md.liquid, rad 1, kolumn 1, vid {% include "hemlig.txt" %}: mallen "hemlig.txt" finns inte.',
    );
  });

  it('refuses a range that is too large before building it', async () => {
    expect(await liquidOutcome('{% for i in (1..100000000) %}x{% endfor %}')).toBe(
      'error:Fel i mallen prov.md.liquid, rad 1, kolumn 1, vid {% for i in (1..100000000) %}: mallen skapar för mycket på en gång (ett intervall eller en text med mer än 100000 delar). Kontrollera intervall som (1..1000000).',
    );
    // 47 bytes that take 7 s and 1 GB without the limit.
    expect(await liquidOutcome('{% assign a = (1..48000000) %}{{ a | size }}')).toMatch(/^error:.*vid \{% assign a = \(1\.\.48000000\) %\}: mallen skapar för mycket på en gång/);
    expect(await liquidOutcome(`{% assign a = (1..${TEMPLATE_LIMITS.liquidLargestAllocation}) %}{{ a | size }}`)).toBe(`ok:${TEMPLATE_LIMITS.liquidLargestAllocation}`);
  });

  it('refuses a text that grows too large at once', async () => {
    expect(await liquidOutcome('{% assign s = "xxxxxxxxxx" %}{% for i in (1..20) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}')).toMatch(/mallen skapar för mycket på en gång/);
  });

  it('stops a template that allocates too much in all', async () => {
    // Each step is within the one-allocation limit (a text of 65,536 characters), the sum is not.
    const source = '{% assign s = "x" %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}{% for i in (1..1000) %}{% assign t = s | append: "y" %}{% endfor %}';
    expect(await liquidOutcome(source)).toMatch(
      /^error:Fel i mallen prov\.md\.liquid, rad 1, kolumn \d+, vid .*: mallen skapar för mycket text\. Kontrollera loopar inuti loopar och stora intervall som \(1\.\.100000\)\.$/,
    );
  });

  it('stops a template that runs too long', async () => {
    const big = templateView(agendaWithItems(manyItems(300)));
    const source = '{% for a in items %}{% for b in items %}{% for c in items %}{{ c.paragraph }}{% endfor %}{% endfor %}{% endfor %}';
    const started = Date.now();
    await expect(renderLiquidString(source, big, 'loop.md.liquid')).rejects.toThrow(/^Fel i mallen loop\.md\.liquid, rad 1, kolumn \d+.*: mallen tog längre tid än 2000 ms att fylla i\. Kontrollera loopar inuti loopar\.$/);
    expect(Date.now() - started).toBeLessThan(TEMPLATE_LIMITS.liquidRenderMs + 3000);
  });

  it('refuses a template file that is too large, before parsing it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'dagordning.md.liquid'), 'x'.repeat(TEMPLATE_LIMITS.liquidBytes + 1));
    await expect(renderMarkdown(fixtureAgenda(), { templatesDir: dir })).rejects.toThrow(
      `Fel i mallen dagordning.md.liquid: filen är för stor (${TEMPLATE_LIMITS.liquidBytes + 1} byte, högst ${TEMPLATE_LIMITS.liquidBytes}).`,
    );
    await expect(renderLiquidString('x'.repeat(TEMPLATE_LIMITS.liquidBytes + 1), view)).rejects.toThrow('mallen är för stor');
  });
});

describe('Word templates cannot reach code', () => {
  it('finds no prototype properties with the default parser', () => {
    const template = docxWithParagraphs(['{constructor}', '{__proto__}', '{#items}{toString}{/items}', '{#committee}{length}{/committee}']);
    let error: unknown;
    try {
      renderDocxBuffer(template, view, 'prov.docx');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).problems.map((p) => p.message)).toEqual([
      'Fel i mallen prov.docx: fältet {constructor} finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
      'Fel i mallen prov.docx: fältet {__proto__} finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
      'Fel i mallen prov.docx: fältet {toString} finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
      'Fel i mallen prov.docx: fältet {length} finns inte. Fälten som finns står överst i standardmallen dagordning.md.liquid.',
    ]);
  });

  it('does not evaluate expressions (no angular parser)', () => {
    const template = docxWithParagraphs(['{committee.constructor}', '{items[0]}', "{committee + 'x'}"]);
    expect(() => renderDocxBuffer(template, view, 'prov.docx')).toThrow('fältet {committee.constructor} finns inte');
  });

  it('stops a template whose loops run too long', () => {
    const big = templateView(agendaWithItems(manyItems(300)));
    const template = docxWithParagraphs(['{#items}{#items}{#items}{#items}{paragraph}{/items}{/items}{/items}{/items}']);
    const started = Date.now();
    expect(() => renderDocxBuffer(template, big, 'loop.docx')).toThrow(
      'Fel i mallen loop.docx: mallen tog längre tid än 2000 ms att fylla i. Kontrollera block inuti block, till exempel {#items} inuti {#items}.',
    );
    expect(Date.now() - started).toBeLessThan(TEMPLATE_LIMITS.docxRenderMs + 3000);
  });

  it('refuses a zip bomb before inflating it', () => {
    const PizZip = require('pizzip') as typeof import('pizzip');
    const zip = new PizZip(docxWithParagraphs(['{committee}']));
    zip.file('word/media/bomb.bin', Buffer.alloc(TEMPLATE_LIMITS.docxUncompressedBytes + 1));
    const bytes = zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
    expect(bytes.length).toBeLessThan(TEMPLATE_LIMITS.docxBytes);
    expect(() => renderDocxBuffer(bytes, view, 'bomb.docx')).toThrow(/^Fel i mallen bomb\.docx: dokumentet är för stort uppackat \(\d+ byte, högst 62914560\)\.$/);
  });

  it('refuses something that is not a Word document', () => {
    expect(() => renderDocxBuffer(Buffer.from('inte en zip'), view, 'fel.docx')).toThrow(/^Fel i mallen fel\.docx: filen är inte ett Word-dokument \(\.docx\)/);
  });
});

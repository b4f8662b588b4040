import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { channelSafeAgenda } from '../../src/domain/agenda';
import { renderAgendaDraft, renderLiquidString, renderMarkdown, TemplateError } from '../../src/templates';
import { agendaWithItems, fixtureAgenda, manyItems, SECRET_TITLE } from '../fixtures/agenda/fixture';
import { expectGolden, tempDir } from './helpers';

describe('the Markdown template', () => {
  it('renders the fixture meeting for the secretary (golden file)', async () => {
    expectGolden('kfn-2025-02-13.privat.md', await renderMarkdown(fixtureAgenda()));
  });

  it('renders the chat preview with warnings, channel safe (golden file)', async () => {
    expectGolden('kfn-2025-02-13.kanal.md', await renderMarkdown(channelSafeAgenda(fixtureAgenda()), { includeWarnings: true }));
  });

  it('renders a meeting with no ärenden (golden file)', async () => {
    expectGolden('tomt-mote.md', await renderMarkdown(agendaWithItems([])));
  });

  it('never shows a sekretess title, its underlag or förslag in the channel-safe rendering', async () => {
    const md = await renderMarkdown(channelSafeAgenda(fixtureAgenda()), { includeWarnings: true });
    expect(md).not.toContain(SECRET_TITLE);
    expect(md).not.toContain('Ansökan från föreningen');
    expect(md).not.toContain('40 000 kronor');
    expect(md).toContain('### § 26 Sekretessärende');
    // …while the private file has it.
    expect(await renderMarkdown(fixtureAgenda())).toContain(`### § 26 ${SECRET_TITLE}`);
  });

  it('renders 300 ärenden with every § in order', async () => {
    const agenda = agendaWithItems(manyItems(300));
    const md = await renderMarkdown(agenda);
    let from = 0;
    for (let p = 23; p <= 322; p++) {
      const at = md.indexOf(`### § ${p} `, from);
      expect(at).toBeGreaterThan(from);
      from = at;
    }
    expect(md).toContain('- Paragrafer: §§ 18–323');
  });

  it('uses a committee’s own template and partials, falling back to the defaults for the rest', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '_sidhuvud.liquid'), 'Brevhuvud för {{ committee }}\n');
    writeFileSync(path.join(dir, 'dagordning.md.liquid'), '{% render "_sidhuvud", committee: committee %}{{ paragraphRange }}: {{ items.size }} punkter\n');
    const agenda = fixtureAgenda();
    expect(await renderMarkdown(agenda, { templatesDir: dir })).toBe('Brevhuvud för Kultur- och fritidsnämnden\n§§ 18–28: 13 punkter\n');

    const draft = await renderAgendaDraft(agenda, { templatesDir: dir });
    expect(draft.markdown).toContain('Brevhuvud');
    expect(draft.docx.subarray(0, 2).toString()).toBe('PK'); // from the default kallelse.docx
    expect(draft.baseName).toBe('dagordning-2025-02-13-kfn');

    const empty = tempDir();
    mkdirSync(path.join(empty, 'tom'), { recursive: true });
    expect(await renderMarkdown(agenda, { templatesDir: path.join(empty, 'tom') })).toBe(await renderMarkdown(agenda));
  });

  it('refuses a template name with a directory in it', async () => {
    await expect(renderMarkdown(fixtureAgenda(), { template: '../package.json' })).rejects.toThrow(TemplateError);
  });

  it('writes every value as literal text: no heading, list, quote, link, HTML or entity from the data', async () => {
    const forslag = ['# Rubrik', '1. första', '2) andra', '3.', '9.00–12.00', '2027. Budget', '- punkt', '+ punkt', '> citat', '===', '<b>fet</b> &amp; [länk](http://example.invalid)', 'Vanlig text (C), 2027-01-21.'].join('\n');
    const out = await renderLiquidString('Förslag:\n\n{{ forslag }}\n{{ forslag | raw }}', { forslag });
    const [escaped, raw] = out.split('\n\n')[1].split(/\n(?=# Rubrik)/);
    expect(escaped.split('\n')).toEqual([
      '\\# Rubrik',
      '1\\. första',
      '2\\) andra',
      '3\\.',
      // A time is no numbered list (no space after the point): no backslash.
      '9.00–12.00',
      '2027\\. Budget',
      '\\- punkt',
      '\\+ punkt',
      '\\> citat',
      '\\===',
      '\\<b\\>fet\\</b\\> \\&amp; \\[länk\\](http://example.invalid)',
      'Vanlig text (C), 2027-01-21.',
    ]);
    // The template's own text, and a value passed through `raw`, are written as they are.
    expect(out.startsWith('Förslag:\n\n')).toBe(true);
    expect(raw).toBe(forslag);
  });
});

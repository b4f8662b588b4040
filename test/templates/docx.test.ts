import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import PizZip from 'pizzip';
import { channelSafeAgenda, type Agenda, type ArendeItem } from '../../src/domain/agenda';
import { renderAgendaDraft, renderDocx } from '../../src/templates';
import { buildKallelseDocx } from '../../templates/build-kallelse-docx';
import { agendaWithItems, fixtureAgenda, manyItems, SECRET_TITLE } from '../fixtures/agenda/fixture';
import { DEFAULT_DOCX, tempDir } from './helpers';

async function text(docx: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer: docx })).value;
}

/** Each expected string must appear after the previous one. */
function expectInOrder(haystack: string, needles: string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) throw new Error(`"${needle}" saknas efter position ${from}:\n${haystack.slice(from, from + 400)}`);
    from = at + needle.length;
  }
}

/** What the default template must show, in document order: the item table, then each ärende. */
function expectedTexts(agenda: Agenda): string[] {
  const table = agenda.items.flatMap((item) => [
    ...(item.paragraphText ? [item.paragraphText] : []),
    // An ärende's row: löpnummer and title, its lines, the Dnr, who presents it.
    item.type === 'arende' ? `${item.lopnummer} ${item.heading}` : item.heading,
    ...item.lines,
    ...(item.type === 'arende' && item.diarienummer ? [item.diarienummer] : []),
    ...(item.type === 'arende' && item.handlaggare ? [item.handlaggare.name] : []),
  ]);
  const details = agenda.items
    .filter((i): i is ArendeItem => i.type === 'arende')
    .flatMap((item) => [
      `${item.paragraphText} ${item.heading}`,
      `Löpnummer: ${item.lopnummer}`,
      ...(item.diarienummer ? [`Diarienummer: ${item.diarienummer}`] : []),
      ...(item.handlaggare ? [`Handläggare: ${item.handlaggare.label}`] : []),
      `Ärendetyp: ${item.kind === 'information' ? 'Informationsärende' : 'Beslutsärende'}`,
      ...item.lines,
      ...(item.beslutsunderlag.length ? ['Beslutsunderlag', ...item.beslutsunderlag] : []),
      // mammoth's raw text drops the line break inside a paragraph, so each line is checked alone.
      ...(item.forslagTillBeslut ? ['Förslag till beslut', ...item.forslagTillBeslut.split('\n')] : []),
    ]);
  return [
    agenda.heading.committee,
    'Kallelse',
    'Datum',
    agenda.heading.dateText,
    'Tid',
    agenda.heading.timeRangeText,
    'Plats',
    agenda.heading.place,
    'Paragrafer',
    agenda.paragraphs.text,
    'Justering',
    agenda.justering.sentence,
    'Dagordning',
    ...table,
    'Ärenden',
    ...details,
  ];
}

describe('the Word template', () => {
  it('is the output of its build script', () => {
    expect(buildKallelseDocx().equals(readFileSync(DEFAULT_DOCX))).toBe(true);
  });

  it('is a complete OOXML package', () => {
    const zip = new PizZip(readFileSync(DEFAULT_DOCX));
    expect(Object.keys(zip.files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'word/_rels/document.xml.rels',
      'word/document.xml',
      'word/footer1.xml',
      'word/header1.xml',
      'word/numbering.xml',
      'word/settings.xml',
      'word/styles.xml',
    ]);
    const styles = zip.file('word/styles.xml')!.asText();
    for (const id of ['Title', 'Heading1', 'Heading2', 'Heading3', 'ListBullet']) expect(styles).toContain(`w:styleId="${id}"`);
  });

  it('shows every item of the fixture meeting in order, with its § number and text', async () => {
    const agenda = fixtureAgenda();
    const raw = await text(await renderDocx(agenda));
    expectInOrder(raw, [...expectedTexts(agenda), 'Maria Lindqvist (S)', 'Ordförande', 'Lena Holm', 'Sekreterare']);
  });

  it('keeps sekretess titles out of the channel-safe document', async () => {
    const safe = channelSafeAgenda(fixtureAgenda());
    const raw = await text(await renderDocx(safe));
    expect(raw).not.toContain(SECRET_TITLE);
    expect(raw).not.toContain('40 000 kronor');
    expectInOrder(raw, expectedTexts(safe));
    expect(raw).toContain('§ 26 Sekretessärende');
  });

  it('renders a meeting with no ärenden', async () => {
    const agenda = agendaWithItems([]);
    const raw = await text(await renderDocx(agenda));
    expectInOrder(raw, [...expectedTexts(agenda), 'Inga ärenden är anmälda till sammanträdet.']);
  });

  it('renders a meeting with 300 ärenden, every one in order', async () => {
    const agenda = agendaWithItems(manyItems(300));
    const { docx, markdown } = await renderAgendaDraft(agenda);
    const raw = await text(docx);
    expectInOrder(raw, expectedTexts(agenda));
    expect(raw).toContain('§§ 18–323');
    expect(markdown).toContain('### § 322 ');
  });

  it('uses a committee’s own Word template when it has one', async () => {
    const dir = tempDir();
    const zip = new PizZip(readFileSync(DEFAULT_DOCX));
    zip.file('word/document.xml', zip.file('word/document.xml')!.asText().replace('Dagordning', 'Föredragningslista'));
    writeFileSync(path.join(dir, 'kallelse.docx'), zip.generate({ type: 'nodebuffer' }) as Buffer);
    const raw = await text(await renderDocx(fixtureAgenda(), { templatesDir: dir }));
    expect(raw).toContain('Föredragningslista');

    const other = tempDir();
    copyFileSync(DEFAULT_DOCX, path.join(other, 'annan.docx'));
    expect(await text(await renderDocx(fixtureAgenda(), { templatesDir: other }))).toContain('Dagordning');
  });
});

/**
 * Builds templates/kallelse.docx, the default Word template for the kallelse, from scratch.
 *
 *   npx tsx templates/build-kallelse-docx.ts
 *
 * The OOXML parts are written by hand so the template is reproducible and reviewable in git;
 * the output is byte-stable (fixed zip dates). A committee that wants its letterhead copies the
 * generated file, edits it in Word and points its template directory at the copy.
 *
 * Tags use docxtemplater's default syntax: {field}, {#list}…{/list}, {^list}…{/list} (when
 * empty), {.} (the current list entry). Field names are those of the template view, listed at
 * the top of templates/dagordning.md.liquid.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// A4 with 2.5 cm margins: 11906 - 2 * 1418 twips of text width.
const TEXT_WIDTH = 9070;
const NAVY = '1F3864';
const LIGHT = 'D9E2F3';
const RULE = '8EAADB';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface RunOptions {
  bold?: boolean;
  italic?: boolean;
  color?: string;
}

function run(text: string, o: RunOptions = {}): string {
  const rPr = `${o.bold ? '<w:b/>' : ''}${o.italic ? '<w:i/>' : ''}${o.color ? `<w:color w:val="${o.color}"/>` : ''}`;
  return `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
}

interface ParaOptions {
  style?: string;
  keepNext?: boolean;
  align?: 'left' | 'right' | 'center';
  spaceBefore?: number;
}

/** A paragraph; `content` is either plain text or already-built runs. */
function p(content: string | string[], o: ParaOptions = {}): string {
  const runs = Array.isArray(content) ? content.join('') : content ? run(content) : '';
  const pPr =
    (o.style ? `<w:pStyle w:val="${o.style}"/>` : '') +
    (o.keepNext ? '<w:keepNext/>' : '') +
    (o.spaceBefore !== undefined ? `<w:spacing w:before="${o.spaceBefore}"/>` : '') +
    (o.align ? `<w:jc w:val="${o.align}"/>` : '');
  return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${runs}</w:p>`;
}

/** A paragraph holding only a loop or condition tag: paragraphLoop removes it from the output. */
const tag = (t: string) => p(t);

interface Cell {
  width: number;
  body: string[];
  fill?: string;
}

function cell(c: Cell): string {
  const shd = c.fill ? `<w:shd w:val="clear" w:color="auto" w:fill="${c.fill}"/>` : '';
  return `<w:tc><w:tcPr><w:tcW w:w="${c.width}" w:type="dxa"/>${shd}</w:tcPr>${c.body.join('')}</w:tc>`;
}

function row(cells: Cell[], o: { header?: boolean } = {}): string {
  const trPr = o.header ? '<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' : '<w:trPr><w:cantSplit/></w:trPr>';
  return `<w:tr>${trPr}${cells.map(cell).join('')}</w:tr>`;
}

function table(style: string, widths: number[], rows: string[]): string {
  return (
    `<w:tbl><w:tblPr><w:tblStyle w:val="${style}"/><w:tblW w:w="${TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/>` +
    `<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>${rows.join('')}</w:tbl>`
  );
}

/** "Label: {field}" with the label in bold. */
function labelled(label: string, field: string): string {
  return p([run(`${label}: `, { bold: true }), run(field)], { style: 'Uppgift' });
}

function documentXml(): string {
  const facts = [
    ['Datum', '{dateText}'],
    ['Tid', '{timeRangeText}'],
    ['Plats', '{place}'],
    ['Paragrafer', '{paragraphRange}'],
    ['Justering', '{justeringSentence}'],
  ].map(([label, field]) =>
    row([
      { width: 1800, body: [p([run(label, { bold: true })], { style: 'Tabelltext' })] },
      { width: TEXT_WIDTH - 1800, body: [p(field, { style: 'Tabelltext' })] },
    ]),
  );

  // § | the item (löpnummer and title for an ärende, then its lines) | Dnr | föredragande.
  const itemWidths = [900, TEXT_WIDTH - 900 - 1900 - 2100, 1900, 2100];
  const itemHeader = row(
    ['§', 'Ärende', 'Dnr', 'Föredragande'].map((h, i) => ({
      width: itemWidths[i],
      fill: NAVY,
      body: [p([run(h, { bold: true, color: 'FFFFFF' })], { style: 'Tabelltext' })],
    })),
    { header: true },
  );
  // One table row per agenda item: the loop starts in the first cell and ends in the last.
  const itemRow = row([
    { width: itemWidths[0], body: [p('{#items}{paragraph}', { style: 'Tabelltext' })] },
    {
      width: itemWidths[1],
      body: [p([run('{agendaHeading}', { bold: true })], { style: 'Tabelltext' }), tag('{#lines}'), p('{.}', { style: 'Tabellrad' }), tag('{/lines}')],
    },
    { width: itemWidths[2], body: [p('{diarienummer}', { style: 'Tabelltext' })] },
    { width: itemWidths[3], body: [p('{foredragande}{/items}', { style: 'Tabelltext' })] },
  ]);

  const signature = row([
    { width: TEXT_WIDTH / 2, body: [p('{ordforande}', { style: 'Underskrift' }), p('Ordförande', { style: 'Tabellrad' })] },
    { width: TEXT_WIDTH / 2, body: [p('{sekreterare}', { style: 'Underskrift' }), p('Sekreterare', { style: 'Tabellrad' })] },
  ]);

  const body = [
    p('{kommun}', { style: 'Kommun' }),
    p('{committee}', { style: 'Title' }),
    p('{title}', { style: 'Subtitle' }),
    table('Faktatabell', [1800, TEXT_WIDTH - 1800], facts),
    p(
      'Ledamot som har förhinder meddelar det till sekreteraren så snart som möjligt, så att en ersättare kan kallas. ' +
        'Jäv och övriga frågor kan anmälas i förväg till sekreteraren.',
      { spaceBefore: 240 },
    ),
    p('Dagordning', { style: 'Heading1' }),
    table('Dagordningstabell', itemWidths, [itemHeader, itemRow]),
    p(''),
    p('Ärenden', { style: 'Heading1' }),
    tag('{#arenden}'),
    p('{paragraph} {heading}', { style: 'Heading2' }),
    labelled('Löpnummer', '{lopnummer}'),
    tag('{#diarienummer}'),
    labelled('Diarienummer', '{diarienummer}'),
    tag('{/diarienummer}'),
    tag('{#handlaggareList}'),
    labelled('Handläggare', '{.}'),
    tag('{/handlaggareList}'),
    tag('{#foredragandeList}'),
    labelled('Föredragande', '{.}'),
    tag('{/foredragandeList}'),
    labelled('Ärendetyp', '{kind}'),
    tag('{#lines}'),
    p([run('{.}', { italic: true })]),
    tag('{/lines}'),
    tag('{#hasBeslutsunderlag}'),
    p('Beslutsunderlag', { style: 'Heading3' }),
    tag('{#beslutsunderlag}'),
    p('{.}', { style: 'ListBullet' }),
    tag('{/beslutsunderlag}'),
    tag('{/hasBeslutsunderlag}'),
    tag('{#forslagTillBeslut}'),
    p('Förslag till beslut', { style: 'Heading3' }),
    p('{forslagTillBeslut}'),
    tag('{/forslagTillBeslut}'),
    tag('{/arenden}'),
    tag('{^hasArenden}'),
    p('Inga ärenden är anmälda till sammanträdet.'),
    tag('{/hasArenden}'),
    p('', { spaceBefore: 480 }),
    table('Faktatabell', [TEXT_WIDTH / 2, TEXT_WIDTH / 2], [signature]),
    p(''),
  ];

  const sectPr =
    `<w:sectPr><w:headerReference w:type="default" r:id="rId10"/><w:footerReference w:type="default" r:id="rId11"/>` +
    `<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" w:header="709" w:footer="709" w:gutter="0"/>` +
    `<w:cols w:space="708"/></w:sectPr>`;
  return `${XML}<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body.join('')}${sectPr}</w:body></w:document>`;
}

function headerXml(): string {
  return (
    `${XML}<w:hdr xmlns:w="${W}" xmlns:r="${R}">` +
    p([run('{#kommun}{kommun} – {/kommun}{committee}'), '<w:r><w:tab/></w:r>', run('{title} {date}')], { style: 'Header' }) +
    `</w:hdr>`
  );
}

function footerXml(): string {
  const field = (instr: string) => `<w:fldSimple w:instr=" ${instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>`;
  return (
    `${XML}<w:ftr xmlns:w="${W}" xmlns:r="${R}">` +
    p([run('Sida '), field('PAGE'), run(' ('), field('NUMPAGES'), run(')')], { style: 'Footer', align: 'right' }) +
    `</w:ftr>`
  );
}

function style(
  id: string,
  name: string,
  o: { type?: 'paragraph' | 'table'; basedOn?: string; next?: string; pPr?: string; rPr?: string; tblPr?: string; extra?: string; isDefault?: boolean },
): string {
  return (
    `<w:style w:type="${o.type ?? 'paragraph'}"${o.isDefault ? ' w:default="1"' : ''} w:styleId="${id}"><w:name w:val="${name}"/>` +
    (o.basedOn ? `<w:basedOn w:val="${o.basedOn}"/>` : '') +
    (o.next ? `<w:next w:val="${o.next}"/>` : '') +
    (o.extra ?? '') +
    (o.pPr ? `<w:pPr>${o.pPr}</w:pPr>` : '') +
    (o.rPr ? `<w:rPr>${o.rPr}</w:rPr>` : '') +
    (o.tblPr ? `<w:tblPr>${o.tblPr}</w:tblPr>` : '') +
    `</w:style>`
  );
}

function stylesXml(): string {
  const font = (f: string) => `<w:rFonts w:ascii="${f}" w:hAnsi="${f}" w:eastAsia="${f}" w:cs="${f}"/>`;
  const size = (halfPoints: number) => `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`;
  const cellMargins = '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>';
  const heading = (level: number, sz: number, before: number) =>
    style(`Heading${level}`, `heading ${level}`, {
      basedOn: 'Normal',
      next: 'Normal',
      extra: '<w:uiPriority w:val="9"/><w:qFormat/>',
      pPr: `<w:keepNext/><w:keepLines/><w:spacing w:before="${before}" w:after="80"/><w:outlineLvl w:val="${level - 1}"/>`,
      rPr: `${font('Calibri Light')}<w:b/><w:bCs/><w:color w:val="${NAVY}"/>${size(sz)}`,
    });
  return (
    `${XML}<w:styles xmlns:w="${W}" xmlns:r="${R}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${font('Calibri')}${size(22)}<w:lang w:val="sv-SE" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    style('Normal', 'Normal', { isDefault: true, extra: '<w:qFormat/>' }) +
    style('Title', 'Title', {
      basedOn: 'Normal',
      next: 'Subtitle',
      extra: '<w:uiPriority w:val="10"/><w:qFormat/>',
      pPr: '<w:spacing w:after="0"/>',
      rPr: `${font('Calibri Light')}<w:color w:val="${NAVY}"/><w:kern w:val="28"/>${size(44)}`,
    }) +
    style('Subtitle', 'Subtitle', {
      basedOn: 'Normal',
      next: 'Normal',
      extra: '<w:uiPriority w:val="11"/><w:qFormat/>',
      pPr: `<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="${RULE}"/></w:pBdr><w:spacing w:after="240"/>`,
      rPr: `${font('Calibri Light')}<w:caps/><w:color w:val="${NAVY}"/><w:spacing w:val="20"/>${size(30)}`,
    }) +
    style('Kommun', 'Kommun', {
      basedOn: 'Normal',
      next: 'Title',
      extra: '<w:qFormat/>',
      pPr: '<w:spacing w:after="60"/>',
      rPr: `${font('Calibri Light')}<w:b/><w:color w:val="${NAVY}"/>${size(24)}`,
    }) +
    heading(1, 30, 360) +
    heading(2, 26, 280) +
    heading(3, 22, 160) +
    style('Uppgift', 'Uppgift', { basedOn: 'Normal', extra: '<w:qFormat/>', pPr: '<w:spacing w:after="20"/>' }) +
    style('Tabelltext', 'Tabelltext', { basedOn: 'Normal', extra: '<w:qFormat/>', pPr: '<w:spacing w:after="20" w:line="240" w:lineRule="auto"/>' }) +
    style('Tabellrad', 'Tabellrad', {
      basedOn: 'Tabelltext',
      extra: '<w:qFormat/>',
      rPr: `<w:color w:val="404040"/>${size(19)}`,
    }) +
    style('Underskrift', 'Underskrift', {
      basedOn: 'Tabelltext',
      extra: '<w:qFormat/>',
      pPr: `<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="404040"/></w:pBdr>`,
    }) +
    style('ListBullet', 'List Bullet', {
      basedOn: 'Normal',
      extra: '<w:uiPriority w:val="99"/><w:qFormat/>',
      pPr: '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="40"/><w:ind w:left="567" w:hanging="283"/>',
    }) +
    style('Header', 'header', {
      basedOn: 'Normal',
      pPr: `<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="${RULE}"/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="${TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/>`,
      rPr: `<w:color w:val="595959"/>${size(18)}`,
    }) +
    style('Footer', 'footer', { basedOn: 'Normal', pPr: '<w:spacing w:after="0"/>', rPr: `<w:color w:val="595959"/>${size(18)}` }) +
    style('TableNormal', 'Normal Table', {
      type: 'table',
      isDefault: true,
      extra: '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>',
      tblPr: `<w:tblInd w:w="0" w:type="dxa"/>${cellMargins}`,
    }) +
    style('Faktatabell', 'Faktatabell', { type: 'table', basedOn: 'TableNormal', tblPr: cellMargins }) +
    style('Dagordningstabell', 'Dagordningstabell', {
      type: 'table',
      basedOn: 'TableNormal',
      tblPr:
        `<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="${NAVY}"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="${NAVY}"/>` +
        `<w:insideH w:val="single" w:sz="4" w:space="0" w:color="${RULE}"/></w:tblBorders>${cellMargins}`,
    }) +
    `</w:styles>`
  );
}

function numberingXml(): string {
  return (
    `${XML}<w:numbering xmlns:w="${W}">` +
    `<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>` +
    `<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/><w:lvlJc w:val="left"/>` +
    `<w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:lvl></w:abstractNum>` +
    `<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`
  );
}

function settingsXml(): string {
  return (
    `${XML}<w:settings xmlns:w="${W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="1304"/><w:characterSpacingControl w:val="doNotCompress"/>` +
    `<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
    `<w:themeFontLang w:val="sv-SE"/></w:settings>`
  );
}

const CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function contentTypesXml(): string {
  const override = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  return (
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    override('/word/document.xml', `${CT}.document.main+xml`) +
    override('/word/styles.xml', `${CT}.styles+xml`) +
    override('/word/settings.xml', `${CT}.settings+xml`) +
    override('/word/numbering.xml', `${CT}.numbering+xml`) +
    override('/word/header1.xml', `${CT}.header+xml`) +
    override('/word/footer1.xml', `${CT}.footer+xml`) +
    override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    override('/docProps/app.xml', 'application/vnd.openxmlformats-officedocument.extended-properties+xml') +
    `</Types>`
  );
}

function relsXml(rels: [id: string, type: string, target: string][]): string {
  return (
    `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    rels.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('') +
    `</Relationships>`
  );
}

function coreXml(): string {
  return (
    `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>Kallelse</dc:title><dc:creator>Nämndbot</dc:creator><dc:language>sv-SE</dc:language></cp:coreProperties>`
  );
}

function appXml(): string {
  return (
    `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
    `xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Nämndbot</Application></Properties>`
  );
}

export function buildKallelseDocx(): Buffer {
  const zip = new PizZip();
  // A fixed date keeps the generated file identical from build to build.
  const date = new Date('2025-01-01T00:00:00Z');
  const add = (name: string, content: string) => zip.file(name, content, { date });
  add('[Content_Types].xml', contentTypesXml());
  add(
    '_rels/.rels',
    relsXml([
      ['rId1', `${REL}/officeDocument`, 'word/document.xml'],
      ['rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml'],
      ['rId3', `${REL}/extended-properties`, 'docProps/app.xml'],
    ]),
  );
  add('docProps/core.xml', coreXml());
  add('docProps/app.xml', appXml());
  add('word/document.xml', documentXml());
  add('word/styles.xml', stylesXml());
  add('word/settings.xml', settingsXml());
  add('word/numbering.xml', numberingXml());
  add('word/header1.xml', headerXml());
  add('word/footer1.xml', footerXml());
  add(
    'word/_rels/document.xml.rels',
    relsXml([
      ['rId1', `${REL}/styles`, 'styles.xml'],
      ['rId2', `${REL}/settings`, 'settings.xml'],
      ['rId3', `${REL}/numbering`, 'numbering.xml'],
      ['rId10', `${REL}/header`, 'header1.xml'],
      ['rId11', `${REL}/footer`, 'footer1.xml'],
    ]),
  );
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

if (require.main === module) {
  const out = path.join(__dirname, 'kallelse.docx');
  writeFileSync(out, buildKallelseDocx());
  console.log(`Skrev ${out}`);
}

/**
 * Builds templates/protokoll.docx, the default Word template for the protokoll, from scratch.
 *
 *   npx tsx templates/build-protokoll-docx.ts
 *
 * Written by hand like build-kallelse-docx.ts, byte-stable (fixed zip dates). A committee that
 * wants its letterhead copies the file, edits it in Word and points its template folder at it.
 * Tags are docxtemplater's: {field}, {#list}…{/list}, {.} (the current entry). The fields are
 * those of the protokoll view (src/templates/protokoll.ts), listed in docs/namndfilen.md.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function p(text: string, o: { style?: string; bold?: boolean } = {}): string {
  const pPr = o.style ? `<w:pPr><w:pStyle w:val="${o.style}"/></w:pPr>` : '';
  const rPr = o.bold ? '<w:rPr><w:b/></w:rPr>' : '';
  return `<w:p>${pPr}<w:r>${rPr}<w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p>`;
}

/** A heading followed by one paragraph per entry of a list, all left out when the list is empty. */
function section(title: string, list: string, style = 'Heading3'): string[] {
  return [p(`{#${list}Any}`), p(title, { style }), p(`{#${list}}`), p('{.}'), p(`{/${list}}`), p(`{/${list}Any}`)];
}

function documentXml(): string {
  const body = [
    p('Protokoll', { style: 'Title' }),
    p('{committee}', { style: 'Heading1' }),
    p('Datum: {date}'),
    p('Tid: {time}'),
    p('Plats: {place}'),
    ...section('Närvarande ledamöter', 'ledamoter'),
    ...section('Tjänstgörande ersättare', 'tjanstgorande'),
    ...section('Närvarande ersättare', 'ersattare'),
    ...section('Övriga närvarande', 'ovriga'),
    p('{paragrafer}', { bold: true }),
    p('{sekreterare}'),
    p('{digitalText}'),
    p('{ordforande}'),
    p('{#justerare}'),
    p('{.}'),
    p('{/justerare}'),
    p('{#paragraphs}'),
    p('{heading}', { style: 'Heading2' }),
    p('{#arendenummer}Ärendenummer: {arendenummer}{/arendenummer}'),
    p('{#handlaggare}Handläggare: {handlaggare}{/handlaggare}'),
    ...section('Ärendebeskrivning', 'beskrivning'),
    ...section('Beslutsunderlag', 'beslutsunderlag'),
    p('{#forslagAny}'),
    p('Förslag till beslut', { style: 'Heading3' }),
    p('{#forslag}'),
    p('– {.}'),
    p('{/forslag}'),
    p('{/forslagAny}'),
    p('{#text}'),
    p('{.}'),
    p('{/text}'),
    p('{#yrkanden}'),
    p('{.}'),
    p('{/yrkanden}'),
    p('{#votering}{votering}{/votering}'),
    p('{#beslutLead}'),
    p('Beslut', { style: 'Heading3' }),
    p('{beslutLead}'),
    p('{/beslutLead}'),
    p('{#beslut}'),
    p('– {.}'),
    p('{/beslut}'),
    ...section('Reservationer', 'reservationer'),
    ...section('Protokollsanteckningar', 'protokollsanteckningar'),
    p('{#expedieras}Expedieras till: {expedieras}{/expedieras}'),
    p('{/paragraphs}'),
    p('Bevis om anslag', { style: 'Heading2' }),
    p('Organ: {anslagOrgan}'),
    p('Sammanträdesdatum: {sammantradesdatum}'),
    p('Justeringsdatum: {justeringsdatum}'),
    p('Datum då anslaget sätts upp: {anslagUppsatt}'),
    p('Datum då anslaget tas ned: {anslagNedtagning}'),
    p('Förvaringsplats för protokollet: {forvaringsplats}'),
  ];
  return `${XML}<w:document xmlns:w="${W}"><w:body>${body.join('')}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>`;
}

function stylesXml(): string {
  const heading = (id: string, name: string, size: number) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="${size}"/></w:rPr></w:style>`;
  return (
    `${XML}<w:styles xmlns:w="${W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:lang w:val="sv-SE"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="80"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    heading('Title', 'Title', 36) +
    heading('Heading1', 'heading 1', 30) +
    heading('Heading2', 'heading 2', 26) +
    heading('Heading3', 'heading 3', 22) +
    `</w:styles>`
  );
}

export function buildProtokollDocx(): Buffer {
  const zip = new PizZip();
  const date = new Date('2025-01-01T00:00:00Z');
  const add = (name: string, content: string) => zip.file(name, content, { date });
  const CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  add(
    '[Content_Types].xml',
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${CT}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="${CT}.styles+xml"/></Types>`,
  );
  add('_rels/.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`);
  add('word/_rels/document.xml.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/></Relationships>`);
  add('word/document.xml', documentXml());
  add('word/styles.xml', stylesXml());
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

if (require.main === module) {
  const out = path.join(__dirname, 'protokoll.docx');
  writeFileSync(out, buildProtokollDocx());
  console.log(`Skrev ${out}`);
}

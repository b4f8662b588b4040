/**
 * Reading an ärendelista the secretary sends: an Excel workbook (.xlsx), a CSV file (semicolon
 * or comma; UTF-8 with or without BOM, or Windows-1252 as Swedish Excel saves it), or the
 * dagordning of a mötesbok as text ("5/25 JUSK Tid för justering<TAB>3").
 *
 * Columns are found by their Swedish names as the ärendehanteringssystem export them, case and
 * accents ignored (Löpnummer, Rubrik / Ärendemening, Diarienummer / Dnr, Handläggare,
 * Föredragande, Typ, Förslag till beslut, Sekretess); unknown columns are reported, not fatal.
 * Every problem names the row and the column, in Swedish. Nothing here knows the committee:
 * the rows are read as written, and `import-preview.ts` in the core matches them to it.
 *
 * Libraries: read-excel-file (xlsx, pure JavaScript) and csv-parse (the csv-stringify family);
 * Windows-1252 is decoded here (`decodeWindows1252`).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { normalizeForMatch } from '../domain/text';

/** The largest file read at all; larger ones are refused before any parsing. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** More ärenden than this on one meeting is not an ärendelista. */
export const MAX_IMPORT_ROWS = 300;
/** At most this many problems are listed; the rest are counted. */
const MAX_PROBLEMS = 10;

export type ImportFormat = 'xlsx' | 'csv' | 'text';

/** A person named in a Handläggare or Föredragande cell: "Annika Dalén, jämställdhetsstrateg". */
export interface ImportPerson {
  name: string;
  befattning?: string;
}

/** One ärende as the file gives it. */
export interface ImportRow {
  /** The row (spreadsheet row, CSV line or text line, 1-based) it came from. */
  row: number;
  lopnummer: string;
  title: string;
  diarienummer?: string;
  handlaggare: ImportPerson[];
  foredragande: ImportPerson[];
  kind: 'beslut' | 'information';
  forslagTillBeslut?: string;
  sekretess: boolean;
}

export interface ReadArendelista {
  format: ImportFormat;
  rows: ImportRow[];
  /** The fields the file has columns for: an ärende already on the meeting keeps what the file does not say. */
  fields: ImportField[];
  /** Column headings not understood: reported to the secretary, their cells left out. */
  unknownColumns: string[];
  /** What a mötesbok says about the meeting itself. */
  meeting?: { date?: string; place?: string; start?: string; end?: string };
}

export type ReadResult = ({ ok: true } & ReadArendelista) | { ok: false; problems: string[] };

export type ImportField = Field;
type Field = 'lopnummer' | 'title' | 'diarienummer' | 'handlaggare' | 'foredragande' | 'kind' | 'forslag' | 'sekretess' | 'page';

/** Column names as the systems export them, normalised (lower case, no accents, letters and digits only). */
const COLUMN_NAMES: Record<Field, readonly string[]> = {
  lopnummer: ['lopnummer', 'lopnr', 'lopnummer', 'arendenummer', 'arendenr', 'nr'],
  title: ['rubrik', 'arendemening', 'arenderubrik', 'arende', 'titel', 'beskrivning'],
  diarienummer: ['diarienummer', 'dnr', 'diarienr', 'diariernr'],
  handlaggare: ['handlaggare', 'beredningsansvarig', 'beredningsansvariga', 'ansvarighandlaggare'],
  foredragande: ['foredragande', 'foredragandetjansteperson'],
  kind: ['typ', 'arendetyp', 'slag'],
  forslag: ['forslagtillbeslut', 'forslag', 'beslutsforslag'],
  sekretess: ['sekretess', 'sekretessmarkerad', 'sekretessarende'],
  page: ['sida', 'sidnummer', 'sid'],
};

const COLUMN_LABEL: Record<Field, string> = {
  lopnummer: 'Löpnummer',
  title: 'Rubrik',
  diarienummer: 'Diarienummer',
  handlaggare: 'Handläggare',
  foredragande: 'Föredragande',
  kind: 'Typ',
  forslag: 'Förslag till beslut',
  sekretess: 'Sekretess',
  page: 'Sida',
};

const LOPNUMMER = /^\d{1,4}(\/\d{2,4})?$/;

function columnKey(heading: string): string {
  return normalizeForMatch(heading).replace(/[^a-z0-9]/g, '');
}

/** Reads the file; never throws for a bad file, answers with what is wrong instead. */
export async function readArendelista(name: string, bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.length === 0) return fail('Filen är tom.');
  if (bytes.length > MAX_IMPORT_BYTES) {
    return fail(`Filen är ${(bytes.length / 1024 / 1024).toFixed(1).replace('.', ',')} MB; en ärendelista får vara högst ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Skicka bara listan med ärenden.`);
  }
  const lower = name.toLowerCase();
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (ole || lower.endsWith('.xls')) return fail('Filen är i det gamla Excel-formatet (.xls). Spara den som Excel-arbetsbok (.xlsx) eller CSV och skicka den igen.');
  if (lower.endsWith('.docx') || lower.endsWith('.pdf') || startsWith(bytes, '%PDF')) {
    return fail('Filen är ett dokument (Word eller PDF), inte en ärendelista. Skicka listan som Excel (.xlsx), CSV eller text (.txt), eller klistra in dagordningen.');
  }
  if (zip || lower.endsWith('.xlsx')) return readXlsx(bytes);
  const text = decodeText(bytes);
  if (text === undefined) return fail('Filen är varken Excel, CSV eller text. Skicka listan som Excel (.xlsx), CSV eller text (.txt).');
  if (lower.endsWith('.csv')) return readCsv(text);
  if (lower.endsWith('.txt') || looksLikeDagordning(text)) return readDagordning(text);
  return readCsv(text);
}

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  return [...ascii].every((c, i) => bytes[i] === c.charCodeAt(0));
}

function fail(...problems: string[]): ReadResult {
  return { ok: false, problems };
}

/**
 * The text of a file: UTF-8 (a BOM is dropped) when it is valid UTF-8, otherwise Windows-1252,
 * which is what Swedish Excel writes for "CSV (semikolonavgränsad)". Undefined for binary data.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    text = decodeWindows1252(bytes);
  }
  // Control characters other than tab and line breaks mean this is not text.
  const sample = text.slice(0, 64 * 1024);
  const control = (sample.match(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g) ?? []).length;
  if (control > 0) return undefined;
  return text;
}

/**
 * Windows-1252 is Latin-1 except for 0x80–0x9F, where it has – — ‘ ’ “ ” € … and others. Node's
 * TextDecoder('windows-1252') gives Latin-1 there (C1 control characters), so those 32 bytes are
 * mapped here; undefined bytes keep their Latin-1 value, as browsers do.
 */
const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk).replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!);
  }
  return out;
}

async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  let data: unknown[][];
  try {
    // Loaded at the first Excel file: a start need not wait for it.
    const { readSheet } = require('read-excel-file/node') as typeof import('read-excel-file/node');
    data = (await readSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) as unknown[][];
  } catch {
    return fail('Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Öppna den i Excel, spara som .xlsx (eller CSV) och skicka den igen.');
  }
  const rows = data.map((r) => r.map(cellText));
  return readTable('xlsx', rows);
}

function cellText(v: unknown): string | Date {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v;
  return String(v).trim();
}

function readCsv(text: string): ReadResult {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = { ';': count(firstLine, ';'), ',': count(firstLine, ','), '\t': count(firstLine, '\t') };
  const delimiter = (Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![1] > 0 ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0] : ';') as ';' | ',' | '\t';
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return fail(`${line ? `Rad ${line}: ` : ''}CSV-filen går inte att läsa (ett citattecken som inte avslutas?). Spara den från Excel igen som "CSV UTF-8" eller "CSV (semikolonavgränsad)".`);
  }
  return readTable('csv', rows);
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

/** A table (first non-empty row the headings) into rows, every problem naming row and column. */
function readTable(format: 'xlsx' | 'csv', table: (string | Date)[][]): ReadResult {
  const headerAt = table.findIndex((r) => r.some((c) => c !== ''));
  if (headerAt < 0) return fail('Filen har inga rader.');
  const headings = table[headerAt]!.map((h) => (h instanceof Date ? '' : h));
  const columns = new Map<Field, number>();
  const unknownColumns: string[] = [];
  const keys = headings.map(columnKey);
  // Löpnummer and Ärendenummer both present: then Ärendenummer is the diarienummer (as in many protocols).
  const hasLopnummer = keys.some((k) => ['lopnummer', 'lopnr', 'lopnummer'].includes(k));
  keys.forEach((key, i) => {
    if (key === '') return;
    let field = (Object.keys(COLUMN_NAMES) as Field[]).find((f) => COLUMN_NAMES[f].includes(key));
    if (hasLopnummer && (key === 'arendenummer' || key === 'arendenr')) field = 'diarienummer';
    if (!field || columns.has(field)) unknownColumns.push(headings[i]!);
    else columns.set(field, i);
  });
  const row1 = headerAt + 1;
  if (!columns.has('lopnummer') || !columns.has('title')) {
    const missing = [!columns.has('lopnummer') && 'Löpnummer (eller Ärendenummer)', !columns.has('title') && 'Rubrik (eller Ärendemening)'].filter(Boolean).join(' och ');
    return fail(
      `Rad ${row1}: jag hittar ingen kolumn ${missing}. Första raden ska ha kolumnernas namn, till exempel Löpnummer; Rubrik; Diarienummer; Handläggare; Typ. Kolumnerna jag såg: ${headings.filter((h) => h !== '').slice(0, 12).join(', ') || 'inga'}.`,
    );
  }
  const problems: string[] = [];
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  const problem = (row: number, field: Field, text: string) => problems.push(`Rad ${row}, kolumn ${headings[columns.get(field)!] || COLUMN_LABEL[field]}: ${text}`);
  for (let r = headerAt + 1; r < table.length; r++) {
    const cells = table[r]!;
    if (cells.every((c) => c === '')) continue;
    const rowNumber = r + 1;
    const cell = (f: Field): string | Date => (columns.has(f) ? (cells[columns.get(f)!] ?? '') : '');
    const text = (f: Field): string => {
      const v = cell(f);
      return v instanceof Date ? v.toISOString().slice(0, 10) : v.replace(/\s+/g, ' ').trim();
    };
    const rawLop = cell('lopnummer');
    if (rawLop instanceof Date) {
      problem(rowNumber, 'lopnummer', 'Excel har gjort om löpnumret till ett datum. Formatera kolumnen som Text, skriv in löpnumren igen (till exempel 5/25) och spara.');
      continue;
    }
    const lopnummer = rawLop.replace(/\s+/g, '');
    if (lopnummer === '') problem(rowNumber, 'lopnummer', 'löpnumret saknas. Skriv det som 5/25.');
    else if (!LOPNUMMER.test(lopnummer)) problem(rowNumber, 'lopnummer', `"${lopnummer.slice(0, 40)}" är inget löpnummer. Skriv det som 5/25.`);
    else if (seen.has(lopnummer)) problem(rowNumber, 'lopnummer', `löpnummer ${lopnummer} finns redan på rad ${seen.get(lopnummer)}. Varje ärende ska ha ett eget löpnummer.`);
    else seen.set(lopnummer, rowNumber);
    const title = text('title');
    if (title === '') problem(rowNumber, 'title', 'rubriken saknas.');
    else if (title.length > 300) problem(rowNumber, 'title', `rubriken är ${title.length} tecken; högst 300 går.`);
    const diarienummer = text('diarienummer');
    if (diarienummer.length > 60) problem(rowNumber, 'diarienummer', `diarienumret är ${diarienummer.length} tecken; högst 60 går.`);
    const kindText = columnKey(text('kind'));
    let kind: ImportRow['kind'] = 'beslut';
    if (['information', 'info', 'informationsarende', 'i'].includes(kindText)) kind = 'information';
    else if (!['', 'beslut', 'beslutsarende', 'b'].includes(kindText)) problem(rowNumber, 'kind', `"${text('kind').slice(0, 40)}" är ingen ärendetyp. Skriv beslut eller information.`);
    const forslag = text('forslag');
    if (forslag.length > 4000) problem(rowNumber, 'forslag', `förslaget är ${forslag.length} tecken; högst 4000 går.`);
    const sekretessText = columnKey(text('sekretess'));
    let sekretess = false;
    if (['ja', 'x', 'sekretess', 'true', '1', 'sant'].includes(sekretessText)) sekretess = true;
    else if (!['', 'nej', '0', 'false', 'falskt'].includes(sekretessText)) problem(rowNumber, 'sekretess', `"${text('sekretess').slice(0, 40)}" går inte att läsa. Skriv ja eller nej.`);
    if (problems.length > MAX_PROBLEMS * 3) break;
    rows.push({
      row: rowNumber,
      lopnummer,
      title,
      ...(diarienummer ? { diarienummer } : {}),
      handlaggare: people(text('handlaggare')),
      foredragande: people(text('foredragande')),
      kind,
      ...(forslag ? { forslagTillBeslut: forslag } : {}),
      sekretess,
    });
  }
  if (problems.length) return fail(...limitProblems(problems));
  if (rows.length === 0) return fail(`Filen har rubrikraden (rad ${row1}) men inga ärenden under den.`);
  if (rows.length > MAX_IMPORT_ROWS) return fail(`Filen har ${rows.length} ärenden; ett sammanträde kan ha högst ${MAX_IMPORT_ROWS}. Skicka bara det här sammanträdets ärenden.`);
  // The page column is known and needs no mention; others are reported.
  return { ok: true, format, rows, fields: [...columns.keys()], unknownColumns };
}

function limitProblems(problems: string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), `… och ${problems.length - MAX_PROBLEMS} fel till.`];
}

/** "Annika Dalén, jämställdhetsstrateg; Linda Gustafsson, jämställdhetsstrateg": the people in a cell. */
export function people(cell: string): ImportPerson[] {
  if (!cell) return [];
  return cell
    .split(/\s*(?:;|\n| och )\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const [name, ...rest] = p.split(',').map((s) => s.trim());
      const befattning = rest.join(', ');
      return befattning ? { name: name!, befattning } : { name: name! };
    });
}

const ITEM_LINE = /^(\d{1,4}\/\d{2,4})[ \t]+(.+)$/;

function looksLikeDagordning(text: string): boolean {
  return text.split(/\r?\n/).some((l) => ITEM_LINE.test(l.trim()));
}

/**
 * The dagordning of a mötesbok: head lines ("Datum: 2025-02-13", "Plats: …", "Tid: 13.00–16.00")
 * and one line per ärende, "5/25 JUSK Tid för justering<TAB>3": löpnummer, title and the page in
 * the book (after a tab, or a number of at most three digits at the end). It ends at the first
 * other line after the ärenden, so a whole mötesbok can be pasted.
 */
export function readDagordning(text: string): ReadResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const meeting: NonNullable<ReadArendelista['meeting']> = {};
  const rows: ImportRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\u00a0/g, ' ').trim();
    const lineNo = i + 1;
    const head = /^(datum|plats|tid)\s*:\s*(.*)$/i.exec(line);
    if (head && rows.length === 0) {
      const key = normalizeForMatch(head[1]!);
      const value = head[2]!.trim();
      if (key === 'datum' && value) {
        if (/^\d{4}-\d{2}-\d{2}$/.test(value)) meeting.date = value;
        else problems.push(`Rad ${lineNo}, Datum: "${value.slice(0, 40)}" är inget datum. Skriv det som ÅÅÅÅ-MM-DD.`);
      }
      if (key === 'plats' && value) meeting.place = value.slice(0, 200);
      if (key === 'tid' && value) {
        const t = /^(?:kl\.?\s*)?(\d{1,2})[.:](\d{2})(?:\s*[-–]\s*(\d{1,2})[.:](\d{2}))?$/.exec(value);
        if (t) {
          meeting.start = `${t[1]!.padStart(2, '0')}:${t[2]}`;
          if (t[3]) meeting.end = `${t[3].padStart(2, '0')}:${t[4]}`;
        } else problems.push(`Rad ${lineNo}, Tid: "${value.slice(0, 40)}" är ingen tid. Skriv den som 13.00–16.00.`);
      }
      continue;
    }
    const m = ITEM_LINE.exec(line);
    if (!m) {
      if (rows.length > 0 && line !== '') break;
      continue;
    }
    const lopnummer = m[1]!;
    let title = m[2]!;
    const tab = title.lastIndexOf('\t');
    if (tab >= 0 && /^\d{1,4}$/.test(title.slice(tab + 1).trim())) title = title.slice(0, tab);
    else title = title.replace(/\s+\d{1,3}$/, '');
    title = title.replace(/\s+/g, ' ').trim();
    if (seen.has(lopnummer)) problems.push(`Rad ${lineNo}, löpnummer ${lopnummer}: finns redan på rad ${seen.get(lopnummer)}. Varje ärende ska ha ett eget löpnummer.`);
    else seen.set(lopnummer, lineNo);
    if (title.length > 300) problems.push(`Rad ${lineNo}, rubrik: ${title.length} tecken; högst 300 går.`);
    rows.push({ row: lineNo, lopnummer, title, handlaggare: [], foredragande: [], kind: 'beslut', sekretess: false });
  }
  if (problems.length) return fail(...limitProblems(problems));
  if (rows.length === 0) {
    return fail('Jag hittar inga ärenden i texten. Varje ärende ska stå på en egen rad som börjar med löpnumret, till exempel "5/25 Tid för justering".');
  }
  if (rows.length > MAX_IMPORT_ROWS) return fail(`Texten har ${rows.length} ärenden; ett sammanträde kan ha högst ${MAX_IMPORT_ROWS}.`);
  return { ok: true, format: 'text', rows, fields: ['lopnummer', 'title'], unknownColumns: [], ...(Object.keys(meeting).length ? { meeting } : {}) };
}

/**
 * Template mistakes as Swedish messages that name the file, the line or tag, and what is wrong.
 *
 * LiquidJS and docxtemplater report in English with their own error shapes; the secretary who
 * edits a template gets one sentence per problem instead.
 */
import path from 'node:path';
import { TEMPLATE_LIMITS } from './limits';

export interface TemplateProblem {
  /** The template's file name, e.g. "dagordning.md.liquid". */
  file: string;
  line?: number;
  column?: number;
  /** The tag as written, e.g. "{% if item.sekretess %}" or "{#items}". */
  tag?: string;
  /** What is wrong, in Swedish, without the location. */
  what: string;
  /** The whole sentence: location and what is wrong. */
  message: string;
}

export class TemplateError extends Error {
  readonly problems: TemplateProblem[];
  constructor(problems: TemplateProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'TemplateError';
    this.problems = problems;
  }
}

export function problem(file: string, what: string, where: { line?: number; column?: number; tag?: string; part?: string } = {}): TemplateProblem {
  const name = path.basename(file);
  let location = `Fel i mallen ${name}`;
  if (where.part) location += ` (${where.part})`;
  if (where.line !== undefined) location += `, rad ${where.line}`;
  if (where.column !== undefined) location += `, kolumn ${where.column}`;
  // Name the tag in the location only when the explanation does not quote it already.
  if (where.tag && !what.includes(where.tag)) location += `, vid ${where.tag}`;
  const p: TemplateProblem = { file: name, what, message: `${location}: ${what}` };
  if (where.line !== undefined) p.line = where.line;
  if (where.column !== undefined) p.column = where.column;
  if (where.tag) p.tag = where.tag;
  return p;
}

/** Raised by the docx data guard when filling in takes too long; recognised in `docxProblems`. */
export class RenderTimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`render time limit ${limitMs} ms exceeded`);
    this.name = 'RenderTimeLimitError';
  }
}

// ---------------------------------------------------------------- LiquidJS

interface LiquidLikeError extends Error {
  token?: { getPosition?: () => [number, number]; getText?: () => string; file?: string };
  originalError?: Error;
  errors?: LiquidLikeError[];
}

/** "{% if x %}" -> "if" */
function tagName(tagText: string): string {
  return /^\{%-?\s*(\w+)/.exec(tagText)?.[1] ?? '';
}

/** LiquidJS quotes unclosed tags with escaped line breaks ("{{ place\\n"). */
function oneLine(s: string): string {
  return s.replace(/\\[nrt]|\s+/g, ' ').trim();
}

/** Where a template's fields are listed: the protokoll's own default template, or the agenda's. */
export function fieldsHint(file: string): string {
  const reference = path.basename(file).startsWith('protokoll') ? 'protokoll.md.liquid' : 'dagordning.md.liquid';
  return `Fälten som finns står överst i standardmallen ${reference}.`;
}

function translateLiquid(raw: string, file: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^tag (\{%.*%\}) not closed$/s.exec(raw))) {
    const name = tagName(m[1]);
    return `taggen ${m[1]} avslutas aldrig. Lägg till {% end${name} %} där blocket ska sluta.`;
  }
  if ((m = /^tag "(\{%.*)" not closed$/s.exec(raw))) return `taggen ${oneLine(m[1])} stängs aldrig. Lägg till %} efter den.`;
  if ((m = /^output "(\{\{.*)" not closed$/s.exec(raw))) return `utskriften ${oneLine(m[1])} stängs aldrig. Lägg till }} efter den.`;
  if ((m = /^tag "(end\w*)" not found$/.exec(raw))) return `{% ${m[1]} %} avslutar ett block som aldrig öppnades, eller har fel namn.`;
  if ((m = /^tag "(.+)" not found$/.exec(raw))) return `taggen "${m[1]}" finns inte i Liquid. Kontrollera stavningen.`;
  if ((m = /^undefined filter: (.+)$/.exec(raw))) return `filtret "${m[1]}" finns inte. Kontrollera stavningen.`;
  if ((m = /^undefined variable: (.+)$/.exec(raw))) {
    return `fältet "${m[1]}" finns inte. ${fieldsHint(file)}`;
  }
  if ((m = /^illegal tag: (.+)$/s.exec(raw))) return `taggen ${m[1]} är felskriven.`;
  // LiquidJS's renderLimit (time) reports itself as "template render limit exceeded".
  if (/render limit exceeded/.test(raw)) {
    return `mallen tog längre tid än ${TEMPLATE_LIMITS.liquidRenderMs} ms att fylla i. Kontrollera loopar inuti loopar.`;
  }
  if (/largest allocation limit exceeded/.test(raw)) {
    return `mallen skapar för mycket på en gång (ett intervall eller en text med mer än ${TEMPLATE_LIMITS.liquidLargestAllocation} delar). Kontrollera intervall som (1..1000000).`;
  }
  if (/memory alloc limit exceeded/.test(raw)) return 'mallen skapar för mycket text. Kontrollera loopar inuti loopar och stora intervall som (1..100000).';
  if (/parse length limit exceeded/.test(raw)) return `mallen är för stor (högst ${TEMPLATE_LIMITS.liquidParseChars} tecken).`;
  if ((m = /^ENOENT: Failed to lookup "([^"]*)"/.exec(raw)) || (m = /^ENOENT: (.*)$/.exec(raw))) {
    return `mallen "${m[1]}" finns inte. Med include och render går det bara att hämta andra .liquid-mallar ur samma mallkatalog.`;
  }
  if (/startsWith is not a function/.test(raw)) return 'include och render måste få ett mallnamn inom citattecken, till exempel {% render "_sidhuvud" %}.';
  return `mallen kan inte tolkas här (${raw}).`;
}

/** One LiquidJS error (parse or render) as problems located in `file`. */
export function liquidProblems(err: unknown, file: string): TemplateProblem[] {
  const e = err as LiquidLikeError;
  if (e && Array.isArray(e.errors) && e.errors.length > 0) return e.errors.flatMap((x) => liquidProblems(x, file));
  const message = e?.message ?? String(err);
  // LiquidJS appends ", file:x, line:n, col:m" and a source excerpt to its messages.
  const raw = (e?.originalError?.message ?? message).split('\n')[0].replace(/(, file:[^,]*)?, line:\d+, col:\d+$/, '');
  const position = e?.token?.getPosition?.();
  const text = e?.token?.getText?.()?.trim();
  const where: { line?: number; column?: number; tag?: string } = {};
  if (position) {
    where.line = position[0];
    where.column = position[1];
  }
  const what = translateLiquid(raw, file);
  // The tag as written helps find it; a long one (a whole block) does not.
  if (text && text.length <= 80) where.tag = text;
  return [problem(e?.token?.file ? path.basename(e.token.file) : file, what, where)];
}

// ---------------------------------------------------------------- docxtemplater

function timeLimitText(limitMs: number): string {
  return `mallen tog längre tid än ${limitMs} ms att fylla i. Kontrollera block inuti block, till exempel {#items} inuti {#items}.`;
}

interface DocxErrorProperties {
  id?: string;
  xtag?: string;
  explanation?: string;
  file?: string;
  openingtag?: string;
  closingtag?: string;
  pair?: { left: string; right: string };
  lastPair?: { left: string; right: string };
  rootError?: Error;
  errors?: { properties?: DocxErrorProperties; message?: string }[];
}

/** Where in the .docx, when not the main text. */
function partName(file: string | undefined): string | undefined {
  if (!file || file === 'word/document.xml') return undefined;
  if (/^word\/header\d*\.xml$/.test(file)) return 'i sidhuvudet';
  if (/^word\/footer\d*\.xml$/.test(file)) return 'i sidfoten';
  return `i ${file}`;
}

function translateDocx(p: DocxErrorProperties, fallback: string): { what: string; tag?: string } {
  const x = p.xtag ?? '';
  switch (p.id) {
    case 'unopened_tag': {
      // docxtemplater's context starts at the previous tag's "}".
      const text = x.replace(/^\}+/, '');
      return { what: `en } saknar sin { (i texten "${text}}"). Lägg till { där taggen börjar.`, tag: `${text}}` };
    }
    case 'unclosed_tag':
      return { what: `taggen {${x} stängs aldrig. Lägg till } efter den.`, tag: `{${x}` };
    case 'duplicate_open_tag':
      return { what: `en tagg börjar med två { (i texten "${x}"). Använd en enda {.`, tag: x };
    case 'duplicate_close_tag':
      return { what: `en tagg slutar med två } (i texten "${x}"). Använd en enda }.`, tag: x };
    case 'unclosed_loop':
      return { what: `blocket {#${x}} avslutas aldrig. Lägg till {/${x}} där det ska sluta.`, tag: `{#${x}}` };
    case 'unopened_loop':
      return { what: `{/${x}} avslutar ett block som aldrig öppnades. Lägg till {#${x}} där det ska börja.`, tag: `{/${x}}` };
    case 'closing_tag_does_not_match_opening_tag':
      return {
        what: `blocket {#${p.openingtag}} avslutas med {/${p.closingtag}}. Början och slutet måste ha samma namn.`,
        tag: `{#${p.openingtag}}`,
      };
    case 'unbalanced_loop_tags':
      return {
        what: `blocken {#${p.lastPair?.left}}…{/${p.lastPair?.right}} och {#${p.pair?.left}}…{/${p.pair?.right}} korsar varandra. Ett block måste ligga helt inuti ett annat, till exempel i samma tabellrad.`,
        tag: `{#${p.pair?.left}}`,
      };
    case 'loop_position_invalid':
      return {
        what: `början och slutet av blocket {#${x}} ligger på ställen som inte hänger ihop, till exempel den ena i en tabell och den andra utanför.`,
        tag: `{#${x}}`,
      };
    case 'raw_xml_tag_should_be_only_text_in_paragraph':
      return { what: `taggen {@${x}} måste stå ensam i sitt stycke.`, tag: `{@${x}}` };
    case 'malformed_xml':
    case 'file_has_invalid_xml':
      return { what: 'filen innehåller ogiltig Word-XML. Spara om den i Word eller LibreOffice.' };
    case 'scopeparser_execution_failed':
      if (p.rootError instanceof RenderTimeLimitError) return { what: timeLimitText(p.rootError.limitMs) };
      return { what: `taggen {${x}} kunde inte fyllas i (${p.rootError?.message ?? fallback}).`, tag: `{${x}}` };
    default:
      return { what: `mallen kan inte tolkas här (${p.explanation ?? fallback}).`, tag: x ? `{${x}}` : undefined };
  }
}

/** A docxtemplater error (often a multi error) as problems in `file`. */
export function docxProblems(err: unknown, file: string): TemplateProblem[] {
  if (err instanceof RenderTimeLimitError) return [problem(file, timeLimitText(err.limitMs))];
  const e = err as Error & { properties?: DocxErrorProperties };
  const props = e?.properties;
  if (!props) return [problem(file, `dokumentet kunde inte läsas (${e?.message ?? String(err)}).`)];
  const list = props.id === 'multi_error' && props.errors?.length ? props.errors : [{ properties: props, message: e.message }];
  return list.map((x) => {
    const p = x.properties ?? {};
    const { what, tag } = translateDocx(p, x.message ?? '');
    return problem(file, what, { tag, part: partName(p.file) });
  });
}

/** The same problem reported twice (e.g. private and channel view) is shown once. */
export function uniqueProblems(problems: TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
}

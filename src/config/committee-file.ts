/**
 * Loading committee files (YAML or JSON) into validated `Committee` objects.
 *
 * Every problem becomes a `ConfigError` with a Swedish message that names the file, the line and
 * the path inside the file, because the person fixing it is a secretary with a text editor, not a
 * developer with a stack trace. Loading is all-or-nothing: one bad file stops every committee, so
 * the bot never starts half-configured.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { committeeSchema, compactCommittee, type Committee } from '../domain/committee';
import { findJsonSyntaxError } from './json-syntax';
import { swedishErrorMap, unknownKeyMessage } from './swedish-issues';
import { swedishNumber } from '../domain/text';

/** One thing wrong in one file. `path` is like `meetings[1].items[3].lopnummer`; `line` is 1-based. */
export interface ConfigProblem {
  readonly file: string;
  readonly path?: string;
  readonly line?: number;
  readonly message: string;
}

/**
 * The largest committee file read. A real one (a kommunfullmäktige with a year of sammanträden)
 * is a few hundred kB; parsing may take several hundred times the file's size in memory, so a runaway file
 * must be refused before it is read, not after it has taken the process down.
 */
export const MAX_COMMITTEE_FILE_BYTES = 1024 * 1024;

/** Problems listed in one error; past this the secretary fixes the first ones and checks again. */
export const MAX_LISTED_PROBLEMS = 100;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** What is listed: at most MAX_LISTED_PROBLEMS, then one line saying how many more there are. */
  readonly problems: readonly ConfigProblem[];
  /** The listed problems without that line (for gathering several files' errors into one). */
  readonly listed: readonly ConfigProblem[];
  /** How many problems there are in all, listed or not. */
  readonly total: number;

  /** `total`: when only some of the problems were worked out (a runaway file), how many there are. */
  constructor(problems: readonly ConfigProblem[], options?: { cause?: unknown; total?: number }) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    const total = Math.max(options?.total ?? 0, problems.length);
    const withRest = total > listed.length ? [...listed, notListedProblem(listed, total - listed.length)] : listed;
    super(formatProblems(withRest, total), options);
    this.problems = withRest;
    this.listed = listed;
    this.total = total;
  }
}

function notListedProblem(listed: readonly ConfigProblem[], rest: number): ConfigProblem {
  const files = [...new Set(listed.map((p) => p.file))];
  return { file: files.join(', '), message: `${swedishNumber(rest)} fel till visas inte – rätta de första, oftast samma misstag upprepat, och kontrollera filen igen` };
}

export function formatProblem(p: ConfigProblem): string {
  const where = [p.file, p.line !== undefined ? `rad ${p.line}` : undefined, p.path].filter((s) => s !== undefined && s !== '');
  return `${where.join(', ')}: ${p.message}`;
}

function formatProblems(problems: readonly ConfigProblem[], total: number): string {
  const files = new Set(problems.map((p) => p.file));
  const subject = files.size > 1 ? 'Nämndfilerna' : 'Nämndfilen';
  return [
    `${subject} har ${swedishNumber(total)} fel:`,
    ...problems.map((p) => `- ${formatProblem(p)}`),
    'Rätta felen och försök igen.',
  ].join('\n');
}

export type CommitteeFileFormat = 'yaml' | 'json';

/** The format from the file name, or undefined for anything that is not a committee file. */
export function committeeFileFormat(file: string): CommitteeFileFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return undefined;
}

const NOT_A_COMMITTEE_HINT = 'den ska innehålla en nämnd med nycklarna id, name, shortName, members och meetings på översta nivån';

/**
 * A parsed file that passed validation, with the lines of the two keys checked across files
 * (id and shortName). Only those lines are kept, not the parsed document: a document is many
 * times the file's size, and thousands of them held until every file is read would take
 * gigabytes.
 */
interface LoadedFile {
  readonly committee: Committee;
  readonly idLine: number | undefined;
  readonly shortNameLine: number | undefined;
}

/**
 * Files read and parsed at once while loading: enough to keep the disk busy, few enough that a
 * folder of thousands of files neither opens them all together nor holds all their texts.
 */
const FILES_AT_ONCE = 8;

/** Parse and validate a committee file's text. `file` is only used in messages. */
export function parseCommittee(text: string, file: string, format: CommitteeFileFormat = committeeFileFormat(file) ?? 'yaml'): Committee {
  return parseText(text, file, format).committee;
}

function parseText(rawText: string, file: string, format: CommitteeFileFormat): LoadedFile {
  // A BOM from Windows editors is not content; JSON.parse would reject it.
  const text = rawText.startsWith('\ufeff') ? rawText.slice(1) : rawText;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  // Errors at end of file point at the last line with content, not the empty line after it.
  const lastContent = Math.max(0, text.trimEnd().length - 1);
  const lineAt = (offset: number) => lineCounter.linePos(Math.min(offset, lastContent)).line;
  const problem = (message: string, line?: number, p?: string): ConfigProblem => ({ file, message, line, path: p });

  if (text.trim() === '') throw new ConfigError([problem(`filen är tom – ${NOT_A_COMMITTEE_HINT}`)]);

  let data: unknown;
  let syntaxProblems: ConfigProblem[] = [];
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ConfigError([jsonSyntaxProblem(file, text, lineAt)], { cause: e });
    }
    // JSON.parse keeps the last of two equal keys without a word; the YAML parser notices.
    const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    if (duplicates.length > 0) {
      throw new ConfigError(duplicates.map((e) => problem(duplicateKeyMessage(text, e.pos[0]), lineAt(e.pos[0]))));
    }
  } else {
    if (doc.errors.length > 0) {
      // Not push(...): a broken file can have hundreds of thousands of errors, past the stack's
      // limit for arguments.
      syntaxProblems = dedupe(
        doc.errors.map((e) => {
          const quoteStart = /quote/i.test(e.message) ? openingQuoteAt(doc, e.pos[0]) : undefined;
          if (quoteStart !== undefined) {
            // The parser notices at the end of the file; the mistake is where the text begins.
            return problem('ett avslutande citattecken saknas – texten som börjar här ska sluta med samma citattecken som den börjar med', lineAt(quoteStart));
          }
          return problem(yamlErrorMessage(e.code, e.message, text, e.pos[0]), lineAt(e.pos[0]));
        }),
      );
    }
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // Unresolved or runaway aliases (*namn) only surface when values are built.
      if (syntaxProblems.length > 0) throw new ConfigError(syntaxProblems, { cause: e });
      throw new ConfigError([problem(`en referens (*namn) kan inte lösas upp – kontrollera att ankaret (&namn) finns före referensen`)], { cause: e });
    }
    // The parser reads on past a syntax error. When what it read is still a committee, its
    // problems are listed in the same run, so the secretary fixes the file once, not line by line.
    if (syntaxProblems.length > 0 && (data === null || typeof data !== 'object' || Array.isArray(data))) throw new ConfigError(syntaxProblems);
  }

  if (data === null || data === undefined) throw new ConfigError([problem(`filen är tom – ${NOT_A_COMMITTEE_HINT}`)]);
  if (typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'en lista' : 'ett enstaka värde';
    throw new ConfigError([problem(`filen innehåller ${what}, inte en nämnd – ${NOT_A_COMMITTEE_HINT}`, 1)]);
  }

  const lineOf = (p: readonly PropertyKey[]) => lineOfPath(doc, lineAt, p);
  const result = committeeSchema.safeParse(data, { error: swedishErrorMap, reportInput: true });
  if (!result.success) {
    // After a syntax error the parser has lost part of the file: a key it says is missing, or an
    // id it cannot find, is most likely on the lines it could not read, so only values actually
    // read and found wrong are listed with the syntax errors.
    // (A cross-check over the whole committee reports the committee object as its input.)
    const readAndWrong = (issue: z.core.$ZodIssue) =>
      !('input' in issue && (issue.input === undefined || (issue.code === 'custom' && typeof issue.input === 'object')));
    const allIssues = syntaxProblems.length > 0 ? result.error.issues.filter(readAndWrong) : result.error.issues;
    // Finding an issue's line walks the document: for a runaway file (150,000 members without an
    // id) only as many as are listed, in the schema's order, which is the file's.
    const issues = allIssues.slice(0, MAX_LISTED_PROBLEMS);
    const problems = issues.flatMap((issue): ConfigProblem[] => {
      if (issue.code === 'unrecognized_keys') {
        // One problem per key, each pointing at the key's own line.
        const allowed = allowedKeysAt(issue.path);
        return issue.keys.map((key) => {
          const keyPath = [...issue.path, key];
          return problem(unknownKeyMessage(key, allowed), lineOf(keyPath), formatPath(keyPath));
        });
      }
      return [problem(issue.message, lineOf(issue.path), formatPath(issue.path))];
    });
    // A schema problem on a line the parser already complained about is that same mistake.
    const syntaxLines = new Set(syntaxProblems.map((p) => p.line));
    const listed = sortByLine([...syntaxProblems, ...problems.filter((p) => !syntaxLines.has(p.line))]);
    throw new ConfigError(listed, { total: listed.length + allIssues.length - issues.length });
  }
  if (syntaxProblems.length > 0) throw new ConfigError(syntaxProblems);
  return { committee: compactCommittee(result.data), idLine: lineOf(['id']), shortNameLine: lineOf(['shortName']) };
}

/** One mistake often trips the YAML parser twice on the same line; say it once. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortByLine(problems: ConfigProblem[]): ConfigProblem[] {
  // Reading order in the file, not schema order; problems without a line go last.
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p);
}

/** `['meetings', 1, 'items', 3, 'lopnummer']` → `meetings[1].items[3].lopnummer`. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/**
 * The line a zod path points at: the key's line for a map entry (a block value starts on the
 * next line), the item's first line for a list entry. A path into something that is missing
 * stops at the nearest existing parent, so "nyckeln saknas" points at the object lacking it.
 */
function lineOfPath(doc: Document, lineAt: (offset: number) => number, p: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let line = isNode(node) && node.range ? lineAt(node.range[0]) : undefined;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? String(it.key.value) : String(it.key)) === String(seg));
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (!isNode(item)) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/** The keys the schema allows at a path, for "menade du …?". */
function allowedKeysAt(p: readonly PropertyKey[]): string[] {
  let schema: unknown = committeeSchema;
  const unwrap = (s: unknown): unknown => {
    while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap();
    return s;
  };
  for (const seg of p) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject && typeof seg === 'string') schema = (schema.shape as Record<string, unknown>)[seg];
    else if (schema instanceof z.ZodArray && typeof seg === 'number') schema = schema.element;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Start of the quoted scalar that runs on to `offset`, if any. */
function openingQuoteAt(doc: Document, offset: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const r = node.range;
      if (r && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && r[0] <= offset && offset <= r[2]) start = r[0];
    },
  });
  return start;
}

function keyAt(text: string, offset: number): string {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([^:\n]*?))\s*:/.exec(text.slice(offset));
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
}

function duplicateKeyMessage(text: string, offset: number): string {
  const key = keyAt(text, offset);
  return `nyckeln ${key ? `"${key}" ` : ''}finns två gånger i samma objekt – ta bort eller byt namn på den ena`;
}

/** Swedish text for the yaml library's error codes; the library's own text is English. */
function yamlErrorMessage(code: string, message: string, text: string, offset: number): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return duplicateKeyMessage(text, offset);
    case 'TAB_AS_INDENT':
      return 'tabbtecken används som indrag – dra in med mellanslag';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      if (/quote/i.test(message)) return 'ett avslutande citattecken saknas – en text som börjar med " eller \' ska sluta med samma tecken';
      if (/end with a \]/.test(message)) return 'en lista som börjar med [ avslutas aldrig med ]';
      if (/end with a \}/.test(message)) return 'ett objekt som börjar med { avslutas aldrig med }';
      return 'fel indrag – rader på samma nivå ska vara indragna med lika många mellanslag, och en ny post i en lista börjar med "- "';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'raden kan inte läsas som "nyckel: värde" – kontrollera indraget på raden och raden under, och sätt citattecken runt värden som innehåller ": "';
    case 'BAD_SCALAR_START':
      return 'värdet börjar med ett tecken som YAML reserverar (som @, ` eller %) – sätt värdet inom citattecken';
    case 'MULTIPLE_DOCS':
      return 'filen innehåller flera YAML-dokument (avdelade med ---) – en fil ska innehålla en nämnd';
    case 'UNEXPECTED_TOKEN':
      return 'oväntad text efter värdet – om värdet innehåller citattecken eller kolon, sätt hela värdet inom dubbla citattecken';
    default:
      return `YAML-filen kan inte läsas här (${code}) – kontrollera raden`;
  }
}

function jsonSyntaxProblem(file: string, text: string, lineAt: (offset: number) => number): ConfigProblem {
  const found = findJsonSyntaxError(text);
  // The scanner should always agree with JSON.parse; if not, still say which file is bad.
  if (!found) return { file, message: 'ogiltig JSON – kontrollera citattecken, kommatecken och klamrar' };
  return { file, line: lineAt(found.offset), message: `ogiltig JSON: ${found.message}` };
}

function readProblem(file: string, e: unknown): ConfigProblem {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return { file, message: 'filen finns inte – kontrollera sökvägen och filnamnet' };
    case 'EACCES':
    case 'EPERM':
      return { file, message: 'filen får inte läsas – ge kontot som kör Nämndbot läsrätt till filen' };
    case 'EISDIR':
      return { file, message: 'sökvägen är en mapp, inte en fil – ange nämndfilen (.yaml, .yml eller .json)' };
    default:
      return { file, message: `filen kunde inte läsas (${code ?? 'okänt fel'}) – kontrollera att den finns och går att öppna` };
  }
}

function tooLargeProblem(file: string, size: number): ConfigProblem {
  const mb = (bytes: number) => swedishNumber(bytes / (1024 * 1024));
  return {
    file,
    message: `filen är ${mb(size)} MB, och en nämndfil får vara högst ${mb(MAX_COMMITTEE_FILE_BYTES)} MB – kontrollera att det är rätt fil, och lägg varje nämnd i en egen fil`,
  };
}

async function readCommitteeFile(file: string): Promise<LoadedFile> {
  const format = committeeFileFormat(file);
  if (!format) throw new ConfigError([{ file, message: 'okänd filtyp – en nämndfil ska sluta på .yaml, .yml eller .json' }]);
  let bytes: Buffer;
  try {
    const { size } = await stat(file);
    if (size > MAX_COMMITTEE_FILE_BYTES) throw new ConfigError([tooLargeProblem(file, size)]);
    bytes = await readFile(file);
    // It may have grown between the two looks.
    if (bytes.length > MAX_COMMITTEE_FILE_BYTES) throw new ConfigError([tooLargeProblem(file, bytes.length)]);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([readProblem(file, e)], { cause: e });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    // Typically a file saved as Windows-1252/Latin-1: å, ä and ö would come out garbled.
    throw new ConfigError([{ file, message: 'filen är inte sparad som UTF-8, så å, ä och ö blir fel – spara om den med teckenkodning UTF-8' }], { cause: e });
  }
  return parseText(text, file, format);
}

/** Load and validate one committee file. Throws `ConfigError` on any problem. */
export async function loadCommitteeFile(file: string): Promise<Committee> {
  return (await readCommitteeFile(file)).committee;
}

/**
 * Load several committee files. Every file is read even after a failure, so one error lists all
 * problems; two committees may not share an id or (case-insensitively) a shortName. Throws
 * `ConfigError` unless every file is fine: no committee is returned from a partly bad set.
 */
export async function loadCommittees(files: readonly string[]): Promise<Committee[]> {
  if (files.length === 0) {
    throw new ConfigError([{ file: '(inga filer)', message: 'inga nämndfiler angavs – ange minst en .yaml-, .yml- eller .json-fil' }]);
  }
  const problems: ConfigProblem[] = [];
  // Problems a file had past those it lists.
  let notListed = 0;
  const seenFile = new Map<string, string>();
  const unique: string[] = [];
  for (const file of files) {
    const resolved = path.resolve(file);
    const first = seenFile.get(resolved);
    if (first !== undefined) problems.push({ file, message: `samma fil anges två gånger (också som ${first}) – ta bort den ena` });
    else {
      seenFile.set(resolved, file);
      unique.push(file);
    }
  }

  // Each file's outcome in its place, so that problems are listed in the order the files were given.
  const settled: (LoadedFile | ConfigError | undefined)[] = new Array(unique.length);
  // A failure that is not a problem in a file (a bug): no more files are started, and the first in file order is thrown.
  const unexpected: { at: number; error: unknown }[] = [];
  let next = 0;
  const reader = async () => {
    while (next < unique.length && unexpected.length === 0) {
      const i = next++;
      try {
        settled[i] = await readCommitteeFile(unique[i]!);
      } catch (e) {
        if (e instanceof ConfigError) settled[i] = e;
        else unexpected.push({ at: i, error: e });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_AT_ONCE, unique.length) }, reader));
  if (unexpected.length > 0) throw unexpected.reduce((a, b) => (b.at < a.at ? b : a)).error;
  const loaded: { file: string; result: LoadedFile }[] = [];
  settled.forEach((s, i) => {
    if (s instanceof ConfigError) {
      // Not push(...): the stack limits how many arguments a call may take.
      for (const p of s.listed) problems.push(p);
      notListed += s.total - s.listed.length;
    } else if (s) loaded.push({ file: unique[i]!, result: s });
  });

  const byId = new Map<string, string>();
  const byShortName = new Map<string, string>();
  for (const { file, result } of loaded) {
    const { id, shortName } = result.committee;
    const idOwner = byId.get(id);
    if (idOwner !== undefined) {
      problems.push({ file, path: 'id', line: result.idLine, message: `id "${id}" används redan av nämnden i ${idOwner} – varje nämnd behöver ett eget id` });
    } else byId.set(id, file);
    const shortKey = shortName.trim().toLocaleLowerCase('sv');
    const shortOwner = byShortName.get(shortKey);
    if (shortOwner !== undefined) {
      problems.push({
        file,
        path: 'shortName',
        line: result.shortNameLine,
        message: `kortnamnet "${shortName}" används redan av nämnden i ${shortOwner} – välj ett annat shortName`,
      });
    } else byShortName.set(shortKey, file);
  }

  if (problems.length > 0) throw new ConfigError(problems, { total: problems.length + notListed });
  return loaded.map((l) => l.result.committee);
}

/**
 * The committee files in a directory (`*.yaml`, `*.yml`, `*.json`), as paths joined to `dir`,
 * sorted by name. Hidden files are skipped: editors leave lock and backup files such as `.#kfn.yaml`.
 */
export async function listCommitteeFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const message =
      code === 'ENOENT'
        ? 'mappen med nämndfiler finns inte – kontrollera sökvägen'
        : code === 'ENOTDIR'
          ? 'sökvägen är en fil, inte en mapp med nämndfiler'
          : `mappen med nämndfiler kunde inte läsas (${code ?? 'okänt fel'})`;
    throw new ConfigError([{ file: dir, message }], { cause: e });
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && committeeFileFormat(e.name) !== undefined)
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => path.join(dir, name));
}

/** Every committee file in a directory, all-or-nothing; an empty directory is an error too. */
export async function loadCommitteeDir(dir: string): Promise<Committee[]> {
  const files = await listCommitteeFiles(dir);
  if (files.length === 0) {
    throw new ConfigError([{ file: dir, message: 'mappen innehåller inga nämndfiler – lägg till en .yaml-, .yml- eller .json-fil' }]);
  }
  return loadCommittees(files);
}

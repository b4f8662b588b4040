/**
 * The parser: turns what a person typed, clicked or submitted into one command with arguments.
 *
 * Forgiving by design: case, diacritics (jav = jäv), extra spaces, a leading "/", Swedish or
 * English words. It only recognises the shape; whether the ärende exists or the person may do
 * it is decided by the handlers. Pure.
 */
import type { Input } from './incoming';
import type { CommandSpec } from './commands';
import { cleanFreeText, normalizeWord } from '../domain/text';

/** The longest input we read at all. Longer input is refused before any work. */
export const MAX_INPUT_CHARS = 4000;

export interface CommandArgs {
  /** A committee's short name written first ("KFN jäv 14 part"), for people in several committees. */
  committee?: string;
  meeting?: string;
  item?: string;
  ground?: string;
  /** Motivation for jäv, the question for övrig fråga, the reason for a decline. */
  text?: string;
  /** A declaration or question id ("J3", "F2"), or a platform user id. */
  id?: string;
  /** A member id from the committee file. */
  member?: string;
  date?: string;
  // Fields of the secretary's meeting and ärende forms (handlers/meetings.ts).
  /** The löpnummer an ärende goes before. */
  before?: string;
  /** beslut or information. */
  kind?: string;
  dnr?: string;
  /** ja or nej. */
  sekretess?: string;
  /** A meeting's time: "9.00" or "9.00–12.00". */
  time?: string;
  place?: string;
}

export interface ParsedCommand {
  name: string;
  args: CommandArgs;
  /** A file sent with the command, or text pasted below its first line (an ärendelista to import). */
  file?: { name: string; bytes: Uint8Array };
  /** True when the command came from a submitted form: errors go back onto the form. */
  fromForm: boolean;
}

export type ParseResult =
  | { ok: true; command: ParsedCommand }
  | { ok: false; problem: 'empty' }
  | { ok: false; problem: 'too-long'; length: number }
  | { ok: false; problem: 'unknown'; word: string; /** The command it most likely was ("övrig fråga" for "överig fråga"). */ suggestion?: string }
  | { ok: false; problem: 'unknown-action'; actionId: string };

const MEETING_WORDS = ['mote', 'motet', 'meeting', 'sammantrade'];
const FILLER_WORDS = ['till', 'to', 'om', 'pa', 'i'];

export function parseInput(input: Input, commands: readonly CommandSpec[], committeeShortNames: readonly string[] = []): ParseResult {
  switch (input.kind) {
    case 'text': {
      // A dagordning pasted below "import": the lines are the file, the first line the command.
      const pasted = /^([^\n]*)\n([\s\S]*)$/.exec(input.text);
      if (pasted && input.text.length <= MAX_INPUT_CHARS) {
        const first = parseText(pasted[1]!, commands, committeeShortNames);
        if (first.ok && first.command.name === IMPORT_COMMAND) return withFile(first, PASTED_NAME, new TextEncoder().encode(pasted[2]!));
      }
      return parseText(input.text, commands, committeeShortNames);
    }
    case 'file': {
      // What was written with the file, read as an import command ("import möte 2025-02-13").
      const written = parseText(`${IMPORT_WORD} ${(input.text ?? '').replace(/^\s*\/?(import|importera)\b/i, '')}`, commands, committeeShortNames);
      if (!written.ok) return written;
      if (written.command.name !== IMPORT_COMMAND) return { ok: false, problem: 'unknown', word: IMPORT_WORD };
      return withFile(written, input.name.slice(0, 200), input.bytes);
    }
    case 'form':
      return parseSubmission(commands, input.formId, input.values, true);
    case 'action':
      return parseSubmission(commands, input.actionId, Object.fromEntries(new URLSearchParams(input.value)), false);
  }
}

/** The command a file sent to the bot is (src/core/handlers/import.ts), and its word. */
export const IMPORT_COMMAND = 'import';
const IMPORT_WORD = 'import';
/** The name pasted text goes by as a file. */
export const PASTED_NAME = 'inklistrad text.txt';

function withFile(parsed: { ok: true; command: ParsedCommand }, name: string, bytes: Uint8Array): ParseResult {
  return { ok: true, command: { ...parsed.command, file: { name, bytes } } };
}

function parseSubmission(commands: readonly CommandSpec[], name: string, values: Record<string, string>, fromForm: boolean): ParseResult {
  const spec = commands.find((c) => c.name === name);
  if (!spec) return { ok: false, problem: 'unknown-action', actionId: name.slice(0, 60) };
  const args: CommandArgs = {};
  for (const key of ['committee', 'meeting', 'item', 'ground', 'text', 'id', 'member', 'date', 'before', 'kind', 'dnr', 'sekretess', 'time', 'place'] as const) {
    const v = values[key];
    if (typeof v === 'string' && cleanFreeText(v) !== '') args[key] = cleanFreeText(v).slice(0, MAX_INPUT_CHARS);
  }
  return { ok: true, command: { name: spec.name, args, fromForm } };
}

export function parseText(raw: string, commands: readonly CommandSpec[], committeeShortNames: readonly string[] = []): ParseResult {
  if (raw.length > MAX_INPUT_CHARS) return { ok: false, problem: 'too-long', length: raw.length };
  const text = cleanFreeText(raw).replace(/^\/+/, '').trim();
  if (text === '') return { ok: false, problem: 'empty' };

  let tokens = text.split(' ');
  const args: CommandArgs = {};
  const shortNames = committeeShortNames.map((s) => normalizeWord(s));
  if (tokens.length > 1 && shortNames.includes(normalizeWord(tokens[0]))) {
    args.committee = tokens[0];
    tokens = tokens.slice(1);
  }

  // Only the leading words can name a command: a long motivation is not normalised word by word.
  const match = matchCommand(commands, tokens.slice(0, phrasesOf(commands).longest).map(normalizeWord));
  if (!match) {
    const suggestion = closestCommand(commands, tokens.slice(0, 2).map(normalizeWord));
    return { ok: false, problem: 'unknown', word: tokens[0].slice(0, 40), ...(suggestion ? { suggestion } : {}) };
  }
  const rest = tokens.slice(match.length);
  return { ok: true, command: { name: match.spec.name, args: { ...args, ...readArgs(match.spec, rest) }, fromForm: false } };
}

/**
 * For a misspelt command ("överig fråga", "jäw"): how the nearest command is written, when one is
 * within a typo or two of the leading words. Undefined when nothing is that close.
 */
function closestCommand(commands: readonly CommandSpec[], norm: string[]): string | undefined {
  if ((norm[0] ?? '').length < 3) return undefined;
  let best: { spec: CommandSpec; distance: number } | undefined;
  for (const spec of commands) {
    if (spec.sub.length > 0) continue;
    for (const word of spec.words) {
      const said = norm.slice(0, word.split(' ').length).join(' ');
      const distance = editDistance(said, word);
      const allowed = word.length <= 4 ? 1 : 2;
      if (distance <= allowed && (!best || distance < best.distance)) best = { spec, distance };
    }
  }
  return best ? best.spec.usage.split(/ [[<]/)[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swapped neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The command whose words (and sub-command words) match the most leading tokens. */
function matchCommand(commands: readonly CommandSpec[], norm: string[]): { spec: CommandSpec; length: number } | undefined {
  let best: { spec: CommandSpec; length: number } | undefined;
  // Only phrases that begin with the first word can match; in the commands' order, so of two that
  // match as many words the one listed first wins.
  for (const phrase of phrasesOf(commands).byFirstWord.get(norm[0] ?? '') ?? []) {
    const wordLen = prefixLength(norm, 0, phrase.words);
    if (wordLen === 0) continue;
    if (phrase.subs.length === 0) {
      if (!best || wordLen > best.length) best = { spec: phrase.spec, length: wordLen };
      continue;
    }
    for (const sub of phrase.subs) {
      const subLen = prefixLength(norm, wordLen, sub);
      if (subLen > 0 && (!best || wordLen + subLen > best.length)) best = { spec: phrase.spec, length: wordLen + subLen };
    }
  }
  return best;
}

/** How many tokens from `at` spell `words`; 0 if they don't. */
function prefixLength(norm: string[], at: number, words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) if (norm[at + i] !== words[i]) return 0;
  return words.length;
}

interface Phrase {
  spec: CommandSpec;
  /** One of the command's words, split into tokens. */
  words: string[];
  /** Its sub-command words, split into tokens. */
  subs: string[][];
}

interface Phrases {
  /** First token → the phrases that begin with it, in the commands' order. */
  byFirstWord: Map<string, Phrase[]>;
  /** The most tokens a command's words and sub-command words take together. */
  longest: number;
}

const phraseIndexes = new WeakMap<readonly CommandSpec[], Phrases>();

/** The command words split and indexed once per list of commands: parsing is on every command's path. */
function phrasesOf(commands: readonly CommandSpec[]): Phrases {
  let index = phraseIndexes.get(commands);
  if (!index) {
    index = { byFirstWord: new Map(), longest: 0 };
    for (const spec of commands) {
      const subs = spec.sub.map((w) => w.split(' '));
      const longestSub = Math.max(0, ...subs.map((w) => w.length));
      for (const word of spec.words) {
        const words = word.split(' ');
        const bucket = index.byFirstWord.get(words[0]!) ?? [];
        bucket.push({ spec, words, subs });
        index.byFirstWord.set(words[0]!, bucket);
        index.longest = Math.max(index.longest, words.length + longestSub);
      }
    }
    phraseIndexes.set(commands, index);
  }
  return index;
}

/** Reads the words after the command into its argument slots, in the order the spec gives. */
function readArgs(spec: CommandSpec, tokens: string[]): CommandArgs {
  const args: CommandArgs = {};
  let rest = tokens;
  // "möte 2027-01-21" may come first after the command words.
  if (rest.length >= 2 && MEETING_WORDS.includes(normalizeWord(rest[0]))) {
    args.meeting = rest[1];
    rest = rest.slice(2);
  }
  for (const slot of spec.args) {
    if (rest.length === 0) break;
    switch (slot) {
      case 'meeting':
        if (args.meeting) break;
        if (FILLER_WORDS.includes(normalizeWord(rest[0]))) rest = rest.slice(1);
        if (rest.length > 1 && MEETING_WORDS.includes(normalizeWord(rest[0]))) rest = rest.slice(1);
        args.meeting = rest[0];
        rest = rest.slice(1);
        break;
      case 'item':
        // "§ 21" is one reference.
        if (rest[0] === '§' && rest[1]) rest = [`§${rest[1]}`, ...rest.slice(2)];
        args.item = rest[0];
        rest = rest.slice(1);
        break;
      case 'id':
        // A mention reaches the core as "@<platform user id>" (see Incoming); the bare id works too.
        args.id = rest[0].replace(/^@/, '');
        rest = rest.slice(1);
        break;
      case 'ground':
      case 'member':
      case 'date':
        args[slot] = rest[0];
        rest = rest.slice(1);
        break;
      case 'text':
        args.text = rest.join(' ').replace(/^[:\-–]\s*/, '');
        rest = [];
        break;
    }
  }
  for (const key of Object.keys(args) as (keyof CommandArgs)[]) if (args[key] === undefined || args[key] === '') delete args[key];
  return args;
}

/**
 * Text normalisation for forgiving matching: case, diacritics, white space and control characters.
 */

import { memo } from './memo';

/** Lower case, no diacritics (å→a, ä→a, ö→o, é→e), white space folded. For comparing, never for showing. */
export function normalizeForMatch(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** One word, normalised, with surrounding punctuation removed. */
export function normalizeWord(s: string): string {
  // Command words and arguments are few and short, and every command normalises some: remember them.
  return s.length <= 32 ? normalizedShortWord(s) : normalizeWordNow(s);
}

function normalizeWordNow(s: string): string {
  return normalizeForMatch(s).replace(/^[^\p{L}\p{N}§]+|[^\p{L}\p{N}]+$/gu, '');
}
const normalizedShortWord = memo(normalizeWordNow);

/**
 * Clean free text a member typed before it is stored: control and format characters removed
 * (tabs and newlines become spaces) except ZWJ and ZWNJ, white space folded. Returns '' when nothing is left.
 */
export function cleanFreeText(s: string): string {
  // Most text is printable Latin-1 (Swedish included) with single spaces: already clean, and
  // already NFC (combining marks start at U+0300). Every command passes here, so check that first.
  // (U+00A0 and U+00AD are left out: a no-break space is folded, a soft hyphen removed.)
  if (!NEEDS_CLEANING.test(s)) return s;
  return s
    .normalize('NFC')
    .replace(/[\t\n\r\v\f]/g, ' ')
    // Format characters go (bidi overrides that could make text read otherwise, zero-width
    // spaces), except the joiners: ZWJ builds emoji ("🏊‍♀️") and ZWNJ spells Persian and Kurdish words.
    .replace(/\p{Cc}|(?![\u200C\u200D])\p{Cf}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Split a title into matchable words. */
export function titleWords(title: string): string[] {
  return normalizeForMatch(title)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Anything but printable Latin-1 without U+00A0 and U+00AD, two spaces in a row, or a space at either end. */
const NEEDS_CLEANING = /[^\x20-\x7E\xA1-\xAC\xAE-\xFF]|  |^ | $/;


/** "Anna", "Anna och Linn", "Anna, Linn och Sam": a list as running Swedish text. */
export function joinSv(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`;
}

// Swedish wording: the one place for plural, genitive, lists and capitals, so every answer
// says "1 dag" and "Amira Haddads (S)" the same way.

const SWEDISH_NUMBER = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

/** A number as Swedish text writes it: "159 999" (a no-break space between thousands), "2,5". */
export function swedishNumber(n: number): string {
  return SWEDISH_NUMBER.format(n);
}

/** A count and its noun in the right number: count(1, 'dag', 'dagar') is "1 dag", count(3, …) "3 dagar", count(1200, …) "1 200 dagar". */
export function count(n: number, one: string, many: string): string {
  return `${swedishNumber(n)} ${n === 1 ? one : many}`;
}

/** The genitive of a name: "Helena Sandbergs"; a name ending in s, x or z takes no extra s ("Anders", "Marx"). */
export function genitive(name: string): string {
  return /[sxz]$/i.test(name) ? name : `${name}s`;
}

/** The genitive of a label with a party after the name: "Amira Haddads (S)", never "Amira Haddad (S)s". */
export function labelGenitive(label: string): string {
  const withParty = /^(.*\S)(\s+\([^()]*\))$/.exec(label);
  return withParty ? `${genitive(withParty[1])}${withParty[2]}` : genitive(label);
}

/** The first letter upper case: every answer starts as a sentence does. */
export function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase('sv') + s.slice(1);
}

/** The first letter lower case: a sentence carried on after "så" or "Förslag:". */
export function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase('sv') + s.slice(1);
}

/** A befattning as it reads inside a sentence: "jämställdhetsstrateg" from "Jämställdhetsstrateg", but "IT-chef" stays. */
export function befattningInText(befattning: string): string {
  return /^\p{Lu}\p{Ll}/u.test(befattning) ? lowerFirst(befattning) : befattning;
}

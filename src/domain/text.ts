/**
 * Text normalisation for forgiving matching: case, diacritics, white space and control characters.
 */

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
  return normalizeForMatch(s).replace(/^[^\p{L}\p{N}§]+|[^\p{L}\p{N}]+$/gu, '');
}

/**
 * Clean free text a member typed before it is stored: control characters removed (tabs and
 * newlines become spaces), white space folded. Returns '' when nothing is left.
 */
export function cleanFreeText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(/\p{Cc}|\p{Cf}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Split a title into matchable words. */
export function titleWords(title: string): string[] {
  return normalizeForMatch(title)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Swedish wording for zod issues in a committee file.
 *
 * Passed per parse (`safeParse(data, { error: swedishErrorMap })`) rather than through
 * `z.config`, so it does not change messages for other schemas in the process. Messages the
 * schema itself carries (e.g. "skriv datumet som ÅÅÅÅ-MM-DD") take precedence over this map.
 * zod's own `sv` locale reads "förväntat string, fick number", which a secretary cannot act on.
 */
import { z } from 'zod';
import { normalizeForMatch } from '../domain/text';

type RawIssue = z.core.$ZodRawIssue;

/** What a value was, as a secretary would say it ("fick tal (12)"). */
function describeReceived(input: unknown): string {
  if (input === null) return 'ett tomt värde';
  if (typeof input === 'string') return `text (${quote(input)})`;
  if (typeof input === 'number') return `tal (${input})`;
  if (typeof input === 'boolean') return `${input}`;
  if (Array.isArray(input)) return 'en lista';
  if (typeof input === 'object') return 'ett objekt med nycklar';
  return 'ett okänt värde';
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'tal',
  int: 'heltal',
  boolean: 'true eller false',
  array: 'en lista',
  object: 'ett objekt med nycklar',
};

/** Quote a value for a message; long text is cut so a whole tjänsteskrivelse never lands in a log line. */
function quote(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 37)}…` : s;
  return `"${short}"`;
}

function lastKey(path: readonly PropertyKey[] | undefined): string | undefined {
  const last = path?.[path.length - 1];
  return typeof last === 'string' ? last : undefined;
}

function invalidType(expectedCode: string, input: unknown, path: readonly PropertyKey[] | undefined): string {
  const expected = EXPECTED[expectedCode] ?? expectedCode;
  if (input === undefined) {
    const key = lastKey(path);
    return key ? `nyckeln "${key}" saknas – lägg till den (förväntade ${expected})` : `värdet saknas (förväntade ${expected})`;
  }
  const got = `förväntade ${expected}, fick ${describeReceived(input)}`;
  if (input === null) return `${got} – skriv ett värde efter kolonet`;
  if (expectedCode === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
    return `${got} – sätt värdet inom citattecken: "${String(input)}"`;
  }
  if ((expectedCode === 'number' || expectedCode === 'int') && typeof input === 'string') {
    return `${got} – skriv bara siffror, utan citattecken`;
  }
  if (expectedCode === 'int' && typeof input === 'number') return `${got} – skriv ett heltal`;
  if (expectedCode === 'boolean') return `${got} – skriv true eller false`;
  if (expectedCode === 'array') return `${got} – skriv varje värde på en egen rad som börjar med "- "`;
  return got;
}

function sizeLimit(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
  const inclusive = issue.inclusive !== false;
  const input = issue.input;
  switch (issue.origin) {
    case 'string': {
      if (small && limit <= 1) return 'får inte vara tomt';
      const now = typeof input === 'string' ? ` (nu ${input.length})` : '';
      return small ? `måste vara minst ${limit} tecken${now}` : `får vara högst ${limit} tecken${now}`;
    }
    case 'array':
      return small ? `måste innehålla minst ${limit}` : `får innehålla högst ${limit}`;
    default: {
      const now = typeof input === 'number' ? ` (fick ${input})` : '';
      if (small) return inclusive ? `måste vara minst ${limit}${now}` : `måste vara större än ${limit}${now}`;
      return inclusive ? `får vara högst ${limit}${now}` : `måste vara mindre än ${limit}${now}`;
    }
  }
}

/** Per-parse error map: every issue without its own message gets a Swedish one. */
export function swedishErrorMap(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue.expected, issue.input, issue.path);
    case 'too_small':
    case 'too_big':
      return sizeLimit(issue);
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v)).join(', ');
      const got = issue.input === undefined ? '' : ` (fick ${describeReceived(issue.input)})`;
      return issue.values.length === 1 ? `måste vara ${values}${got}` : `välj en av: ${values}${got}`;
    }
    case 'invalid_format':
      return 'har fel form';
    case 'unrecognized_keys':
      // Rewritten per key, with a line and a suggestion, by the loader.
      return `${issue.keys.length > 1 ? 'okända nycklar' : 'okänd nyckel'}: ${issue.keys.join(', ')}`;
    default:
      return 'ogiltigt värde';
  }
}

/** Levenshtein distance, for "menade du …?" on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * Words secretaries write for a key under another name (from tjänsteskrivelser and mötesböcker):
 * "Dnr", "Diarienr", "Beredningsansvarig". Spelling distance cannot find these.
 */
const KEY_ALIASES: Record<string, string> = {
  dnr: 'diarienummer',
  diarienr: 'diarienummer',
  diariennr: 'diarienummer',
  arendenummer: 'diarienummer',
  rubrik: 'title',
  titel: 'title',
  forslag: 'forslagTillBeslut',
  forslagtillbeslut: 'forslagTillBeslut',
  beredningsansvarig: 'handlaggare',
  beredningsansvariga: 'handlaggare',
  handlaggare: 'handlaggare',
  foredragande: 'foredragande',
  tid: 'start',
  plats: 'place',
  datum: 'date',
  namn: 'name',
  parti: 'party',
  roll: 'role',
};

/** Message for one unknown key, with the closest allowed key when there is one. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const norm = (s: string) => normalizeForMatch(s).replace(/[^a-z0-9]/g, '');
  const wanted = norm(key);

  let best: { key: string; d: number } | undefined;
  for (const candidate of allowed) {
    const d = distance(wanted, norm(candidate));
    if (!best || d < best.d) best = { key: candidate, d };
  }
  if (best && best.d <= Math.max(2, Math.floor(best.key.length / 3))) {
    return `okänd nyckel "${key}" – menade du "${best.key}"?`;
  }
  const alias = KEY_ALIASES[wanted];
  if (alias && allowed.includes(alias)) return `okänd nyckel "${key}" – skriv "${alias}"`;
  const list = allowed.length > 0 ? ` (tillåtna här: ${allowed.join(', ')})` : '';
  return `okänd nyckel "${key}" – ta bort den eller rätta stavningen${list}`;
}

/**
 * The register of interests and jäv hints: matching a member's engagements (board seats,
 * employers, associations, ownership, a närstående's company) against an ärende's title, parties
 * and beslutsunderlag. Pure.
 *
 * Matching is built to miss rather than to cry wolf: a hint nobody needed teaches members to
 * ignore hints. So names match as whole words in order after normalisation (case, diacritics,
 * legal suffixes such as AB, HB, KB, ek. för.), never as substrings ("Bergs Bygg AB" is not
 * "Bergsbygg Norr AB"), a name that continues with another capitalised word is a different name
 * ("Bergs Bygg Norr AB"), and a one-word name that is short or a common word only matches a
 * structured party exactly, or by organisation number. Organisation numbers match with or without
 * the hyphen and the 16 prefix.
 *
 * The bot never decides jäv: a match is a hint with the likely ground, and the member declares.
 */
import { createHash } from 'node:crypto';
import type { ControlledOrganisation, Item, Member, Party } from './committee';
import type { JavGround } from './jav';
import { normalizeForMatch } from './text';

export const ENGAGEMENT_KINDS = ['styrelse', 'anstallning', 'forening', 'agande', 'narstaende'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

export interface EngagementKindInfo {
  kind: EngagementKind;
  /** Swedish, lower case, for running text: "styrelseuppdrag". */
  label: string;
  /** The jäv ground an ärende concerning this organisation most likely gives. */
  ground: JavGround;
  /** Why, in one Swedish clause for the hint. */
  why: string;
  /** Normalised words that name the kind in a command. */
  aliases: readonly string[];
}

export const ENGAGEMENT_INFO: Record<EngagementKind, EngagementKindInfo> = {
  styrelse: {
    kind: 'styrelse',
    label: 'styrelseuppdrag',
    ground: 'stallforetradarjav',
    why: 'som styrelseledamot är du ställföreträdare för organisationen',
    aliases: ['styrelse', 'styrelseuppdrag', 'styrelseledamot', 'ledamot', 'ordforande', 'suppleant', 'board', 'director'],
  },
  anstallning: {
    kind: 'anstallning',
    label: 'anställning',
    ground: 'ovrigt',
    why: 'du är anställd där, vilket kan göra att din opartiskhet kan ifrågasättas',
    aliases: ['anstallning', 'anstalld', 'arbetsgivare', 'jobb', 'jobbar', 'employer', 'employment', 'employee'],
  },
  forening: {
    kind: 'forening',
    label: 'föreningsuppdrag eller medlemskap',
    ground: 'ovrigt',
    why: 'du är engagerad i föreningen, vilket kan göra att din opartiskhet kan ifrågasättas',
    aliases: ['forening', 'foreningsuppdrag', 'medlem', 'medlemskap', 'association', 'member', 'club'],
  },
  agande: {
    kind: 'agande',
    label: 'ägande',
    ground: 'partsjav',
    why: 'du äger del i den, så beslutet kan påverka dig',
    aliases: ['agande', 'agare', 'delagare', 'aktier', 'ager', 'owner', 'ownership', 'shares', 'fastighet'],
  },
  narstaende: {
    kind: 'narstaende',
    label: 'närståendes företag',
    ground: 'partsjav',
    why: 'en närstående till dig är part eller kan påverkas av beslutet',
    aliases: ['narstaende', 'narstaendes', 'familj', 'make', 'maka', 'sambo', 'partner', 'related', 'family'],
  },
};

export type EngagementKindLookup = { ok: true; kind: EngagementKind } | { ok: false };

export function lookupEngagementKind(word: string): EngagementKindLookup {
  const w = normalizeForMatch(word).replace(/[^\p{L}\p{N}]+/gu, '');
  for (const info of Object.values(ENGAGEMENT_INFO)) if (info.aliases.includes(w)) return { ok: true, kind: info.kind };
  return { ok: false };
}

export interface Engagement {
  id: string;
  kind: EngagementKind;
  /** As the member wrote it: "Sjöbacka Ridklubb", "Bergs Bygg AB", "Sjöbacka Tallen 3:14". */
  name: string;
  /** Ten digits, no hyphen. */
  orgnr?: string;
}

// ---------------------------------------------------------------------------------------------
// Normalisation.

/**
 * Legal forms, as normalised token sequences. Stripped wherever they stand alone in a name, so
 * "AB Sjöbackahem" and "Sjöbackahem AB" are the same organisation.
 */
const LEGAL_FORMS: readonly (readonly string[])[] = [
  ['ekonomisk', 'forening'],
  ['ek', 'for'],
  ['ek', 'f'],
  ['ekon', 'for'],
  ['aktiebolag'],
  ['aktiebolaget'],
  ['ab'],
  ['publ'],
  ['handelsbolag'],
  ['handelsbolaget'],
  ['hb'],
  ['kommanditbolag'],
  ['kommanditbolaget'],
  ['kb'],
  ['enskild', 'firma'],
  ['ef'],
];

/** Common words that never identify an organisation on their own. */
const COMMON_WORDS = new Set([
  'och', 'i', 'for', 'av', 'till', 'med', 'pa', 'om', 'den', 'det', 'de', 'en', 'ett', 'fran', 'vid', 'the', 'of', 'and',
  'if', 'ik', 'bk', 'fk', 'sk', 'ff', 'gif', 'bygg', 'byggnad', 'fastighet', 'fastigheter', 'forening', 'foreningen',
  'klubb', 'klubben', 'kultur', 'fritid', 'idrott', 'musik', 'teater', 'konst', 'sport', 'skola', 'skolan', 'bostader',
  'stiftelse', 'stiftelsen', 'service', 'konsult', 'konsulting', 'invest', 'holding', 'group', 'gruppen', 'sverige',
  'svenska', 'norr', 'syd', 'ost', 'vast', 'nord', 'energi', 'el', 'vatten', 'hem', 'bolag', 'bolaget', 'kommun',
  'kommunen', 'region', 'regionen', 'bidrag', 'ansokan', 'budget', 'plan', 'information', 'tjansteskrivelse', 'bilaga',
]);

/** A short one-word name shorter than this never matches free text. */
const MIN_SINGLE_WORD = 5;

interface Token {
  /** Normalised: lower case, no diacritics. */
  norm: string;
  /** Written with a capital letter (or all digits): part of a name. */
  capital: boolean;
  /** Punctuation (other than a hyphen inside a word) stands between this token and the previous one. */
  breakBefore: boolean;
}

/** Punctuation that ends a phrase: a name never runs across it. A full stop ("ek. för.") and a hyphen do not. */
const PHRASE_BREAK = /[,;:()[\]{}–—/|"”“'’!?]/u;

/** Words of a text, normalised, with what a name boundary needs to know. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // Words are letters and digits; "3:14" and "556677-8899" stay one token each.
  const re = /(\d+(?:[:\-–]\d+)*|[\p{L}\p{N}]+)|([^\p{L}\p{N}\s]+)/gu;
  let pendingBreak = true;
  for (const m of text.normalize('NFC').matchAll(re)) {
    if (m[2] !== undefined) {
      if (PHRASE_BREAK.test(m[2])) pendingBreak = true;
      continue;
    }
    const word = m[1];
    out.push({ norm: normalizeForMatch(word), capital: /^[\p{Lu}\d]/u.test(word), breakBefore: pendingBreak });
    pendingBreak = false;
  }
  return out;
}

function startsWithAt(tokens: readonly string[], at: number, seq: readonly string[]): boolean {
  if (at + seq.length > tokens.length) return false;
  for (let i = 0; i < seq.length; i++) if (tokens[at + i] !== seq[i]) return false;
  return true;
}

function legalFormAt(tokens: readonly string[], at: number): number {
  for (const form of LEGAL_FORMS) if (startsWithAt(tokens, at, form)) return form.length;
  return 0;
}

/** An organisation's name as normalised words without legal forms: "Bergs Bygg AB" → ["bergs", "bygg"]. */
export function canonicalName(name: string): string[] {
  const tokens = tokenize(name).map((t) => t.norm);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const skip = legalFormAt(tokens, i);
    if (skip) {
      i += skip;
      continue;
    }
    out.push(tokens[i]);
    i++;
  }
  // A name that is nothing but a legal form ("AB") keeps its words rather than vanishing.
  return out.length ? out : tokens;
}

/** Ten digits for an organisationsnummer written 556677-8899, 5566778899 or 16556677-8899; else undefined. */
export function normalizeOrgnr(s: string): string | undefined {
  const m = /^\s*(?:16)?(\d{6})\s*[-–]?\s*(\d{4})\s*$/.exec(s);
  return m ? `${m[1]}${m[2]}` : undefined;
}

/** "556677-8899" for showing. */
export function formatOrgnr(digits: string): string {
  return digits.length === 10 ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
}

/** Every organisationsnummer written in a text, as ten digits. */
export function orgnrsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\d-])(?:16)?(\d{6})[-–]?(\d{4})(?![\d-])/g)) out.push(`${m[1]}${m[2]}`);
  return out;
}

/** Whether a canonical name may be looked for in running text at all. */
function specificEnough(name: readonly string[]): boolean {
  const meaningful = name.filter((w) => !COMMON_WORDS.has(w) && !/^\d+$/.test(w));
  if (meaningful.length === 0) return false;
  if (name.length === 1) return name[0].length >= MIN_SINGLE_WORD;
  return true;
}

/** The name's words at `at`; the last may carry a genitive s ("Sjöbacka Ridklubbs ansökan"). */
function nameAt(tokens: readonly string[], at: number, seq: readonly string[]): boolean {
  if (startsWithAt(tokens, at, seq)) return true;
  const last = seq[seq.length - 1];
  if (/[sxz]$/.test(last) || /^\d/.test(last)) return false;
  return startsWithAt(tokens, at, [...seq.slice(0, -1), `${last}s`]);
}

/** Words that often begin a longer name: "Norra Bergs Bygg AB" is not "Bergs Bygg AB". */
const NAME_PREFIXES = new Set(['norra', 'sodra', 'ostra', 'vastra', 'nya', 'stora', 'lilla', 'gamla', 'ovre', 'nedre', 'mellersta', 'foreningen', 'stiftelsen']);

/** How far after a name we look for a legal form that would make it part of a longer name. */
const LOOKAHEAD = 3;

/**
 * True when the organisation's name stands in the text as a name of its own: the same words in
 * order, written as a name (first word capitalised), not preceded or continued within the same
 * phrase by another capitalised word ("Norra Bergs Bygg", "Bergs Bygg Norr AB"), and not followed
 * shortly by a legal form of a longer name ("Bergs Bygg i Sjöbacka AB"). A year may follow.
 */
export function nameInText(name: string, text: string): boolean {
  const seq = canonicalName(name);
  if (!specificEnough(seq)) return false;
  const tokens = tokenize(text);
  const norms = tokens.map((t) => t.norm);
  const samePhrase = (i: number) => i > 0 && i < tokens.length && !tokens[i].breakBefore;
  for (let at = 0; at + seq.length <= tokens.length; at++) {
    if (!nameAt(norms, at, seq) || !tokens[at].capital) continue;
    if (samePhrase(at) && tokens[at - 1].capital && !/^\d/.test(norms[at - 1]) && !legalFormAt(norms, at - 1)) {
      // A title's first word is capitalised anyway ("Verksamhetsbidrag Sjöbacka Ridklubb"),
      // unless it is a typical first word of a name ("Norra", "Nya").
      const firstOfPhrase = at - 1 === 0 || tokens[at - 1].breakBefore;
      if (!firstOfPhrase || NAME_PREFIXES.has(norms[at - 1])) continue;
    }
    const end = at + seq.length;
    if (samePhrase(end)) {
      if (legalFormAt(norms, end)) return true;
      if (tokens[end].capital && !/^\d{4}$/.test(norms[end])) continue;
      let longer = false;
      for (let i = end + 1; i <= end + LOOKAHEAD && samePhrase(i); i++) if (legalFormAt(norms, i)) longer = true;
      if (longer) continue;
    }
    return true;
  }
  return false;
}

/** True when two names are the same organisation's (equal canonical names). */
export function sameName(a: string, b: string): boolean {
  const x = canonicalName(a);
  const y = canonicalName(b);
  return x.length > 0 && x.length === y.length && x.every((w, i) => w === y[i]);
}

// ---------------------------------------------------------------------------------------------
// Matching an engagement against an ärende.

export type MatchWhere = 'part' | 'titel' | 'beslutsunderlag';

export interface InterestMatch {
  /** The engagement, or undefined when the member is named as a party themselves. */
  engagement?: Engagement;
  where: MatchWhere;
  /** How it matched: the organisation number, or the name. */
  by: 'orgnr' | 'namn';
  /** The party or document the match was found in, as written in the committee file. */
  evidence: string;
  ground: JavGround;
  /** The organisation is a company or foundation the municipality controls. */
  controlled: boolean;
}

function isControlled(e: Engagement, controlled: readonly ControlledOrganisation[]): boolean {
  return controlled.some((c) => {
    const n = c.orgnr ? normalizeOrgnr(c.orgnr) : undefined;
    if (n && e.orgnr) return n === e.orgnr;
    return sameName(c.name, e.name);
  });
}

function groundFor(kind: EngagementKind, item: Pick<Item, 'title'>): JavGround {
  // Supervision of something the member is attached to is tillsynsjäv, whatever the tie.
  if (/\btillsyn/.test(normalizeForMatch(item.title)) && kind !== 'narstaende') return 'tillsynsjav';
  return ENGAGEMENT_INFO[kind].ground;
}

/** Where one engagement shows up in an ärende; at most one match per party or document. */
export function matchEngagement(e: Engagement, item: Pick<Item, 'title' | 'beslutsunderlag' | 'parties'>, controlled: readonly ControlledOrganisation[] = []): InterestMatch[] {
  const out: InterestMatch[] = [];
  const ground = groundFor(e.kind, item);
  const isCtl = isControlled(e, controlled);
  const add = (where: MatchWhere, by: 'orgnr' | 'namn', evidence: string) => out.push({ engagement: e, where, by, evidence, ground, controlled: isCtl });

  for (const p of item.parties ?? []) {
    if (p.kind === 'person') continue;
    const pn = p.orgnr ? normalizeOrgnr(p.orgnr) : undefined;
    if (pn && e.orgnr && pn === e.orgnr) add('part', 'orgnr', partText(p));
    // Two different numbers are two organisations, however alike the names.
    else if (!(pn && e.orgnr) && sameName(p.name, e.name)) add('part', 'namn', partText(p));
  }
  const texts: [MatchWhere, string][] = [['titel', item.title], ...item.beslutsunderlag.map((b): [MatchWhere, string] => ['beslutsunderlag', b])];
  for (const [where, text] of texts) {
    if (e.orgnr && orgnrsIn(text).includes(e.orgnr)) add(where, 'orgnr', text);
    else if (nameInText(e.name, text)) add(where, 'namn', text);
  }
  return out;
}

function partText(p: Party): string {
  return p.orgnr ? `${p.name} (${formatOrgnr(normalizeOrgnr(p.orgnr) ?? p.orgnr)})` : p.name;
}

/** The member named as a party (a person) in the ärende: partsjäv, whatever the register says. */
export function memberIsParty(member: Pick<Member, 'name'>, item: Pick<Item, 'parties'>): InterestMatch[] {
  const own = normalizeForMatch(member.name);
  return (item.parties ?? [])
    .filter((p) => p.kind === 'person' && normalizeForMatch(p.name) === own)
    .map((p) => ({ where: 'part' as const, by: 'namn' as const, evidence: p.name, ground: 'partsjav' as const, controlled: false }));
}

/** Every match for a member in one ärende: their own name as a party, then each engagement. */
export function matchMember(
  member: Pick<Member, 'name'>,
  engagements: readonly Engagement[],
  item: Pick<Item, 'title' | 'beslutsunderlag' | 'parties'>,
  controlled: readonly ControlledOrganisation[] = [],
): InterestMatch[] {
  return [...memberIsParty(member, item), ...engagements.flatMap((e) => matchEngagement(e, item, controlled))];
}

/**
 * A stable key for a match, so the same hint is not sent twice for the same draft content: the
 * meeting, the ärende, the member, the engagement and what it matched in.
 */
export function hintKey(meetingId: string, lopnummer: string, memberId: string, m: InterestMatch): string {
  const evidence = createHash('sha256').update(normalizeForMatch(m.evidence)).digest('hex').slice(0, 12);
  return [meetingId, lopnummer, memberId, m.engagement?.id ?? 'person', m.where, m.by, evidence].join('|');
}

/** Ground order when one ärende gives several: the most specific first. */
const GROUND_ORDER: readonly JavGround[] = ['partsjav', 'stallforetradarjav', 'tillsynsjav', 'ovrigt'];

export function likeliestGround(matches: readonly InterestMatch[]): JavGround {
  return [...matches].sort((a, b) => GROUND_ORDER.indexOf(a.ground) - GROUND_ORDER.indexOf(b.ground))[0]?.ground ?? 'ovrigt';
}

/**
 * When every match is a seat (styrelse) in a company or foundation the municipality controls
 * and the ärende is not myndighetsutövning mot enskild, the seat is not in itself jäv.
 */
export function onlyControlledSeats(matches: readonly InterestMatch[]): boolean {
  return matches.length > 0 && matches.every((m) => m.controlled && m.engagement?.kind === 'styrelse');
}

/**
 * Jäv for members of a nämnd: the four grounds of kommunallagen 6 kap. 28 § as written since
 * 1 July 2022, and the protocol wording. The older five grounds ("synnerlig nytta eller skada",
 * "delikatessjäv") are outdated and are not offered.
 */
import { memberLabel, type Member } from './committee';
import { normalizeWord } from './text';

export const JAV_GROUNDS = ['partsjav', 'stallforetradarjav', 'tillsynsjav', 'ovrigt'] as const;
export type JavGround = (typeof JAV_GROUNDS)[number];

export interface JavGroundInfo {
  ground: JavGround;
  /** The name used in Swedish text. */
  label: string;
  /** One line the member can recognise their situation in. */
  explanation: string;
  /** Words (already normalised: lower case, no diacritics) that name this ground in a command. */
  aliases: readonly string[];
}

export const JAV_GROUND_INFO: Record<JavGround, JavGroundInfo> = {
  partsjav: {
    ground: 'partsjav',
    label: 'partsjäv/intressejäv',
    explanation: 'du eller en närstående är part i ärendet eller kan påverkas av beslutet i inte oväsentlig mån',
    aliases: ['partsjav', 'part', 'parts', 'intressejav', 'intresse', 'party', 'interest'],
  },
  stallforetradarjav: {
    ground: 'stallforetradarjav',
    label: 'ställföreträdarjäv',
    explanation: 'du eller en närstående är eller har varit ställföreträdare eller ombud för en part eller för någon som påverkas',
    aliases: ['stallforetradarjav', 'stallforetradare', 'stallforetradar', 'ombud', 'ombudsjav', 'representative'],
  },
  tillsynsjav: {
    ground: 'tillsynsjav',
    label: 'tillsynsjäv',
    explanation: 'ärendet gäller tillsyn över en verksamhet som du är knuten till',
    aliases: ['tillsynsjav', 'tillsyn', 'supervision'],
  },
  ovrigt: {
    ground: 'ovrigt',
    label: 'övrigt jäv',
    explanation: 'någon annan särskild omständighet gör att din opartiskhet kan ifrågasättas',
    aliases: ['ovrigt', 'ovrigtjav', 'ovrigajav', 'annat', 'other'],
  },
};

/** Names from before 2022 that people still use; answered with a pointer to today's ground. */
const OUTDATED_GROUNDS: Record<string, JavGround> = {
  delikatessjav: 'ovrigt',
  delikatess: 'ovrigt',
  jav_synnerlig: 'partsjav',
  synnerlig: 'partsjav',
};

export type GroundLookup = { kind: 'found'; ground: JavGround } | { kind: 'outdated'; ground: JavGround; said: string } | { kind: 'unknown' };

/** Match a word the member wrote ("part", "Ställföreträdare", "tillsyn") to a ground. */
export function lookupGround(word: string): GroundLookup {
  const w = normalizeWord(word);
  for (const info of Object.values(JAV_GROUND_INFO)) {
    if (info.aliases.includes(w)) return { kind: 'found', ground: info.ground };
  }
  const outdated = OUTDATED_GROUNDS[w];
  if (outdated) return { kind: 'outdated', ground: outdated, said: word };
  return { kind: 'unknown' };
}

/** The sentence the secretary pastes into the protocol under "Anmälan av jäv". */
export function javProtocolSentence(member: Pick<Member, 'name' | 'party'>): string {
  return `${memberLabel(member)} anmäler jäv och deltar inte i handläggningen av ärendet.`;
}

/** Recorded wording when nobody declared jäv. */
export const NO_JAV_SENTENCE = 'Ingen anmälan av jäv.';

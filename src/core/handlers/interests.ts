/**
 * The register of interests and the jäv hints drawn from it.
 *
 * Each member records their engagements privately (`engagemang styrelse Sjöbacka Ridklubb
 * 802456-7890`), lists and removes them. Only the member, the secretary and the ordförande can
 * see a register, and only privately: in a channel nothing is recorded or shown.
 *
 * When a draft agenda is built (and when a member adds an engagement while a draft exists), each
 * ärende is matched against each member's register (src/domain/interests.ts). A match becomes a
 * private hint to that member alone, with a button that fills in a jäv declaration for them to
 * send. The bot never declares on anyone's behalf. A hint is recorded by its match keys and not
 * sent again for the same draft content.
 */
import { draftParagraphs } from '../../domain/attendance';
import { ELECTED_ROLES, memberLabel, type Committee, type Item, type Meeting, type Member, type Role } from '../../domain/committee';
import {
  ENGAGEMENT_INFO,
  ENGAGEMENT_KINDS,
  formatOrgnr,
  hintKey,
  likeliestGround,
  lookupEngagementKind,
  matchMember,
  normalizeOrgnr,
  onlyControlledSeats,
  sameName,
  type Engagement,
  type InterestMatch,
} from '../../domain/interests';
import { JAV_GROUND_INFO, type JavGround } from '../../domain/jav';
import type { EventPayload } from '../../domain/records';
import { activeDeclarations, interestsOf, type CommitteeState, type Interest } from '../../domain/state';
import { capitalize, cleanFreeText, labelGenitive, normalizeWord } from '../../domain/text';
import { ELECTED, LIST_WORDS, WITHDRAW_WORDS } from '../commands';
import { reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, formPart, list, message, paragraph, type Button, type Form, type Message } from '../message';
import { toAsker, toMember, type Outgoing } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { itemLabel, meetingName, upcomingMeetings } from '../refs';
import { actionValue, refusal } from './common';

export const MAX_NAME_CHARS = 200;
/** Engagements per member: a register, not a CV. */
export const MAX_ENGAGEMENTS = 50;
/** Who may read another member's register. */
const READERS: readonly Role[] = ['sekreterare', 'ordförande'];
const LIST_ROLES: readonly Role[] = [...ELECTED, 'sekreterare'];

const ADD_WORDS = ['engagemang', 'intresse', 'interest', 'engagement'];
const REGISTER_WORDS = ['intressen', 'interests', 'intresseregister', 'engagemangen', 'mina engagemang'];

/** The ground word the jäv command understands, for the text fallback of the hint's button. */
const GROUND_WORD: Record<JavGround, string> = { partsjav: 'part', stallforetradarjav: 'ställföreträdare', tillsynsjav: 'tillsyn', ovrigt: 'övrigt' };

const PRIVATE_ONLY = 'Registret över engagemang visas och ändras bara privat. Skriv till Nämndbot i ett direktmeddelande.';

function toEngagement(i: Interest): Engagement {
  return { id: i.id, kind: i.kind, name: i.name, ...(i.orgnr ? { orgnr: i.orgnr } : {}) };
}

function describe(i: Pick<Interest, 'id' | 'kind' | 'name' | 'orgnr'>): string {
  return `${i.id}: ${ENGAGEMENT_INFO[i.kind].label} — ${i.name}${i.orgnr ? ` (${formatOrgnr(i.orgnr)})` : ''}`;
}

function removeButton(committee: Committee, id: string): Button {
  return { label: `Ta bort ${id}`, actionId: 'interest.remove', value: actionValue(committee, { id }), command: `engagemang ta bort ${id}`, style: 'danger' };
}

function kindsText(): string {
  return ENGAGEMENT_KINDS.map((k) => `${ENGAGEMENT_INFO[k].aliases[0]} (${ENGAGEMENT_INFO[k].label})`).join(', ');
}

function addForm(committee: Committee, value?: string, error?: string): Outgoing {
  const form: Form = {
    id: 'interest.add',
    title: 'Registrera engagemang',
    submitLabel: 'Registrera',
    hidden: { committee: committee.id },
    fields: [
      {
        name: 'text',
        label: 'Typ, organisation och organisationsnummer (frivilligt)',
        kind: 'text',
        required: true,
        maxLength: MAX_NAME_CHARS + 40,
        placeholder: 'styrelse Sjöbacka Ridklubb 802456-7890',
        ...(value ? { value } : {}),
        ...(error ? { error } : {}),
      },
    ],
  };
  return toAsker(
    message(
      error ? 'Något behöver rättas innan engagemanget kan registreras.' : 'Vilket engagemang vill du registrera?',
      formPart(form),
      paragraph(`Typer: ${kindsText()}. Bara du, sekreteraren och ordföranden kan se ditt register.`),
    ),
  );
}

type Parsed = { ok: true; kind: Engagement['kind']; name: string; orgnr?: string } | { ok: false; reason: string };

/** "styrelse Sjöbacka Ridklubb 802456-7890" → kind, name, organisation number. */
export function parseEngagement(raw: string): Parsed {
  const text = cleanFreeText(raw);
  const [first, ...rest] = text.split(' ');
  const kind = lookupEngagementKind(first ?? '');
  if (!kind.ok) return { ok: false, reason: `Börja med typen av engagemang: ${kindsText()}. Till exempel: engagemang styrelse Sjöbacka Ridklubb 802456-7890` };
  let name = rest.join(' ');
  let orgnr: string | undefined;
  const m = /(?:^|\s)(?:org(?:anisations)?\.?\s*nr\.?:?\s*)?((?:16)?\d{6}\s?[-–]?\s?\d{4})\s*$/i.exec(name);
  if (m) {
    orgnr = normalizeOrgnr(m[1]);
    name = name.slice(0, m.index);
  }
  name = name.replace(/[\s,;:–-]+$/u, '').trim();
  if (name.length < 2) return { ok: false, reason: 'Skriv organisationens namn efter typen, till exempel: engagemang styrelse Sjöbacka Ridklubb' };
  if (name.length > MAX_NAME_CHARS) return { ok: false, reason: `Namnet är ${name.length} tecken; skriv högst ${MAX_NAME_CHARS}.` };
  return { ok: true, kind: kind.kind, name, ...(orgnr ? { orgnr } : {}) };
}

export function addInterest(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, member, state, now } = ctx;
  const raw = cmd.args.text ? cleanFreeText(cmd.args.text) : '';
  if (LIST_WORDS.includes(normalizeWord(raw))) return listInterests({ ...cmd, args: {} }, ctx);
  if (ctx.place.kind === 'channel') return reply(refusal(`${PRIVATE_ONLY} Ta gärna bort ditt meddelande här i kanalen.`));
  if (raw === '') return reply(addForm(committee));
  const parsed = parseEngagement(raw);
  if (!parsed.ok) return reply(cmd.fromForm ? addForm(committee, raw, parsed.reason) : refusal(parsed.reason));
  const own = interestsOf(state, member.id);
  const same = own.find((i) => i.kind === parsed.kind && ((i.orgnr && parsed.orgnr && i.orgnr === parsed.orgnr) || sameName(i.name, parsed.name)));
  if (same) return reply(toAsker(message(`Du har redan det engagemanget registrerat (${same.id}). Inget ändrades.`, list([describe(same)]))));
  if (own.length >= MAX_ENGAGEMENTS) return reply(refusal(`Du har redan ${own.length} engagemang registrerade, vilket är max. Ta bort något först: intressen.`));

  const interestId = `I${state.interests.size + 1}`;
  const engagement: Engagement = { id: interestId, kind: parsed.kind, name: parsed.name, ...(parsed.orgnr ? { orgnr: parsed.orgnr } : {}) };
  const events: EventPayload[] = [{ type: 'interest.recorded', interestId, memberId: member.id, kind: parsed.kind, name: parsed.name, ...(parsed.orgnr ? { orgnr: parsed.orgnr } : {}) }];
  const replies: Outgoing[] = [
    toAsker(
      message(
        `Engagemanget är registrerat: ${describe(engagement)}.`,
        paragraph('Bara du, sekreteraren och ordföranden kan se ditt register. När dagordningen tas fram jämför Nämndbot ärendena med registret och säger till dig privat om ett ärende kan beröra dig. Du avgör alltid själv om du är jävig.'),
        buttons(removeButton(committee, interestId)),
      ),
    ),
  ];
  // Meetings whose draft is already out: check them now against the new engagement.
  for (const meeting of upcomingMeetings(committee, now).filter((m) => state.agendaDrafts.has(m.id))) {
    const hints = javHints(committee, state, meeting, draftParagraphs(state, meeting.id), { memberId: member.id, extra: [engagement] });
    events.push(...hints.events);
    replies.push(...hints.replies);
  }
  return { events, replies };
}

export function listInterests(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, member, state } = ctx;
  const who = cmd.args.member ? normalizeWord(cmd.args.member) : undefined;
  let shown: Member[];
  if (!who || who === member.id) shown = [member];
  else if (!READERS.includes(member.role)) return reply(refusal('Du kan bara se ditt eget register. Sekreteraren och ordföranden kan se allas.'));
  else if (['alla', 'all'].includes(who)) shown = committee.members.filter((m) => ELECTED_ROLES.includes(m.role));
  else {
    const m = committee.members.find((x) => x.id === who);
    if (!m) return reply(refusal(`Det finns ingen ledamot med id "${cmd.args.member}". Skriv intressen alla för hela nämnden.`));
    shown = [m];
  }

  let msg: Message;
  if (shown.length === 1 && shown[0].id === member.id) {
    const own = interestsOf(state, member.id);
    msg = own.length
      ? message(`Ditt register (${own.length} engagemang):`, list(own.map(describe)), paragraph('Bara du, sekreteraren och ordföranden kan se det.'), buttons(...own.map((i) => removeButton(committee, i.id))))
      : message('Du har inga engagemang registrerade.', paragraph(`Registrera med till exempel: engagemang styrelse Sjöbacka Ridklubb 802456-7890. Typer: ${kindsText()}.`));
  } else {
    const lines = shown.map((m) => ({ m, own: interestsOf(state, m.id) }));
    const withAny = lines.filter((l) => l.own.length > 0);
    msg = message(
      shown.length === 1 ? `${labelGenitive(memberLabel(shown[0]))} register (${withAny[0]?.own.length ?? 0} engagemang):` : `Registren över engagemang i ${committee.name}: ${withAny.length} av ${shown.length} har registrerat något.`,
      ...withAny.map((l) => list(l.own.map(describe), memberLabel(l.m))),
      paragraph('Uppgifterna är ledamöternas egna och visas bara för sekreteraren och ordföranden. Dela dem inte vidare.'),
    );
  }
  // Never in a channel: sent privately instead, with a pointer for the asker.
  if (ctx.place.kind === 'channel') {
    return reply(toMember(committee.id, member.id, msg), toAsker(message('Registret visas bara privat; jag har skickat det till dig som direktmeddelande.')));
  }
  return reply(toAsker(msg));
}

export function removeInterest(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { member, state } = ctx;
  if (ctx.place.kind === 'channel') return reply(refusal(PRIVATE_ONLY));
  const id = cmd.args.id?.toUpperCase();
  if (!id) return listInterests({ ...cmd, args: {} }, ctx);
  const i = state.interests.get(id);
  if (!i || i.memberId !== member.id) return reply(refusal(`Du har inget engagemang med id ${id}. "intressen" visar ditt register.`));
  if (i.removedAt) return reply(toAsker(message(`Engagemang ${id} är redan borttaget. Inget ändrades.`)));
  return { events: [{ type: 'interest.removed', interestId: id }], replies: [toAsker(message(`Engagemanget är borttaget ur ditt register: ${describe(i)}.`))] };
}

// ---------------------------------------------------------------------------------------------
// Jäv hints.

const WHERE_TEXT: Record<InterestMatch['where'], string> = { part: 'bland ärendets parter', titel: 'i ärendets rubrik', beslutsunderlag: 'i beslutsunderlaget' };

function matchLine(m: InterestMatch, showEvidence: boolean): string {
  const what = m.engagement ? `ditt ${ENGAGEMENT_INFO[m.engagement.kind].label}: ${m.engagement.name}${m.engagement.orgnr ? ` (${formatOrgnr(m.engagement.orgnr)})` : ''}` : 'du själv';
  const by = m.by === 'orgnr' ? 'organisationsnumret' : 'namnet';
  const where = showEvidence && m.where !== 'titel' ? `${WHERE_TEXT[m.where]} ("${m.evidence}")` : WHERE_TEXT[m.where];
  return `${capitalize(what)} — ${by} finns ${where}.`;
}

/** The private hint for one member and one ärende. */
export function hintMessage(committee: Committee, meeting: Meeting, item: Item, paragraph_: number | undefined, matches: readonly InterestMatch[]): Message {
  const ground = likeliestGround(matches);
  const ref = paragraph_ !== undefined ? `§ ${paragraph_}, ärende ${itemLabel(item)}` : `ärende ${itemLabel(item)}`;
  // A sekretess ärende: the löpnummer only, and nothing quoted from its documents.
  const showEvidence = !item.sekretess;
  const reasons = [...new Set(matches.map((m) => (m.engagement ? ENGAGEMENT_INFO[m.engagement.kind].why : 'du är själv part i ärendet')))];
  const notes: string[] = [];
  if (onlyControlledSeats(matches)) {
    notes.push(
      item.myndighetsutovning
        ? 'Organisationen är ett bolag eller en stiftelse som kommunen kontrollerar. Ett styrelseuppdrag där är i sig inte jäv, utom i myndighetsutövning mot enskild — och det här ärendet gäller myndighetsutövning mot enskild.'
        : 'Organisationen är ett bolag eller en stiftelse som kommunen kontrollerar. Ett styrelseuppdrag där är i sig inte jäv, utom i myndighetsutövning mot enskild; det här ärendet är inte markerat som myndighetsutövning. Finns det andra skäl, anmäl ändå.',
    );
  }
  const groundWord = GROUND_WORD[ground];
  const msg = message(
    `Jävstips inför ${meetingName(meeting)}: ${ref} kan beröra dig.`,
    list(matches.map((m) => matchLine(m, showEvidence)), 'Det här hittade Nämndbot i ditt register'),
    fields({ label: 'Trolig grund', value: `${JAV_GROUND_INFO[ground].label} — ${reasons.join('; ')}` }),
    ...notes.map((n) => paragraph(n)),
    paragraph('Det här är bara ett tips, inget beslut. Du avgör själv om du är jävig; är du det, anmäl jäv med knappen. Är du osäker, fråga sekreteraren.'),
    buttons(
      {
        label: `Anmäl jäv (${JAV_GROUND_INFO[ground].label})`,
        actionId: 'jav.declare',
        value: actionValue(committee, { meeting: meeting.id, item: item.lopnummer, ground }),
        command: `jäv möte ${meeting.date} ${item.lopnummer} ${groundWord}`,
        style: 'primary',
      },
      { label: 'Välj annan grund', actionId: 'jav.declare', value: actionValue(committee, { meeting: meeting.id, item: item.lopnummer }), command: `jäv möte ${meeting.date} ${item.lopnummer}` },
    ),
  );
  return item.sekretess ? { ...msg, sekretess: true } : msg;
}

export interface HintOptions {
  /** Only this member (a newly recorded engagement). */
  memberId?: string;
  /** Engagements not yet in the state (recorded in the same decision). */
  extra?: readonly Engagement[];
}

/**
 * Hints for every member and ärende of a meeting that match and have not been sent for the same
 * content: one private message per member and ärende, and one record of the match keys each.
 * Members who already declared jäv in the ärende are left alone.
 */
export function javHints(committee: Committee, state: CommitteeState, meeting: Meeting, paragraphs: ReadonlyMap<string, number>, options: HintOptions = {}): { events: EventPayload[]; replies: Outgoing[]; sent: number } {
  const events: EventPayload[] = [];
  const replies: Outgoing[] = [];
  const declared = new Set(activeDeclarations(state, meeting.id).map((d) => `${d.memberId}|${d.lopnummer}`));
  const controlled = committee.kommunalaBolag ?? [];
  const members = committee.members.filter((m) => ELECTED_ROLES.includes(m.role) && (!options.memberId || m.id === options.memberId));
  for (const member of members) {
    const engagements = [...interestsOf(state, member.id).map(toEngagement), ...(options.memberId === member.id ? options.extra ?? [] : [])];
    for (const item of meeting.items) {
      if (declared.has(`${member.id}|${item.lopnummer}`)) continue;
      const matches = matchMember(member, engagements, item, controlled);
      if (matches.length === 0) continue;
      const keys = [...new Set(matches.map((m) => hintKey(meeting.id, item.lopnummer, member.id, m)))];
      if (keys.every((k) => state.javHintsSent.has(k))) continue;
      events.push({ type: 'javhint.sent', meetingId: meeting.id, lopnummer: item.lopnummer, memberId: member.id, keys });
      replies.push(toMember(committee.id, member.id, hintMessage(committee, meeting, item, paragraphs.get(item.lopnummer), matches)));
    }
  }
  return { events, replies, sent: replies.length };
}

export const interestCommands: CommandDef[] = [
  {
    name: 'interest.add',
    words: ADD_WORDS,
    sub: [],
    args: ['text'],
    roles: ELECTED,
    usage: 'engagemang <typ> <organisation> [organisationsnummer]',
    example: 'engagemang styrelse Sjöbacka Ridklubb 802456-7890',
    summary: `registrerar ett engagemang i ditt privata register, för jävstips (typ: ${ENGAGEMENT_KINDS.map((k) => ENGAGEMENT_INFO[k].aliases[0]).join(', ')})`,
    handle: addInterest,
  },
  {
    name: 'interest.list',
    words: REGISTER_WORDS,
    sub: [],
    args: ['member'],
    roles: LIST_ROLES,
    usage: 'intressen [ledamot|alla]',
    example: 'intressen',
    summary: 'visar ditt register över engagemang (sekreteraren och ordföranden kan se allas)',
    handle: listInterests,
  },
  { name: 'interest.remove', words: [...ADD_WORDS, ...REGISTER_WORDS], sub: WITHDRAW_WORDS, args: ['id'], roles: ELECTED, usage: 'engagemang ta bort <id>', example: 'engagemang ta bort I2', summary: 'tar bort ett engagemang ur ditt register', handle: removeInterest },
];

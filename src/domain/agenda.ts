/**
 * The agenda (kallelse and dagordning) as a plain, serialisable model.
 *
 * `buildAgenda` is pure: the caller gathers the committee, the meeting, the jäv declarations and
 * accepted övriga frågor so far, who is in turn to justera and the proposed justering date, and
 * gets back the items in the standard order with their § numbers and the Swedish wording. The
 * model is what templates render and what versions are compared by (`diffAgendas`).
 *
 * Sekretess: the model from `buildAgenda` holds full titles and is for the private file only.
 * Anything posted to a channel is rendered from `channelSafeAgenda(agenda)`, a copy from which the
 * secret content is removed (not hidden), so no template can print it by mistake.
 */
import { everyone, memberLabel, personIds, type AgendaEntry, type Committee, type ItemKind, type Meeting, type Member, type StandardItem } from './committee';
import { formatClock, formatClockRange, formatDateLong } from './time';
import { count, lowerFirst, befattningInText } from './text';

export const SEKRETESS_TITLE = 'Sekretessärende';

export interface AgendaJavInput {
  lopnummer: string;
  memberName: string;
  party?: string;
}

export interface AgendaQuestionInput {
  memberName: string;
  party?: string;
  text: string;
}

export interface AgendaInput {
  committee: Committee;
  meeting: Meeting;
  /** The first § of this meeting: § numbers run on through the calendar year. */
  firstParagraph: number;
  /** Jäv declared so far (withdrawn ones already removed by the caller). */
  javDeclarations: readonly AgendaJavInput[];
  /** Övriga frågor the secretary has accepted, in the order to take them. */
  ovrigaFragor: readonly AgendaQuestionInput[];
  /** How many övriga frågor still wait for the secretary's decision (not on the agenda until accepted). */
  waitingQuestions?: number;
  /** The member whose turn it is to justera, where the committee rotates. */
  justerareInTurn?: { name: string; party?: string };
  /** The proposed justering date and why it was chosen (from the deadline rules). */
  justering: { date: string; explanation: string };
  /** Set when no first § is known (no draft this year, none configured): the preview says so. */
  paragraphWarning?: string;
}

/** A tjänsteperson (or member) named on an ärende: handläggare or föredragande. */
export interface AgendaOfficer {
  id: string;
  name: string;
  befattning: string | null;
  /** "Annika Dal, jämställdhetsstrateg", or "Maja Berg (S)" for a member with a party. */
  label: string;
}

export interface AgendaPerson {
  name: string;
  party?: string;
  /** "Anna Berg (C)" */
  label: string;
}

export interface AgendaJav {
  lopnummer: string;
  member: AgendaPerson;
  /** The § of the ärende, or null when the löpnummer is not on this agenda. */
  paragraph: number | null;
  /** The ärende's title as shown in this view ("Sekretessärende" when channel safe). */
  itemTitle: string | null;
}

export interface AgendaQuestion {
  member: AgendaPerson;
  text: string;
}

interface ItemBase {
  /** Stable across versions of the draft: "justerare", "arende:7/25". */
  key: string;
  /** 1-based place in the agenda, unnumbered items included. */
  position: number;
  /** The § number, or null for unnumbered items (upprop, avslutning). */
  paragraph: number | null;
  /** "§ 18", or "" when unnumbered. */
  paragraphText: string;
  /** The heading as shown: "Val av justerare", or the ärende's title. */
  heading: string;
  /** Swedish sentences under the heading, ready to print. */
  lines: string[];
}

export interface UppropItem extends ItemBase {
  type: 'upprop';
}
export interface JusterareItem extends ItemBase {
  type: 'justerare';
  inTurn: AgendaPerson | null;
}
export interface JusteringItem extends ItemBase {
  type: 'justering';
  date: string;
  dateText: string;
  explanation: string;
}
export interface JavItem extends ItemBase {
  type: 'jav';
  declarations: AgendaJav[];
}
export interface OvrigaFragorAnmalanItem extends ItemBase {
  type: 'ovrigaFragorAnmalan';
  questions: AgendaQuestion[];
}
export interface DagordningItem extends ItemBase {
  type: 'dagordning';
}
export interface ArendeItem extends ItemBase {
  type: 'arende';
  lopnummer: string;
  /** Every handläggare / beredningsansvarig, in the file's order (ids that do not resolve left out). */
  handlaggareList: AgendaOfficer[];
  /** Who presents the ärende, when the file names anyone. */
  foredragande: AgendaOfficer[];
  /** Every configured handläggare id, kept even when one does not resolve. */
  handlaggareIds: string[];
  /** The standard item this ärende stands for ("justering" for 001's Tid för justering). */
  ersatter: StandardItem | null;
  /** The title as shown in this view ("Sekretessärende" when redacted). */
  title: string;
  diarienummer: string | null;
  /** The configured member id, kept even when it does not resolve. */
  handlaggareId: string | null;
  handlaggare: AgendaPerson | null;
  beslutsunderlag: string[];
  forslagTillBeslut: string | null;
  kind: ItemKind;
  sekretess: boolean;
  /** True when secret content was removed for a channel. */
  redacted: boolean;
  jav: AgendaJav[];
}
export interface OvrigaFragorItem extends ItemBase {
  type: 'ovrigaFragor';
  questions: AgendaQuestion[];
}
export interface AvslutningItem extends ItemBase {
  type: 'avslutning';
}
/** An item of the committee's own, from settings.agenda ("Information från ordföranden"). */
export interface EgenItem extends ItemBase {
  type: 'egen';
}

export type AgendaItem =
  | UppropItem
  | JusterareItem
  | JusteringItem
  | JavItem
  | OvrigaFragorAnmalanItem
  | DagordningItem
  | ArendeItem
  | OvrigaFragorItem
  | AvslutningItem
  | EgenItem;
export type AgendaItemType = AgendaItem['type'];

export interface Agenda {
  committee: { id: string; name: string; shortName: string };
  meeting: { id: string; date: string; start: string | null; end: string | null; place: string };
  heading: {
    /** "Sjöbacka kommun", or null when the committee file does not say. */
    kommun: string | null;
    committee: string;
    title: 'Kallelse';
    /** "torsdag den 13 februari 2025" */
    dateText: string;
    /** "kl. 9.00", or "" when the meeting has no start time. */
    timeText: string;
    /** "kl. 9.00–12.00" when an end time is set, else as timeText. */
    timeRangeText: string;
    place: string;
  };
  items: AgendaItem[];
  /** The § range; `warning` names the setting when no first § was known. */
  paragraphs: { first: number; last: number; text: string; warning?: string };
  justering: {
    date: string;
    dateText: string;
    explanation: string;
    /** "digitalt", "på kommunledningskontoret", or null when the committee file does not say. */
    where: string | null;
    /** "Protokollet justeras digitalt senast fredag den 14 februari 2025." */
    sentence: string;
  };
  ordforande: AgendaPerson | null;
  sekreterare: AgendaPerson | null;
  counts: { arenden: number; beslut: number; information: number; sekretess: number; jav: number; ovrigaFragor: number };
  /** True for a copy made by `channelSafeAgenda`: no secret content left. */
  channelSafe: boolean;
}

/** A YYYY-MM-DD date that exists in the calendar (not 2025-02-30). */
function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

function person(p: { name: string; party?: string }): AgendaPerson {
  return p.party ? { name: p.name, party: p.party, label: memberLabel(p) } : { name: p.name, label: memberLabel(p) };
}

/** "§ 18" or "§§ 18–31". */
export function formatParagraphRange(first: number, last: number): string {
  return first === last ? `§ ${first}` : `§§ ${first}–${last}`;
}

function paragraphText(p: number | null): string {
  return p === null ? '' : `§ ${p}`;
}

/** "ärende 7/25 (§ 25)" */
function arendeRef(lopnummer: string, paragraph: number | null): string {
  return paragraph === null ? `ärende ${lopnummer}` : `ärende ${lopnummer} (§ ${paragraph})`;
}

function javLine(d: AgendaJav): string {
  return d.paragraph === null
    ? `${d.member.label} har anmält jäv i ${arendeRef(d.lopnummer, null)}, som inte finns på dagordningen.`
    : `${d.member.label} har anmält jäv i ${arendeRef(d.lopnummer, d.paragraph)}.`;
}

function arendeLines(sekretess: boolean, jav: AgendaJav[]): string[] {
  const lines: string[] = [];
  if (sekretess) lines.push('Ärendet omfattas av sekretess.');
  for (const d of jav) lines.push(`${d.member.label} har anmält jäv i ärendet.`);
  return lines;
}

/** Today's layout, for committees whose file says nothing about the agenda's structure. */
const DEFAULT_OPENING: readonly AgendaEntry[] = [
  { item: 'upprop' },
  { item: 'justerare' },
  { item: 'justering' },
  { item: 'jav' },
  { item: 'ovrigaFragorAnmalan' },
  { item: 'dagordning' },
];
const DEFAULT_CLOSING: readonly AgendaEntry[] = [{ item: 'ovrigaFragor' }, { item: 'avslutning' }];
/** Standard items that carry no decision, and so no §, unless the committee says otherwise. */
const UNNUMBERED_BY_DEFAULT: readonly StandardItem[] = ['upprop', 'avslutning'];

function officer(m: Member): AgendaOfficer {
  const befattning = m.befattning ?? null;
  const label = m.party ? memberLabel(m) : befattning ? `${m.name}, ${befattningInText(befattning)}` : m.name;
  return { id: m.id, name: m.name, befattning, label };
}

/** "Protokollet justeras digitalt senast fredag den 14 februari 2025." */
export function justeringSentence(where: string | null, dateText: string): string {
  return `Protokollet justeras ${where ? `${where} ` : ''}senast ${dateText}.`;
}

export function buildAgenda(input: AgendaInput): Agenda {
  const { committee, meeting, firstParagraph, justering } = input;
  if (!Number.isInteger(firstParagraph) || firstParagraph < 1) {
    throw new RangeError(`Första paragrafen måste vara ett heltal från 1, inte ${String(firstParagraph)}.`);
  }
  if (!isCalendarDate(justering.date)) {
    throw new RangeError(`Justeringsdatumet måste vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, inte "${justering.date}".`);
  }

  // Information items first or last, or the secretary's own order (asListed), information and beslut mixed.
  const info = meeting.items.filter((i) => i.kind === 'information');
  const beslut = meeting.items.filter((i) => i.kind !== 'information');
  const order = committee.settings.informationItems;
  const ordered = order === 'asListed' ? [...meeting.items] : order === 'last' ? [...beslut, ...info] : [...info, ...beslut];

  // The committee's opening and closing items; an ärende standing for a standard item replaces it.
  const replaced = new Set(meeting.items.map((i) => i.ersatter).filter((x): x is StandardItem => x !== undefined));
  const layout = committee.settings.agenda;
  const opening = (layout?.opening ?? DEFAULT_OPENING).filter((e) => !e.item || !replaced.has(e.item));
  const closing = (layout?.closing ?? DEFAULT_CLOSING).filter((e) => !e.item || !replaced.has(e.item));
  const numbered = (e: AgendaEntry) => e.paragraph ?? !(e.item && UNNUMBERED_BY_DEFAULT.includes(e.item));

  // § numbers in agenda order: the numbered opening items, the ärenden, the numbered closing items.
  const openingCount = opening.filter(numbered).length;
  const paragraphOfArende = new Map<string, number>();
  ordered.forEach((item, i) => paragraphOfArende.set(item.lopnummer, firstParagraph + openingCount + i));
  const titleOf = new Map(ordered.map((i) => [i.lopnummer, i.title]));

  const declarations: AgendaJav[] = input.javDeclarations.map((d) => ({
    lopnummer: d.lopnummer,
    member: person({ name: d.memberName, party: d.party }),
    paragraph: paragraphOfArende.get(d.lopnummer) ?? null,
    itemTitle: titleOf.get(d.lopnummer) ?? null,
  }));
  // In agenda order, declarations for unknown löpnummer last; stable within each ärende.
  const sortedDeclarations = declarations
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.paragraph ?? Infinity) - (b.d.paragraph ?? Infinity) || a.i - b.i)
    .map((x) => x.d);

  const questions: AgendaQuestion[] = input.ovrigaFragor.map((q) => ({ member: person({ name: q.memberName, party: q.party }), text: q.text }));
  const inTurn = input.justerareInTurn ? person(input.justerareInTurn) : null;
  const justeringDateText = formatDateLong(justering.date);
  const where = committee.settings.justering?.where ?? null;
  const sentence = justeringSentence(where, justeringDateText);
  // Where the justering sentence goes: its own item, else the ärende standing for it, else under val av justerare.
  const justeringHome = opening.some((e) => e.item === 'justering') || closing.some((e) => e.item === 'justering') ? 'item' : replaced.has('justering') ? 'arende' : 'justerare';

  const items: AgendaItem[] = [];
  let p = firstParagraph;
  const base = (key: string, paragraph: number | null, heading: string, lines: string[]): ItemBase => ({
    key,
    position: items.length + 1,
    paragraph,
    paragraphText: paragraphText(paragraph),
    heading,
    lines,
  });

  const standardItem = (e: AgendaEntry & { item: StandardItem }, paragraph: number | null): AgendaItem => {
    const heading = (standard: string) => e.title ?? standard;
    switch (e.item) {
      case 'upprop':
        return { ...base('upprop', paragraph, heading('Upprop'), ['Ordföranden öppnar sammanträdet och förrättar upprop.']), type: 'upprop' };
      case 'justerare': {
        const lines = inTurn
          ? [`Förslag: ${inTurn.label}, som är i tur, justerar protokollet tillsammans med ordföranden.`]
          : ['En ledamot utses att justera protokollet tillsammans med ordföranden.'];
        if (justeringHome === 'justerare') lines.push(`Förslag: ${lowerFirst(sentence)}`);
        return { ...base('justerare', paragraph, heading('Val av justerare'), lines), type: 'justerare', inTurn };
      }
      case 'justering':
        return {
          ...base('justering', paragraph, heading('Tid för justering'), [`Förslag: ${lowerFirst(sentence)}`]),
          type: 'justering',
          date: justering.date,
          dateText: justeringDateText,
          explanation: justering.explanation,
        };
      case 'jav':
        return {
          ...base('jav', paragraph, heading('Anmälan av jäv'), sortedDeclarations.length ? sortedDeclarations.map(javLine) : ['Ingen anmälan av jäv har kommit in i förväg.']),
          type: 'jav',
          declarations: sortedDeclarations,
        };
      case 'ovrigaFragorAnmalan':
        return {
          ...base(
            'ovrigaFragorAnmalan',
            paragraph,
            heading('Anmälan av övriga frågor'),
            questions.length
              ? questions.map((q) => `${q.member.label}: ${q.text}`)
              : input.waitingQuestions
                ? [`Inga övriga frågor är godkända än; ${count(input.waitingQuestions, 'fråga väntar', 'frågor väntar')} på sekreterarens beslut.`]
                : ['Inga övriga frågor har anmälts i förväg.'],
          ),
          type: 'ovrigaFragorAnmalan',
          questions,
        };
      case 'dagordning':
        return { ...base('dagordning', paragraph, heading('Godkännande av dagordning'), ['Förslag: dagordningen godkänns.']), type: 'dagordning' };
      case 'ovrigaFragor':
        return {
          ...base('ovrigaFragor', paragraph, heading('Övriga frågor'), questions.length ? questions.map((q) => `Fråga från ${q.member.label}: ${q.text}`) : ['Inga övriga frågor har anmälts.']),
          type: 'ovrigaFragor',
          questions,
        };
      case 'avslutning':
        return { ...base('avslutning', paragraph, heading('Avslutning'), ['Ordföranden avslutar sammanträdet.']), type: 'avslutning' };
      default: {
        const never: never = e.item;
        throw new RangeError(`Unknown standard item ${String(never)}`);
      }
    }
  };
  const ownCount = new Map<string, number>();
  const entryItem = (e: AgendaEntry): AgendaItem => {
    const paragraph = numbered(e) ? p++ : null;
    if (e.item) return standardItem(e as AgendaEntry & { item: StandardItem }, paragraph);
    // The committee's own item: keyed by its title, so versions of the draft compare.
    const title = e.title ?? '';
    const n = (ownCount.get(title) ?? 0) + 1;
    ownCount.set(title, n);
    return { ...base(`egen:${title}${n > 1 ? `:${n}` : ''}`, paragraph, title, e.text ? [e.text] : []), type: 'egen' };
  };

  for (const e of opening) items.push(entryItem(e));

  const peopleById = new Map(everyone(committee).map((m) => [m.id, m]));
  const officers = (ids: readonly string[]) => ids.map((id) => peopleById.get(id)).filter((m): m is Member => m !== undefined).map(officer);
  const javByLopnummer = new Map<string, AgendaJav[]>();
  for (const d of sortedDeclarations) javByLopnummer.set(d.lopnummer, [...(javByLopnummer.get(d.lopnummer) ?? []), d]);

  for (const item of ordered) {
    const handlaggareIds = [...personIds(item.handlaggare)];
    const handlaggareMember = handlaggareIds[0] ? peopleById.get(handlaggareIds[0]) : undefined;
    const jav = javByLopnummer.get(item.lopnummer) ?? [];
    const standsForJustering = item.ersatter === 'justering' && justeringHome === 'arende';
    const forslag = item.forslagTillBeslut || (standsForJustering ? `Att ${lowerFirst(sentence)}` : null);
    items.push({
      ...base(`arende:${item.lopnummer}`, p++, item.title, arendeLines(item.sekretess, jav)),
      type: 'arende',
      lopnummer: item.lopnummer,
      title: item.title,
      diarienummer: item.diarienummer || null,
      handlaggareId: handlaggareIds[0] ?? null,
      handlaggare: handlaggareMember ? person(handlaggareMember) : null,
      handlaggareIds,
      handlaggareList: officers(handlaggareIds),
      foredragande: officers(personIds(item.foredragande)),
      ersatter: item.ersatter ?? null,
      beslutsunderlag: [...item.beslutsunderlag],
      forslagTillBeslut: forslag,
      kind: item.kind,
      sekretess: item.sekretess,
      redacted: false,
      jav,
    });
  }

  for (const e of closing) items.push(entryItem(e));

  const ordforande = committee.members.find((m) => m.role === 'ordförande');
  const sekreterare = committee.members.find((m) => m.role === 'sekreterare');
  const last = p - 1;
  const paragraphs = { first: firstParagraph, last, text: last < firstParagraph ? 'inga' : formatParagraphRange(firstParagraph, last) };

  return {
    committee: { id: committee.id, name: committee.name, shortName: committee.shortName },
    meeting: { id: meeting.id, date: meeting.date, start: meeting.start ?? null, end: meeting.end ?? null, place: meeting.place },
    heading: {
      kommun: committee.kommun ?? null,
      committee: committee.name,
      title: 'Kallelse',
      dateText: formatDateLong(meeting.date),
      timeText: meeting.start ? formatClock(meeting.start) : '',
      timeRangeText: formatClockRange(meeting.start, meeting.end),
      place: meeting.place,
    },
    items,
    paragraphs: input.paragraphWarning ? { ...paragraphs, warning: input.paragraphWarning } : paragraphs,
    justering: { date: justering.date, dateText: justeringDateText, explanation: justering.explanation, where, sentence },
    ordforande: ordforande ? person(ordforande) : null,
    sekreterare: sekreterare ? person(sekreterare) : null,
    counts: {
      arenden: ordered.length,
      beslut: beslut.length,
      information: info.length,
      sekretess: ordered.filter((i) => i.sekretess).length,
      jav: sortedDeclarations.length,
      ovrigaFragor: questions.length,
    },
    channelSafe: false,
  };
}

/**
 * A copy safe to post in a channel: each sekretess ärende keeps its §, löpnummer and
 * diarienummer, but its title, beslutsunderlag and förslag till beslut are removed, and the
 * title is "Sekretessärende" wherever it is referred to (jäv lists included).
 */
export function channelSafeAgenda(agenda: Agenda): Agenda {
  const secret = new Set(agenda.items.filter((i): i is ArendeItem => i.type === 'arende' && i.sekretess).map((i) => i.lopnummer));
  const safeJav = (d: AgendaJav): AgendaJav => (secret.has(d.lopnummer) ? { ...d, itemTitle: SEKRETESS_TITLE } : { ...d });
  const items = agenda.items.map((item): AgendaItem => {
    switch (item.type) {
      case 'arende':
        if (!item.sekretess) return { ...item, jav: item.jav.map(safeJav) };
        return {
          ...item,
          heading: SEKRETESS_TITLE,
          title: SEKRETESS_TITLE,
          beslutsunderlag: [],
          forslagTillBeslut: null,
          redacted: true,
          jav: item.jav.map(safeJav),
        };
      case 'jav':
        return { ...item, declarations: item.declarations.map(safeJav) };
      default:
        return { ...item };
    }
  });
  return { ...agenda, items, channelSafe: true };
}

function arendeName(item: ArendeItem): string {
  return `${item.paragraphText} (${item.lopnummer}) ${item.title}`;
}

/** What is missing or risky in a draft, as Swedish sentences for the secretary. */
export function agendaWarnings(agenda: Agenda): string[] {
  const out: string[] = [];
  const arenden = agenda.items.filter((i): i is ArendeItem => i.type === 'arende');
  if (arenden.length === 0) out.push('Mötet har inga ärenden ännu.');
  for (const item of arenden) {
    const name = arendeName(item);
    if (!item.forslagTillBeslut && !item.redacted) out.push(`${name}: förslag till beslut saknas.`);
    const found = new Set(item.handlaggareList.map((o) => o.id));
    if (item.handlaggareIds.length === 0 && item.foredragande.length === 0) out.push(`${name}: handläggare saknas.`);
    for (const id of item.handlaggareIds) {
      if (!found.has(id)) out.push(`${name}: handläggaren "${id}" finns inte bland nämndens personer.`);
    }
    if (item.sekretess) {
      out.push(`${name}: omfattas av sekretess. I kanalen visas ärendet bara som "${SEKRETESS_TITLE}"; handlingarna får inte läggas i kanalen.`);
    }
    if (item.jav.length > 0) {
      const who = item.jav.map((d) => d.member.label).join(', ');
      out.push(`${name}: jäv anmält av ${who}. Kontrollera att nämnden är beslutsför och kalla ersättare vid behov.`);
    }
  }
  const jav = agenda.items.find((i): i is JavItem => i.type === 'jav');
  for (const d of jav?.declarations ?? []) {
    if (d.paragraph === null) out.push(`Jäv anmält av ${d.member.label} i ärende ${d.lopnummer}, som inte finns på dagordningen.`);
  }
  // What the Word draft needs to be fit to send.
  if (agenda.paragraphs.warning) out.push(agenda.paragraphs.warning);
  if (!agenda.heading.kommun) out.push('Kommunens namn saknas i kallelsen: skriv kommun: (till exempel kommun: Sjöbacka kommun) överst i nämndfilen.');
  if (!agenda.ordforande) out.push('Ordförandens namn saknas i underskriften: nämndfilen har ingen ledamot med role: ordförande.');
  if (!agenda.sekreterare) out.push('Sekreterarens namn saknas i underskriften: nämndfilen har ingen person med role: sekreterare.');
  if (!agenda.meeting.start) out.push('Mötet har ingen starttid: kallelsen visar ingen tid. Skriv start: för mötet i nämndfilen när tiden är bestämd.');
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Longest common subsequence of two key lists: the items that kept their relative order. */
function keptInOrder(a: readonly string[], b: readonly string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kept.add(a[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return kept;
}

/** "7/25 Budget 2026" or "Anmälan av jäv". */
function itemName(item: AgendaItem): string {
  return item.type === 'arende' ? `${item.lopnummer} ${item.title}` : item.heading;
}

/** "§ 24 (7/25) Budget 2026" or "§ 20 Anmälan av jäv". */
function describe(item: AgendaItem): string {
  if (item.type === 'arende') return arendeName(item);
  return item.paragraphText ? `${item.paragraphText} ${item.heading}` : item.heading;
}

function javKey(d: AgendaJav): string {
  return `${d.lopnummer}\u0000${d.member.label}`;
}

function questionKey(q: AgendaQuestion): string {
  return `${q.member.label}\u0000${q.text}`;
}

/**
 * What changed between two versions of a draft, as Swedish lines: items added, removed or moved
 * (moved means the order relative to the other items changed, not that a § shifted), changes to
 * an ärende, declarations and questions added or withdrawn. Empty when nothing changed.
 * Compare two private agendas or two channel-safe ones, not one of each.
 */
export function diffAgendas(previous: Agenda, next: Agenda): string[] {
  const out: string[] = [];
  const h0 = previous.heading;
  const h1 = next.heading;
  if (previous.meeting.date !== next.meeting.date) out.push(`Datum ändrat: nu ${h1.dateText} (var ${h0.dateText}).`);
  if (h0.timeRangeText !== h1.timeRangeText) out.push(`Tid ändrad: nu ${h1.timeRangeText} (var ${h0.timeRangeText}).`);
  if (h0.place !== h1.place) out.push(`Plats ändrad: nu ${h1.place} (var ${h0.place}).`);

  const prevByKey = new Map(previous.items.map((i) => [i.key, i]));
  const nextByKey = new Map(next.items.map((i) => [i.key, i]));
  const prevKeys = previous.items.map((i) => i.key).filter((k) => nextByKey.has(k));
  const nextKeys = next.items.map((i) => i.key).filter((k) => prevByKey.has(k));
  const kept = keptInOrder(prevKeys, nextKeys);

  for (const item of next.items) {
    const before = prevByKey.get(item.key);
    if (!before) {
      out.push(`Tillagt: ${describe(item)}.`);
      continue;
    }
    if (!kept.has(item.key)) {
      out.push(`Flyttat: ${itemName(item)}, nu ${item.paragraphText || `punkt ${item.position}`} (var ${before.paragraphText || `punkt ${before.position}`}).`);
    }
    if (item.type === 'arende' && before.type === 'arende') {
      const changed: string[] = [];
      if (item.title !== before.title) changed.push('titel');
      if (item.diarienummer !== before.diarienummer) changed.push('diarienummer');
      // A version stored before several handläggare were possible has only handlaggareId.
      const handlaggare = (i: ArendeItem) => (i.handlaggareIds ?? (i.handlaggareId ? [i.handlaggareId] : [])).join(',');
      if (handlaggare(item) !== handlaggare(before)) changed.push('handläggare');
      if ((item.foredragande ?? []).map((o) => o.id).join(',') !== (before.foredragande ?? []).map((o) => o.id).join(',')) changed.push('föredragande');
      if (item.kind !== before.kind) changed.push(item.kind === 'information' ? 'nu informationsärende' : 'nu beslutsärende');
      if (item.sekretess !== before.sekretess) changed.push(item.sekretess ? 'nu sekretess' : 'inte längre sekretess');
      if (!sameList(item.beslutsunderlag, before.beslutsunderlag)) changed.push('beslutsunderlag');
      if (item.forslagTillBeslut !== before.forslagTillBeslut) {
        changed.push(before.forslagTillBeslut ? (item.forslagTillBeslut ? 'förslag till beslut' : 'förslag till beslut borttaget') : 'förslag till beslut tillagt');
      }
      if (changed.length) out.push(`Ändrat: ${describe(item)}: ${changed.join(', ')}.`);
    }
  }
  for (const item of previous.items) {
    if (!nextByKey.has(item.key)) out.push(`Borttaget: ${itemName(item)} (var ${item.paragraphText || `punkt ${item.position}`}).`);
  }

  const prevJ = previous.items.find((i): i is JusterareItem => i.type === 'justerare');
  const nextJ = next.items.find((i): i is JusterareItem => i.type === 'justerare');
  if ((prevJ?.inTurn?.label ?? null) !== (nextJ?.inTurn?.label ?? null)) {
    out.push(nextJ?.inTurn ? `I tur att justera: nu ${nextJ.inTurn.label}.` : 'Ingen är längre angiven som i tur att justera.');
  }
  if (previous.justering.date !== next.justering.date) out.push(`Justeringsdatum ändrat: nu senast ${next.justering.dateText} (var ${previous.justering.dateText}).`);

  const declarationsOf = (a: Agenda) => a.items.find((i): i is JavItem => i.type === 'jav')?.declarations ?? [];
  const prevJav = new Set(declarationsOf(previous).map(javKey));
  const nextJav = new Set(declarationsOf(next).map(javKey));
  for (const d of declarationsOf(next)) {
    if (!prevJav.has(javKey(d))) out.push(`Ny jävsanmälan: ${d.member.label} i ${arendeRef(d.lopnummer, d.paragraph)}.`);
  }
  for (const d of declarationsOf(previous)) {
    if (!nextJav.has(javKey(d))) out.push(`Jävsanmälan återkallad: ${d.member.label} i ärende ${d.lopnummer}.`);
  }

  const questionsOf = (a: Agenda) => a.items.find((i): i is OvrigaFragorAnmalanItem => i.type === 'ovrigaFragorAnmalan')?.questions ?? [];
  const prevQ = new Set(questionsOf(previous).map(questionKey));
  const nextQ = new Set(questionsOf(next).map(questionKey));
  for (const q of questionsOf(next)) if (!prevQ.has(questionKey(q))) out.push(`Ny övrig fråga: ${q.member.label}: ${q.text}`);
  for (const q of questionsOf(previous)) if (!nextQ.has(questionKey(q))) out.push(`Övrig fråga borttagen: ${q.member.label}: ${q.text}`);

  if (previous.paragraphs.text !== next.paragraphs.text) out.push(`Paragrafer: nu ${next.paragraphs.text} (var ${previous.paragraphs.text}).`);
  return out;
}

/**
 * The protokoll as a plain, serialisable model, built from the agenda and the meeting as it
 * happened. Pure.
 *
 * The § numbers and the order are the agenda's (`buildAgenda`): the protokoll writes no
 * numbering of its own. Every numbered agenda item becomes a §; the närvaro, the tjänstgörande
 * ersättare and the quorum are worked out per §:
 * - a ledamot takes part in a § when present there (by default: unless a förhinder covers it)
 *   and not jävig in its ärende;
 * - a seat left empty is taken by the ersättare recorded for it (`tjänstgör`), else by one who
 *   accepted an ask for the förhinder, else by the first ersättare present in the party's
 *   order: a ledamot jävig in one § is replaced for that § only;
 * - quorum (more than half the seats) is judged per §, for the §§ where a decision is taken.
 *
 * Sekretess: the model from `buildProtokoll` holds everything and is for the secretary's private
 * file only. `channelSafeProtokoll` is a copy with every sekretess § removed (not hidden), and
 * every § the secretary kept out of the public version (`protokoll utan § 23`), so the public
 * version reads "Paragraf 18–22 och 24–33"; its närvaro lines name only the §§ it keeps.
 */
import type { Agenda, AgendaItem } from './agenda';
import { ersattareOrder, quorumOf, SEAT_ROLES } from './attendance';
import { everyone, memberLabel, type Committee, type Member } from './committee';
import { anslagDue, anslagTakeDownDate, overklagandeLastDay } from './deadlines';
import { javProtocolSentence, NO_JAV_SENTENCE } from './jav';
import type { BeslutOutcome, MeetingMinutes, NoteKind } from './state';
import { formatClockRange, formatDateLong } from './time';
import { capitalize, befattningInText } from './text';

export interface ProtokollInput {
  committee: Committee;
  /** The agenda as built for the meeting (private: sekretess titles in full). */
  agenda: Agenda;
  minutes: MeetingMinutes;
  /** Standing jäv declarations of the meeting. */
  jav: readonly { memberId: string; lopnummer: string }[];
  /** Standing förhinder (empty lopnummer: the whole meeting). */
  forhinder: readonly { memberId: string; lopnummer: readonly string[] }[];
  /** Asks an ersättare accepted, for standing förhinder. */
  acceptedAsks: readonly { ersattareId: string; memberId: string; lopnummer: readonly string[] }[];
  /** Övriga frågor the secretary accepted. */
  questions: readonly { memberId: string; text: string }[];
  justering?: { justerare: readonly string[]; dueDate: string; anslagPostedDate?: string; signedAt: Readonly<Record<string, string>> };
}

export interface ProtokollParagraph {
  /** The agenda item's key: "arende:7/27", "justerare". */
  key: string;
  paragraph: number;
  /** "§ 24" */
  paragraphText: string;
  heading: string;
  type: AgendaItem['type'];
  lopnummer: string | null;
  /** Ärendenummer / diarienummer. */
  arendenummer: string | null;
  handlaggare: string[];
  beskrivning: string[];
  beslutsunderlag: string[];
  forslag: string[];
  /** Sentences printed under the heading before the beslut ("Ingen anmälan av jäv.", the jäv sentences). */
  text: string[];
  /**
   * § "Anmälan av jäv" only: each "X anmäler jäv i § N." with the § (item key) it names, so the
   * public version can leave out those of §§ it does not hold. Absent in drafts recorded before.
   */
  javDeclarations?: { key: string; text: string }[];
  yrkanden: string[];
  votering: string | null;
  /** "Jämställdhetsdelegationen beslutar:", or "" when the § takes no decision. */
  beslutLead: string;
  beslut: string[];
  reservationer: string[];
  protokollsanteckningar: string[];
  expedieras: string[];
  sekretess: boolean;
  /** Kept out of the public version by the secretary (not sekretess: the § number may be named). */
  excluded: boolean;
  /** Decisions are taken here: quorum matters. */
  decides: boolean;
  /** Ledamöter and tjänstgörande ersättare taking part. */
  participants: number;
  beslutsfor: boolean;
}

/** A närvaro line before its §§ are written: they depend on which §§ the version keeps. */
export interface NarvaroRow {
  /** "Per Ek (S) ersätter Anna Berg (C)" */
  label: string;
  /** The §§ (item keys) the line names when not all. */
  keys: string[];
  /** The §§ that put the person on the list at all, when more than `keys` (a ledamot present but jävig). */
  listedIn?: string[];
}

type NarvaroSection = 'ledamoter' | 'tjanstgorandeErsattare' | 'ersattare' | 'ovriga';

export interface Protokoll {
  committee: { id: string; name: string; kommun: string | null };
  meeting: { id: string; date: string };
  heading: { title: 'Protokoll'; committee: string; date: string; dateText: string; time: string; place: string };
  /** The lines as written: "Per Ek (S) ersätter Anna Berg (C) §§ 12–14". */
  narvaro: Record<NarvaroSection, string[]>;
  /** The same lines before their §§ are written, for the public version. */
  narvaroRows: Record<NarvaroSection, NarvaroRow[]>;
  /** "Paragraf 18–33", or "Paragraf 18–22 och 24–33" with a § left out. */
  paragrafer: string;
  paragraphs: ProtokollParagraph[];
  signatures: {
    digital: boolean;
    sekreterare: string | null;
    ordforande: string | null;
    justerare: string[];
    /** "Digitalt justerat protokoll." or "". */
    digitalText: string;
  };
  anslag: {
    organ: string;
    sammantradesdatum: string;
    /** When the justering was done, or the last day for it. */
    justeringsdatum: string;
    justerat: boolean;
    /** Posted, or null while it is not. */
    uppsatt: string | null;
    /** The last day to post it, while it is not posted. */
    uppsattSenast: string | null;
    /** The day it may be taken down, once posted. */
    nedtagning: string | null;
    sistaDagForOverklagande: string | null;
    forvaringsplats: string;
  };
  quorum: { seats: number; needed: number };
  /** What is missing or wrong, as Swedish sentences for the secretary. */
  warnings: string[];
  channelSafe: boolean;
}

// ---------------------------------------------------------------------------------------------

/** "20–22 och 24–33" for [20, 21, 22, 24 … 33]. */
export function paragraphRanges(nums: readonly number[]): string {
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(j === i ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return ranges.length <= 1 ? ranges.join('') : `${ranges.slice(0, -1).join(', ')} och ${ranges[ranges.length - 1]}`;
}

/** "§ 9", "§§ 20–22 och 24–33". */
export function paragraphsText(nums: readonly number[]): string {
  return `${new Set(nums).size === 1 ? '§' : '§§'} ${paragraphRanges(nums)}`;
}

/** A line of the proposal as the protokoll prints it: no leading dash or "Att". */
function beslutLine(line: string): string {
  const t = line.replace(/^\s*[-–•]\s*/, '').trim();
  const att = /^att\s+(.+)$/i.exec(t);
  return att ? capitalize(att[1]!) : t;
}

function lines(text: string | null | undefined): string[] {
  return (text ?? '').split(/\n+/).map((l) => l.trim()).filter(Boolean);
}

const NOTE_ORDER: readonly NoteKind[] = ['yrkande', 'reservation', 'protokollsanteckning'];

export function buildProtokoll(input: ProtokollInput): Protokoll {
  const { committee, agenda, minutes } = input;
  const people = new Map(everyone(committee).map((m) => [m.id, m]));
  const label = (id: string) => {
    const m = people.get(id);
    return m ? memberLabel(m) : id;
  };
  const organ = committee.settings.protokoll?.organ ?? committee.name;
  const seats = committee.members.filter((m) => SEAT_ROLES.includes(m.role));
  const needed = quorumOf(seats.length);
  const warnings: string[] = [];

  const rows = agenda.items.filter((i) => i.paragraph !== null);
  const all = rows.map((r) => r.key);
  const lopOf = (item: AgendaItem) => (item.type === 'arende' ? item.lopnummer : null);

  // Who is where, by person: the recorded närvaro, else the defaults below.
  const narvaroById = new Map<string, Set<string> | null>();
  for (const r of minutes.narvaro.values()) if (r.personId) narvaroById.set(r.personId, r.items === null ? null : new Set(r.items));
  const presentBy = (id: string, item: AgendaItem, byDefault: boolean): boolean => {
    if (narvaroById.has(id)) {
      const items = narvaroById.get(id)!;
      return items === null || items.has(item.key);
    }
    return byDefault;
  };
  const covers = (scope: readonly string[], item: AgendaItem) => scope.length === 0 || (lopOf(item) !== null && scope.includes(lopOf(item)!));
  const javSet = new Set(input.jav.map((j) => `${j.memberId}\u0000${j.lopnummer}`));
  const jävig = (id: string, item: AgendaItem) => lopOf(item) !== null && javSet.has(`${id}\u0000${lopOf(item)}`);
  const away = new Map<string, (readonly string[])[]>();
  for (const f of input.forhinder) away.set(f.memberId, [...(away.get(f.memberId) ?? []), f.lopnummer]);
  const seatPresent = (seat: Member, item: AgendaItem) => presentBy(seat.id, item, !(away.get(seat.id) ?? []).some((scope) => covers(scope, item)));
  const askOf = (ersattareId: string, item: AgendaItem) => input.acceptedAsks.find((a) => a.ersattareId === ersattareId && covers(a.lopnummer, item));
  const ersattarePresent = (id: string, item: AgendaItem) => presentBy(id, item, askOf(id, item) !== undefined);

  // Per §: who takes part, who serves for whom.
  const takesPart = new Map<string, Set<string>>();
  const serving = new Map<string, { ersattareId: string; forMemberId: string; keys: string[] }>();
  const servingIn = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  const sticky = new Map<string, string>();
  const explicitFor = new Map<string, { ersattareId: string; items: string[] }[]>();
  for (const t of minutes.tjanstgoring.values()) explicitFor.set(t.forMemberId, [...(explicitFor.get(t.forMemberId) ?? []), t]);
  const ersattare = committee.members.filter((m) => m.role === 'ersättare');
  const explicitErsattare = new Set([...minutes.tjanstgoring.values()].filter((t) => t.items.length).map((t) => t.ersattareId));

  for (const item of rows) {
    const here = new Set<string>();
    const busy = new Set<string>();
    const vacant: Member[] = [];
    for (const seat of seats) {
      if (seatPresent(seat, item) && !jävig(seat.id, item)) here.add(seat.id);
      else vacant.push(seat);
    }
    const serve = (ersattareId: string, seat: Member) => {
      busy.add(ersattareId);
      here.add(ersattareId);
      const k = `${ersattareId}>${seat.id}`;
      const s = serving.get(k) ?? { ersattareId, forMemberId: seat.id, keys: [] };
      s.keys.push(item.key);
      serving.set(k, s);
      servingIn.set(ersattareId, (servingIn.get(ersattareId) ?? new Set()).add(item.key));
    };
    const free = (id: string) => !busy.has(id) && !jävig(id, item) && ersattarePresent(id, item) && !(seats.some((s) => s.id === id));
    const unfilled: Member[] = [];
    for (const seat of vacant) {
      // Recorded by the secretary: decides for the seat in this § (also that nobody served).
      const recorded = explicitFor.get(seat.id);
      if (recorded?.length) {
        const t = recorded.find((x) => x.items.includes(item.key) && !busy.has(x.ersattareId));
        if (t) serve(t.ersattareId, seat);
        continue;
      }
      const ask = input.acceptedAsks.find((a) => a.memberId === seat.id && covers(a.lopnummer, item) && free(a.ersattareId));
      if (ask) serve(ask.ersattareId, seat);
      else unfilled.push(seat);
    }
    // Then the ersättare present, in the party's order; a seat keeps the one it had before.
    for (const seat of unfilled) {
      const before = sticky.get(seat.id);
      const candidate = before && free(before) && !explicitErsattare.has(before)
        ? before
        : ersattareOrder(committee, seat.party).map((m) => m.id).find((id) => free(id) && !explicitErsattare.has(id));
      if (!candidate) continue;
      sticky.set(seat.id, candidate);
      serve(candidate, seat);
    }
    takesPart.set(item.key, here);
    counts.set(item.key, here.size);
  }

  // The head: närvarande ledamöter, tjänstgörande ersättare, närvarande ersättare, övriga.
  const ledamoter: NarvaroRow[] = [];
  for (const seat of seats) {
    const keys = rows.filter((r) => takesPart.get(r.key)!.has(seat.id) || (seatPresent(seat, r) && jävig(seat.id, r))).map((r) => r.key);
    if (keys.length === 0) continue;
    const role = seat.role === 'ledamot' ? '' : `, ${seat.role}`;
    ledamoter.push({ label: `${memberLabel(seat)}${role}`, keys: keys.filter((k) => takesPart.get(k)!.has(seat.id)), listedIn: keys });
  }
  const tjanstgorandeErsattare: NarvaroRow[] = [...serving.values()].map((s) => ({ label: `${label(s.ersattareId)} ersätter ${label(s.forMemberId)}`, keys: s.keys }));
  const ersattareRows: NarvaroRow[] = [];
  for (const e of ersattare) {
    const keys = rows.filter((r) => ersattarePresent(e.id, r) && !servingIn.get(e.id)?.has(r.key)).map((r) => r.key);
    if (keys.length) ersattareRows.push({ label: memberLabel(e), keys });
  }
  const ovriga: NarvaroRow[] = [];
  for (const r of minutes.narvaro.values()) {
    const person = r.personId ? people.get(r.personId) : undefined;
    if (person && ['ordförande', 'vice ordförande', 'ledamot', 'ersättare'].includes(person.role)) continue;
    const name = person?.name ?? r.name ?? '';
    const befattning = r.befattning ?? person?.befattning;
    const keys = r.items === null ? all : all.filter((k) => r.items!.includes(k));
    if (keys.length) ovriga.push({ label: `${name}${befattning ? `, ${befattningInText(befattning)}` : ''}`, keys });
  }
  const narvaroRows = { ledamoter, tjanstgorandeErsattare, ersattare: ersattareRows, ovriga };

  // The §§.
  const justering = input.justering;
  const javByLop = new Map<string, string[]>();
  for (const j of input.jav) javByLop.set(j.lopnummer, [...(javByLop.get(j.lopnummer) ?? []), j.memberId]);
  const paragraphOfLop = new Map(rows.filter((r) => r.type === 'arende').map((r) => [(r as { lopnummer: string }).lopnummer, r.paragraph!]));
  const notesOf = (key: string, kind: NoteKind) => [...minutes.notes.values()].filter((n) => n.itemKey === key && n.kind === kind);
  const beslutText = (key: string, forslag: string[], fallback: string[]): string[] => {
    const b = minutes.beslut.get(key);
    if (!b) return fallback;
    return outcomeLines(b.outcome, b.text, forslag);
  };

  const paragraphs: ProtokollParagraph[] = rows.map((item) => {
    const p: ProtokollParagraph = {
      key: item.key,
      paragraph: item.paragraph!,
      paragraphText: `§ ${item.paragraph}`,
      heading: item.heading,
      type: item.type,
      lopnummer: lopOf(item),
      arendenummer: null,
      handlaggare: [],
      beskrivning: lines(minutes.beskrivning.get(item.key)),
      beslutsunderlag: [],
      forslag: [],
      text: [],
      yrkanden: notesOf(item.key, 'yrkande').map((n) => `${label(n.memberId)} yrkar ${n.text ?? 'bifall till förslaget'}${/[.!?]$/.test(n.text ?? '') ? '' : '.'}`),
      votering: null,
      beslutLead: '',
      beslut: [],
      reservationer: notesOf(item.key, 'reservation').map((n) => `${label(n.memberId)} reserverar sig mot beslutet${n.text ? ` ${n.text}` : ''}${/[.!?]$/.test(n.text ?? '') ? '' : '.'}`),
      protokollsanteckningar: notesOf(item.key, 'protokollsanteckning').map((n) => `${label(n.memberId)} lämnar en protokollsanteckning: ${n.text ?? ''}`.trim()),
      expedieras: [...(minutes.expedieras.get(item.key) ?? [])],
      sekretess: false,
      excluded: minutes.excluded.has(item.key),
      decides: true,
      participants: counts.get(item.key)!,
      beslutsfor: counts.get(item.key)! >= needed,
    };
    const v = minutes.voteringar.get(item.key);
    if (v) p.votering = `Votering genomförs. ${v.text ? `${capitalize(v.text)}${/[.!?]$/.test(v.text) ? '' : '.'} ` : ''}Ja: ${v.ja}, nej: ${v.nej}, avstår: ${v.avstar}.`;
    const withBeslut = (fallback: string[]) => {
      p.beslut = beslutText(item.key, p.forslag, fallback);
      p.beslutLead = p.beslut.length ? `${organ} beslutar:` : '';
    };
    switch (item.type) {
      case 'arende': {
        p.arendenummer = item.diarienummer;
        const list = (item as { handlaggareList?: { label: string }[] }).handlaggareList;
        p.handlaggare = list ? list.map((h) => h.label) : item.handlaggare ? [item.handlaggare.label] : [];
        p.beslutsunderlag = [...item.beslutsunderlag];
        p.forslag = lines(item.forslagTillBeslut).map(beslutLine);
        p.sekretess = item.sekretess;
        p.decides = item.kind === 'beslut';
        p.text = (javByLop.get(item.lopnummer) ?? []).map((id) => javProtocolSentence(people.get(id) ?? { name: id }));
        withBeslut([]);
        if (!minutes.beslut.has(item.key)) {
          warnings.push(`${p.paragraphText} (${item.lopnummer}): beslut saknas. Skriv till exempel: beslut ${item.lopnummer} ${p.forslag.length ? 'enligt förslag' : '<beslutet>'}`);
        }
        break;
      }
      case 'justerare': {
        const names = justering?.justerare.map(label) ?? [];
        withBeslut(names.length ? [`${joinSv(names)} utses att justera protokollet.`] : []);
        if (!names.length && !minutes.beslut.has(item.key)) warnings.push(`${p.paragraphText} ${item.heading}: justerare är inte registrerade. Skriv: justering <datum> <justerare>`);
        break;
      }
      case 'justering':
        withBeslut(justering ? [`Protokollet justeras ${committee.settings.justering?.where ? `${committee.settings.justering.where} ` : ''}senast ${formatDateLong(justering.dueDate)}.`] : []);
        break;
      case 'jav': {
        p.decides = false;
        const declared = rows
          .filter((r) => r.type === 'arende')
          .flatMap((r) => (javByLop.get((r as { lopnummer: string }).lopnummer) ?? []).map((id) => ({ key: r.key, text: `${label(id)} anmäler jäv i § ${r.paragraph}.` })));
        p.javDeclarations = declared;
        p.text = declared.length ? declared.map((d) => d.text) : [NO_JAV_SENTENCE];
        for (const j of input.jav) if (!paragraphOfLop.has(j.lopnummer)) warnings.push(`Jäv anmält av ${label(j.memberId)} i ärende ${j.lopnummer}, som inte finns på dagordningen.`);
        break;
      }
      case 'ovrigaFragorAnmalan':
        p.decides = false;
        p.text = input.questions.length ? input.questions.map((q) => `${label(q.memberId)} anmäler en övrig fråga: ${q.text}`) : ['Inga övriga frågor anmäls.'];
        break;
      case 'dagordning':
        withBeslut(['Dagordningen godkänns.']);
        break;
      case 'ovrigaFragor':
        p.decides = minutes.beslut.has(item.key);
        p.text = input.questions.length ? input.questions.map((q) => `Fråga från ${label(q.memberId)}: ${q.text}`) : ['Inga övriga frågor.'];
        withBeslut([]);
        break;
      default:
        // Upprop and avslutning when numbered, and the committee's own items: their agenda text.
        p.decides = minutes.beslut.has(item.key);
        p.text = [...item.lines];
        withBeslut([]);
        break;
    }
    if (p.decides && !p.beslutsfor) {
      warnings.push(`${p.paragraphText}: ${p.participants} av ${seats.length} ledamöter deltar, och minst ${needed} behövs. Nämnden är inte beslutsför; kontrollera närvaron och de tjänstgörande ersättarna.`);
    }
    return p;
  });

  const sekreterare = committee.members.find((m) => m.role === 'sekreterare');
  const ordforande = committee.members.find((m) => m.role === 'ordförande');
  const digital = (committee.settings.justering?.where ?? '').toLowerCase().startsWith('digital');
  const signers = justering ? [...justering.justerare, ...(ordforande && !justering.justerare.includes(ordforande.id) ? [ordforande.id] : [])] : [];
  const signedDates = signers.map((id) => justering?.signedAt[id]).filter((x): x is string => !!x);
  const justerat = signers.length > 0 && signedDates.length === signers.length;
  const lastSigned = justerat ? signedDates.sort().at(-1)!.slice(0, 10) : null;
  const posted = justering?.anslagPostedDate ?? null;
  const justeringsdatum = lastSigned ?? justering?.dueDate ?? null;
  const anslag = {
    organ: committee.name,
    sammantradesdatum: agenda.meeting.date,
    justeringsdatum: justeringsdatum ?? '',
    justerat,
    uppsatt: posted,
    uppsattSenast: posted || !justeringsdatum ? null : (anslagDue(justeringsdatum).proposedDate ?? anslagDue(justeringsdatum).date),
    nedtagning: posted ? anslagTakeDownDate(posted).date : null,
    sistaDagForOverklagande: posted ? overklagandeLastDay(posted).date : null,
    forvaringsplats: committee.settings.protokoll?.forvaringsplats ?? '',
  };
  if (!anslag.forvaringsplats) warnings.push('Förvaringsplats för protokollet saknas i anslagsbeviset; ange settings.protokoll.forvaringsplats i nämndfilen.');

  return {
    committee: { id: committee.id, name: committee.name, kommun: committee.kommun ?? null },
    meeting: { id: agenda.meeting.id, date: agenda.meeting.date },
    heading: {
      title: 'Protokoll',
      committee: committee.name,
      date: agenda.meeting.date,
      dateText: formatDateLong(agenda.meeting.date),
      time: formatClockRange(agenda.meeting.start ?? undefined, agenda.meeting.end ?? undefined).replace(/^kl\. /, ''),
      place: agenda.meeting.place,
    },
    narvaro: narvaroLines(narvaroRows, paragraphs),
    narvaroRows,
    paragrafer: paragrafer(paragraphs),
    paragraphs,
    signatures: {
      digital,
      sekreterare: sekreterare ? `${sekreterare.name}, sekreterare` : null,
      ordforande: ordforande ? `${memberLabel(ordforande)}, ordförande` : null,
      justerare: (justering?.justerare ?? []).map((id) => `${label(id)}, justerare`),
      digitalText: digital ? 'Digitalt justerat protokoll.' : '',
    },
    anslag,
    quorum: { seats: seats.length, needed },
    warnings,
    channelSafe: false,
  };
}

function outcomeLines(outcome: BeslutOutcome, text: string | undefined, forslag: string[]): string[] {
  switch (outcome) {
    case 'enligtForslag':
      return forslag;
    case 'text':
      return lines(text).map(beslutLine);
    case 'aterremiss':
      return ['Ärendet återremitteras.', ...lines(text)];
    case 'bordlaggning':
      return ['Ärendet bordläggs.', ...lines(text)];
  }
}

function joinSv(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`;
}

/**
 * The närvaro lines for the §§ a version keeps: a line names its §§ when they are not all of them,
 * and a person on the list only in §§ left out is not on it.
 */
function narvaroLines(rows: Protokoll['narvaroRows'], paragraphs: readonly ProtokollParagraph[]): Protokoll['narvaro'] {
  const numbers = new Map(paragraphs.map((p) => [p.key, p.paragraph]));
  const write = (list: readonly NarvaroRow[]) =>
    list.flatMap((r) => {
      if (!(r.listedIn ?? r.keys).some((k) => numbers.has(k))) return [];
      const kept = r.keys.filter((k) => numbers.has(k));
      return [kept.length === 0 || kept.length === numbers.size ? r.label : `${r.label} ${paragraphsText(kept.map((k) => numbers.get(k)!))}`];
    });
  return { ledamoter: write(rows.ledamoter), tjanstgorandeErsattare: write(rows.tjanstgorandeErsattare), ersattare: write(rows.ersattare), ovriga: write(rows.ovriga) };
}

function paragrafer(paragraphs: readonly ProtokollParagraph[]): string {
  return paragraphs.length ? `Paragraf ${paragraphRanges(paragraphs.map((p) => p.paragraph))}` : 'Inga paragrafer';
}

/**
 * The public version: every sekretess § and every § the secretary kept out removed, so the
 * paragraph range skips them ("Paragraf 18–22 och 24–33"), the närvaro lines name only the §§
 * left, and no title, text or beslut of a removed § is left anywhere in the copy.
 */
export function channelSafeProtokoll(protokoll: Protokoll): Protokoll {
  const paragraphs = protokoll.paragraphs.filter((p) => !p.sekretess && !p.excluded).map((p) => ({ ...p }));
  const kept = new Set(paragraphs.map((p) => p.key));
  for (const p of paragraphs) if (p.javDeclarations) p.text = publicJavLines(p.javDeclarations, kept);
  // The secretary still needs the warnings of a § she left out; those of a sekretess § go with it.
  const removed = protokoll.paragraphs.filter((p) => !kept.has(p.key) && p.sekretess).map((p) => p.paragraphText);
  return {
    ...protokoll,
    paragraphs,
    paragrafer: paragrafer(paragraphs),
    // A draft recorded before the rows were kept has only its lines (nothing was left out then but sekretess).
    narvaro: protokoll.narvaroRows ? narvaroLines(protokoll.narvaroRows, paragraphs) : protokoll.narvaro,
    // Warnings name §§ by number and löpnummer only; those of removed §§ go with them.
    warnings: protokoll.warnings.filter((w) => !removed.some((r) => w.startsWith(`${r}:`) || w.startsWith(`${r} (`))),
    channelSafe: true,
  };
}

/**
 * § "Anmälan av jäv" in the public version: the declarations in §§ it holds, and for those in §§
 * it leaves out only that there were some. A name beside a sekretess § can tell who the ärende
 * is about, and a § number the copy does not hold sends the reader looking for it.
 */
function publicJavLines(declarations: readonly { key: string; text: string }[], kept: ReadonlySet<string>): string[] {
  const shown = declarations.filter((d) => kept.has(d.key)).map((d) => d.text);
  const leftOut = new Set(declarations.filter((d) => !kept.has(d.key)).map((d) => d.key)).size;
  if (leftOut === 0) return shown.length ? shown : [NO_JAV_SENTENCE];
  const where = leftOut === 1 ? 'en paragraf som inte ingår' : 'paragrafer som inte ingår';
  return [...shown, `Jäv anmäls ${shown.length ? 'också ' : ''}i ${where} i den här versionen av protokollet.`];
}

/** What changed between two versions of the draft, as Swedish lines; empty when nothing did. */
export function diffProtokoll(previous: Protokoll, next: Protokoll): string[] {
  const out: string[] = [];
  const sections: [string, keyof Protokoll['narvaro']][] = [
    ['Närvarande ledamöter', 'ledamoter'],
    ['Tjänstgörande ersättare', 'tjanstgorandeErsattare'],
    ['Närvarande ersättare', 'ersattare'],
    ['Övriga närvarande', 'ovriga'],
  ];
  for (const [title, k] of sections) {
    const before = new Set(previous.narvaro[k]);
    const after = new Set(next.narvaro[k]);
    for (const l of next.narvaro[k]) if (!before.has(l)) out.push(`${title}: tillagt ${l}.`);
    for (const l of previous.narvaro[k]) if (!after.has(l)) out.push(`${title}: borttaget ${l}.`);
  }
  if (previous.paragrafer !== next.paragrafer) out.push(`${next.paragrafer} (var ${previous.paragrafer}).`);
  const prevByKey = new Map(previous.paragraphs.map((p) => [p.key, p]));
  const fieldsOf: [string, (p: ProtokollParagraph) => unknown][] = [
    ['rubrik', (p) => p.heading],
    ['beskrivning', (p) => p.beskrivning],
    ['jäv', (p) => p.text],
    ['yrkanden', (p) => p.yrkanden],
    ['votering', (p) => p.votering],
    ['beslut', (p) => p.beslut],
    ['reservationer', (p) => p.reservationer],
    ['protokollsanteckningar', (p) => p.protokollsanteckningar],
    ['expedieras till', (p) => p.expedieras],
    ['beslutsförhet', (p) => p.beslutsfor],
  ];
  for (const p of next.paragraphs) {
    const before = prevByKey.get(p.key);
    if (!before) {
      out.push(`Tillagt: ${p.paragraphText}.`);
      continue;
    }
    const changed = fieldsOf.filter(([, f]) => JSON.stringify(f(p)) !== JSON.stringify(f(before))).map(([n]) => n);
    if (before.paragraph !== p.paragraph) changed.unshift(`nu ${p.paragraphText} (var ${before.paragraphText})`);
    if (changed.length) out.push(`Ändrat: ${p.paragraphText}${p.lopnummer ? ` (${p.lopnummer})` : ''}: ${changed.join(', ')}.`);
  }
  const nextKeys = new Set(next.paragraphs.map((p) => p.key));
  for (const p of previous.paragraphs) if (!nextKeys.has(p.key)) out.push(`Borttaget: ${p.paragraphText}.`);
  if (JSON.stringify(previous.anslag) !== JSON.stringify(next.anslag)) out.push('Anslagsbeviset har ändrats.');
  return out;
}

/**
 * The data a template sees: the agenda model flattened into plain strings, lists and booleans.
 *
 * Both engines get the same names, so a field learnt in the Markdown template works in Word.
 * It is flat because docxtemplater's default parser cannot follow dotted paths, and every field
 * is always present ("" rather than missing) so that a misspelt field is an error, never a blank.
 * The list of fields is documented at the top of templates/dagordning.md.liquid; keep them in step.
 */
import { agendaWarnings, type Agenda, type AgendaItem } from '../domain/agenda';
import { joinSv } from '../domain/text';

export interface TemplateItem {
  /** 1-based place in the agenda. */
  position: number;
  /** "§ 18", or "" for upprop and avslutning. */
  paragraph: string;
  /** "upprop", "justerare", "justering", "jav", "ovrigaFragorAnmalan", "dagordning", "arende", "ovrigaFragor", "avslutning", "egen". */
  type: string;
  heading: string;
  /** The heading with the löpnummer first for an ärende, as in a dagordning: "5/25 Tid för justering". */
  agendaHeading: string;
  lines: string[];
  isArende: boolean;
  lopnummer: string;
  diarienummer: string;
  /** The handläggare's names: "Annika Dal och Linda Ek". */
  handlaggare: string;
  /** Each handläggare with befattning: "Annika Dal, jämställdhetsstrateg". */
  handlaggareList: string[];
  /** Who presents the ärende (names); the handläggare when the file names no föredragande. */
  foredragande: string;
  /** Each föredragande with befattning, as given in the file (empty when none is given). */
  foredragandeList: string[];
  /** "Beslutsärende", "Informationsärende", or "" for standard items. */
  kind: string;
  isInformation: boolean;
  beslutsunderlag: string[];
  hasBeslutsunderlag: boolean;
  forslagTillBeslut: string;
  sekretess: boolean;
  /** Members who declared jäv on this ärende, "Anna Berg (C)". */
  jav: string[];
}

export interface TemplateView {
  /** "Sjöbacka kommun", or "" when the committee file does not say. */
  kommun: string;
  committee: string;
  shortName: string;
  title: string;
  date: string;
  dateText: string;
  timeText: string;
  timeRangeText: string;
  place: string;
  paragraphRange: string;
  justeringDate: string;
  justeringDateText: string;
  justeringExplanation: string;
  /** "Protokollet justeras digitalt senast fredag den 14 februari 2025." */
  justeringSentence: string;
  justerareInTurn: string;
  ordforande: string;
  sekreterare: string;
  items: TemplateItem[];
  arenden: TemplateItem[];
  hasArenden: boolean;
  counts: { arenden: number; beslut: number; information: number; sekretess: number; jav: number; ovrigaFragor: number };
  warnings: string[];
  hasWarnings: boolean;
  channelSafe: boolean;
}

export interface ViewOptions {
  /** Put the secretary's warnings (missing förslag, jäv, sekretess) in the view. */
  includeWarnings?: boolean;
}

/** "Anna Dal och Linn Berg". */
function names(people: readonly { name: string }[]): string {
  return joinSv(people.map((p) => p.name));
}

function viewItem(item: AgendaItem): TemplateItem {
  const base: TemplateItem = {
    position: item.position,
    paragraph: item.paragraphText,
    type: item.type,
    heading: item.heading,
    agendaHeading: item.heading,
    lines: [...item.lines],
    isArende: false,
    lopnummer: '',
    diarienummer: '',
    handlaggare: '',
    handlaggareList: [],
    foredragande: '',
    foredragandeList: [],
    kind: '',
    isInformation: false,
    beslutsunderlag: [],
    hasBeslutsunderlag: false,
    forslagTillBeslut: '',
    sekretess: false,
    jav: [],
  };
  if (item.type !== 'arende') return base;
  return {
    ...base,
    isArende: true,
    agendaHeading: `${item.lopnummer} ${item.heading}`,
    lopnummer: item.lopnummer,
    diarienummer: item.diarienummer ?? '',
    handlaggare: names(item.handlaggareList),
    handlaggareList: item.handlaggareList.map((o) => o.label),
    foredragande: names(item.foredragande.length ? item.foredragande : item.handlaggareList),
    foredragandeList: item.foredragande.map((o) => o.label),
    kind: item.kind === 'information' ? 'Informationsärende' : 'Beslutsärende',
    isInformation: item.kind === 'information',
    beslutsunderlag: [...item.beslutsunderlag],
    hasBeslutsunderlag: item.beslutsunderlag.length > 0,
    forslagTillBeslut: item.forslagTillBeslut ?? '',
    sekretess: item.sekretess,
    jav: item.jav.map((d) => d.member.label),
  };
}

export function templateView(agenda: Agenda, options: ViewOptions = {}): TemplateView {
  const items = agenda.items.map(viewItem);
  const justerare = agenda.items.find((i) => i.type === 'justerare');
  const warnings = options.includeWarnings ? agendaWarnings(agenda) : [];
  return {
    kommun: agenda.heading.kommun ?? '',
    committee: agenda.heading.committee,
    shortName: agenda.committee.shortName,
    title: agenda.heading.title,
    date: agenda.meeting.date,
    dateText: agenda.heading.dateText,
    timeText: agenda.heading.timeText,
    // A kallelse sent before the time is set says so rather than leaving the line empty.
    timeRangeText: agenda.heading.timeRangeText || 'meddelas senare',
    place: agenda.heading.place,
    paragraphRange: agenda.paragraphs.text,
    justeringDate: agenda.justering.date,
    justeringDateText: agenda.justering.dateText,
    justeringExplanation: agenda.justering.explanation,
    justeringSentence: agenda.justering.sentence,
    justerareInTurn: justerare?.type === 'justerare' && justerare.inTurn ? justerare.inTurn.label : '',
    ordforande: agenda.ordforande?.label ?? '',
    sekreterare: agenda.sekreterare?.label ?? '',
    items,
    arenden: items.filter((i) => i.isArende),
    hasArenden: agenda.counts.arenden > 0,
    counts: { ...agenda.counts },
    warnings,
    hasWarnings: warnings.length > 0,
    channelSafe: agenda.channelSafe,
  };
}

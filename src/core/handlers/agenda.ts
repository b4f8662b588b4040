/**
 * `dagordning`: the secretary's draft of the kallelse and dagordning.
 *
 * Each build is a new version, recorded with its § range (so two secretaries building at once
 * can never get overlapping ranges: the group commit serializes them) and the agenda itself (so
 * the next version can say what changed). The chat gets a channel-safe preview; the documents,
 * which carry sekretess titles, go to the secretary privately after the record is durable.
 */
import { buildAgenda, channelSafeAgenda, diffAgendas, agendaWarnings, type Agenda, type AgendaItem } from '../../domain/agenda';
import { findMember, type Committee, type Meeting } from '../../domain/committee';
import { proposedJustering } from '../../domain/deadlines';
import { justeringRule } from '../../domain/plan';
import { activeDeclarations, questionsFor, type CommitteeState } from '../../domain/state';
import { joinSv } from '../../domain/text';
import { SECRETARY } from '../commands';
import { reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { fields, header, list, message, paragraph, type Part } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, isHeld, meetingName, meetingsByDate } from '../refs';
import { refusal } from './common';
import { javHints } from './interests';
import { agendaParagraphs, attendanceForDraft } from './narvaro';
import { capitalize, count } from '../../domain/text';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface ParagraphPlan {
  first: number;
  /** Said to the secretary when the start is a guess or clashes with another draft. */
  warnings: string[];
  /** Set when nothing said where the year's § series stands: the draft says so and names the settings. */
  unknown?: string;
}

/**
 * Where this meeting's § numbers start: where its own earlier draft started; else after the
 * latest earlier draft of the same calendar year; else the meeting's or the year's configured start.
 */
export function planParagraphs(committee: Committee, state: CommitteeState, meeting: Meeting): ParagraphPlan {
  const own = state.agendaDrafts.get(meeting.id);
  if (own) return { first: own.firstParagraph, warnings: [] };
  if (meeting.firstParagraph) return { first: meeting.firstParagraph, warnings: [] };
  const year = meeting.date.slice(0, 4);
  const earlier = meetingsByDate(committee).filter((m) => m.date.slice(0, 4) === year && m.date < meeting.date);
  const drafted = earlier.filter((m) => state.agendaDrafts.has(m.id));
  const latest = drafted[drafted.length - 1];
  if (latest) {
    const warnings = earlier.length > drafted.length && earlier[earlier.length - 1] !== latest
      ? [`Senare sammanträden än ${meetingName(latest)} saknar utkast i Nämndbot; kontrollera §-numren eller ange firstParagraph för mötet i nämndfilen.`]
      : [];
    return { first: state.agendaDrafts.get(latest.id)!.lastParagraph + 1, warnings };
  }
  const configured = committee.settings.firstParagraphOfYear;
  const start = configured ?? 1;
  if (earlier.length) {
    return { first: start, warnings: [`Årets tidigare sammanträden saknar utkast i Nämndbot, så numreringen börjar på § ${start}. Stämmer det inte, ange firstParagraph för mötet i nämndfilen.`] };
  }
  if (configured === undefined) {
    return {
      first: start,
      warnings: [],
      unknown: `Ingen första paragraf för ${year} är känd, så numreringen börjar på § 1. Stämmer det inte, ange firstParagraph för mötet eller firstParagraphOfYear under settings i nämndfilen.`,
    };
  }
  return { first: start, warnings: [] };
}

/** Later meetings whose drafted § range overlaps [first, last]. */
function clashes(committee: Committee, state: CommitteeState, meeting: Meeting, first: number, last: number): string[] {
  const year = meeting.date.slice(0, 4);
  return meetingsByDate(committee)
    .filter((m) => m.id !== meeting.id && m.date.slice(0, 4) === year && m.date > meeting.date)
    .filter((m) => {
      const d = state.agendaDrafts.get(m.id);
      return d && d.firstParagraph <= last && first <= d.lastParagraph;
    })
    .map((m) => `§-numren krockar med utkastet för ${meetingName(m)}; bygg det utkastet igen så numreras det om.`);
}

/** The member whose turn it is to justera: the rotation, stepping one place per meeting. */
function justerareInTurn(committee: Committee, meeting: Meeting) {
  const rotation = committee.settings.justerareRotation;
  if (rotation.length === 0) return undefined;
  const index = meetingsByDate(committee).findIndex((m) => m.id === meeting.id);
  const member = findMember(committee, rotation[index % rotation.length]);
  return member ? { name: member.name, ...(member.party ? { party: member.party } : {}) } : undefined;
}

export function buildDraft(committee: Committee, state: CommitteeState, meeting: Meeting, firstParagraph: number, paragraphWarning?: string): Agenda {
  const nameOf = (id: string) => findMember(committee, id) ?? { name: id, party: undefined };
  const due = proposedJustering(meeting.date, meeting.justeringDate, justeringRule(committee));
  const turn = justerareInTurn(committee, meeting);
  return buildAgenda({
    committee,
    meeting,
    firstParagraph,
    javDeclarations: activeDeclarations(state, meeting.id).map((d) => {
      const m = nameOf(d.memberId);
      return { lopnummer: d.lopnummer, memberName: m.name, ...(m.party ? { party: m.party } : {}) };
    }),
    ovrigaFragor: questionsFor(state, meeting.id)
      .filter((q) => q.status === 'godkänd')
      .map((q) => {
        const m = nameOf(q.memberId);
        return { memberName: m.name, ...(m.party ? { party: m.party } : {}), text: q.text };
      }),
    waitingQuestions: questionsFor(state, meeting.id).filter((q) => q.status === 'anmäld').length,
    ...(turn ? { justerareInTurn: turn } : {}),
    justering: { date: due.proposedDate ?? due.date, explanation: [due.explanation, due.warning].filter(Boolean).join(' ') },
    ...(paragraphWarning ? { paragraphWarning } : {}),
  });
}

export function draftAgenda(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now } = ctx;
  const found = findMeeting(committee, cmd.args.meeting, now);
  if (!found.ok) return reply(refusal(found.reason));
  const meeting = found.value;
  if (isHeld(meeting, now)) return reply(refusal(`${capitalize(meetingName(meeting))} är redan hållet. Välj ett kommande sammanträde: dagordning möte <datum>.`));

  const plan = planParagraphs(committee, state, meeting);
  const agenda = buildDraft(committee, state, meeting, plan.first, plan.unknown);
  const previous = state.agendaDrafts.get(meeting.id);
  // The same draft again is no new version: the documents are sent again, nothing is recorded.
  const unchanged = previous !== undefined && sameDraft(previous.agenda, agenda);
  const version = unchanged ? previous.version : (previous?.version ?? 0) + 1;
  const safe = channelSafeAgenda(agenda);
  const changes = previous && !unchanged ? safeDiff(previous.agenda, safe) : [];
  const warnings = [...plan.warnings, ...clashes(committee, state, meeting, agenda.paragraphs.first, agenda.paragraphs.last), ...agendaWarnings(safe)];
  const waiting = questionsFor(state, meeting.id).filter((q) => q.status === 'anmäld');
  if (waiting.length) {
    warnings.push(
      `${count(waiting.length, 'övrig fråga väntar', 'övriga frågor väntar')} på ditt beslut (${waiting.map((q) => q.id).join(', ')}) och står inte i dagordningen förrän du har godkänt dem: "övriga frågor" visar dem.`,
    );
  }
  // Attendance and quorum, and private jäv hints to members (narvaro.ts, interests.ts).
  const attendance = attendanceForDraft(committee, state, meeting, agenda);
  const hints = javHints(committee, state, meeting, agendaParagraphs(agenda));
  warnings.push(...attendance.warnings);

  const parts: Part[] = [
    header(`${safe.heading.committee}: kallelse ${safe.heading.dateText}`),
    fields(
      { label: 'Tid', value: safe.heading.timeRangeText },
      { label: 'Plats', value: safe.heading.place },
      { label: 'Paragrafer', value: safe.paragraphs.text },
      { label: 'Justering', value: safe.justering.sentence },
      { label: 'Version', value: String(version) },
      { label: 'Ärenden', value: `${safe.counts.arenden} (${safe.counts.beslut} beslut, ${safe.counts.information} information${safe.counts.sekretess ? `, ${safe.counts.sekretess} med sekretess` : ''})` },
      { label: 'Jäv anmält', value: String(safe.counts.jav) },
      { label: 'Övriga frågor', value: String(safe.counts.ovrigaFragor) },
    ),
    list(safe.items.map(previewLine), 'Dagordning'),
    ...attendance.parts,
  ];
  if (unchanged) parts.push(paragraph(`Inget har ändrats sedan version ${previous.version}, så ingen ny version sparades.${ctx.renderer ? ' Dokumenten kommer igen.' : ''}`));
  else if (previous) parts.push(changes.length ? list(changes, `Ändrat sedan version ${previous.version}`) : paragraph(`Inget har ändrats sedan version ${previous.version}.`));
  if (warnings.length) parts.push(list(warnings, 'Att titta på'));
  if (hints.sent) parts.push(paragraph(`Nämndbot har skickat ${count(hints.sent, 'privat jävstips', 'privata jävstips')} till ledamöter vars register över engagemang matchar ett ärende. Ledamöterna avgör själva om de anmäler jäv.`));
  if (!ctx.renderer) parts.push(paragraph('Dokumenten kan inte skapas här; be IT-avdelningen se över mallarna.'));

  const renderer = ctx.renderer;
  return {
    events: [
      ...(unchanged
        ? []
        : [{ type: 'agenda.drafted' as const, meetingId: meeting.id, version, firstParagraph: agenda.paragraphs.first, lastParagraph: agenda.paragraphs.last, agenda: agenda as unknown as Record<string, unknown> }]),
      ...hints.events,
    ],
    replies: [toAsker(message(`Utkast ${version} till kallelse och dagordning för ${meetingName(meeting)} (${safe.paragraphs.text}).`, ...parts)), ...hints.replies],
    ...(renderer
      ? {
          after: async () => {
            const files = await renderer.render(agenda, committee);
            const name = `${files.baseName}-v${version}`;
            // The documents name sekretess ärenden in full: only ever to the secretary, privately.
            return [
              toAsker({
                text: `Dokumenten för version ${version}: ${name}.docx (Word) och ${name}.md.`,
                parts: [
                  { kind: 'file', name: `${name}.docx`, mediaType: DOCX, bytes: files.docx },
                  { kind: 'file', name: `${name}.md`, mediaType: 'text/markdown; charset=utf-8', bytes: new TextEncoder().encode(files.markdown) },
                ],
                sekretess: agenda.counts.sekretess > 0,
              }),
            ];
          },
        }
      : {}),
  };
}

/** "§ 22 (41/24) Verksamhetsberättelse – Dnr KS 84/2024 – Agnes Ohlin": as the dagordning table has it. */
function previewLine(item: AgendaItem): string {
  const head = item.paragraphText ? `${item.paragraphText} ${item.heading}` : item.heading;
  if (item.type !== 'arende') return head;
  const who = joinSv((item.foredragande.length ? item.foredragande : item.handlaggareList).map((o) => o.name));
  return [`${head} (${item.lopnummer})`, ...(item.diarienummer ? [`Dnr ${item.diarienummer}`] : []), ...(who ? [who] : [])].join(' – ');
}

/** Two drafts alike but for the § numbering's warning, which a first draft carries and the next not. */
function sameDraft(stored: Record<string, unknown>, next: Agenda): boolean {
  const withoutWarning = (a: unknown) => JSON.stringify(a, (key, value: unknown) => (key === 'warning' && typeof value === 'string' ? undefined : value));
  return withoutWarning(stored) === withoutWarning(next);
}

/** What changed since the stored version; a version stored by an older Nämndbot may not compare. */
function safeDiff(previous: Record<string, unknown>, next: Agenda): string[] {
  try {
    return diffAgendas(channelSafeAgenda(previous as unknown as Agenda), next);
  } catch {
    return ['Förra versionen kunde inte jämföras med den här.'];
  }
}

export const agendaCommands: CommandDef[] = [
  {
    name: 'agenda.draft',
    words: ['dagordning', 'agenda', 'kallelse'],
    sub: [],
    args: ['meeting'],
    roles: SECRETARY,
    usage: 'dagordning [möte <datum>]',
    example: 'dagordning möte 2027-02-18',
    summary: 'bygger ett utkast till kallelse och dagordning, med Word-fil',
    handle: draftAgenda,
  },
];

/**
 * `närvaro`: the live attendance plan for the secretary and the ordförande. The attendance list
 * in protocol form, whether the nämnd is beslutsför in each ärende, who is asked, and which
 * ersättare would serve where ("MM (M) tjänstgör i NN:s ställe under § 12").
 *
 * The same parts go into the agenda draft (`attendanceForDraft`). Ärenden are named by § and
 * löpnummer (`itemLabel`), never by a sekretess title, so the plan is channel-safe.
 */
import type { Agenda } from '../../domain/agenda';
import {
  attendancePlan,
  attendanceView,
  draftParagraphs,
  mergedStands,
  protocolAttendance,
  quorumWarnings,
  rowName,
  type AttendancePlan,
  type RowAttendance,
} from '../../domain/attendance';
import { memberLabel, type Committee, type Meeting } from '../../domain/committee';
import type { CommitteeState } from '../../domain/state';
import { formatInstantLong } from '../../domain/time';
import { SECRETARY_AND_CHAIR } from '../commands';
import { reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { header, list, message, paragraph, type Part } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, meetingName } from '../refs';
import { refusal } from './common';
import { readsAsParagraphs, recordNarvaro } from './protokoll';
import { capitalize } from '../../domain/text';

export interface AttendanceParts {
  plan: AttendancePlan;
  /** The protocol-form list and the proposals, ready to show. */
  parts: Part[];
  /** Quorum warnings and förhinder nobody could be found for. */
  warnings: string[];
}

function exhaustedIds(state: CommitteeState, meetingId: string): Set<string> {
  return new Set([...state.forhinder.values()].filter((f) => f.meetingId === meetingId && f.exhaustedAt && !f.withdrawnAt).map((f) => f.id));
}

/** The attendance plan as message parts; `paragraphs` from the draft being built, else the latest one. */
export function attendanceParts(committee: Committee, state: CommitteeState, meeting: Meeting, paragraphs: ReadonlyMap<string, number> = draftParagraphs(state, meeting.id)): AttendanceParts {
  const view = attendanceView(state, meeting.id);
  const plan = attendancePlan(committee, meeting, view, { paragraphs, exhausted: exhaustedIds(state, meeting.id) });
  const protocol = protocolAttendance(committee, view, plan, paragraphs);
  const parts: Part[] = [
    list(protocol.beslutande, 'Beslutande ledamöter'),
    ...(protocol.tjanstgorandeErsattare.length ? [list(protocol.tjanstgorandeErsattare, 'Tjänstgörande ersättare')] : []),
    ...(protocol.franvarande.length ? [list(protocol.franvarande, 'Frånvarande ledamöter (förhinder)')] : []),
    ...(protocol.jav.length ? [list(protocol.jav, 'Jäv')] : []),
    ...(protocol.ovrigaNarvarande.length ? [list(protocol.ovrigaNarvarande, 'Övriga närvarande')] : []),
  ];
  const pending = pendingLines(plan);
  if (pending.length) parts.push(list(pending, 'Tillfrågade ersättare, väntar på svar'));
  const proposals = mergedStands(plan, (r) => r.proposals, paragraphs);
  if (proposals.length) parts.push(list(proposals, 'Förslag: ersättare som kan kallas'));
  const warnings = [
    ...quorumWarnings(plan, paragraphs),
    ...plan.exhausted.map((x) => `Ingen ersättare kunde hittas för ${memberLabel(x.member)} (${x.forhinderId}).`),
  ];
  return { plan, parts, warnings };
}

function pendingLines(plan: AttendancePlan): string[] {
  const seen = new Map<string, string>();
  for (const row of plan.rows) {
    for (const p of row.pending) {
      if (!seen.has(p.askId)) seen.set(p.askId, `${memberLabel(p.ersattare)} för ${memberLabel(p.forMember)} (${p.askId}), svar senast ${formatInstantLong(new Date(p.deadline))}`);
    }
  }
  return [...seen.values()];
}

/** "§ 25 (7/27): 8 av 9 deltar" for every row, with the status where it is not fine. */
function quorumLines(plan: AttendancePlan, paragraphs: ReadonlyMap<string, number>): string[] {
  const status = (r: RowAttendance) => (!r.decides ? ' (information, inget beslut)' : r.status === 'ok' ? '' : r.status === 'risk' ? ' — inte beslutsför utan ersättare' : ' — inte beslutsför');
  // In § order when the draft gives one; the opening first.
  const order = (r: RowAttendance) => (r.lopnummer === null ? -1 : paragraphs.get(r.lopnummer) ?? Infinity);
  const rows = plan.rows.map((r, i) => ({ r, i })).sort((a, b) => order(a.r) - order(b.r) || a.i - b.i);
  return rows.map(({ r }) => `${capitalize(rowName(r, paragraphs))}: ${r.count} av ${plan.seats} deltar${status(r)}`);
}

/** The § of each ärende in an agenda just built. */
export function agendaParagraphs(agenda: Agenda): Map<string, number> {
  const paragraphs = new Map<string, number>();
  for (const i of agenda.items) if (i.type === 'arende' && i.paragraph !== null) paragraphs.set(i.lopnummer, i.paragraph);
  return paragraphs;
}

/** What the agenda draft shows: the attendance list under its own header, and warnings for "Att titta på". */
export function attendanceForDraft(committee: Committee, state: CommitteeState, meeting: Meeting, agenda: Agenda): { parts: Part[]; warnings: string[] } {
  const a = attendanceParts(committee, state, meeting, agendaParagraphs(agenda));
  return { parts: [header('Närvaro (förslag till protokollet)'), ...a.parts], warnings: a.warnings };
}

export function showAttendance(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  // "närvaro 10–11 anna.berg": the secretary records who was present in which §§ (protokoll.ts).
  if (cmd.args.text !== undefined || (cmd.args.meeting !== undefined && readsAsParagraphs(cmd.args.meeting))) {
    if (ctx.member.role !== 'sekreterare') return reply(refusal('Det kan bara sekreteraren registrera närvaro. "närvaro" utan mer visar närvaron.'));
    return recordNarvaro(cmd, ctx);
  }
  const { committee, state, now } = ctx;
  const found = findMeeting(committee, cmd.args.meeting, now);
  if (!found.ok) return reply(refusal(found.reason));
  const meeting = found.value;
  const paragraphs = draftParagraphs(state, meeting.id);
  const a = attendanceParts(committee, state, meeting, paragraphs);
  const lead = a.warnings.length
    ? `Närvaro till ${meetingName(meeting)}: ${a.warnings.length === 1 ? 'en sak' : `${a.warnings.length} saker`} att titta på.`
    : `Närvaro till ${meetingName(meeting)}: nämnden är beslutsför i alla ärenden.`;
  const decided = a.plan.rows.filter((r) => r.decides);
  const worst = decided.length ? Math.min(...decided.map((r) => r.count)) : a.plan.seats;
  return reply(
    toAsker(
      message(
        lead,
        header(`Närvaro vid ${meetingName(meeting)}`),
        ...a.parts,
        list(quorumLines(a.plan, paragraphs), `Beslutsförhet (minst ${a.plan.needed} av ${a.plan.seats} ledamöter)`),
        ...(a.warnings.length ? [list(a.warnings, 'Att titta på')] : []),
        paragraph(
          paragraphs.size
            ? `Paragraferna är från utkast ${state.agendaDrafts.get(meeting.id)?.version ?? ''} av dagordningen. Lägst antal deltagande i ett beslutsärende: ${worst}.`
            : `Det finns inget utkast till dagordning ännu, så ärendena anges med löpnummer. Lägst antal deltagande i ett beslutsärende: ${worst}.`,
        ),
      ),
    ),
  );
}

export const narvaroCommands: CommandDef[] = [
  {
    name: 'narvaro',
    words: ['narvaro', 'narvarolista', 'attendance', 'beslutsfor', 'quorum'],
    sub: [],
    args: ['meeting', 'text'],
    roles: SECRETARY_AND_CHAIR,
    usage: 'närvaro [möte <datum>] [<paragrafer> <vem>]',
    example: 'närvaro 10–11 amira.haddad',
    summary: 'visar närvaron i protokollsform, beslutsförhet per ärende och förslag på ersättare; sekreteraren registrerar med paragrafer och vem vem som var där',
    handle: showAttendance,
  },
];

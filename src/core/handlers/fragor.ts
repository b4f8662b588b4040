/**
 * Övriga frågor: members announce, list and withdraw their own; the secretary lists all and
 * accepts, declines (with a reason the member is told) or moves them to another meeting.
 */
import { findMember, memberLabel, type Committee, type Meeting } from '../../domain/committee';
import type { EventPayload } from '../../domain/records';
import { questionsFor, sameQuestion, type OvrigFraga, type QuestionStatus } from '../../domain/state';
import { capitalize, cleanFreeText } from '../../domain/text';
import { formatDateLong, formatInstantLong } from '../../domain/time';
import { ELECTED, FRAGA_WORDS, LIST_WORDS, SECRETARY, SECRETARY_AND_CHAIR, WITHDRAW_WORDS } from '../commands';
import { nextId, record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, formPart, list, message, paragraph, type Button, type Form } from '../message';
import { toAsker, toMember, type Outgoing } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, isHeld, meetingName, meetingStart, upcomingMeetings } from '../refs';
import { actionValue, meetingField, refusal } from './common';

export const MAX_QUESTION_CHARS = 1000;
export const MAX_REASON_CHARS = 500;

/** The instant after which a question for this meeting is marked late. */
export function questionCutoff(committee: Committee, meeting: Meeting): Date {
  return new Date(meetingStart(meeting).getTime() - committee.settings.ovrigaFragorCutoffHours * 3600_000);
}

function isLate(committee: Committee, meeting: Meeting, now: Date): boolean {
  return now.getTime() > questionCutoff(committee, meeting).getTime();
}

function describe(committee: Committee, q: OvrigFraga, withAuthor: boolean): string {
  const meeting = committee.meetings.find((m) => m.id === q.meetingId);
  const author = withAuthor ? `${memberLabel(findMember(committee, q.memberId) ?? { name: q.memberId })}: ` : '';
  const when = meeting ? ` (${formatDateLong(meeting.date)})` : '';
  const late = q.late ? ', sen' : '';
  const reason = q.status === 'avslagen' && q.declineReason ? ` — ${q.declineReason}` : '';
  return `${q.id} ${author}"${q.text}"${when} [${q.status}${late}]${reason}`;
}

export function announceQuestion(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now, member } = ctx;
  const found = findMeeting(committee, cmd.args.meeting, now);
  if (!found.ok) {
    if (cmd.fromForm) return reply(toAsker(questionForm(committee, ctx.now, undefined, cmd.args.text, { meeting: found.reason })));
    return reply(refusal(found.reason));
  }
  const meeting = found.value;
  if (isHeld(meeting, now)) {
    return reply(refusal(`${capitalize(meetingName(meeting))} är redan hållet. Anmäl frågan till nästa sammanträde i stället: övrig fråga <frågan>.`));
  }
  const text = cmd.args.text ? cleanFreeText(cmd.args.text) : '';
  if (text === '') return reply(toAsker(questionForm(committee, now, meeting, undefined, {})));
  if (text.length > MAX_QUESTION_CHARS) {
    const error = `Frågan är ${text.length} tecken lång; skriv högst ${MAX_QUESTION_CHARS} tecken. Längre underlag skickar du till sekreteraren.`;
    if (cmd.fromForm) return reply(toAsker(questionForm(committee, now, meeting, text.slice(0, MAX_QUESTION_CHARS), { text: error })));
    return reply(refusal(error));
  }
  // The same question again from the same member to the same meeting is a retry (after "jag vet
  // inte om det sparades", or a double send), not a second question: it is recorded once.
  const same = sameQuestion(state, meeting.id, member.id, text);
  if (same) {
    return reply(toAsker(message(`Din övriga fråga ${same.id} är redan anmäld till ${meetingName(meeting)}, med samma text. Inget nytt sparades.`, fields({ label: 'Fråga', value: same.text }), buttons(withdrawButton(committee, same.id)))));
  }
  const late = isLate(committee, meeting, now);
  const questionId = nextId('F', state.questions);
  const replies: Outgoing[] = [
    toAsker(
      message(
        `Din övriga fråga ${questionId} är anmäld till ${meetingName(meeting)}.`,
        fields({ label: 'Fråga', value: text }),
        ...(late
          ? [paragraph(`Den kom in efter sista tiden för anmälan, ${formatInstantLong(questionCutoff(committee, meeting))}, och är markerad som sen. Sekreteraren och ordföranden avgör om den tas upp.`)]
          : [paragraph('Sekreteraren går igenom frågan och du får besked här.')]),
        buttons(withdrawButton(committee, questionId)),
      ),
    ),
  ];
  if (late) {
    for (const secretary of committee.members.filter((m) => m.role === 'sekreterare')) {
      replies.push(
        toMember(
          committee.id,
          secretary.id,
          message(
            `Sen övrig fråga ${questionId} från ${memberLabel(member)} till ${meetingName(meeting)}.`,
            fields({ label: 'Fråga', value: text }),
            buttons(...decisionButtons(committee, questionId)),
          ),
        ),
      );
    }
  }
  return record([{ type: 'fraga.announced', questionId, meetingId: meeting.id, memberId: member.id, text, late }], ...replies);
}

function questionForm(committee: Committee, now: Date, meeting: Meeting | undefined, text: string | undefined, errors: { meeting?: string; text?: string }) {
  const upcoming = upcomingMeetings(committee, now);
  const form: Form = {
    id: 'fraga.announce',
    title: 'Anmäl övrig fråga',
    submitLabel: 'Anmäl',
    hidden: { committee: committee.id },
    fields: [
      meetingField(upcoming, { value: (meeting ?? upcoming[0])?.id, error: errors.meeting }),
      {
        name: 'text',
        label: 'Fråga',
        kind: 'textarea',
        required: true,
        maxLength: MAX_QUESTION_CHARS,
        placeholder: 'Till exempel: Hur går arbetet med det nya badhuset?',
        ...(text ? { value: text } : {}),
        ...(errors.text ? { error: errors.text } : {}),
      },
    ],
  };
  return message(
    errors.meeting || errors.text ? 'Något behöver rättas innan frågan kan anmälas.' : 'Skriv din övriga fråga.',
    formPart(form),
    paragraph('Du kan också skriva allt på en rad: övrig fråga Hur går arbetet med det nya badhuset?'),
  );
}

function withdrawButton(committee: Committee, id: string): Button {
  return { label: 'Återkalla', actionId: 'fraga.withdraw', value: actionValue(committee, { id }), command: `övrig fråga återkalla ${id}`, style: 'danger' };
}

function decisionButtons(committee: Committee, id: string): Button[] {
  return [
    { label: 'Godkänn', actionId: 'fraga.accept', value: actionValue(committee, { id }), command: `övrig fråga godkänn ${id}`, style: 'primary' },
    { label: 'Avslå', actionId: 'fraga.decline', value: actionValue(committee, { id }), command: `övrig fråga avslå ${id} <skäl>`, style: 'danger' },
    { label: 'Flytta', actionId: 'fraga.move', value: actionValue(committee, { id }), command: `övrig fråga flytta ${id} <datum>` },
  ];
}

export function listOwnQuestions(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const own = [...ctx.state.questions.values()].filter((q) => q.memberId === ctx.member.id);
  if (own.length === 0) return reply(toAsker(message('Du har inga övriga frågor. Anmäl med: övrig fråga <frågan>')));
  const open = own.filter((q) => (q.status === 'anmäld' || q.status === 'godkänd') && isOpenMeeting(ctx, q.meetingId));
  return reply(
    toAsker(
      message(
        `Dina övriga frågor (${own.length}):`,
        list(own.map((q) => describe(ctx.committee, q, false))),
        ...(open.length ? [buttons(...open.map((q) => ({ ...withdrawButton(ctx.committee, q.id), label: `Återkalla ${q.id}` })))] : []),
      ),
    ),
  );
}

function isOpenMeeting(ctx: HandlerContext, meetingId: string): boolean {
  const m = ctx.committee.meetings.find((x) => x.id === meetingId);
  return !!m && !isHeld(m, ctx.now);
}

/** Finds a question the command may act on, or says why not. */
function questionFor(cmd: ParsedCommand, ctx: HandlerContext, ownOnly: boolean): { ok: true; q: OvrigFraga } | { ok: false; decision: Decision } {
  const id = cmd.args.id?.toUpperCase();
  if (!id) {
    const hint = ownOnly ? '"övrig fråga lista" visar dina frågor.' : '"övriga frågor" visar alla frågor.';
    return { ok: false, decision: reply(refusal(`Skriv vilken fråga du menar, till exempel F2. ${hint}`)) };
  }
  const q = ctx.state.questions.get(id);
  if (!q || (ownOnly && q.memberId !== ctx.member.id)) {
    return { ok: false, decision: reply(refusal(`Det finns ingen ${ownOnly ? 'egen ' : ''}övrig fråga med id ${id}. ${ownOnly ? '"övrig fråga lista" visar dina frågor.' : '"övriga frågor" visar alla.'}`)) };
  }
  if (!isOpenMeeting(ctx, q.meetingId)) {
    return { ok: false, decision: reply(refusal(`Sammanträdet för fråga ${id} är redan hållet, så den kan inte ändras längre.`)) };
  }
  return { ok: true, q };
}

export function withdrawQuestion(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  if (!cmd.args.id) return listOwnQuestions(cmd, ctx);
  const found = questionFor(cmd, ctx, true);
  if (!found.ok) return found.decision;
  const { q } = found;
  if (q.status === 'återkallad') return reply(toAsker(message(`Fråga ${q.id} är redan återkallad. Inget ändrades.`)));
  return record([{ type: 'fraga.withdrawn', questionId: q.id }], toAsker(message(`Din övriga fråga ${q.id} är återkallad. Den finns kvar i diariet som återkallad.`)));
}

export function listAllQuestions(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = findMeeting(ctx.committee, cmd.args.meeting, ctx.now);
  if (!found.ok) return reply(refusal(found.reason));
  const meeting = found.value;
  const questions = questionsFor(ctx.state, meeting.id);
  if (questions.length === 0) return reply(toAsker(message(`Inga övriga frågor är anmälda till ${meetingName(meeting)}.`, paragraph('Protokollstext: Inga övriga frågor anmäls.'))));
  const byStatus = (s: QuestionStatus) => questions.filter((q) => q.status === s);
  const parts = [];
  for (const status of ['anmäld', 'godkänd', 'avslagen'] as const) {
    const qs = byStatus(status);
    if (qs.length) parts.push(list(qs.map((q) => describe(ctx.committee, q, true)), `${statusHeading(status)} (${qs.length})`));
  }
  const undecided = byStatus('anmäld');
  const mayDecide = ctx.member.role === 'sekreterare' && !isHeld(meeting, ctx.now);
  return reply(
    toAsker(
      message(
        `Övriga frågor till ${meetingName(meeting)}: ${questions.length}.`,
        ...parts,
        ...(mayDecide ? undecided.slice(0, 10).map((q) => buttons(...decisionButtons(ctx.committee, q.id).map((b) => ({ ...b, label: `${b.label} ${q.id}` })))) : []),
      ),
    ),
  );
}

function statusHeading(s: QuestionStatus): string {
  return { anmäld: 'Att besluta', godkänd: 'Godkända', avslagen: 'Avslagna', återkallad: 'Återkallade' }[s];
}

export function acceptQuestion(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = questionFor(cmd, ctx, false);
  if (!found.ok) return found.decision;
  const { q } = found;
  if (q.status === 'godkänd') return reply(toAsker(message(`Fråga ${q.id} är redan godkänd. Inget ändrades.`)));
  if (q.status === 'återkallad') return reply(refusal(`Fråga ${q.id} är återkallad av ledamoten och kan inte godkännas.`));
  const meeting = ctx.committee.meetings.find((m) => m.id === q.meetingId)!;
  // A question declined before is approved only on purpose: say so, and what the member was told.
  const wasDeclined = q.status === 'avslagen' ? ` Obs! Den var avslagen${q.declineReason ? ` med skälet "${q.declineReason}"` : ''}; ledamoten får nu besked om att den tas upp i stället.` : '';
  return decided(ctx, q, { type: 'fraga.accepted', questionId: q.id }, `Fråga ${q.id} är godkänd och tas upp på ${meetingName(meeting)}.${wasDeclined}`, `Din övriga fråga ${q.id} tas upp på ${meetingName(meeting)}.${q.status === 'avslagen' ? ' Det ersätter beskedet att den inte skulle tas upp.' : ''}`);
}

export function declineQuestion(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = questionFor(cmd, ctx, false);
  if (!found.ok) return found.decision;
  const { q } = found;
  if (q.status === 'återkallad') return reply(refusal(`Fråga ${q.id} är återkallad av ledamoten; inget att avslå.`));
  const reason = cmd.args.text ? cleanFreeText(cmd.args.text) : '';
  if (reason === '' || reason.length > MAX_REASON_CHARS) {
    const error = reason === '' ? 'Skriv ett skäl; ledamoten får det som besked.' : `Skälet är ${reason.length} tecken; skriv högst ${MAX_REASON_CHARS}.`;
    return reply(toAsker(reasonForm(ctx.committee, q, error, cmd.fromForm || reason !== '')));
  }
  // The same decline again is a retry: the member is not told twice. (Another reason is a new answer.)
  if (q.status === 'avslagen' && q.declineReason === reason) return reply(toAsker(message(`Fråga ${q.id} är redan avslagen med det skälet. Inget ändrades.`)));
  return decided(
    ctx,
    q,
    { type: 'fraga.declined', questionId: q.id, reason },
    `Fråga ${q.id} är avslagen. Ledamoten får skälet.`,
    `Din övriga fråga ${q.id} tas inte upp. Skäl: ${reason}`,
  );
}

function reasonForm(committee: Committee, q: OvrigFraga, error: string, showError: boolean) {
  const form: Form = {
    id: 'fraga.decline',
    title: `Avslå fråga ${q.id}`,
    submitLabel: 'Avslå',
    hidden: { committee: committee.id, id: q.id },
    fields: [{ name: 'text', label: 'Skäl (ledamoten får det)', kind: 'textarea', required: true, maxLength: MAX_REASON_CHARS, ...(showError ? { error } : {}) }],
  };
  return message(showError ? error : `Skriv skälet till att fråga ${q.id} inte tas upp.`, formPart(form));
}

export function moveQuestion(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = questionFor(cmd, ctx, false);
  if (!found.ok) return found.decision;
  const { q } = found;
  if (q.status === 'återkallad') return reply(refusal(`Fråga ${q.id} är återkallad av ledamoten och kan inte flyttas.`));
  const targets = upcomingMeetings(ctx.committee, ctx.now).filter((m) => m.id !== q.meetingId);
  const showForm = (error?: string) => {
    const form: Form = {
      id: 'fraga.move',
      title: `Flytta fråga ${q.id}`,
      submitLabel: 'Flytta',
      hidden: { committee: ctx.committee.id, id: q.id },
      fields: [meetingField(targets, { label: 'Till sammanträde', error })],
    };
    return reply(toAsker(message(error ?? `Välj vilket sammanträde fråga ${q.id} ska flyttas till.`, formPart(form))));
  };
  if (!cmd.args.meeting) return targets.length ? showForm() : reply(refusal('Det finns inget annat kommande sammanträde att flytta frågan till.'));
  const target = findMeeting(ctx.committee, cmd.args.meeting, ctx.now);
  if (!target.ok) return cmd.fromForm ? showForm(target.reason) : reply(refusal(target.reason));
  if (isHeld(target.value, ctx.now)) return cmd.fromForm ? showForm('Det sammanträdet är redan hållet.') : reply(refusal(`${capitalize(meetingName(target.value))} är redan hållet. Välj ett kommande sammanträde.`));
  if (target.value.id === q.meetingId) return reply(toAsker(message(`Fråga ${q.id} är redan anmäld till ${meetingName(target.value)}. Inget ändrades.`)));
  const late = isLate(ctx.committee, target.value, ctx.now);
  return decided(
    ctx,
    q,
    { type: 'fraga.moved', questionId: q.id, fromMeetingId: q.meetingId, toMeetingId: target.value.id, late },
    `Fråga ${q.id} är flyttad till ${meetingName(target.value)}.`,
    `Din övriga fråga ${q.id} är flyttad till ${meetingName(target.value)}.`,
  );
}

/** Records a secretary's decision and tells both the secretary and the member who asked. */
function decided(ctx: HandlerContext, q: OvrigFraga, event: EventPayload, toSecretary: string, toAuthor: string): Decision {
  // Describe the question as it will be once the decision is recorded.
  const after: OvrigFraga = { ...q };
  if (event.type === 'fraga.accepted') after.status = 'godkänd';
  if (event.type === 'fraga.declined') Object.assign(after, { status: 'avslagen', declineReason: event.reason });
  if (event.type === 'fraga.moved') Object.assign(after, { meetingId: event.toMeetingId, late: event.late, status: 'anmäld' });
  const replies = [toAsker(message(toSecretary, list([describe(ctx.committee, after, true)])))];
  if (q.memberId !== ctx.member.id) replies.push(toMember(ctx.committee.id, q.memberId, message(toAuthor, fields({ label: 'Fråga', value: q.text }))));
  return record([event], ...replies);
}

export const fragaCommands: CommandDef[] = [
  {
    name: 'fraga.announce',
    words: FRAGA_WORDS,
    sub: [],
    args: ['text'],
    roles: ELECTED,
    usage: 'övrig fråga [möte <datum>] <frågan>',
    example: 'övrig fråga Hur går arbetet med det nya badhuset?',
    summary: 'anmäler en övrig fråga till nästa (eller ett visst) sammanträde',
    handle: announceQuestion,
  },
  {
    name: 'fraga.all',
    words: ['ovriga fragor', 'ovrigafragor', 'questions'],
    sub: [],
    args: ['meeting'],
    roles: SECRETARY_AND_CHAIR,
    usage: 'övriga frågor [möte <datum>]',
    example: 'övriga frågor',
    summary: 'visar alla anmälda övriga frågor',
    handle: listAllQuestions,
  },
  { name: 'fraga.list', words: FRAGA_WORDS, sub: LIST_WORDS, args: [], roles: ELECTED, usage: 'övrig fråga lista', example: 'övrig fråga lista', summary: 'visar dina övriga frågor', handle: listOwnQuestions },
  { name: 'fraga.withdraw', words: FRAGA_WORDS, sub: WITHDRAW_WORDS, args: ['id'], roles: ELECTED, usage: 'övrig fråga återkalla <id>', example: 'övrig fråga återkalla F2', summary: 'återkallar en av dina övriga frågor', handle: withdrawQuestion },
  { name: 'fraga.accept', words: FRAGA_WORDS, sub: ['godkann', 'accept', 'ta upp'], args: ['id'], roles: SECRETARY, usage: 'övrig fråga godkänn <id>', example: 'övrig fråga godkänn F2', summary: 'tar upp en övrig fråga på dagordningen', handle: acceptQuestion },
  {
    name: 'fraga.decline',
    words: FRAGA_WORDS,
    sub: ['avsla', 'decline', 'neka'],
    args: ['id', 'text'],
    roles: SECRETARY,
    usage: 'övrig fråga avslå <id> <skäl>',
    example: 'övrig fråga avslå F2 Frågan är redan besvarad i ärende 14/27',
    summary: 'avslår en övrig fråga med ett skäl som ledamoten får',
    handle: declineQuestion,
  },
  { name: 'fraga.move', words: FRAGA_WORDS, sub: ['flytta', 'move'], args: ['id', 'meeting'], roles: SECRETARY, usage: 'övrig fråga flytta <id> <möte>', example: 'övrig fråga flytta F2 2027-02-18', summary: 'flyttar en övrig fråga till ett annat sammanträde', handle: moveQuestion },
];

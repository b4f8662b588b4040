/**
 * Förhinder and the ersättare chain.
 *
 * A ledamot reports förhinder for a meeting or some of its ärenden; the bot asks the ersättare in
 * the order kommunfullmäktige decided (src/domain/attendance.ts), one at a time, privately with
 * accept and decline buttons. A decline, an återbud or a time-out (src/core/ersattare.ts) moves on
 * to the next; when nobody is left the secretary is told. A withdrawn förhinder releases whoever
 * was asked, and they are told. An ersättare's own förhinder says "don't ask me", and calls off
 * what they had accepted for that part of the meeting.
 *
 * Every step is a record, so the chain survives restarts and runs once across processes.
 */
import { askDeadline, attendancePlan, attendanceView, draftParagraphs, paragraphNumbers, nextErsattare, quorumWarnings, refsText, SEAT_ROLES, type AttendanceView, type ForhinderView } from '../../domain/attendance';
import { findMember, memberLabel, type Committee, type Item, type Meeting, type Member } from '../../domain/committee';
import type { EventPayload } from '../../domain/records';
import { activeForhinder, type CommitteeState, type ErsattareAsk, type Forhinder } from '../../domain/state';
import { capitalize, cleanFreeText, genitive, normalizeWord } from '../../domain/text';
import { formatClockRange, formatDateLong, formatInstantLong } from '../../domain/time';
import { ELECTED, LIST_WORDS, WITHDRAW_WORDS } from '../commands';
import { reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, formPart, list, message, paragraph, type Button, type Form, type Message, type Part } from '../message';
import { toAsker, toMember, type Outgoing } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findItem, findMeeting, isHeld, itemLabel, meetingName, meetingStart, upcomingMeetingWithItem, upcomingMeetings } from '../refs';
import { actionValue, meetingField, refusal } from './common';

export const FORHINDER_WORDS = ['forhinder', 'absent', 'franvaro', 'forhindrad'];
export const ERSATTARE_WORDS = ['ersattare', 'substitute'];
const ACCEPT_WORDS = ['ja', 'accept', 'yes', 'kommer', 'tacka ja'];
const DECLINE_WORDS = ['nej', 'decline', 'no', 'aterbud', 'tacka nej'];
export const MAX_REASON_CHARS = 300;

// ---------------------------------------------------------------------------------------------
// The chain: one step at a time, on a view that follows the events of this decision.

/** A decision being built: its events so far and a view that already reflects them. */
interface Step {
  committee: Committee;
  meeting: Meeting;
  state: CommitteeState;
  now: Date;
  view: AttendanceView;
  events: EventPayload[];
  replies: Outgoing[];
  asked: number;
}

function step(ctx: { committee: Committee; state: CommitteeState; now: Date }, meeting: Meeting): Step {
  return { committee: ctx.committee, meeting, state: ctx.state, now: ctx.now, view: attendanceView(ctx.state, meeting.id), events: [], replies: [], asked: 0 };
}

function secretaries(committee: Committee): Member[] {
  return committee.members.filter((m) => m.role === 'sekreterare');
}

/** "hela sammanträdet" or "§ 12 (ärende 3/27 …)" for a scope. */
function scopeText(meeting: Meeting, lopnummer: readonly string[], paragraphs: ReadonlyMap<string, number>): string {
  return lopnummer.length === 0 ? 'hela sammanträdet' : refsText(lopnummer, paragraphs);
}

function scopeItems(meeting: Meeting, lopnummer: readonly string[]): Item[] {
  return meeting.items.filter((i) => lopnummer.includes(i.lopnummer));
}

/** Asks the next ersättare for `f`, or records that nobody is left and tells the secretary. */
function askNext(s: Step, f: ForhinderView): Member | undefined {
  const { committee, meeting, now } = s;
  const member = findMember(committee, f.memberId);
  if (!member) return undefined;
  const started = now.getTime() >= meetingStart(meeting).getTime();
  const next = started ? undefined : nextErsattare(committee, s.view, f);
  const paragraphs = draftParagraphs(s.state, meeting.id);
  if (next) {
    const askId = `E${s.state.ersattareAsks.size + 1 + s.asked++}`;
    const deadline = askDeadline(committee, meeting, now);
    s.events.push({ type: 'ersattare.asked', askId, forhinderId: f.id, ersattareId: next.id, deadline: deadline.toISOString() });
    s.view.asks.push({ id: askId, forhinderId: f.id, memberId: member.id, ersattareId: next.id, lopnummer: f.lopnummer, status: 'pending', deadline: deadline.toISOString() });
    s.replies.push(toMember(committee.id, next.id, askMessage(committee, meeting, member, f.lopnummer, askId, deadline, paragraphs)));
    return next;
  }
  s.events.push({ type: 'ersattare.exhausted', forhinderId: f.id });
  const where = scopeText(meeting, f.lopnummer, paragraphs);
  const plan = attendancePlan(committee, meeting, s.view, { paragraphs });
  const warnings = quorumWarnings(plan, paragraphs);
  const lead = started
    ? `Sammanträdet ${formatDateLong(meeting.date)} har börjat och ingen ersättare har tackat ja i ${genitiveName(member)} ställe (${where}).`
    : `Ingen ersättare kunde hittas i ${genitiveName(member)} ställe på ${meetingName(meeting)} (${where}): alla i tur har tackat nej, inte svarat eller är redan upptagna.`;
  for (const sec of secretaries(committee)) {
    s.replies.push(
      toMember(
        committee.id,
        sec.id,
        message(lead, ...(warnings.length ? [list(warnings, 'Beslutsförhet')] : [paragraph('Nämnden är ändå beslutsför i alla ärenden.')]), buttons(narvaroButton(committee, meeting))),
      ),
    );
  }
  if (!started) s.replies.push(toMember(committee.id, member.id, message(`Ingen ersättare kunde hittas i ditt ställe på ${meetingName(meeting)}. Sekreteraren vet om det.`)));
  return undefined;
}

/** "Amira Haddads", for "i Amira Haddads ställe". */
function genitiveName(m: Member): string {
  return genitive(m.name);
}

function askMessage(committee: Committee, meeting: Meeting, member: Member, lopnummer: readonly string[], askId: string, deadline: Date, paragraphs: ReadonlyMap<string, number>): Message {
  const items = scopeItems(meeting, lopnummer);
  return message(
    `Kan du tjänstgöra i ${genitiveName(member)} ställe på ${meetingName(meeting)}? ${member.name} har förhinder.`,
    fields(
      { label: 'Tid', value: [formatDateLong(meeting.date), formatClockRange(meeting.start, meeting.end)].filter(Boolean).join(', ') },
      { label: 'Plats', value: meeting.place },
      { label: 'Gäller', value: scopeText(meeting, lopnummer, paragraphs) },
      { label: 'Svara senast', value: formatInstantLong(deadline) },
    ),
    ...(items.length ? [list(items.map((i) => itemLabel(i)), 'Ärenden')] : []),
    paragraph('Svarar du inte i tid frågar jag nästa ersättare i tur.'),
    buttons(
      { label: 'Ja, jag kommer', actionId: 'ersattare.accept', value: actionValue(committee, { id: askId }), command: `ersättare ja ${askId}`, style: 'primary' },
      { label: 'Nej, jag kan inte', actionId: 'ersattare.decline', value: actionValue(committee, { id: askId }), command: `ersättare nej ${askId}`, style: 'danger' },
    ),
  );
}

function narvaroButton(committee: Committee, meeting: Meeting): Button {
  return { label: 'Visa närvaro', actionId: 'narvaro', value: actionValue(committee, { meeting: meeting.id }), command: `närvaro ${meeting.date}` };
}

function withdrawButton(committee: Committee, id: string): Button {
  return { label: `Återkalla ${id}`, actionId: 'forhinder.withdraw', value: actionValue(committee, { id }), command: `förhinder återkalla ${id}`, style: 'danger' };
}

function decision(s: Step, ...asker: Outgoing[]): Decision {
  return { events: s.events, replies: [...asker, ...s.replies] };
}

/**
 * An ersättare's ask is off (declined, återbud, time-out): record it and ask the next one for the
 * same förhinder, if it still stands.
 */
function moveOn(s: Step, ask: ErsattareAsk, event: EventPayload): void {
  s.events.push(event);
  const status = event.type === 'ersattare.timedOut' ? 'timedOut' : 'declined';
  const v = s.view.asks.find((a) => a.id === ask.id);
  if (v) v.status = status;
  const f = s.view.forhinder.find((x) => x.id === ask.forhinderId);
  if (f) askNext(s, f);
}

// ---------------------------------------------------------------------------------------------
// förhinder [möte] [ärenden …]

interface Scope {
  meeting: Meeting;
  lopnummer: string[];
}

/** Reads "2027-02-18 14 § 25" into a meeting and ärenden; the meeting may come from "möte <datum>". */
function readScope(cmd: ParsedCommand, ctx: HandlerContext): { ok: true; scope: Scope } | { ok: false; reason: string; candidates?: Item[] } {
  const tokens = (cmd.args.text ? cleanFreeText(cmd.args.text) : '').split(' ').filter(Boolean);
  let meetingRef = cmd.args.meeting;
  if (!meetingRef && tokens.length && looksLikeMeeting(ctx.committee, tokens[0])) meetingRef = tokens.shift();
  // "förhinder 14/27": the upcoming meeting that has that löpnummer, when it is not the next one.
  if (!meetingRef) meetingRef = upcomingMeetingWithItem(ctx.committee, tokens[0], ctx.now)?.id;
  const found = findMeeting(ctx.committee, meetingRef, ctx.now);
  if (!found.ok) return { ok: false, reason: found.reason };
  const meeting = found.value;
  const paragraphs = paragraphNumbers(ctx.state, meeting.id);
  const refs: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].replace(/[,;]$/, '');
    if (t === '' || ['och', 'and', 'arende', 'arendena', 'arenden'].includes(normalizeWord(t))) continue;
    if (t === '§' || t === '§§') {
      if (tokens[i + 1]) refs.push(`§${tokens[++i].replace(/[,;]$/, '')}`);
      continue;
    }
    refs.push(t);
  }
  const lopnummer: string[] = [];
  for (const ref of refs) {
    const item = findItem(meeting, ref, paragraphs);
    if (!item.ok) return item;
    if (!lopnummer.includes(item.value.lopnummer)) lopnummer.push(item.value.lopnummer);
  }
  return { ok: true, scope: { meeting, lopnummer } };
}

function looksLikeMeeting(committee: Committee, token: string): boolean {
  const t = normalizeWord(token);
  return /^\d{4}-\d{2}-\d{2}$/.test(t) || ['nasta', 'next'].includes(t) || committee.meetings.some((m) => m.id === t);
}

function forhinderForm(ctx: HandlerContext, meeting: Meeting | undefined, error?: string): Outgoing {
  const upcoming = upcomingMeetings(ctx.committee, ctx.now);
  const chosen = meeting ?? upcoming[0];
  const form: Form = {
    id: 'forhinder.report',
    title: 'Anmäl förhinder',
    submitLabel: 'Anmäl förhinder',
    hidden: { committee: ctx.committee.id },
    fields: [
      meetingField(upcoming, { value: chosen?.id }),
      {
        name: 'text',
        label: 'Bara vissa ärenden (lämna tomt för hela sammanträdet)',
        kind: 'text',
        required: false,
        placeholder: chosen?.items.slice(0, 2).map((i) => i.lopnummer).join(' ') || '14/27 15/27',
        ...(error ? { error } : {}),
      },
    ],
  };
  return toAsker(
    message(
      error ? 'Något behöver rättas innan förhindret kan anmälas.' : 'Vilket sammanträde har du förhinder till?',
      formPart(form),
      paragraph(`Du kan också skriva allt på en rad, till exempel: förhinder ${chosen?.date ?? '2027-02-18'}, eller förhinder ${chosen?.date ?? '2027-02-18'} ${chosen?.items[1]?.lopnummer ?? '14/27'}`),
    ),
  );
}

export function reportForhinder(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, member, state, now } = ctx;
  if (!cmd.fromForm && !cmd.args.meeting && !cmd.args.text) return reply(forhinderForm(ctx, undefined));
  const read = readScope(cmd, ctx);
  if (!read.ok) {
    if (cmd.fromForm) return reply(forhinderForm(ctx, ctx.committee.meetings.find((m) => m.id === cmd.args.meeting), read.reason));
    return reply(refusal(read.reason, ...(read.candidates ? [list(read.candidates.map((i) => itemLabel(i)))] : [])));
  }
  const { meeting, lopnummer } = read.scope;
  if (isHeld(meeting, now)) return reply(refusal(`${capitalize(meetingName(meeting))} är redan hållet, så förhinder kan inte anmälas till det längre.`));
  if (now.getTime() >= meetingStart(meeting).getTime()) {
    return reply(refusal(`${capitalize(meetingName(meeting))} har redan börjat. Meddela ordföranden eller sekreteraren direkt.`));
  }
  const paragraphs = draftParagraphs(state, meeting.id);
  const mine = activeForhinder(state, meeting.id).filter((f) => f.memberId === member.id);
  const whole = mine.find((f) => f.lopnummer.length === 0);
  if (whole) {
    return reply(toAsker(message(`Du har redan anmält förhinder för hela ${meetingName(meeting)} (${whole.id}). Inget ändrades.`, buttons(withdrawButton(committee, whole.id)))));
  }
  if (lopnummer.length === 0 && mine.length > 0) {
    const ids = mine.map((f) => f.id).join(', ');
    return reply(
      refusal(
        `Du har redan förhinder för ${refsText(mine.flatMap((f) => f.lopnummer), paragraphs)} (${ids}). Återkalla det först och anmäl sedan förhinder för hela sammanträdet.`,
        buttons(...mine.map((f) => withdrawButton(committee, f.id))),
      ),
    );
  }
  const covered = new Set(mine.flatMap((f) => f.lopnummer));
  const fresh = lopnummer.filter((l) => !covered.has(l));
  if (lopnummer.length > 0 && fresh.length === 0) {
    return reply(toAsker(message(`Du har redan anmält förhinder för ${refsText(lopnummer, paragraphs)} på ${meetingName(meeting)}. Inget ändrades.`)));
  }

  const forhinderId = `H${state.forhinder.size + 1}`;
  const s = step(ctx, meeting);
  s.events.push({ type: 'forhinder.reported', forhinderId, meetingId: meeting.id, memberId: member.id, lopnummer: fresh });
  const f: ForhinderView = { id: forhinderId, memberId: member.id, lopnummer: fresh };
  s.view.forhinder.push(f);
  const where = scopeText(meeting, fresh, paragraphs);
  const parts: Part[] = [fields({ label: 'Id', value: forhinderId }, { label: 'Gäller', value: where })];
  const items = scopeItems(meeting, fresh);
  if (items.length) parts.push(list(items.map((i) => itemLabel(i))));

  if (SEAT_ROLES.includes(member.role)) {
    const asked = askNext(s, f);
    parts.push(
      paragraph(
        asked
          ? `Jag frågar ${memberLabel(asked)}, som är ersättare i tur. Du får besked här när någon har tackat ja.`
          : 'Det finns ingen ersättare att fråga. Sekreteraren har fått veta det.',
      ),
    );
  } else {
    // An ersättare with förhinder: not to be asked, and off whatever they had for that part of the meeting.
    const theirs = [...state.ersattareAsks.values()].filter(
      (a) => a.meetingId === meeting.id && a.ersattareId === member.id && (a.status === 'pending' || a.status === 'accepted') && (fresh.length === 0 || a.lopnummer.length === 0 || a.lopnummer.some((l) => fresh.includes(l))),
    );
    for (const a of theirs) {
      const seat = findMember(committee, a.memberId);
      if (a.status === 'accepted' && seat) s.replies.push(toMember(committee.id, seat.id, message(`${memberLabel(member)} har fått förhinder och kan inte tjänstgöra i ditt ställe på ${meetingName(meeting)}. Jag frågar nästa ersättare i tur.`)));
      moveOn(s, a, { type: 'ersattare.declined', askId: a.id, reason: 'förhinder' });
    }
    parts.push(paragraph(theirs.length ? `Jag har strukit dig från ${theirs.length === 1 ? 'förfrågan' : 'förfrågningarna'} du hade och frågar nästa ersättare i tur.` : 'Du blir inte tillfrågad som ersättare för den delen av sammanträdet.'));
  }
  parts.push(buttons(withdrawButton(committee, forhinderId)));
  return decision(s, toAsker(message(`Förhinder anmält till ${meetingName(meeting)}.`, ...parts)));
}

// ---------------------------------------------------------------------------------------------
// förhinder återkalla <id>

export function withdrawForhinder(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, member, now } = ctx;
  const id = cmd.args.id?.toUpperCase();
  if (!id) return listForhinder(cmd, ctx);
  const f = state.forhinder.get(id);
  if (!f || f.memberId !== member.id) return reply(refusal(`Du har inget förhinder med id ${id}. "förhinder lista" visar dina.`));
  if (f.withdrawnAt) return reply(toAsker(message(`Förhinder ${id} är redan återkallat. Inget ändrades.`)));
  const meeting = committee.meetings.find((m) => m.id === f.meetingId);
  if (!meeting || isHeld(meeting, now)) return reply(refusal(`Sammanträdet för ${id} är redan hållet, så förhindret står kvar.`));

  const s = step(ctx, meeting);
  s.events.push({ type: 'forhinder.withdrawn', forhinderId: id });
  const open = [...state.ersattareAsks.values()].filter((a) => a.forhinderId === id && (a.status === 'pending' || a.status === 'accepted'));
  const paragraphs = draftParagraphs(state, meeting.id);
  const where = scopeText(meeting, f.lopnummer, paragraphs);
  for (const a of open) {
    const text =
      a.status === 'accepted'
        ? `${memberLabel(member)} kommer ändå till ${meetingName(meeting)}, så du behöver inte tjänstgöra i ${genitiveName(member)} ställe (${where}). Tack för att du ställde upp!`
        : `${memberLabel(member)} kommer ändå till ${meetingName(meeting)}. Förfrågan ${a.id} om att tjänstgöra är inte längre aktuell; du behöver inte svara.`;
    s.replies.push(toMember(committee.id, a.ersattareId, message(text)));
  }
  const released = open.filter((a) => a.status === 'accepted').map((a) => findMember(committee, a.ersattareId)).filter((m): m is Member => !!m);
  if (released.length || f.exhaustedAt) {
    for (const sec of secretaries(committee)) {
      s.replies.push(
        toMember(
          committee.id,
          sec.id,
          message(
            `${memberLabel(member)} har återkallat sitt förhinder (${id}) och kommer till ${meetingName(meeting)}.${released.length ? ` ${released.map(memberLabel).join(' och ')} tjänstgör inte och har fått veta det.` : ''}`,
            buttons(narvaroButton(committee, meeting)),
          ),
        ),
      );
    }
  }
  const told = open.map((a) => findMember(committee, a.ersattareId)).filter((m): m is Member => !!m);
  return decision(
    s,
    toAsker(
      message(
        `Förhinder ${id} är återkallat: du deltar i ${meetingName(meeting)} (${where}).`,
        ...(told.length ? [paragraph(`${told.map(memberLabel).join(' och ')} har fått veta att förfrågan inte längre gäller.`)] : []),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// förhinder lista

const ASK_STATUS_TEXT: Record<ErsattareAsk['status'], string> = {
  pending: 'väntar på svar',
  accepted: 'har tackat ja',
  declined: 'har tackat nej',
  timedOut: 'svarade inte i tid',
  released: 'behövs inte längre',
};

const YOUR_ANSWER_TEXT: Record<ErsattareAsk['status'], string> = {
  pending: 'väntar på ditt svar',
  accepted: 'du har tackat ja',
  declined: 'du har tackat nej',
  timedOut: 'du svarade inte i tid',
  released: 'du behövs inte längre',
};

function describeForhinder(committee: Committee, state: CommitteeState, f: Forhinder): string {
  const meeting = committee.meetings.find((m) => m.id === f.meetingId);
  const when = meeting ? formatDateLong(meeting.date) : f.meetingId;
  const where = meeting ? scopeText(meeting, f.lopnummer, draftParagraphs(state, meeting.id)) : f.lopnummer.join(', ');
  const asks = [...state.ersattareAsks.values()].filter((a) => a.forhinderId === f.id);
  const chain = asks.map((a) => `${memberLabel(findMember(committee, a.ersattareId) ?? { name: a.ersattareId })} ${ASK_STATUS_TEXT[a.status]}`);
  const status = f.withdrawnAt ? ' — återkallat' : f.exhaustedAt && !asks.some((a) => a.status === 'accepted' || a.status === 'pending') ? ' — ingen ersättare hittad' : '';
  return `${f.id}: ${when}, ${where}${status}${chain.length ? ` (${chain.join('; ')})` : ''}`;
}

export function listForhinder(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, member, now } = ctx;
  const own = [...state.forhinder.values()].filter((f) => f.memberId === member.id);
  const asks = [...state.ersattareAsks.values()].filter((a) => a.ersattareId === member.id);
  if (own.length === 0 && asks.length === 0) return reply(toAsker(message('Du har inga förhinder anmälda. Anmäl med: förhinder <datum>')));
  const parts: Part[] = [];
  if (own.length) parts.push(list(own.map((f) => describeForhinder(committee, state, f)), 'Dina förhinder'));
  if (asks.length) {
    parts.push(
      list(
        asks.map((a) => {
          const m = committee.meetings.find((x) => x.id === a.meetingId);
          const seat = findMember(committee, a.memberId);
          return `${a.id}: ${m ? formatDateLong(m.date) : a.meetingId}, i ${seat ? genitiveName(seat) : a.memberId} ställe — ${a.status === 'pending' ? `svara senast ${formatInstantLong(new Date(a.deadline))}` : YOUR_ANSWER_TEXT[a.status]}`;
        }),
        'Förfrågningar till dig som ersättare',
      ),
    );
  }
  const open = own.filter((f) => !f.withdrawnAt && upcomingMeetings(committee, now).some((m) => m.id === f.meetingId));
  const pending = asks.filter((a) => a.status === 'pending');
  const bs: Button[] = [
    ...open.map((f) => withdrawButton(committee, f.id)),
    ...pending.flatMap((a) => [
      { label: `Ja ${a.id}`, actionId: 'ersattare.accept', value: actionValue(committee, { id: a.id }), command: `ersättare ja ${a.id}`, style: 'primary' as const },
      { label: `Nej ${a.id}`, actionId: 'ersattare.decline', value: actionValue(committee, { id: a.id }), command: `ersättare nej ${a.id}`, style: 'danger' as const },
    ]),
  ];
  return reply(toAsker(message('Dina förhinder och förfrågningar:', ...parts, ...(bs.length ? [buttons(...bs)] : []))));
}

// ---------------------------------------------------------------------------------------------
// ersättare ja / nej <id>

function askFor(cmd: ParsedCommand, ctx: HandlerContext): { ok: true; ask: ErsattareAsk; meeting: Meeting } | { ok: false; decision: Decision } {
  const id = cmd.args.id?.toUpperCase();
  const mine = [...ctx.state.ersattareAsks.values()].filter((a) => a.ersattareId === ctx.member.id);
  if (!id) {
    // One open ask: no need to name it.
    const open = mine.filter((a) => a.status === 'pending');
    if (open.length === 1) return askFor({ ...cmd, args: { ...cmd.args, id: open[0].id } }, ctx);
    return { ok: false, decision: reply(refusal('Skriv vilken förfrågan du svarar på, till exempel: ersättare ja E1. "förhinder lista" visar dina förfrågningar.')) };
  }
  const ask = ctx.state.ersattareAsks.get(id);
  if (!ask || ask.ersattareId !== ctx.member.id) return { ok: false, decision: reply(refusal(`Du har ingen förfrågan med id ${id}. "förhinder lista" visar dina förfrågningar.`)) };
  const meeting = ctx.committee.meetings.find((m) => m.id === ask.meetingId);
  if (!meeting || isHeld(meeting, ctx.now)) return { ok: false, decision: reply(refusal(`Sammanträdet för förfrågan ${id} är redan hållet.`)) };
  return { ok: true, ask, meeting };
}

export function acceptAsk(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = askFor(cmd, ctx);
  if (!found.ok) return found.decision;
  const { ask, meeting } = found;
  const { committee, member, state } = ctx;
  const seat = findMember(committee, ask.memberId);
  const paragraphs = draftParagraphs(state, meeting.id);
  const where = scopeText(meeting, ask.lopnummer, paragraphs);
  if (ask.status === 'accepted') return reply(toAsker(message(`Du har redan tackat ja till förfrågan ${ask.id}. Inget ändrades.`)));
  if (ask.status !== 'pending') {
    const why = {
      declined: 'Du har redan tackat nej, och jag har frågat nästa ersättare i tur.',
      timedOut: 'Tiden att svara gick ut, och jag har frågat nästa ersättare i tur.',
      released: 'Ledamoten kommer ändå, så du behövs inte.',
    }[ask.status];
    return reply(refusal(`Förfrågan ${ask.id} är inte längre öppen. ${why} Kan du ändå komma, kontakta sekreteraren.`));
  }
  if (isHeld(meeting, ctx.now)) return reply(refusal(`${capitalize(meetingName(meeting))} är redan hållet. Kontakta sekreteraren om något blev fel.`));
  if (ctx.now.getTime() >= meetingStart(meeting).getTime()) return reply(refusal(`${capitalize(meetingName(meeting))} har redan börjat. Kontakta ordföranden eller sekreteraren direkt.`));
  const seatName = seat ? genitiveName(seat) : ask.memberId;
  const replies: Outgoing[] = [
    toAsker(
      message(
        `Tack! Du tjänstgör i ${seatName} ställe på ${meetingName(meeting)} (${where}).`,
        fields({ label: 'Tid', value: formatClockRange(meeting.start, meeting.end) || 'ej angiven' }, { label: 'Plats', value: meeting.place }),
        paragraph('Handlingarna finns i kallelsen. Får du förhinder, lämna återbud så frågar jag nästa ersättare.'),
        buttons({ label: 'Lämna återbud', actionId: 'ersattare.decline', value: actionValue(committee, { id: ask.id }), command: `ersättare nej ${ask.id}`, style: 'danger' }),
      ),
    ),
  ];
  if (seat) replies.push(toMember(committee.id, seat.id, message(`${memberLabel(member)} tjänstgör i ditt ställe på ${meetingName(meeting)} (${where}).`)));
  for (const sec of secretaries(committee)) {
    replies.push(toMember(committee.id, sec.id, message(`${memberLabel(member)} tjänstgör i ${seatName} ställe på ${meetingName(meeting)} (${where}).`, buttons(narvaroButton(committee, meeting)))));
  }
  return { events: [{ type: 'ersattare.accepted', askId: ask.id }], replies };
}

export function declineAsk(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = askFor(cmd, ctx);
  if (!found.ok) return found.decision;
  const { ask, meeting } = found;
  const { committee, member } = ctx;
  if (ask.status !== 'pending' && ask.status !== 'accepted') {
    return reply(toAsker(message(`Förfrågan ${ask.id} är inte längre öppen (${ASK_STATUS_TEXT[ask.status]}). Inget ändrades.`)));
  }
  const reason = cmd.args.text ? cleanFreeText(cmd.args.text).slice(0, MAX_REASON_CHARS) : undefined;
  const s = step(ctx, meeting);
  const seat = findMember(committee, ask.memberId);
  if (ask.status === 'accepted' && seat) {
    s.replies.push(toMember(committee.id, seat.id, message(`${memberLabel(member)} har lämnat återbud och tjänstgör inte i ditt ställe på ${meetingName(meeting)}. Jag frågar nästa ersättare i tur.`)));
  }
  moveOn(s, ask, { type: 'ersattare.declined', askId: ask.id, ...(reason ? { reason } : {}) });
  const text = ask.status === 'accepted' ? `Återbud noterat för förfrågan ${ask.id}. Jag frågar nästa ersättare i tur.` : `Tack för beskedet. Jag frågar nästa ersättare i tur.`;
  return decision(s, toAsker(message(text)));
}

/**
 * The time-out step for one ask, on the current state: record it and ask the next. Nothing when
 * the ask was answered meanwhile, or its time is not up. Called by src/core/ersattare.ts.
 */
export function decideTimeout(committee: Committee, state: CommitteeState, askId: string, now: Date): Decision {
  const ask = state.ersattareAsks.get(askId);
  const meeting = ask && committee.meetings.find((m) => m.id === ask.meetingId);
  if (!ask || !meeting || ask.status !== 'pending' || Date.parse(ask.deadline) > now.getTime()) return { events: [], replies: [] };
  const s = step({ committee, state, now }, meeting);
  const seat = findMember(committee, ask.memberId);
  s.replies.push(
    toMember(
      committee.id,
      ask.ersattareId,
      message(`Tiden att svara på förfrågan ${ask.id} (att tjänstgöra i ${seat ? genitiveName(seat) : ask.memberId} ställe på ${meetingName(meeting)}) har gått ut, så jag frågar nästa ersättare i tur. Kan du ändå komma, kontakta sekreteraren.`),
    ),
  );
  moveOn(s, ask, { type: 'ersattare.timedOut', askId: ask.id });
  return decision(s);
}

export const forhinderCommands: CommandDef[] = [
  {
    name: 'forhinder.report',
    words: FORHINDER_WORDS,
    sub: [],
    args: ['text'],
    roles: ELECTED,
    usage: 'förhinder [möte <datum>] [ärenden …]',
    example: 'förhinder 2027-02-18',
    summary: 'anmäler att du inte kan komma till ett sammanträde, eller till vissa ärenden; ersättare tillfrågas i tur',
    handle: reportForhinder,
  },
  { name: 'forhinder.list', words: FORHINDER_WORDS, sub: LIST_WORDS, args: [], roles: ELECTED, usage: 'förhinder lista', example: 'förhinder lista', summary: 'visar dina förhinder och förfrågningar till dig som ersättare', handle: listForhinder },
  { name: 'forhinder.withdraw', words: FORHINDER_WORDS, sub: WITHDRAW_WORDS, args: ['id'], roles: ELECTED, usage: 'förhinder återkalla <id>', example: 'förhinder återkalla H1', summary: 'återkallar ditt förhinder: du kommer ändå', handle: withdrawForhinder },
  { name: 'ersattare.list', words: ERSATTARE_WORDS, sub: LIST_WORDS, args: [], roles: ELECTED, usage: 'ersättare lista', example: 'ersättare lista', summary: 'visar förfrågningar till dig som ersättare', handle: listForhinder },
  { name: 'ersattare.accept', words: ERSATTARE_WORDS, sub: ACCEPT_WORDS, args: ['id'], roles: ELECTED, usage: 'ersättare ja <id>', example: 'ersättare ja E1', summary: 'tackar ja till att tjänstgöra som ersättare', handle: acceptAsk },
  {
    name: 'ersattare.decline',
    words: ERSATTARE_WORDS,
    sub: DECLINE_WORDS,
    args: ['id', 'text'],
    roles: ELECTED,
    usage: 'ersättare nej <id> [skäl]',
    example: 'ersättare nej E1',
    summary: 'tackar nej, eller lämnar återbud, till att tjänstgöra som ersättare',
    handle: declineAsk,
  },
];

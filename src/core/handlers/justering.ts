/**
 * After the meeting: the secretary records the justerare and the justering date (`justering`),
 * the justerare and the ordförande mark the protocol justerat (`justerat`, also a button on
 * their reminder), the secretary records the anslag (`anslaget`) and gets the last day for
 * överklagande back. And `påminnelser`: the secretary's look at the reminder plan.
 *
 * The reminders themselves are planned from these records (src/domain/plan.ts) and sent by the
 * scheduler; nothing here schedules anything.
 */
import { ELECTED_ROLES, findMember, memberLabel, type Committee, type Meeting, type Member } from '../../domain/committee';
import { anslagDue, anslagTakeDownDate, justeringDue, overklagandeLastDay, type Deadline } from '../../domain/deadlines';
import { defaultJusteringDate, describeJusteringReminders, planWindow, reminderSettings, type PlannedReminder } from '../../domain/plan';
import type { JusteringState } from '../../domain/state';
import { capitalize, joinSv, normalizeWord } from '../../domain/text';
import { formatClock, formatDateLong, stockholmDate } from '../../domain/time';
import { ELECTED, SECRETARY } from '../commands';
import { record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, formPart, list, message, paragraph, type Form, type Part } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, hasBegun, isHeld, meetingName, meetingsByDate } from '../refs';
import { actionValue, meetingField, refusal } from './common';
import { KIND_LABELS, recipientText, whenText } from './reminder-messages';

/** More than this many justerare is a typo, not a committee's practice. */
export const MAX_JUSTERARE = 3;
/** How far ahead `påminnelser` looks. */
export const PREVIEW_DAYS = 14;
/** Lines per section of `påminnelser`, so a big committee's list stays readable. */
const MAX_LINES = 30;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TODAY_WORDS = ['idag', 'today'];
const DATE_FORMAT_TEXT = 'Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-02-04.';

type DateResult = { ok: true; date: string } | { ok: false; reason: string };

/** A date the secretary typed: ÅÅÅÅ-MM-DD that exists, or "idag". */
export function readDate(raw: string, now: Date): DateResult {
  const word = normalizeWord(raw);
  if (TODAY_WORDS.includes(word)) return { ok: true, date: stockholmDate(now) };
  if (!ISO_DATE.test(word)) return { ok: false, reason: `"${raw}" är inget datum. ${DATE_FORMAT_TEXT}` };
  const d = new Date(`${word}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== word) return { ok: false, reason: `${word} finns inte i kalendern. ${DATE_FORMAT_TEXT}` };
  return { ok: true, date: word };
}

function chairsOf(committee: Committee): Member[] {
  return committee.members.filter((m) => m.role === 'ordförande');
}

/** Everyone who signs: the justerare and the ordförande. */
export function signersOf(committee: Committee, j: JusteringState): string[] {
  const ids = [...j.justerare];
  for (const c of chairsOf(committee)) if (!ids.includes(c.id)) ids.push(c.id);
  return ids;
}

function labelOf(committee: Committee, id: string): string {
  const m = findMember(committee, id);
  return m ? memberLabel(m) : id;
}

/** The instant the last signer signed, when all have. */
function justeratAt(committee: Committee, j: JusteringState): string | undefined {
  let last = '';
  for (const id of signersOf(committee, j)) {
    const at = j.signedAt[id];
    if (!at) return undefined;
    if (at > last) last = at;
  }
  return last || undefined;
}

/** Held meetings, the most recent first. */
function heldMeetings(committee: Committee, now: Date): Meeting[] {
  return meetingsByDate(committee)
    .filter((m) => isHeld(m, now))
    .reverse();
}

function heldHint(committee: Committee, now: Date): string {
  const held = heldMeetings(committee, now).slice(0, 3);
  return held.length ? ` Hållna sammanträden: ${held.map((m) => m.date).join(', ')}.` : '';
}

/** The deadline for a justering date: the law's when it is the legal limit, the committee's otherwise. */
function justeringDeadline(meeting: Meeting, date: string): Deadline {
  const legal = justeringDue(meeting.date).date;
  return date === legal ? justeringDue(meeting.date) : justeringDue(meeting.date, date);
}

// ---------------------------------------------------------------------------------------------
// justering <möte> <justerare …> [senast <datum>] [klart <datum>]

export function recordJustering(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now } = ctx;
  const words: string[] = [];
  let meeting: Meeting | undefined;
  if (cmd.args.meeting) {
    const found = findMeeting(committee, cmd.args.meeting, now);
    if (found.ok) meeting = found.value;
    // "justering amira.haddad johan.sjoberg": no meeting named, the first word is a justerare.
    else if (findMember(committee, normalizeWord(cmd.args.meeting))) words.push(cmd.args.meeting);
    else return reply(refusal(`Jag hittar varken ett sammanträde eller en ledamot som heter "${cmd.args.meeting}".${heldHint(committee, now)}`));
  }
  if (cmd.args.member) words.push(cmd.args.member);
  if (cmd.args.text) words.push(...cmd.args.text.split(/[\s,]+/));

  if (!meeting) {
    meeting = meetingsByDate(committee).filter((m) => hasBegun(m, now)).reverse()[0];
    if (!meeting) return reply(refusal('Det finns inget hållet sammanträde att lägga in justering för.'));
  }
  // Justerarna väljs på sammanträdet: from its start (its day, without a time) they can be registered.
  if (!hasBegun(meeting, now)) {
    return reply(refusal(`${capitalize(meetingName(meeting))} har inte börjat än. Justerarna väljs på sammanträdet; lägg in dem då eller efteråt.`));
  }

  // Read the words: justerare ids, "senast <datum>", "klart <datum>".
  const ids: string[] = [];
  let dateWord: string | undefined = cmd.args.date;
  let readyWord: string | undefined;
  let expect: 'due' | 'ready' | undefined;
  const notes: string[] = [];
  for (const raw of words) {
    const w = normalizeWord(raw);
    if (w === '' || ['och', 'and', 'justerare'].includes(w)) continue;
    if (['senast', 'by', 'datum'].includes(w)) {
      expect = 'due';
      continue;
    }
    if (['klart', 'klar', 'ready'].includes(w)) {
      expect = 'ready';
      continue;
    }
    if (/^\d/.test(w) || TODAY_WORDS.includes(w) || expect) {
      if (expect === 'ready') readyWord = raw;
      else dateWord = raw;
      expect = undefined;
      continue;
    }
    const m = findMember(committee, w);
    if (!m) {
      const electedIds = committee.members.filter((x) => ELECTED_ROLES.includes(x.role) && x.role !== 'ordförande').map((x) => x.id);
      return reply(refusal(`Det finns ingen ledamot med id "${raw}" i ${committee.name}. Justerare väljs bland: ${electedIds.join(', ')}.`));
    }
    if (!ELECTED_ROLES.includes(m.role)) return reply(refusal(`${memberLabel(m)} är ${m.role} och kan inte justera protokollet.`));
    if (m.role === 'ordförande') {
      notes.push(`${memberLabel(m)} justerar som ordförande och behöver inte anges som justerare.`);
      continue;
    }
    if (!ids.includes(m.id)) ids.push(m.id);
  }
  if (ids.length > MAX_JUSTERARE) return reply(refusal(`Skriv högst ${MAX_JUSTERARE} justerare; du skrev ${ids.length}.`));
  if (expect !== undefined) {
    // "justering … amira.haddad klart": most likely meant that Amira has justerat, which is another command.
    const example = ids[0] ?? 'amira.haddad';
    return reply(
      refusal(
        expect === 'ready'
          ? `"klart" ska följas av dagen då protokollet är klart för justering, till exempel: klart 2027-01-25. Har någon justerat? Skriv: justerat ${meeting.date} ${example}. Inget ändrades.`
          : `"senast" ska följas av sista dagen för justering, till exempel: senast 2027-02-01. Inget ändrades.`,
      ),
    );
  }

  const existing = state.justering.get(meeting.id);
  const justerare = ids.length ? ids : (existing?.justerare ?? []);
  if (justerare.length === 0) return reply(toAsker(justeringForm(ctx, meeting, dateWord)));

  let date: string;
  if (dateWord) {
    const d = readDate(dateWord, now);
    if (!d.ok) return reply(cmd.fromForm ? toAsker(justeringForm(ctx, meeting, undefined, d.reason)) : refusal(d.reason));
    date = d.date;
  } else date = existing?.dueDate ?? defaultJusteringDate(meeting, committee).date;
  const legal = justeringDue(meeting.date).date;
  if (date < meeting.date) return reply(refusal(`Justeringen kan inte ligga före sammanträdet, ${formatDateLong(meeting.date)}.`));
  if (date > legal) {
    return reply(
      refusal(`${formatDateLong(date)} ligger efter lagens gräns: enligt kommunallagen ska protokollet justeras senast ${formatDateLong(legal)}, 14 dagar efter sammanträdet.`),
    );
  }
  const today = stockholmDate(now);
  if (dateWord && date < today && date !== existing?.dueDate) {
    return reply(
      refusal(
        `${capitalize(formatDateLong(date))} har redan passerat, så ingen kan påminnas om den. Skriv en sista dag från och med i dag, ${formatDateLong(today)}` +
          `${today <= legal ? ` och senast ${formatDateLong(legal)} (lagens gräns)` : `; lagens gräns, ${formatDateLong(legal)}, har också passerat`}. Inget ändrades.`,
      ),
    );
  }
  let readyDate: string | undefined;
  if (readyWord) {
    const d = readDate(readyWord, now);
    if (!d.ok) return reply(refusal(d.reason));
    if (d.date < meeting.date || d.date > date) {
      return reply(refusal(`Protokollet ska vara klart för justering mellan sammanträdet (${meeting.date}) och sista dagen för justering (${date}).`));
    }
    readyDate = d.date;
  }

  const sameList = existing && existing.justerare.length === justerare.length && justerare.every((id) => existing.justerare.includes(id));
  if (existing && sameList && existing.dueDate === date && (readyDate === undefined || existing.readyDate === readyDate)) {
    return reply(toAsker(message(`Justeringen av protokollet från ${meetingName(meeting)} är redan inlagd så. Inget ändrades.`, justeringFields(committee, justerare, date, existing.readyDate))));
  }

  const deadline = justeringDeadline(meeting, date);
  const settings = reminderSettings(committee);
  const hours = `${formatClock(settings.officeHours.start)}–${formatClock(settings.officeHours.end).slice(4)}`;
  const parts: Part[] = [justeringFields(committee, justerare, date, readyDate ?? (sameList ? existing?.readyDate : undefined)), paragraph(deadline.explanation)];
  const dropped = existing ? existing.justerare.filter((id) => !justerare.includes(id)) : [];
  if (dropped.length) {
    parts.push(paragraph(`${joinSv(dropped.map((id) => labelOf(committee, id)))} är inte längre justerare och får inga fler påminnelser. Var det fel, skriv alla justerare igen: justering ${meeting.date} ${[...justerare, ...dropped].join(' ')}`));
  }
  if (existing && existing.dueDate !== date) parts.push(paragraph(`Sista dagen ändrades från ${formatDateLong(existing.dueDate)} till ${formatDateLong(date)}. Påminnelserna följer det nya datumet.`));
  parts.push(
    paragraph(
      date < today
        ? `Sista dagen, ${formatDateLong(date)}, har redan passerat, så inga påminnelser om justeringen går ut. När alla har justerat får du en påminnelse om anslaget.`
        : `Justerarna och ordföranden får påminnelser ${describeJusteringReminders(settings)}, på arbetsdagar ${hours}. ` +
            'Den som har justerat får inga fler. När alla har justerat får du en påminnelse om anslaget.',
    ),
  );
  for (const note of notes) parts.push(paragraph(note));
  if (deadline.warning && deadline.proposedDate) {
    const proposed = deadline.proposedDate;
    parts.push(
      paragraph(deadline.warning),
      buttons({
        label: `Använd ${formatDateLong(proposed)}`,
        actionId: 'justering.record',
        value: actionValue(committee, { meeting: meeting.id, text: `${justerare.join(' ')} senast ${proposed}` }),
        command: `justering ${meeting.date} ${justerare.join(' ')} senast ${proposed}`,
        style: 'primary',
      }),
    );
  }
  return record(
    [{ type: 'justering.recorded', meetingId: meeting.id, justerare, dueDate: date, ...(readyDate ? { readyDate } : sameList && existing?.readyDate ? { readyDate: existing.readyDate } : {}) }],
    toAsker(message(`Justeringen av protokollet från ${meetingName(meeting)} är ${existing ? 'ändrad' : 'inlagd'}.`, ...parts)),
  );
}

function justeringFields(committee: Committee, justerare: string[], date: string, readyDate?: string) {
  const chairs = chairsOf(committee);
  return fields(
    { label: 'Justerare', value: joinSv(justerare.map((id) => labelOf(committee, id))) },
    ...(chairs.length ? [{ label: 'Ordförande', value: joinSv(chairs.map(memberLabel)) }] : []),
    { label: 'Justera senast', value: formatDateLong(date) },
    ...(readyDate ? [{ label: 'Klart för justering', value: formatDateLong(readyDate) }] : []),
  );
}

/** Who is in turn to justera when the committee rotates: one step per meeting, as on the agenda draft. */
function inTurn(committee: Committee, meeting: Meeting): string | undefined {
  const rotation = committee.settings.justerareRotation ?? [];
  if (rotation.length === 0) return undefined;
  const index = meetingsByDate(committee).findIndex((m) => m.id === meeting.id);
  return rotation[index % rotation.length];
}

function justeringForm(ctx: HandlerContext, meeting: Meeting, dateWord: string | undefined, dateError?: string) {
  const { committee, now, state } = ctx;
  const candidates = committee.members.filter((m) => ELECTED_ROLES.includes(m.role) && m.role !== 'ordförande');
  const options = candidates.map((m) => ({ value: m.id, label: memberLabel(m) }));
  const existing = state.justering.get(meeting.id);
  const first = existing?.justerare[0] ?? inTurn(committee, meeting);
  const form: Form = {
    id: 'justering.record',
    title: 'Lägg in justering',
    submitLabel: 'Spara',
    hidden: { committee: committee.id },
    fields: [
      meetingField(heldMeetings(committee, now).slice(0, 10), { value: meeting.id }),
      { name: 'member', label: 'Justerare', kind: 'select', required: true, options, ...(first ? { value: first } : {}) },
      { name: 'text', label: 'Andra justerare', kind: 'select', required: false, options, ...(existing?.justerare[1] ? { value: existing.justerare[1] } : {}) },
      {
        name: 'date',
        label: 'Justera senast',
        kind: 'date',
        required: false,
        value: dateWord ?? existing?.dueDate ?? defaultJusteringDate(meeting, committee).date,
        ...(dateError ? { error: dateError } : {}),
      },
    ],
  };
  return message(
    dateError ? 'Något behöver rättas innan justeringen kan läggas in.' : `Vilka ska justera protokollet från ${meetingName(meeting)}?`,
    formPart(form),
    paragraph(`Du kan också skriva allt på en rad, till exempel: justering ${meeting.date} ${options[0]?.value ?? 'amira.haddad'} senast ${defaultJusteringDate(meeting, committee).date}`),
  );
}

// ---------------------------------------------------------------------------------------------
// justerat [möte]   (the secretary: justerat <möte> <id>, for signatures made elsewhere)

export function signJustering(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now, member } = ctx;
  let meetingRef = cmd.args.meeting;
  let memberRef = cmd.args.member;
  if (meetingRef && !findMeeting(committee, meetingRef, now).ok && findMember(committee, normalizeWord(meetingRef))) {
    memberRef = meetingRef;
    meetingRef = undefined;
  }
  const bySecretary = member.role === 'sekreterare';
  let signer: Member = member;
  if (bySecretary) {
    const m = memberRef ? findMember(committee, normalizeWord(memberRef)) : undefined;
    if (!m) {
      return reply(refusal(memberRef ? `Det finns ingen ledamot med id "${memberRef}" i ${committee.name}.` : 'Skriv vem som har justerat, till exempel: justerat 2027-01-21 amira.haddad'));
    }
    signer = m;
  } else if (memberRef && normalizeWord(memberRef) !== member.id) {
    return reply(refusal('Du kan bara markera att du själv har justerat. Sekreteraren kan registrera andras justering.'));
  }

  let meeting: Meeting | undefined;
  if (meetingRef) {
    const found = findMeeting(committee, meetingRef, now);
    if (!found.ok) return reply(refusal(found.reason));
    meeting = found.value;
  } else {
    // The most recent protocol the signer still has to justera, else the most recent they sign at all.
    const mine = heldMeetings(committee, now).filter((m) => {
      const j = state.justering.get(m.id);
      return j && signersOf(committee, j).includes(signer.id);
    });
    meeting = mine.find((m) => !state.justering.get(m.id)!.signedAt[signer.id]) ?? mine[0];
    if (!meeting) {
      return reply(refusal(bySecretary ? `${memberLabel(signer)} har inget protokoll att justera.` : 'Du har inget protokoll att justera just nu.'));
    }
  }
  if (!isHeld(meeting, now)) return reply(refusal(`${capitalize(meetingName(meeting))} är inte hållet än, så det finns inget protokoll att justera.`));
  const j = state.justering.get(meeting.id);
  if (!j) return reply(refusal(`Sekreteraren har inte lagt in justeringen av protokollet från ${meetingName(meeting)} än.`));
  const signers = signersOf(committee, j);
  if (!signers.includes(signer.id)) {
    const who = joinSv(signers.map((id) => labelOf(committee, id)));
    return reply(refusal(`${bySecretary ? `${memberLabel(signer)} är` : 'Du är'} inte justerare för protokollet från ${meetingName(meeting)}. Det justeras av ${who}.`));
  }
  if (j.signedAt[signer.id]) {
    const when = formatDateLong(stockholmDate(new Date(j.signedAt[signer.id])));
    return reply(toAsker(message(`${bySecretary ? `${memberLabel(signer)} har` : 'Du har'} redan justerat protokollet från ${meetingName(meeting)} (${when}). Inget ändrades.`)));
  }
  const remaining = signers.filter((id) => id !== signer.id && !j.signedAt[id]);
  const today = stockholmDate(now);
  const status = remaining.length
    ? paragraph(`Kvar att justera: ${joinSv(remaining.map((id) => labelOf(committee, id)))}.`)
    : paragraph(
        `Nu har alla justerat. Sekreteraren ska anslå protokollet senast ${formatDateLong(anslagDue(today).date)}.` + lateJusteringNote(meeting, j.dueDate, today),
      );
  return record(
    [{ type: 'justering.signed', meetingId: meeting.id, memberId: signer.id }],
    toAsker(
      message(
        bySecretary
          ? `Registrerat: ${memberLabel(signer)} har justerat protokollet från ${meetingName(meeting)}.`
          : `Tack! Du har justerat protokollet från ${meetingName(meeting)}.`,
        status,
      ),
    ),
  );
}

/** Said when the last signature comes after the last day: after the committee's date, or after the law's. */
function lateJusteringNote(meeting: Meeting, dueDate: string, today: string): string {
  const legal = justeringDue(meeting.date).date;
  if (today > legal) {
    return ` Obs! Protokollet justerades efter lagens gräns, ${formatDateLong(legal)} (14 dagar efter sammanträdet enligt kommunallagen).`;
  }
  if (today > dueDate) return ` Obs! Protokollet justerades efter den sista dag som bestämdes, ${formatDateLong(dueDate)}.`;
  return '';
}

// ---------------------------------------------------------------------------------------------
// anslaget <datum> [möte]

export function recordAnslag(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now } = ctx;
  let dateWord = cmd.args.date;
  let meetingRef = cmd.args.meeting;
  // "anslaget 2027-01-21" with a meeting's date or id but no anslag date: ask for the date.
  if (dateWord && !meetingRef && findMeeting(committee, dateWord, now).ok && !readDate(dateWord, now).ok) {
    meetingRef = dateWord;
    dateWord = undefined;
  }

  let meeting: Meeting | undefined;
  if (meetingRef) {
    const found = findMeeting(committee, meetingRef, now);
    if (!found.ok) return reply(refusal(found.reason));
    meeting = found.value;
  } else {
    const withJustering = heldMeetings(committee, now).filter((m) => state.justering.has(m.id));
    meeting =
      withJustering.find((m) => {
        const j = state.justering.get(m.id)!;
        return !j.anslagPostedDate && justeratAt(committee, j);
      }) ?? withJustering[0];
    if (!meeting) return reply(refusal('Det finns inget justerat protokoll att anslå. Lägg först in justeringen med: justering <möte> <justerare>'));
  }

  if (!dateWord) return reply(toAsker(anslagForm(committee, meeting, now)));
  const d = readDate(dateWord, now);
  if (!d.ok) return reply(cmd.fromForm ? toAsker(anslagForm(committee, meeting, now, d.reason)) : refusal(`${d.reason} Du kan också skriva anslaget idag.`));
  const date = d.date;

  if (!isHeld(meeting, now)) return reply(refusal(`${capitalize(meetingName(meeting))} är inte hållet än, så det finns inget protokoll att anslå.`));
  const j = state.justering.get(meeting.id);
  if (!j) return reply(refusal(`Justeringen av protokollet från ${meetingName(meeting)} är inte inlagd. Lägg in den först: justering ${meeting.date} <justerare>`));
  const done = justeratAt(committee, j);
  if (!done) {
    const missing = signersOf(committee, j).filter((id) => !j.signedAt[id]);
    return reply(
      refusal(
        `Protokollet från ${meetingName(meeting)} är inte justerat än: ${joinSv(missing.map((id) => labelOf(committee, id)))} har inte justerat. ` +
          'Anslaget sätts upp först när protokollet är justerat.',
      ),
    );
  }
  const justeratDate = stockholmDate(new Date(done));
  if (date < justeratDate) return reply(refusal(`Anslaget kan inte ha satts upp före justeringen, ${formatDateLong(justeratDate)}.`));
  if (date > stockholmDate(now)) return reply(refusal(`${capitalize(formatDateLong(date))} har inte varit än. Registrera anslaget när det sitter uppe.`));
  if (j.anslagPostedDate === date) {
    return reply(toAsker(message(`Anslaget om protokollet från ${meetingName(meeting)} är redan registrerat som uppsatt ${formatDateLong(date)}. Inget ändrades.`, anslagFields(date))));
  }

  const due = anslagDue(justeratDate);
  const parts: Part[] = [anslagFields(date), paragraph(overklagandeLastDay(date).explanation), paragraph(anslagTakeDownDate(date).explanation)];
  if (date > due.date) parts.push(paragraph(`Anslaget sattes upp senare än kommunallagen kräver: senast ${formatDateLong(due.date)}, andra dagen efter justeringen.`));
  if (j.anslagPostedDate) parts.push(paragraph(`Datumet ändrades från ${formatDateLong(j.anslagPostedDate)}.`));
  return record(
    [{ type: 'anslag.recorded', meetingId: meeting.id, postedDate: date }],
    toAsker(message(`Anslaget är registrerat: protokollet från ${meetingName(meeting)} anslogs ${formatDateLong(date)}.`, ...parts)),
  );
}

function anslagFields(date: string) {
  return fields(
    { label: 'Anslaget', value: formatDateLong(date) },
    { label: 'Sista dag för överklagande', value: formatDateLong(overklagandeLastDay(date).date) },
    { label: 'Anslaget får tas ned', value: `tidigast ${formatDateLong(anslagTakeDownDate(date).date)}` },
  );
}

function anslagForm(committee: Committee, meeting: Meeting, now: Date, error?: string) {
  const form: Form = {
    id: 'anslag.record',
    title: 'Registrera anslag',
    submitLabel: 'Registrera',
    hidden: { committee: committee.id, meeting: meeting.id },
    fields: [{ name: 'date', label: 'Anslaget uppsatt', kind: 'date', required: true, value: stockholmDate(now), ...(error ? { error } : {}) }],
  };
  return message(
    error ? 'Något behöver rättas innan anslaget kan registreras.' : `Vilken dag sattes anslaget om protokollet från ${meetingName(meeting)} upp?`,
    formPart(form),
    paragraph(`Du kan också skriva: anslaget ${stockholmDate(now)} ${meeting.date}`),
  );
}

// ---------------------------------------------------------------------------------------------
// påminnelser

/** Groups reminders that go out together about the same thing: one line for fifteen members. */
function groupedLines(committee: Committee, reminders: PlannedReminder[]): string[] {
  const groups = new Map<string, PlannedReminder[]>();
  for (const r of reminders) {
    const key = `${r.sendAt.getTime()}|${r.kind}|${r.meetingId}|${r.reason}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((g) => {
    const r = g[0];
    const meeting = committee.meetings.find((m) => m.id === r.meetingId);
    const about = `${KIND_LABELS[r.kind]}${meeting ? `, sammanträdet ${meeting.date}` : ''} (${r.reason})`;
    const to = g.length <= 3 ? joinSv(g.map((x) => recipientText(committee, x.recipientId))) : `${g.length} personer`;
    // A stale one never goes out: show when it was meant to.
    return `${whenText(r.status === 'stale' ? r.due : r.sendAt)}: ${about} till ${to}`;
  });
}

function capped(lines: string[]): string[] {
  return lines.length <= MAX_LINES ? lines : [...lines.slice(0, MAX_LINES), `… och ${lines.length - MAX_LINES} till`];
}

export function listReminders(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now } = ctx;
  const until = new Date(now.getTime() + PREVIEW_DAYS * 86_400_000);
  const plan = planWindow({ committee, state, now, until });
  const rs = plan.reminders;
  const dueNow = rs.filter((r) => r.status === 'due');
  const waiting = rs.filter((r) => r.status === 'pending');
  const stale = rs.filter((r) => r.status === 'stale');
  const parts: Part[] = [];
  if (dueNow.length) parts.push(list(capped(groupedLines(committee, dueNow)), 'Skickas nu'));
  if (waiting.length) parts.push(list(capped(groupedLines(committee, waiting)), `Kommande ${PREVIEW_DAYS} dagar`));
  if (stale.length) parts.push(list(capped(groupedLines(committee, stale)), 'Stryks: sista dagen har passerat'));
  const count = dueNow.length + waiting.length;
  if (parts.length === 0) {
    const next = plan.next ? ` Nästa påminnelse går ut ${whenText(plan.next)}.` : '';
    return reply(toAsker(message(`Inga påminnelser de närmaste ${PREVIEW_DAYS} dagarna i ${committee.name}.${next}`)));
  }
  return reply(
    toAsker(
      message(
        `Påminnelser i ${committee.name} de närmaste ${PREVIEW_DAYS} dagarna: ${count}.`,
        ...parts,
        paragraph('Påminnelser går bara ut på arbetsdagar inom kontorstid, utom på själva sista dagen. Den som redan har gjort det som påminnelsen gäller får ingen.'),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------

export const justeringCommands: CommandDef[] = [
  {
    name: 'justering.record',
    words: ['justering', 'justerare'],
    sub: [],
    args: ['meeting', 'text'],
    roles: SECRETARY,
    usage: 'justering [möte] <justerare …> [senast <datum>] [klart <datum>]',
    example: 'justering 2027-01-21 amira.haddad johan.sjoberg senast 2027-02-01',
    summary: 'lägger in justerarna och sista dag för justering efter ett sammanträde; de får påminnelser tills de har justerat',
    handle: recordJustering,
  },
  {
    name: 'justering.sign',
    words: ['justerat', 'justerad', 'signed'],
    sub: [],
    args: ['meeting', 'member'],
    roles: [...ELECTED, ...SECRETARY],
    usage: 'justerat [möte]',
    example: 'justerat 2027-01-21',
    summary: 'markerar att du har justerat protokollet (sekreteraren: justerat <möte> <id> för någon annan)',
    handle: signJustering,
  },
  {
    name: 'anslag.record',
    words: ['anslaget', 'anslag', 'anslagen'],
    sub: [],
    args: ['date', 'meeting'],
    roles: SECRETARY,
    usage: 'anslaget <datum> [möte]',
    example: 'anslaget 2027-02-03',
    summary: 'registrerar när anslaget om det justerade protokollet sattes upp, och visar sista dag för överklagande',
    handle: recordAnslag,
  },
  {
    name: 'reminders.list',
    words: ['paminnelser', 'paminnelse', 'reminders'],
    sub: [],
    args: [],
    roles: SECRETARY,
    usage: 'påminnelser',
    example: 'påminnelser',
    summary: `visar vilka påminnelser som går ut de närmaste ${PREVIEW_DAYS} dagarna, till vem och varför`,
    handle: listReminders,
  },
];

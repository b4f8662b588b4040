/**
 * The secretary keeps meetings and ärenden current in chat: add a meeting, add, retitle, move
 * and remove ärenden, mark sekretess. Each change is a record on top of the committee file
 * (src/domain/meeting-records.ts), so the agenda, the reminders and jäv all see it at once and
 * the next agenda draft lists it among what changed.
 */
import { findMember, itemSchema, memberLabel, type Committee, type Item, type Meeting } from '../../domain/committee';
import { activeDeclarations, activeForhinder, type CommitteeState } from '../../domain/state';
import { capitalize, cleanFreeText, normalizeWord } from '../../domain/text';
import { formatClockRange, formatDateLong, stockholmDate } from '../../domain/time';
import { SECRETARY } from '../commands';
import { record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { fields, formPart, list, message, paragraph, type Form, type FormField, type Part } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findItem, findMeeting, isHeld, itemLabel, meetingName, upcomingMeetings } from '../refs';
import { meetingField, refusal } from './common';

const ARENDE_WORDS = ['arende', 'item'];
const MEETING_WORDS = ['mote', 'sammantrade', 'meeting'];
const ADD_WORDS = ['ny', 'nytt', 'lagg till', 'add'];

/** "9", "9.00", "09:00", "kl. 9.00–12.00", "9-12": the start and the end, as TT:MM. */
export function readClockRange(text: string): { start: string; end?: string } | undefined {
  const t = text.replace(/^kl\.?\s*/i, '').trim();
  const m = /^(\d{1,2})(?:[.:](\d{2}))?(?:\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?)?$/.exec(t);
  if (!m) return undefined;
  const clock = (h: string, min: string | undefined) => {
    const hh = Number(h);
    const mm = Number(min ?? '0');
    return hh <= 23 && mm <= 59 ? `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}` : undefined;
  };
  const start = clock(m[1]!, m[2]);
  const end = m[3] ? clock(m[3], m[4]) : undefined;
  if (!start || (m[3] && (!end || end <= start))) return undefined;
  return end ? { start, end } : { start };
}

function isRealDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

export function addMeeting(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, now } = ctx;
  let date = cmd.args.date;
  let time = cmd.args.time;
  let place = cmd.args.place;
  if (!cmd.fromForm && cmd.args.text) {
    // "kl. 9.00–12.00 Stadshuset, sal 2": the time first, the place after it.
    const words = cmd.args.text.split(' ');
    const timeWords = /^kl\.?$/i.test(words[0] ?? '') ? 2 : 1;
    time = words.slice(0, timeWords).join(' ');
    place = words.slice(timeWords).join(' ');
  }
  const errors: Record<string, string> = {};
  if (!date) errors.date = 'Skriv datumet som ÅÅÅÅ-MM-DD.';
  else if (!isRealDate(date)) errors.date = `"${date}" är inget datum. Skriv det som ÅÅÅÅ-MM-DD, till exempel 2027-03-18.`;
  else if (date < stockholmDate(now)) errors.date = `${date} har redan varit. Lägg bara in kommande sammanträden.`;
  const clock = time ? readClockRange(time) : undefined;
  if (!time) errors.time = 'Skriv när sammanträdet börjar, till exempel kl. 9.00 eller kl. 9.00–12.00.';
  else if (!clock) errors.time = `"${time}" är ingen tid. Skriv till exempel kl. 9.00 eller kl. 9.00–12.00.`;
  const cleanPlace = place ? cleanFreeText(place) : '';
  if (!cleanPlace) errors.place = 'Skriv var sammanträdet hålls, till exempel Stadshuset, sal 2.';
  else if (cleanPlace.length > 200) errors.place = `Platsen är ${cleanPlace.length} tecken; skriv högst 200.`;
  if (Object.keys(errors).length) {
    if (ctx.via !== 'console' && (cmd.fromForm || (!date && !time && !place))) return reply(toAsker(message('Nytt sammanträde', formPart(meetingForm({ date, time, place }, errors)))));
    return reply(refusal(`${Object.values(errors).join(' ')} Så här: möte ny 2027-03-18 kl. 9.00–12.00 Stadshuset, sal 2`));
  }
  const same = committee.meetings.find((m) => m.date === date && m.start === clock!.start);
  if (same) return reply(refusal(`Det finns redan ett sammanträde ${formatDateLong(date!)} ${formatClockRange(same.start, same.end)} (${same.place}). Inget ändrades.`));
  let meetingId = date!;
  for (let n = 2; committee.meetings.some((m) => m.id === meetingId); n++) meetingId = `${date}-${n}`;
  return record(
    [{ type: 'meeting.added', meetingId, date: date!, start: clock!.start, ...(clock!.end ? { end: clock!.end } : {}), place: cleanPlace }],
    toAsker(
      message(
        `Sammanträdet ${formatDateLong(date!)} ${formatClockRange(clock!.start, clock!.end)} är inlagt (${cleanPlace}).`,
        paragraph(`Lägg in ärenden med "ärende ny möte ${date} <löpnummer> <rubrik>", eller skicka ärendelistan som fil: import möte ${date}.`),
      ),
    ),
  );
}

function meetingForm(values: { date?: string; time?: string; place?: string }, errors: Record<string, string>): Form {
  const field = (f: FormField): FormField => ({ ...f, ...(errors[f.name] ? { error: errors[f.name] } : {}) });
  return {
    id: 'meeting.add',
    title: 'Nytt sammanträde',
    submitLabel: 'Lägg in',
    fields: [
      field({ name: 'date', label: 'Datum', kind: 'date', required: true, ...(values.date ? { value: values.date } : {}) }),
      field({ name: 'time', label: 'Tid', kind: 'text', required: true, placeholder: 'kl. 9.00–12.00', maxLength: 20, ...(values.time ? { value: values.time } : {}) }),
      field({ name: 'place', label: 'Plats', kind: 'text', required: true, placeholder: 'Stadshuset, sal 2', maxLength: 200, ...(values.place ? { value: values.place } : {}) }),
    ],
  };
}

/** The meeting the secretary means for an ärende change: named, or the next; never one already held. */
function editableMeeting(ctx: HandlerContext, ref: string | undefined): { ok: true; meeting: Meeting } | { ok: false; decision: Decision } {
  const found = findMeeting(ctx.committee, ref, ctx.now);
  if (!found.ok) return { ok: false, decision: reply(refusal(found.reason)) };
  if (isHeld(found.value, ctx.now)) {
    return { ok: false, decision: reply(refusal(`${capitalize(meetingName(found.value))} är redan hållet; dess ärenden ändras inte längre. Välj ett kommande: möte <datum>.`)) };
  }
  return { ok: true, meeting: found.value };
}

/** The ärende by löpnummer (or a title word), or the answer saying what to write. */
function existingItem(meeting: Meeting, ref: string | undefined, usage: string): { ok: true; item: Item } | { ok: false; decision: Decision } {
  if (!ref) return { ok: false, decision: reply(refusal(`Skriv vilket ärende, till exempel: ${usage}`)) };
  const found = findItem(meeting, ref);
  if (found.ok) return { ok: true, item: found.value };
  return { ok: false, decision: reply(refusal(found.reason, ...(found.candidates ? [list(found.candidates.map((i) => itemLabel(i)))] : []))) };
}

/** "före 10/25", "sist", "först": where an ärende goes; undefined before means last. */
function readPlace(meeting: Meeting, text: string, moving?: string): { ok: true; before?: string } | { ok: false; reason: string } {
  const words = text.trim().split(' ');
  const w = normalizeWord(words[0] ?? '');
  if (w === 'sist' || w === 'last') return { ok: true };
  if (w === 'forst' || w === 'first') {
    const first = meeting.items.find((i) => i.lopnummer !== moving);
    return first ? { ok: true, before: first.lopnummer } : { ok: true };
  }
  if ((w === 'fore' || w === 'before') && words[1]) {
    const target = meeting.items.find((i) => i.lopnummer === words[1]) ?? meeting.items.filter((i) => i.lopnummer.split('/')[0] === words[1]).at(0);
    if (!target) return { ok: false, reason: `Det finns inget ärende ${words[1]} på ${meetingName(meeting)}.` };
    if (target.lopnummer === moving) return { ok: false, reason: 'Ett ärende kan inte flyttas före sig självt.' };
    return { ok: true, before: target.lopnummer };
  }
  return { ok: false, reason: 'Skriv var ärendet ska stå: "före 10/25", "först" eller "sist".' };
}

/** The meeting's ärenden after a change, as the confirmation shows them. */
function itemsList(meeting: Meeting, items: readonly Item[]): Part {
  return items.length ? list(items.map((i) => `${itemLabel(i)}${i.kind === 'information' ? ' (information)' : ''}`), `Ärenden till ${meetingName(meeting)}:`) : paragraph('Mötet har inga ärenden nu.');
}

const AGENDA_NOTE = paragraph('Skriv "dagordning" för ett nytt utkast; ändringen står bland det som ändrats sedan förra versionen.');

export function addItem(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee } = ctx;
  const m = editableMeeting(ctx, cmd.args.meeting);
  if (!m.ok) {
    if (ctx.via !== 'console' && !cmd.args.meeting && !cmd.args.item) return reply(toAsker(message('Nytt ärende', formPart(itemForm(committee, ctx.now, {}, {})))));
    return m.decision;
  }
  const meeting = m.meeting;
  let title = cmd.args.text ?? '';
  let before = cmd.args.before;
  const errors: Record<string, string> = {};
  if (!cmd.fromForm) {
    // "ärende ny 13/25 Rubrik före 10/25": the place may end the title.
    const at = / (före|fore|before) (\S+)$/i.exec(title);
    if (at) {
      before = at[2];
      title = title.slice(0, at.index);
    }
  }
  if (!cmd.args.item && !title) {
    if (ctx.via !== 'console') return reply(toAsker(message('Nytt ärende', formPart(itemForm(committee, ctx.now, { meeting: meeting.id }, {})))));
    return reply(refusal('Skriv löpnumret och rubriken, till exempel: ärende ny 13/25 Medborgarförslag om utegym'));
  }
  const kind = cmd.args.kind ? (normalizeWord(cmd.args.kind).startsWith('info') ? 'information' : normalizeWord(cmd.args.kind) === 'beslut' ? 'beslut' : undefined) : 'beslut';
  if (!kind) errors.kind = 'Välj beslut eller information.';
  const parsed = itemSchema.safeParse({
    lopnummer: cmd.args.item ?? '',
    title: cleanFreeText(title),
    ...(cmd.args.dnr ? { diarienummer: cmd.args.dnr } : {}),
    kind: kind ?? 'beslut',
    sekretess: cmd.args.sekretess ? ['ja', 'yes', 'true', 'sekretess'].includes(normalizeWord(cmd.args.sekretess)) : false,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'lopnummer' ? 'item' : issue.path[0] === 'title' ? 'text' : issue.path[0] === 'diarienummer' ? 'dnr' : String(issue.path[0]);
      if (field === 'item') errors.item ??= cmd.args.item ? `"${cmd.args.item}" är inget löpnummer; skriv det som 5/25.` : 'Skriv löpnumret, till exempel 13/25.';
      else errors[field] ??= `${{ text: 'Rubriken', dnr: 'Diarienumret' }[field] ?? 'Fältet'}: ${issue.message}.`;
    }
  }
  const lopnummer = cmd.args.item ?? '';
  if (!errors.item && meeting.items.some((i) => i.lopnummer === lopnummer)) errors.item = `Löpnummer ${lopnummer} finns redan på ${meetingName(meeting)}.`;
  let place: { ok: true; before?: string } | { ok: false; reason: string } = { ok: true };
  if (before) {
    place = readPlace(meeting, `före ${before}`);
    if (!place.ok) errors.before = place.reason;
  }
  if (Object.keys(errors).length || !parsed.success || !place.ok) {
    if (cmd.fromForm) return reply(toAsker(message('Nytt ärende', formPart(itemForm(committee, ctx.now, { ...cmd.args, meeting: meeting.id }, errors)))));
    return reply(refusal(`${Object.values(errors).join(' ')} Inget ändrades.`));
  }
  const item = parsed.data;
  const after = [...meeting.items];
  const i = place.before ? after.findIndex((x) => x.lopnummer === place.before) : -1;
  if (i < 0) after.push(item);
  else after.splice(i, 0, item);
  return record(
    [{ type: 'item.added', meetingId: meeting.id, item, ...(place.before ? { before: place.before } : {}) }],
    toAsker(message(`Ärende ${itemLabel(item)} är tillagt på ${meetingName(meeting)}.`, itemsList(meeting, after), AGENDA_NOTE)),
  );
}

function itemForm(committee: Committee, now: Date, values: Partial<Record<string, string>>, errors: Record<string, string>): Form {
  const field = (f: FormField): FormField => ({ ...f, ...(values[f.name] ? { value: values[f.name] } : {}), ...(errors[f.name] ? { error: errors[f.name] } : {}) });
  return {
    id: 'item.add',
    title: 'Nytt ärende',
    submitLabel: 'Lägg till',
    fields: [
      field(meetingField(upcomingMeetings(committee, now))),
      field({ name: 'item', label: 'Löpnummer', kind: 'text', required: true, placeholder: '13/25', maxLength: 12 }),
      field({ name: 'text', label: 'Rubrik', kind: 'text', required: true, maxLength: 300 }),
      field({ name: 'dnr', label: 'Diarienummer', kind: 'text', required: false, placeholder: 'KS-2025/00019', maxLength: 60 }),
      field({
        name: 'kind',
        label: 'Typ',
        kind: 'radio',
        required: true,
        options: [
          { value: 'beslut', label: 'Beslutsärende' },
          { value: 'information', label: 'Informationsärende' },
        ],
        ...(values.kind ? {} : { value: 'beslut' }),
      }),
      field({
        name: 'sekretess',
        label: 'Sekretess',
        kind: 'radio',
        required: true,
        options: [
          { value: 'nej', label: 'Nej' },
          { value: 'ja', label: 'Ja: rubriken visas aldrig i en kanal' },
        ],
        ...(values.sekretess ? {} : { value: 'nej' }),
      }),
      field({ name: 'before', label: 'Före ärende (tomt: sist)', kind: 'text', required: false, placeholder: '10/25', maxLength: 12 }),
    ],
  };
}

export function retitleItem(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const m = editableMeeting(ctx, cmd.args.meeting);
  if (!m.ok) return m.decision;
  const found = existingItem(m.meeting, cmd.args.item, 'ärende rubrik 7/25 Ny rubrik');
  if (!found.ok) return found.decision;
  const title = cleanFreeText(cmd.args.text ?? '');
  if (!title) return reply(refusal(`Skriv den nya rubriken efter löpnumret, till exempel: ärende rubrik ${found.item.lopnummer} Ny rubrik`));
  if (title.length > 300) return reply(refusal(`Rubriken är ${title.length} tecken; skriv högst 300. Inget ändrades.`));
  if (title === found.item.title) return reply(toAsker(message(`Ärende ${found.item.lopnummer} har redan den rubriken. Inget ändrades.`)));
  const after = { ...found.item, title };
  return record(
    [{ type: 'item.retitled', meetingId: m.meeting.id, lopnummer: found.item.lopnummer, title }],
    toAsker(message(`Ärende ${found.item.lopnummer} heter nu: ${itemLabel(after)}.`, AGENDA_NOTE)),
  );
}

export function moveItem(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const m = editableMeeting(ctx, cmd.args.meeting);
  if (!m.ok) return m.decision;
  const meeting = m.meeting;
  const found = existingItem(meeting, cmd.args.item, 'ärende flytta 11/25 före 10/25');
  if (!found.ok) return found.decision;
  const place = readPlace(meeting, cmd.args.text ?? '', found.item.lopnummer);
  if (!place.ok) return reply(refusal(`${place.reason} Inget ändrades.`));
  const after = meeting.items.filter((i) => i.lopnummer !== found.item.lopnummer);
  const at = place.before ? after.findIndex((i) => i.lopnummer === place.before) : -1;
  if (at < 0) after.push(found.item);
  else after.splice(at, 0, found.item);
  if (after.every((item, i) => item === meeting.items[i])) return reply(toAsker(message(`Ärende ${found.item.lopnummer} står redan där. Inget ändrades.`)));
  return record(
    [{ type: 'item.moved', meetingId: meeting.id, lopnummer: found.item.lopnummer, ...(place.before ? { before: place.before } : {}) }],
    toAsker(message(`Ärende ${found.item.lopnummer} är flyttat.`, itemsList(meeting, after), AGENDA_NOTE)),
  );
}

/** Declarations and förhinder that name an ärende: shown when it goes, never dropped silently. */
export function recordsOnItem(committee: Committee, state: CommitteeState, meetingId: string, lopnummer: string): string[] {
  const name = (id: string) => {
    const member = findMember(committee, id);
    return member ? memberLabel(member) : id;
  };
  return [
    ...activeDeclarations(state, meetingId)
      .filter((d) => d.lopnummer === lopnummer)
      .map((d) => `${d.id}: ${name(d.memberId)} har anmält jäv i ${lopnummer}`),
    ...activeForhinder(state, meetingId)
      .filter((f) => f.lopnummer.includes(lopnummer))
      .map((f) => `${f.id}: ${name(f.memberId)} har förhinder i ${lopnummer}`),
  ];
}

export function removeItem(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const m = editableMeeting(ctx, cmd.args.meeting);
  if (!m.ok) return m.decision;
  const meeting = m.meeting;
  // Only a löpnummer removes: a title word could take the wrong ärende away.
  if (cmd.args.item && !/^\d{1,4}(\/\d{2,4})?$/.test(cmd.args.item)) return reply(refusal(`Skriv ärendets löpnummer, till exempel: ärende ta bort ${meeting.items[0]?.lopnummer ?? '7/25'}`));
  const found = existingItem(meeting, cmd.args.item, 'ärende ta bort 7/25');
  if (!found.ok) {
    // Removed already (a retry): said so, rather than that there is no such ärende.
    const ref = cmd.args.item ?? '';
    const removed = ctx.state.meetingEdits.find((e) => e.type === 'item.removed' && e.meetingId === meeting.id && (e.lopnummer === ref || e.lopnummer.split('/')[0] === ref));
    if (removed?.type === 'item.removed') return reply(toAsker(message(`Ärende ${removed.lopnummer} är redan borttaget från ${meetingName(meeting)}. Inget ändrades.`)));
    return found.decision;
  }
  const standing = recordsOnItem(ctx.committee, ctx.state, meeting.id, found.item.lopnummer);
  const after = meeting.items.filter((i) => i.lopnummer !== found.item.lopnummer);
  return record(
    [{ type: 'item.removed', meetingId: meeting.id, lopnummer: found.item.lopnummer }],
    toAsker(
      message(
        `Ärende ${itemLabel(found.item)} är borttaget från ${meetingName(meeting)}.`,
        ...(standing.length
          ? [list(standing, 'Obs! Det här står kvar i registret och i exporten och gäller ett ärende som inte längre är med:'), paragraph('Kommer ärendet tillbaka (samma löpnummer) gäller anmälningarna igen.')]
          : []),
        itemsList(meeting, after),
        AGENDA_NOTE,
      ),
    ),
  );
}

export function markSekretess(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const m = editableMeeting(ctx, cmd.args.meeting);
  if (!m.ok) return m.decision;
  const found = existingItem(m.meeting, cmd.args.item, 'ärende sekretess 7/25');
  if (!found.ok) return found.decision;
  const word = normalizeWord(cmd.args.text ?? '');
  const sekretess = !['av', 'nej', 'off', 'no'].includes(word);
  if (word && sekretess && !['pa', 'ja', 'on', 'yes'].includes(word)) return reply(refusal('Skriv "ärende sekretess 7/25" för att sätta sekretess, "ärende sekretess 7/25 av" för att ta bort den.'));
  if (found.item.sekretess === sekretess) return reply(toAsker(message(`Ärende ${found.item.lopnummer} ${sekretess ? 'har redan' : 'har inte'} sekretess. Inget ändrades.`)));
  return record(
    [{ type: 'item.sekretess', meetingId: m.meeting.id, lopnummer: found.item.lopnummer, sekretess }],
    toAsker(
      message(
        sekretess
          ? `Ärende ${found.item.lopnummer} är nu ett sekretessärende: rubriken visas aldrig i en kanal, bara i dokumenten till dig.`
          : `Ärende ${found.item.lopnummer} har inte längre sekretess: rubriken visas som vanligt.`,
        AGENDA_NOTE,
      ),
    ),
  );
}

export const meetingCommands: CommandDef[] = [
  {
    name: 'meeting.add',
    words: MEETING_WORDS,
    sub: ADD_WORDS,
    args: ['date', 'text'],
    roles: SECRETARY,
    usage: 'möte ny <datum> kl. <tid> <plats>',
    example: 'möte ny 2027-03-18 kl. 9.00–12.00 Stadshuset, sal 2',
    summary: 'lägger in ett nytt sammanträde',
    handle: addMeeting,
  },
  {
    name: 'item.add',
    words: ARENDE_WORDS,
    sub: ADD_WORDS,
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'ärende ny [möte <datum>] <löpnummer> <rubrik> [före <löpnummer>]',
    example: 'ärende ny 13/25 Medborgarförslag om utegym före 10/25',
    summary: 'lägger till ett ärende på nästa (eller ett visst) sammanträde',
    handle: addItem,
  },
  {
    name: 'item.retitle',
    words: ARENDE_WORDS,
    sub: ['rubrik', 'byt rubrik', 'retitle'],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'ärende rubrik [möte <datum>] <löpnummer> <ny rubrik>',
    example: 'ärende rubrik 7/25 Aktivitetsplan och budget 2025',
    summary: 'ger ett ärende en ny rubrik',
    handle: retitleItem,
  },
  {
    name: 'item.move',
    words: ARENDE_WORDS,
    sub: ['flytta', 'move'],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'ärende flytta [möte <datum>] <löpnummer> före <löpnummer> | först | sist',
    example: 'ärende flytta 11/25 före 10/25',
    summary: 'flyttar ett ärende i dagordningen',
    handle: moveItem,
  },
  {
    name: 'item.remove',
    words: ARENDE_WORDS,
    sub: ['ta bort', 'stryk', 'remove'],
    args: ['item'],
    roles: SECRETARY,
    usage: 'ärende ta bort [möte <datum>] <löpnummer>',
    example: 'ärende ta bort 8/25',
    summary: 'tar bort ett ärende från sammanträdet (anmälningar på det visas och står kvar)',
    handle: removeItem,
  },
  {
    name: 'item.sekretess',
    words: ARENDE_WORDS,
    sub: ['sekretess', 'secret'],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'ärende sekretess [möte <datum>] <löpnummer> [av]',
    example: 'ärende sekretess 9/25',
    summary: 'gör ett ärende till sekretessärende (eller tar bort sekretessen med "av")',
    handle: markSekretess,
  },
];

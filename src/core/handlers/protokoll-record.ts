/**
 * During the meeting: the secretary records what happened, each a record (närvaro per §,
 * tjänstgörande ersättare, beslut, votering, yrkanden, reservationer, protokollsanteckningar,
 * expediering, ärendebeskrivning, a § kept out of the public version). Typed on one line, or,
 * given without the ärende, as a form (a modal in Slack, a card in Teams) whose submit comes back
 * here; a mistake on a submitted form comes back on the form, under its field.
 *
 * Every § is named by its number and löpnummer in replies, never by a sekretess title, and a
 * reply never repeats a beslut text: a command typed in a channel gets nothing secret back. A
 * form sent back with a sekretess § chosen is marked sekretess (it may hold what was typed).
 */
import type { Agenda, AgendaItem } from '../../domain/agenda';
import { ELECTED_ROLES, everyone, findMember, memberLabel, type Committee, type Meeting, type Member, type Role } from '../../domain/committee';
import { paragraphsText } from '../../domain/protokoll';
import type { EventPayload } from '../../domain/records';
import { changesMinutes, type CommitteeState, type MinutesEvent } from '../../domain/state';
import { normalizeWord } from '../../domain/text';
import { stockholmDate } from '../../domain/time';
import { SECRETARY } from '../commands';
import { record, reply, type CommandDef, type Decision, type Handler, type HandlerContext } from '../context';
import { formPart, message, paragraph, type Form, type FormField, type FormFieldKind, type Message } from '../message';
import { toAsker } from '../outgoing';
import type { CommandArgs, ParsedCommand } from '../parser';
import { findItem, findMeeting, meetingName, meetingsByDate } from '../refs';
import { buildDraft, planParagraphs } from './agenda';
import { refusal } from './common';

type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The meeting the secretary is recording: the one named, else the latest one on or before today. */
export function meetingForMinutes(committee: Committee, ref: string | undefined, now: Date): Result<Meeting> {
  if (ref !== undefined) return findMeeting(committee, ref, now);
  const today = stockholmDate(now);
  const held = meetingsByDate(committee).filter((m) => m.date <= today);
  const latest = held[held.length - 1];
  return latest ? { ok: true, value: latest } : { ok: false, reason: 'Inget sammanträde har hållits ännu. Ange mötet: möte ÅÅÅÅ-MM-DD först i kommandot.' };
}

/** The agenda the protokoll follows: its § numbers and order, as the agenda draft has them. */
export function agendaForMinutes(committee: Committee, state: CommitteeState, meeting: Meeting): Agenda {
  return buildDraft(committee, state, meeting, planParagraphs(committee, state, meeting).first);
}

/** "§ 24 (8/27)" or "§ 18 Val av justerare": never a sekretess title. */
export function itemName(item: AgendaItem): string {
  const p = item.paragraph === null ? '' : `§ ${item.paragraph}`;
  return item.type === 'arende' ? `${p} (${item.lopnummer})`.trim() : `${p} ${item.heading}`.trim();
}

/** An item by "§ 24", "§24" or an ärende reference; only items with a § can be recorded. */
function resolveItem(agenda: Agenda, meeting: Meeting, ref: string | undefined): Result<AgendaItem> {
  if (!ref) return { ok: false, reason: 'Ange ärendet med löpnummer eller §, till exempel 8/27 eller § 24.' };
  const p = /^(?:§|par|paragraf)\s*(\d{1,4})$/i.exec(ref.replace(/\s+/g, ''));
  if (p) {
    const item = agenda.items.find((i) => i.paragraph === Number(p[1]));
    return item ? { ok: true, value: item } : { ok: false, reason: `§ ${p[1]} finns inte på ${meetingName(meeting)} (${agenda.paragraphs.text}).` };
  }
  const found = findItem(meeting, ref);
  if (!found.ok) return { ok: false, reason: found.reason };
  const item = agenda.items.find((i) => i.type === 'arende' && i.lopnummer === found.value.lopnummer);
  return item ? { ok: true, value: item } : { ok: false, reason: `Ärende ${found.value.lopnummer} har ingen § på ${meetingName(meeting)}.` };
}

const ALL_WORDS = ['alla', 'hela', 'all'];
const NONE_WORDS = ['ingen', 'inga', 'franvarande', 'none'];

/** "10–11", "9, 12-14", "§§ 10–11", "alla", "ingen" → item keys (null: the whole meeting). */
export function readParagraphs(agenda: Agenda, spec: string): Result<string[] | null> {
  const word = normalizeWord(spec);
  if (ALL_WORDS.includes(word)) return { ok: true, value: null };
  if (NONE_WORDS.includes(word)) return { ok: true, value: [] };
  const cleaned = spec.replace(/§/g, '').replace(/\s+och\s+/g, ',').replace(/\s+/g, '');
  if (!/^\d{1,4}([–-]\d{1,4})?(,\d{1,4}([–-]\d{1,4})?)*$/.test(cleaned)) {
    return { ok: false, reason: `"${spec}" är inga paragrafer. Skriv till exempel 10–11, 9,12–14, alla eller ingen.` };
  }
  const byParagraph = new Map(agenda.items.filter((i) => i.paragraph !== null).map((i) => [i.paragraph!, i.key]));
  const keys: string[] = [];
  for (const part of cleaned.split(',')) {
    const [a, b] = part.split(/[–-]/).map(Number) as [number, number | undefined];
    const to = b ?? a;
    if (to < a) return { ok: false, reason: `${part} är baklänges; skriv det lägre numret först.` };
    for (let n = a; n <= to; n++) {
      const key = byParagraph.get(n);
      if (!key) return { ok: false, reason: `§ ${n} finns inte på sammanträdet (${agenda.paragraphs.text}).` };
      if (!keys.includes(key)) keys.push(key);
    }
  }
  return { ok: true, value: keys };
}

export function readsAsParagraphs(s: string): boolean {
  const w = normalizeWord(s);
  return ALL_WORDS.includes(w) || NONE_WORDS.includes(w) || /^§+$/.test(s) || /^§*\d{1,4}([–-]\d{1,4})?(,\d{1,4}([–-]\d{1,4})?)*,?$/.test(s.replace(/\s+/g, ''));
}

function keysText(agenda: Agenda, keys: string[] | null): string {
  if (keys === null) return 'hela sammanträdet';
  if (keys.length === 0) return 'inte närvarande';
  return paragraphsText(agenda.items.filter((i) => keys.includes(i.key)).map((i) => i.paragraph!));
}

export interface Scope {
  meeting: Meeting;
  agenda: Agenda;
}

export function scope(cmd: ParsedCommand, ctx: HandlerContext): Result<Scope> {
  const found = meetingForMinutes(ctx.committee, cmd.args.meeting, ctx.now);
  if (!found.ok) return found;
  return { ok: true, value: { meeting: found.value, agenda: agendaForMinutes(ctx.committee, ctx.state, found.value) } };
}

/** Records `events` and says `text`; the same record again (a retry) is said to be there already. */
function ack(ctx: HandlerContext, text: string, events: MinutesEvent[]): Decision {
  if (!events.some((e) => changesMinutes(ctx.state, e))) return reply(toAsker(message(`Redan sparat: ${text} Inget ändrades.`)));
  return record(events, toAsker(message(text)));
}

/** A member by id; `roles` limits who may be named, `what` says what they are in the answer. */
function memberArg(committee: Committee, id: string | undefined, what: string, roles?: readonly Role[], notRole?: string): Result<Member> {
  if (!id) return { ok: false, reason: `Ange ${what} med id från nämndfilen, till exempel ${committee.members.find((m) => m.role === 'ledamot')?.id ?? 'anna.berg'}.` };
  const m = findMember(committee, normalizeWord(id)) ?? findMember(committee, id);
  if (!m) return { ok: false, reason: `Jag hittar ingen "${id}" i nämndfilen. "vilka" visar allas id.` };
  if (roles && !roles.includes(m.role)) return { ok: false, reason: `${memberLabel(m)} är inte ${notRole ?? what} i nämnden.` };
  return { ok: true, value: m };
}

// ---------------------------------------------------------------------------------------------
// The forms. One shape for every recording command: the § (a select of the agenda's §§), a
// person (a select), and the text; the meeting goes along unseen.

type FieldName = 'item' | 'member' | 'id' | 'kind' | 'text';
type Errors = Partial<Record<FieldName, string>>;

interface FormSpec {
  title: string;
  submitLabel: string;
  lead: string;
  /** The same on one line, for the hint under the form. */
  example: string;
  item?: boolean;
  member?: { label: string; roles: readonly Role[] | 'everyone' };
  /** The ledamot an ersättare served for (tjänstgör), carried in `id`. */
  seat?: boolean;
  /** The beslut's outcome, carried in `kind`. */
  outcome?: boolean;
  text?: { label: string; kind: Extract<FormFieldKind, 'text' | 'textarea'>; required: boolean; placeholder?: string };
}

/** What the beslut form's radio sends, as the words a typed command would start with. */
const OUTCOMES = [
  { value: 'enligt förslag', label: 'Enligt förslaget' },
  { value: 'text', label: 'Eget beslut (skriv det nedan)' },
  { value: 'återremiss', label: 'Återremiss (motivering nedan)' },
  { value: 'bordläggs', label: 'Bordläggning (motivering nedan)' },
];

/** A select option for a §: the ärende's title unless it is sekretess. */
function itemOption(item: AgendaItem): { value: string; label: string } {
  const title = item.type === 'arende' ? `${item.lopnummer} ${item.sekretess ? 'Sekretessärende' : item.heading}` : item.heading;
  return { value: `§${item.paragraph}`, label: `§ ${item.paragraph} ${title}` };
}

function recordForm(name: string, spec: FormSpec, ctx: HandlerContext, s: Scope, values: CommandArgs, errors: Errors): Message {
  const people = spec.member?.roles === 'everyone' ? everyone(ctx.committee) : ctx.committee.members.filter((m) => (spec.member?.roles as readonly Role[] | undefined)?.includes(m.role));
  const field = (f: Omit<FormField, 'value' | 'error'>, key: FieldName): FormField => ({ ...f, ...(values[key] ? { value: values[key] } : {}), ...(errors[key] ? { error: errors[key] } : {}) });
  const fields: FormField[] = [];
  const chosen = values.item ? resolveItem(s.agenda, s.meeting, values.item) : undefined;
  if (spec.item) {
    const options = s.agenda.items.filter((i) => i.paragraph !== null).map(itemOption);
    fields.push({ ...field({ name: 'item', label: `Paragraf (${meetingName(s.meeting)})`, kind: 'select', required: true, options }, 'item'), ...(chosen?.ok ? { value: `§${chosen.value.paragraph}` } : {}) });
  }
  if (spec.member) fields.push(field({ name: 'member', label: spec.member.label, kind: 'select', required: true, options: people.map((m) => ({ value: m.id, label: memberLabel(m) })) }, 'member'));
  if (spec.seat) {
    const seats = ctx.committee.members.filter((m) => ELECTED_ROLES.includes(m.role) && m.role !== 'ersättare');
    fields.push(field({ name: 'id', label: 'I stället för ledamot', kind: 'select', required: true, options: seats.map((m) => ({ value: m.id, label: memberLabel(m) })) }, 'id'));
  }
  if (spec.outcome) fields.push(field({ name: 'kind', label: 'Beslut', kind: 'radio', required: true, options: OUTCOMES }, 'kind'));
  if (spec.text) fields.push(field({ name: 'text', label: spec.text.label, kind: spec.text.kind, required: spec.text.required, maxLength: 3000, ...(spec.text.placeholder ? { placeholder: spec.text.placeholder } : {}) }, 'text'));
  const form: Form = { id: name, title: spec.title, submitLabel: spec.submitLabel, hidden: { committee: ctx.committee.id, meeting: s.meeting.id }, fields };
  const m = message(Object.keys(errors).length ? 'Något behöver rättas innan det kan sparas.' : spec.lead, formPart(form), paragraph(`Du kan också skriva allt på en rad, till exempel: ${spec.example}`));
  // Sent back with a sekretess § chosen, the form may hold its beslut: to the asker only.
  return chosen?.ok && chosen.value.type === 'arende' && chosen.value.sekretess ? { ...m, sekretess: true } : m;
}

/** Says what is wrong: on the form when it came from one, else as a refusal. */
type Fail = (field: FieldName, reason: string) => Decision;

interface Recording {
  cmd: ParsedCommand;
  ctx: HandlerContext;
  s: Scope;
  fail: Fail;
}

/**
 * A recording command: the meeting in scope, a form when the command came without its first
 * argument (`opensForm`), and failures that go back onto the form when it came from one.
 */
function recording(name: string, spec: FormSpec, opensForm: (args: CommandArgs) => boolean, decide: (r: Recording) => Decision): Handler {
  return (cmd, ctx) => {
    const s = scope(cmd, ctx);
    if (!s.ok) return reply(refusal(s.reason));
    if (!cmd.fromForm && opensForm(cmd.args)) return reply(toAsker(recordForm(name, spec, ctx, s.value, cmd.args, {})));
    const fail: Fail = (field, reason) => reply(cmd.fromForm ? toAsker(recordForm(name, spec, ctx, s.value, cmd.args, { [field]: reason })) : refusal(reason));
    return decide({ cmd, ctx, s: s.value, fail });
  };
}

/** A recording command on one §: the § is resolved first. */
function onItem(name: string, spec: FormSpec, decide: (r: Recording, item: AgendaItem) => Decision): Handler {
  return recording(name, { ...spec, item: true }, (args) => !args.item, (r) => {
    const item = resolveItem(r.s.agenda, r.s.meeting, r.cmd.args.item);
    return item.ok ? decide(r, item.value) : r.fail('item', item.reason);
  });
}

// ---------------------------------------------------------------------------------------------
// Närvaro: `närvaro 10–11 anna.ekstrom`, `närvaro alla Angelica Öhrn, sakkunnig`.

/** `närvaro <§§> <vem>`: called by the `närvaro` command when it is given more than a meeting. */
export function recordNarvaro(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  // "närvaro 10–11 anna" reads "10–11" into the meeting slot; "närvaro möte X 10–11 anna" into text.
  let meetingRef = cmd.args.meeting;
  let rest = cmd.args.text ?? '';
  if (meetingRef !== undefined && readsAsParagraphs(meetingRef)) {
    rest = `${meetingRef} ${rest}`.trim();
    meetingRef = undefined;
  }
  const m = /^((?:§+\s*)?[\d,–\-\s]+?|\S+)\s+(.+)$/.exec(rest.trim());
  if (!m) return reply(refusal('Skriv: närvaro <paragrafer> <id eller "Namn, befattning">, till exempel: närvaro 10–11 anna.berg'));
  return narvaroHandler({ ...cmd, args: { ...cmd.args, meeting: meetingRef, text: m[1]!.trim(), member: m[2]!.trim() } }, ctx);
}

const NARVARO_FORM: FormSpec = {
  title: 'Registrera närvaro',
  submitLabel: 'Spara',
  lead: 'Vem var med i vilka paragrafer?',
  example: 'närvaro 10–11 amira.haddad (eller: närvaro alla Angelica Öhrn, sakkunnig)',
  member: { label: 'Vem', roles: 'everyone' },
  text: { label: 'Paragrafer', kind: 'text', required: true, placeholder: '10–11, 9, 12–14, alla eller ingen' },
};

/** `närvaro registrera`: the form; its submit, and `närvaro <§§> <vem>` typed, record here. */
const narvaroHandler = recording('protokoll.narvaro', NARVARO_FORM, (args) => !args.member, ({ cmd, ctx, s, fail }) => {
  const { meeting, agenda } = s;
  const spec = cmd.args.text ?? '';
  const who = cmd.args.member!;
  const items = readParagraphs(agenda, spec);
  if (!items.ok) return fail('text', items.reason);
  const person = findMember(ctx.committee, who) ?? findMember(ctx.committee, normalizeWord(who));
  let event: EventPayload;
  let name: string;
  if (person) {
    event = { type: 'narvaro.recorded', meetingId: meeting.id, personId: person.id, items: items.value };
    name = memberLabel(person);
  } else {
    if (/^[a-z0-9][a-z0-9._-]*$/.test(who) && who.includes('.')) return fail('member', `Jag hittar ingen "${who}" i nämndfilen. Skriv id från nämndfilen, eller namn och befattning: närvaro ${spec} Anna Berg, controller`);
    const [personName, ...befattning] = who.split(',').map((x) => x.trim());
    if (!personName || personName.length > 120 || befattning.join(', ').length > 120) return fail('member', 'Skriv namnet och befattningen så här: Anna Berg, controller (högst 120 tecken vardera).');
    event = { type: 'narvaro.recorded', meetingId: meeting.id, name: personName, ...(befattning.length ? { befattning: befattning.join(', ') } : {}), items: items.value };
    name = personName;
  }
  return ack(ctx, `Närvaro för ${meetingName(meeting)}: ${name}, ${keysText(agenda, items.value)}.`, [event]);
});

// `tjänstgör nils.holmgren för amira.haddad 9`

const TJANSTGOR_FORM: FormSpec = {
  title: 'Tjänstgörande ersättare',
  submitLabel: 'Spara',
  lead: 'Vilken ersättare tjänstgjorde för vem, och i vilka paragrafer?',
  example: 'tjänstgör nils.holmgren för amira.haddad 9',
  member: { label: 'Ersättare', roles: ['ersättare'] },
  seat: true,
  text: { label: 'Paragrafer', kind: 'text', required: true, placeholder: '9, 12–14, alla eller ingen' },
};

const recordTjanstgoring = recording('protokoll.tjanstgoring', TJANSTGOR_FORM, (args) => !args.member, ({ cmd, ctx, s, fail }) => {
  const { meeting, agenda } = s;
  const ers = memberArg(ctx.committee, cmd.args.member, 'ersättaren', ['ersättare'], 'ersättare');
  if (!ers.ok) return fail('member', ers.reason);
  // Typed: "för <ledamot> <paragrafer>" in the text; from the form: the ledamot in `id`, the §§ in the text.
  let seatRef = cmd.args.id;
  let spec = (cmd.args.text ?? '').trim();
  if (!cmd.fromForm) {
    const m = /^(?:for|för|i|in)?\s*(\S+)\s+(.+)$/i.exec(spec);
    if (!m) return fail('text', 'Skriv: tjänstgör <ersättare> för <ledamot> <paragrafer>, till exempel: tjänstgör nils.holmgren för amira.haddad 9');
    [seatRef, spec] = [m[1], m[2]!.trim()];
  }
  const seat = memberArg(ctx.committee, seatRef, 'ledamoten', ['ordförande', 'vice ordförande', 'ledamot'], 'ledamot');
  if (!seat.ok) return fail('id', seat.reason);
  const items = readParagraphs(agenda, spec);
  if (!items.ok) return fail('text', items.reason);
  const keys = items.value ?? agenda.items.filter((i) => i.paragraph !== null).map((i) => i.key);
  return ack(
    ctx,
    keys.length
      ? `${memberLabel(ers.value)} ersätter ${memberLabel(seat.value)} ${keysText(agenda, items.value === null ? null : keys)} (${meetingName(meeting)}).`
      : `${memberLabel(ers.value)} tjänstgör inte för ${memberLabel(seat.value)} (${meetingName(meeting)}).`,
    [{ type: 'tjanstgoring.recorded', meetingId: meeting.id, ersattareId: ers.value.id, forMemberId: seat.value.id, items: keys }],
  );
});

// `beslut 8/27 enligt förslag`, `beslut 8/27 återremiss <motivering>`, `beslut 8/27 bordläggs`, `beslut 8/27 <text>`

const FORSLAG = /^(enligt\s+f(ö|o)rslag(et)?|bifall|som\s+f(ö|o)rslaget)\.?$/i;
const ATERREMISS = /^(återremiss|aterremiss|återremitteras|aterremitteras)\b[:.,]?\s*/i;
const BORDLAGG = /^(bordläggs|bordlaggs|bordläggning|bordlaggning)\b[:.,]?\s*/i;

const BESLUT_FORM: FormSpec = {
  title: 'Registrera beslut',
  submitLabel: 'Spara',
  lead: 'Vilket beslut fattade nämnden?',
  example: 'beslut 8/27 enligt förslag',
  outcome: true,
  text: { label: 'Beslutet eller motiveringen', kind: 'textarea', required: false },
};

const recordBeslut = onItem('protokoll.beslut', BESLUT_FORM, ({ cmd, ctx, s, fail }, item) => {
  const ref = cmd.args.item;
  // From the form: the outcome chosen, and the text as the beslut or its motivation.
  const typed = (cmd.args.text ?? '').trim();
  if (cmd.fromForm && FORSLAG.test(cmd.args.kind ?? '') && typed) return fail('text', 'Med beslut enligt förslaget behövs ingen text. Välj "Eget beslut" för att skriva beslutet.');
  const text = cmd.fromForm && cmd.args.kind && cmd.args.kind !== 'text' ? `${cmd.args.kind} ${typed}`.trim() : typed;
  const base = { type: 'beslut.recorded' as const, meetingId: s.meeting.id, itemKey: item.key };
  const name = itemName(item);
  if (!text) return fail(cmd.fromForm && !cmd.args.kind ? 'kind' : 'text', `Skriv beslutet: beslut ${ref} enligt förslag, beslut ${ref} återremiss <motivering>, beslut ${ref} bordläggs, eller beslutet i egna ord.`);
  if (FORSLAG.test(text)) {
    if (item.type === 'arende' && !item.forslagTillBeslut) return fail('kind', `${name} har inget förslag till beslut i nämndfilen. Skriv beslutet i egna ord: beslut ${ref} <text>`);
    return ack(ctx, `${name}: beslut enligt förslaget.`, [{ ...base, outcome: 'enligtForslag' }]);
  }
  if (ATERREMISS.test(text)) {
    const why = text.replace(ATERREMISS, '');
    return ack(ctx, `${name}: ärendet återremitteras.`, [{ ...base, outcome: 'aterremiss', ...(why ? { text: why } : {}) }]);
  }
  if (BORDLAGG.test(text)) {
    const why = text.replace(BORDLAGG, '');
    return ack(ctx, `${name}: ärendet bordläggs.`, [{ ...base, outcome: 'bordlaggning', ...(why ? { text: why } : {}) }]);
  }
  // The text is not repeated: the command may have been typed in a channel.
  return ack(ctx, `${name}: beslutet är sparat med din text.`, [{ ...base, outcome: 'text', text }]);
});

// `votering 8/27 ja 6 nej 3 avstår 0 [text]`

const VOTERING_FORM: FormSpec = {
  title: 'Registrera votering',
  submitLabel: 'Spara',
  lead: 'Hur röstade nämnden?',
  example: 'votering 8/27 ja 6 nej 3 avstår 0',
  text: { label: 'Röster', kind: 'text', required: true, placeholder: 'ja 6 nej 3 avstår 0' },
};

const recordVotering = onItem('protokoll.votering', VOTERING_FORM, ({ cmd, ctx, s, fail }, item) => {
  const m = /^(?:ja\s*)?(\d{1,3})\s*(?:nej\s*)?(\d{1,3})\s*(?:(?:avstår|avstar|avstod)\s*)?(\d{1,3})?\s*(.*)$/i.exec((cmd.args.text ?? '').trim());
  if (!m) return fail('text', `Skriv: votering ${cmd.args.item ?? '8/27'} ja <antal> nej <antal> avstår <antal>, till exempel: votering 8/27 ja 6 nej 3 avstår 0`);
  const [ja, nej, avstar] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const text = m[4]!.trim();
  return ack(ctx, `${itemName(item)}: votering med ${ja} ja, ${nej} nej och ${avstar} som avstod.`, [
    { type: 'votering.recorded', meetingId: s.meeting.id, itemKey: item.key, ja, nej, avstar, ...(text ? { text } : {}) },
  ]);
});

// `reservation 8/27 mikael.oberg [till förmån för eget yrkande]`, `… stryk`

type NoteKind = 'yrkande' | 'reservation' | 'protokollsanteckning';
const NOTE_LABEL = { yrkande: 'Yrkandet', reservation: 'Reservationen', protokollsanteckning: 'Protokollsanteckningen' } as const;

function noteForm(kind: NoteKind, example: string): FormSpec {
  return {
    title: `Registrera ${kind}`,
    submitLabel: 'Spara',
    lead: `Vem lämnade ${kind === 'yrkande' ? 'yrkandet' : kind === 'reservation' ? 'reservationen' : 'protokollsanteckningen'}, och i vilken paragraf?`,
    example,
    member: { label: 'Ledamot', roles: ELECTED_ROLES },
    text: { label: kind === 'reservation' ? 'Text (frivillig, till exempel "till förmån för eget yrkande")' : 'Text', kind: 'textarea', required: kind !== 'reservation' },
  };
}

function noteHandler(name: string, kind: NoteKind, example: string): Handler {
  return onItem(name, noteForm(kind, example), ({ cmd, ctx, s, fail }, item) => {
    const member = memberArg(ctx.committee, cmd.args.member, 'ledamoten', ELECTED_ROLES, 'förtroendevald');
    if (!member.ok) return fail('member', member.reason);
    const text = (cmd.args.text ?? '').trim();
    const base = { type: 'protokoll.noted' as const, meetingId: s.meeting.id, itemKey: item.key, kind, memberId: member.value.id };
    if (['stryk', 'ta bort', 'aterkalla'].includes(normalizeWord(text))) {
      return ack(ctx, `${NOTE_LABEL[kind]} från ${memberLabel(member.value)} i ${itemName(item)} är struken.`, [{ ...base, removed: true }]);
    }
    if (kind !== 'reservation' && !text) return fail('text', `Skriv texten: ${kind} ${cmd.args.item} ${member.value.id} <text>`);
    return ack(ctx, `${NOTE_LABEL[kind]} från ${memberLabel(member.value)} i ${itemName(item)} är sparad.`, [{ ...base, ...(text ? { text } : {}) }]);
  });
}

// `expedieras 8/27 Kultur- och fritidsförvaltningen, Ekonomienheten`

const recordExpediering = onItem(
  'protokoll.expedieras',
  { title: 'Expedieras till', submitLabel: 'Spara', lead: 'Vart ska beslutet skickas?', example: 'expedieras 8/27 Kultur- och fritidsförvaltningen, Ekonomienheten', text: { label: 'Mottagare, med komma emellan', kind: 'text', required: false } },
  ({ cmd, ctx, s, fail }, item) => {
    const recipients = (cmd.args.text ?? '').split(/[;,]|\s+och\s+/).map((x) => x.trim()).filter(Boolean);
    if (recipients.length > 30 || recipients.some((r) => r.length > 200)) return fail('text', 'Högst 30 mottagare med högst 200 tecken vardera.');
    return ack(ctx, recipients.length ? `${itemName(item)}: expedieras till ${recipients.length} mottagare.` : `${itemName(item)}: ingen expediering.`, [
      { type: 'expediering.recorded', meetingId: s.meeting.id, itemKey: item.key, recipients },
    ]);
  },
);

const recordBeskrivning = onItem(
  'protokoll.beskrivning',
  { title: 'Ärendebeskrivning', submitLabel: 'Spara', lead: 'Vad ska stå som ärendebeskrivning i protokollet?', example: 'beskrivning 8/27 Förvaltningen redovisar budgeten för 2027.', text: { label: 'Ärendebeskrivning (tom tar bort den)', kind: 'textarea', required: false } },
  ({ cmd, ctx, s }, item) => {
    const text = (cmd.args.text ?? '').trim();
    return ack(ctx, text ? `${itemName(item)}: ärendebeskrivningen är sparad.` : `${itemName(item)}: ärendebeskrivningen är borttagen.`, [
      { type: 'beskrivning.recorded', meetingId: s.meeting.id, itemKey: item.key, text },
    ]);
  },
);

// `protokoll utan § 23`, `protokoll med § 23`: a § kept out of the public version, or put back.

function exclusion(excluded: boolean): Handler {
  const name = excluded ? 'protokoll.exclude' : 'protokoll.include';
  const spec: FormSpec = excluded
    ? { title: 'Utan i den offentliga versionen', submitLabel: 'Spara', lead: 'Vilken paragraf ska inte stå i den offentliga versionen av protokollet?', example: 'protokoll utan § 23' }
    : { title: 'Med i den offentliga versionen', submitLabel: 'Spara', lead: 'Vilken paragraf ska stå med i den offentliga versionen igen?', example: 'protokoll med § 23' };
  return onItem(name, spec, ({ ctx, s }, item) => {
    const was = ctx.state.minutes.get(s.meeting.id)?.excluded.has(item.key) ?? false;
    const lead = item.type === 'arende' && item.sekretess ? ' Den är ett sekretessärende och står aldrig i den offentliga versionen.' : '';
    if (was === excluded) return reply(toAsker(message(`${itemName(item)} ${excluded ? 'står redan utanför' : 'står redan med i'} den offentliga versionen av protokollet.${lead} Inget ändrades.`)));
    return record(
      [{ type: 'protokoll.excluded', meetingId: s.meeting.id, itemKey: item.key, excluded }],
      toAsker(
        message(
          excluded
            ? `${itemName(item)} står bara i den fullständiga versionen av protokollet, inte i den offentliga.${lead}`
            : `${itemName(item)} står med i den offentliga versionen av protokollet igen.${lead}`,
        ),
      ),
    );
  });
}

type Row = [name: string, words: string[], sub: string[], args: CommandDef['args'], usage: string, example: string, summary: string, handle: Handler | NoteKind];

/** The recording commands, for the registry (through `protokollCommands`); all the secretary's. */
export const recordingCommands: CommandDef[] = (
  [
    ['protokoll.narvaro', ['narvaro'], ['registrera', 'ny'], ['member', 'text'], 'närvaro registrera', 'närvaro registrera', 'ger ett formulär för närvaron (i chatten går också: närvaro 10–11 amira.haddad)', narvaroHandler],
    ['protokoll.tjanstgoring', ['tjanstgor', 'tjanstgoring'], [], ['member', 'text'], 'tjänstgör <ersättare> för <ledamot> <paragrafer>', 'tjänstgör nils.holmgren för amira.haddad 9', 'registrerar att en ersättare tjänstgjorde i en ledamots ställe i vissa paragrafer', recordTjanstgoring],
    ['protokoll.beslut', ['beslut'], [], ['item', 'text'], 'beslut <ärende> enligt förslag | återremiss [motivering] | bordläggs | <beslutstext>', 'beslut 8/27 enligt förslag', 'registrerar nämndens beslut i ett ärende', recordBeslut],
    ['protokoll.votering', ['votering'], [], ['item', 'text'], 'votering <ärende> ja <antal> nej <antal> avstår <antal> [text]', 'votering 8/27 ja 6 nej 3 avstår 0', 'registrerar en votering med antalet röster', recordVotering],
    ['protokoll.yrkande', ['yrkande'], [], ['item', 'member', 'text'], 'yrkande <ärende> <ledamot> <yrkandet>', 'yrkande 8/27 mikael.oberg avslag på förslaget', 'registrerar ett yrkande', 'yrkande'],
    ['protokoll.reservation', ['reservation', 'reserverar'], [], ['item', 'member', 'text'], 'reservation <ärende> <ledamot> [text] (stryk: tar bort)', 'reservation 8/27 mikael.oberg till förmån för eget yrkande', 'registrerar en reservation mot beslutet', 'reservation'],
    ['protokoll.anteckning', ['protokollsanteckning', 'anteckning'], [], ['item', 'member', 'text'], 'protokollsanteckning <ärende> <ledamot> <text>', 'protokollsanteckning 8/27 amira.haddad Vi välkomnar satsningen.', 'registrerar en protokollsanteckning (med nämndens medgivande)', 'protokollsanteckning'],
    ['protokoll.expedieras', ['expedieras', 'expediering'], [], ['item', 'text'], 'expedieras <ärende> <mottagare, mottagare …>', 'expedieras 8/27 Kultur- och fritidsförvaltningen, Ekonomienheten', 'registrerar vart beslutet ska skickas', recordExpediering],
    ['protokoll.beskrivning', ['beskrivning', 'arendebeskrivning'], [], ['item', 'text'], 'beskrivning <ärende> <text>', 'beskrivning 8/27 Förvaltningen redovisar budgeten för 2027.', 'lägger in ärendebeskrivningen som står i protokollet', recordBeskrivning],
    ['protokoll.exclude', ['protokoll', 'protokollet'], ['utan', 'utelamna'], ['item'], 'protokoll utan <paragraf>', 'protokoll utan § 23', 'håller en paragraf utanför den offentliga versionen av protokollet (den fullständiga behåller den)', exclusion(true)],
    ['protokoll.include', ['protokoll', 'protokollet'], ['med'], ['item'], 'protokoll med <paragraf>', 'protokoll med § 23', 'tar med en paragraf i den offentliga versionen av protokollet igen', exclusion(false)],
  ] satisfies Row[]
).map(([name, words, sub, args, usage, example, summary, handle]) => ({
  name,
  words,
  sub,
  args,
  roles: SECRETARY,
  usage,
  example,
  summary,
  handle: typeof handle === 'string' ? noteHandler(name, handle, example) : handle,
}));

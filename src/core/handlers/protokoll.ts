/**
 * During and after the meeting: the secretary records the meeting as it happened (närvaro per §,
 * tjänstgörande ersättare, beslut, votering, yrkanden, reservationer, protokollsanteckningar,
 * expediering, ärendebeskrivning), asks for the protokoll draft (`protokoll`), and sends it to
 * the ordförande and the justerare (`protokoll klart`), who may answer with a comment.
 *
 * Every § is named by its number and löpnummer in replies, never by a sekretess title, and a
 * reply never repeats a beslut text: a command typed in a channel gets nothing secret back.
 * The documents, which hold everything, go privately to the secretary after the record is durable.
 */
import type { Agenda, AgendaItem } from '../../domain/agenda';
import { findMember, memberLabel, type Committee, type Meeting, type Member } from '../../domain/committee';
import { buildProtokoll, channelSafeProtokoll, diffProtokoll, paragraphsText, type Protokoll } from '../../domain/protokoll';
import type { EventPayload } from '../../domain/records';
import { activeDeclarations, activeForhinder, changesMinutes, emptyMinutes, questionsFor, type CommitteeState, type MinutesEvent } from '../../domain/state';
import { normalizeWord } from '../../domain/text';
import { formatDateLong, stockholmDate } from '../../domain/time';
import { ELECTED, SECRETARY } from '../commands';
import { record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, header, list, message, paragraph, type Part } from '../message';
import { toAsker, toMember, type Outgoing } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findItem, findMeeting, meetingName, meetingsByDate } from '../refs';
import { buildDraft, planParagraphs } from './agenda';
import { actionValue, refusal } from './common';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

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

/** The protokoll model of a meeting from the folded state. */
export function protokollFor(committee: Committee, state: CommitteeState, meeting: Meeting, agenda = agendaForMinutes(committee, state, meeting)): Protokoll {
  const j = state.justering.get(meeting.id);
  return buildProtokoll({
    committee,
    agenda,
    minutes: state.minutes.get(meeting.id) ?? emptyMinutes(),
    jav: activeDeclarations(state, meeting.id).map((d) => ({ memberId: d.memberId, lopnummer: d.lopnummer })),
    forhinder: activeForhinder(state, meeting.id).map((f) => ({ memberId: f.memberId, lopnummer: f.lopnummer })),
    acceptedAsks: [...state.ersattareAsks.values()]
      .filter((a) => a.meetingId === meeting.id && a.status === 'accepted')
      .map((a) => ({ ersattareId: a.ersattareId, memberId: a.memberId, lopnummer: a.lopnummer })),
    questions: questionsFor(state, meeting.id).filter((q) => q.status === 'godkänd').map((q) => ({ memberId: q.memberId, text: q.text })),
    ...(j ? { justering: { justerare: j.justerare, dueDate: j.dueDate, signedAt: j.signedAt, ...(j.anslagPostedDate ? { anslagPostedDate: j.anslagPostedDate } : {}) } } : {}),
  });
}

/** "§ 24 (8/27)" or "§ 18 Val av justerare": never a sekretess title. */
function itemName(item: AgendaItem): string {
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

function keysText(agenda: Agenda, keys: string[] | null): string {
  if (keys === null) return 'hela sammanträdet';
  if (keys.length === 0) return 'inte närvarande';
  return paragraphsText(agenda.items.filter((i) => keys.includes(i.key)).map((i) => i.paragraph!));
}

interface Scope {
  meeting: Meeting;
  agenda: Agenda;
}

function scope(cmd: ParsedCommand, ctx: HandlerContext): Result<Scope> {
  const found = meetingForMinutes(ctx.committee, cmd.args.meeting, ctx.now);
  if (!found.ok) return found;
  return { ok: true, value: { meeting: found.value, agenda: agendaForMinutes(ctx.committee, ctx.state, found.value) } };
}

/** Records `event` and says `text`; the same record again (a retry) is said to be there already. */
function ack(ctx: HandlerContext, text: string, events: MinutesEvent[]): Decision {
  if (!events.some((e) => changesMinutes(ctx.state, e))) return reply(toAsker(message(`Redan sparat: ${text} Inget ändrades.`)));
  return record(events, toAsker(message(text)));
}

function memberArg(committee: Committee, id: string | undefined, what: string): Result<Member> {
  if (!id) return { ok: false, reason: `Ange ${what} med id från nämndfilen, till exempel ${committee.members.find((m) => m.role === 'ledamot')?.id ?? 'anna.berg'}.` };
  const m = findMember(committee, normalizeWord(id)) ?? findMember(committee, id);
  return m ? { ok: true, value: m } : { ok: false, reason: `Jag hittar ingen "${id}" i nämndfilen. "vilka" visar allas id.` };
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
  const s = scope({ ...cmd, args: { ...cmd.args, ...(meetingRef ? { meeting: meetingRef } : {}), ...(meetingRef ? {} : { meeting: undefined }) } }, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const m = /^((?:§+\s*)?[\d,–\-\s]+?|\S+)\s+(.+)$/.exec(rest.trim());
  if (!m) return reply(refusal('Skriv: närvaro <paragrafer> <id eller "Namn, befattning">, till exempel: närvaro 10–11 anna.berg'));
  const spec = m[1]!.trim();
  const who = m[2]!.trim();
  const items = readParagraphs(agenda, spec);
  if (!items.ok) return reply(refusal(items.reason));
  const person = findMember(ctx.committee, who) ?? findMember(ctx.committee, normalizeWord(who));
  let event: EventPayload;
  let name: string;
  if (person) {
    event = { type: 'narvaro.recorded', meetingId: meeting.id, personId: person.id, items: items.value };
    name = memberLabel(person);
  } else {
    if (/^[a-z0-9][a-z0-9._-]*$/.test(who) && who.includes('.')) return reply(refusal(`Jag hittar ingen "${who}" i nämndfilen. Skriv id från nämndfilen, eller namn och befattning: närvaro ${spec} Anna Berg, controller`));
    const [personName, ...befattning] = who.split(',').map((x) => x.trim());
    if (!personName || personName.length > 120 || befattning.join(', ').length > 120) return reply(refusal('Skriv namnet och befattningen så här: Anna Berg, controller (högst 120 tecken vardera).'));
    event = { type: 'narvaro.recorded', meetingId: meeting.id, name: personName, ...(befattning.length ? { befattning: befattning.join(', ') } : {}), items: items.value };
    name = personName;
  }
  return ack(ctx, `Närvaro för ${meetingName(meeting)}: ${name}, ${keysText(agenda, items.value)}.`, [event]);
}

export function readsAsParagraphs(s: string): boolean {
  const w = normalizeWord(s);
  return ALL_WORDS.includes(w) || NONE_WORDS.includes(w) || /^§+$/.test(s) || /^§*\d{1,4}([–-]\d{1,4})?(,\d{1,4}([–-]\d{1,4})?)*,?$/.test(s.replace(/\s+/g, ''));
}

// `tjänstgör nils.holmgren för amira.haddad 9`

function recordTjanstgoring(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const ers = memberArg(ctx.committee, cmd.args.member, 'ersättaren');
  if (!ers.ok) return reply(refusal(ers.reason));
  if (ers.value.role !== 'ersättare') return reply(refusal(`${memberLabel(ers.value)} är inte ersättare i nämnden.`));
  const m = /^(?:for|för|i|in)?\s*(\S+)\s+(.+)$/i.exec((cmd.args.text ?? '').trim());
  if (!m) return reply(refusal('Skriv: tjänstgör <ersättare> för <ledamot> <paragrafer>, till exempel: tjänstgör nils.holmgren för amira.haddad 9'));
  const seat = memberArg(ctx.committee, m[1], 'ledamoten');
  if (!seat.ok) return reply(refusal(seat.reason));
  if (!['ordförande', 'vice ordförande', 'ledamot'].includes(seat.value.role)) return reply(refusal(`${memberLabel(seat.value)} är inte ledamot i nämnden.`));
  const items = readParagraphs(agenda, m[2]!.trim());
  if (!items.ok) return reply(refusal(items.reason));
  const keys = items.value ?? agenda.items.filter((i) => i.paragraph !== null).map((i) => i.key);
  return ack(
    ctx,
    keys.length
      ? `${memberLabel(ers.value)} ersätter ${memberLabel(seat.value)} ${keysText(agenda, items.value === null ? null : keys)} (${meetingName(meeting)}).`
      : `${memberLabel(ers.value)} tjänstgör inte för ${memberLabel(seat.value)} (${meetingName(meeting)}).`,
    [{ type: 'tjanstgoring.recorded', meetingId: meeting.id, ersattareId: ers.value.id, forMemberId: seat.value.id, items: keys }],
  );
}

// `beslut 8/27 enligt förslag`, `beslut 8/27 återremiss <motivering>`, `beslut 8/27 bordläggs`, `beslut 8/27 <text>`

const FORSLAG = /^(enligt\s+f(ö|o)rslag(et)?|bifall|som\s+f(ö|o)rslaget)\.?$/i;
const ATERREMISS = /^(återremiss|aterremiss|återremitteras|aterremitteras)\b[:.,]?\s*/i;
const BORDLAGG = /^(bordläggs|bordlaggs|bordläggning|bordlaggning)\b[:.,]?\s*/i;

function recordBeslut(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const item = resolveItem(agenda, meeting, cmd.args.item);
  if (!item.ok) return reply(refusal(item.reason));
  const text = (cmd.args.text ?? '').trim();
  const base = { type: 'beslut.recorded' as const, meetingId: meeting.id, itemKey: item.value.key };
  const name = itemName(item.value);
  if (!text) return reply(refusal(`Skriv beslutet: beslut ${cmd.args.item} enligt förslag, beslut ${cmd.args.item} återremiss <motivering>, beslut ${cmd.args.item} bordläggs, eller beslutet i egna ord.`));
  if (FORSLAG.test(text)) {
    if (item.value.type === 'arende' && !item.value.forslagTillBeslut) return reply(refusal(`${name} har inget förslag till beslut i nämndfilen. Skriv beslutet i egna ord: beslut ${cmd.args.item} <text>`));
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
}

// `votering 8/27 ja 6 nej 3 avstår 0 [text]`

function recordVotering(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const item = resolveItem(agenda, meeting, cmd.args.item);
  if (!item.ok) return reply(refusal(item.reason));
  const m = /^(?:ja\s*)?(\d{1,3})\s*(?:nej\s*)?(\d{1,3})\s*(?:(?:avstår|avstar|avstod)\s*)?(\d{1,3})?\s*(.*)$/i.exec((cmd.args.text ?? '').trim());
  if (!m) return reply(refusal(`Skriv: votering ${cmd.args.item ?? '8/27'} ja <antal> nej <antal> avstår <antal>, till exempel: votering 8/27 ja 6 nej 3 avstår 0`));
  const [ja, nej, avstar] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const text = m[4]!.trim();
  return ack(ctx, `${itemName(item.value)}: votering med ${ja} ja, ${nej} nej och ${avstar} som avstod.`, [
    { type: 'votering.recorded', meetingId: meeting.id, itemKey: item.value.key, ja, nej, avstar, ...(text ? { text } : {}) },
  ]);
}

// `reservation 8/27 mikael.oberg [till förmån för eget yrkande]`, `… stryk`

const NOTE_LABEL = { yrkande: 'Yrkandet', reservation: 'Reservationen', protokollsanteckning: 'Protokollsanteckningen' } as const;

function noteHandler(kind: 'yrkande' | 'reservation' | 'protokollsanteckning') {
  return (cmd: ParsedCommand, ctx: HandlerContext): Decision => {
    const s = scope(cmd, ctx);
    if (!s.ok) return reply(refusal(s.reason));
    const { meeting, agenda } = s.value;
    const item = resolveItem(agenda, meeting, cmd.args.item);
    if (!item.ok) return reply(refusal(item.reason));
    const member = memberArg(ctx.committee, cmd.args.member, 'ledamoten');
    if (!member.ok) return reply(refusal(member.reason));
    if (!['ordförande', 'vice ordförande', 'ledamot', 'ersättare'].includes(member.value.role)) return reply(refusal(`${memberLabel(member.value)} är inte förtroendevald i nämnden.`));
    const text = (cmd.args.text ?? '').trim();
    const base = { type: 'protokoll.noted' as const, meetingId: meeting.id, itemKey: item.value.key, kind, memberId: member.value.id };
    if (['stryk', 'ta bort', 'aterkalla'].includes(normalizeWord(text))) {
      return ack(ctx, `${NOTE_LABEL[kind]} från ${memberLabel(member.value)} i ${itemName(item.value)} är struken.`, [{ ...base, removed: true }]);
    }
    if (kind !== 'reservation' && !text) return reply(refusal(`Skriv texten: ${kind} ${cmd.args.item} ${member.value.id} <text>`));
    return ack(ctx, `${NOTE_LABEL[kind]} från ${memberLabel(member.value)} i ${itemName(item.value)} är sparad.`, [{ ...base, ...(text ? { text } : {}) }]);
  };
}

// `expedieras 8/27 Kultur- och fritidsförvaltningen, Ekonomienheten`

function recordExpediering(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const item = resolveItem(agenda, meeting, cmd.args.item);
  if (!item.ok) return reply(refusal(item.reason));
  const recipients = (cmd.args.text ?? '').split(/[;,]|\s+och\s+/).map((x) => x.trim()).filter(Boolean);
  if (recipients.length > 30 || recipients.some((r) => r.length > 200)) return reply(refusal('Högst 30 mottagare med högst 200 tecken vardera.'));
  return ack(
    ctx,
    recipients.length ? `${itemName(item.value)}: expedieras till ${recipients.length} ${recipients.length === 1 ? 'mottagare' : 'mottagare'}.` : `${itemName(item.value)}: ingen expediering.`,
    [{ type: 'expediering.recorded', meetingId: meeting.id, itemKey: item.value.key, recipients }],
  );
}

function recordBeskrivning(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const item = resolveItem(agenda, meeting, cmd.args.item);
  if (!item.ok) return reply(refusal(item.reason));
  const text = (cmd.args.text ?? '').trim();
  return ack(ctx, text ? `${itemName(item.value)}: ärendebeskrivningen är sparad.` : `${itemName(item.value)}: ärendebeskrivningen är borttagen.`, [
    { type: 'beskrivning.recorded', meetingId: meeting.id, itemKey: item.value.key, text },
  ]);
}

// ---------------------------------------------------------------------------------------------
// `protokoll [möte <datum>]`: the draft, with versions and a diff.

function safeDiff(previous: Record<string, unknown>, next: Protokoll): string[] {
  try {
    return diffProtokoll(channelSafeProtokoll(previous as unknown as Protokoll), next);
  } catch {
    return ['Förra versionen kunde inte jämföras med den här.'];
  }
}

function protokollFiles(ctx: HandlerContext, protokoll: Protokoll, version: number, to: (m: ReturnType<typeof message> & { sekretess?: boolean }) => Outgoing, lead: string): (() => Promise<Outgoing[]>) | undefined {
  const renderer = ctx.renderer;
  if (!renderer?.renderProtokoll) return undefined;
  const committee = ctx.committee;
  return async () => {
    const files = await renderer.renderProtokoll!(protokoll, committee);
    const name = `${files.baseName}-v${version}`;
    // The private documents hold sekretess §§ in full: only ever to one person, privately.
    return [
      to({
        text: `${lead} ${name}.docx (Word) och ${name}.md.`,
        parts: [
          { kind: 'file', name: `${name}.docx`, mediaType: DOCX, bytes: files.docx },
          { kind: 'file', name: `${name}.md`, mediaType: 'text/markdown; charset=utf-8', bytes: new TextEncoder().encode(files.markdown) },
        ],
        sekretess: protokoll.paragraphs.some((p) => p.sekretess),
      }),
    ];
  };
}

export function draftProtokoll(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting, agenda } = s.value;
  const protokoll = protokollFor(ctx.committee, ctx.state, meeting, agenda);
  const safe = channelSafeProtokoll(protokoll);
  const previous = ctx.state.minutes.get(meeting.id)?.draft;
  // Nothing changed since the last version (asked again, or a retry): that version again, with its
  // documents, and no new one.
  const unchanged = previous !== undefined && JSON.stringify(previous.protokoll) === JSON.stringify(protokoll);
  const version = unchanged ? previous.version : (previous?.version ?? 0) + 1;
  const changes = previous ? safeDiff(previous.protokoll, safe) : [];
  const secret = protokoll.paragraphs.filter((p) => p.sekretess).length;
  const parts: Part[] = [
    header(`${safe.heading.committee}: protokoll ${safe.heading.dateText}`),
    fields(
      { label: 'Paragrafer', value: protokoll.paragrafer.replace(/^Paragraf /, '') },
      { label: 'Version', value: String(version) },
      ...(secret ? [{ label: 'Sekretess', value: `${secret} ${secret === 1 ? 'paragraf' : 'paragrafer'} bara i den privata versionen (offentlig: ${safe.paragrafer})` }] : []),
    ),
    list(safe.narvaro.ledamoter, 'Närvarande ledamöter'),
    ...(safe.narvaro.tjanstgorandeErsattare.length ? [list(safe.narvaro.tjanstgorandeErsattare, 'Tjänstgörande ersättare')] : []),
    ...(safe.narvaro.ersattare.length ? [list(safe.narvaro.ersattare, 'Närvarande ersättare')] : []),
    ...(safe.narvaro.ovriga.length ? [list(safe.narvaro.ovriga, 'Övriga närvarande')] : []),
  ];
  if (unchanged) parts.push(paragraph(`Inget har ändrats sedan version ${previous.version}, så ingen ny version sparades.`));
  else if (previous) parts.push(changes.length ? list(changes, `Ändrat sedan version ${previous.version}`) : paragraph(`Inget har ändrats sedan version ${previous.version}.`));
  if (safe.warnings.length) parts.push(list(safe.warnings, 'Att titta på'));
  if (!ctx.renderer?.renderProtokoll) parts.push(paragraph('Dokumenten kan inte skapas här; be IT-avdelningen se över mallarna.'));
  const after = protokollFiles(ctx, protokoll, version, toAsker, `Protokollet, version ${version}:`);
  return {
    events: unchanged ? [] : [{ type: 'protokoll.drafted', meetingId: meeting.id, version, protokoll: protokoll as unknown as Record<string, unknown> }],
    replies: [toAsker(message(`Utkast ${version} till protokoll för ${meetingName(meeting)} (${safe.paragrafer}).`, ...parts))],
    ...(after ? { after } : {}),
  };
}

/**
 * `protokoll klart`: the latest draft goes to the ordförande and the justerare privately, with
 * the "Justerat" button; they may answer `kommentar <text>`, which reaches the secretary.
 */
function sendForJustering(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const s = scope(cmd, ctx);
  if (!s.ok) return reply(refusal(s.reason));
  const { meeting } = s.value;
  const { committee, state } = ctx;
  const minutes = state.minutes.get(meeting.id);
  const draft = minutes?.draft;
  if (!draft) return reply(refusal(`Det finns inget utkast till protokoll för ${meetingName(meeting)}. Skriv först: protokoll möte ${meeting.date}`));
  const j = state.justering.get(meeting.id);
  if (!j || j.justerare.length === 0) return reply(refusal(`Justerarna för ${meetingName(meeting)} är inte inlagda. Skriv först: justering ${meeting.date} <justerare>`));
  const chair = committee.members.find((m) => m.role === 'ordförande');
  const recipients = [...j.justerare, ...(chair && !j.justerare.includes(chair.id) ? [chair.id] : [])];
  // This version already went to these people (a retry): they are not sent it twice.
  if (minutes?.sent?.version === draft.version && minutes.sent.recipients.join() === recipients.join()) {
    return reply(toAsker(message(`Protokollet (version ${draft.version}) är redan skickat för justering till ${recipients.map((id) => labelOf(committee, id)).join(', ')}. Inget ändrades.`)));
  }
  const protokoll = draft.protokoll as unknown as Protokoll;
  const sentences = [`${committee.name}: protokollet från ${meetingName(meeting)} är klart för justering (version ${draft.version}).`, `Justera senast ${formatDateLong(j.dueDate)}.`];
  const button = buttons({ label: 'Justerat', actionId: 'justering.sign', value: actionValue(committee, { meeting: meeting.id }), command: `justerat ${meeting.date}`, style: 'primary' });
  const hint = paragraph(`Har du synpunkter, svara: kommentar ${meeting.date} <text>, till exempel "kommentar ${meeting.date} § ${protokoll.paragraphs.find((p) => p.type === 'arende')?.paragraph ?? 9} ska vara …". Sekreteraren får den.`);
  const replies: Outgoing[] = [
    toAsker(message(`Protokollet (version ${draft.version}) är skickat för justering till ${recipients.map((id) => labelOf(committee, id)).join(', ')}.`)),
    ...recipients.map((id) => toMember(committee.id, id, message(sentences[0]!, header(`Protokoll ${meetingName(meeting)}`), paragraph(sentences[1]!), hint, button))),
  ];
  const renderer = ctx.renderer;
  const after = renderer?.renderProtokoll
    ? async () => {
        const out: Outgoing[] = [];
        for (const id of recipients) {
          const send = protokollFiles(ctx, protokoll, draft.version, (m) => toMember(committee.id, id, m), 'Protokollet att justera:');
          if (send) out.push(...(await send()));
        }
        return out;
      }
    : undefined;
  return { events: [{ type: 'protokoll.sent', meetingId: meeting.id, version: draft.version, recipients }], replies, ...(after ? { after } : {}) };
}

function labelOf(committee: Committee, id: string): string {
  const m = findMember(committee, id);
  return m ? memberLabel(m) : id;
}

/** `kommentar [möte] <text>`: a justerare's or the ordförande's comment on the draft, to the secretary. */
function commentProtokoll(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, member } = ctx;
  let meeting: Meeting | undefined;
  let text = (cmd.args.text ?? '').trim();
  const named = cmd.args.meeting ? findMeeting(committee, cmd.args.meeting, ctx.now) : undefined;
  if (named?.ok) meeting = named.value;
  else {
    // "kommentar § 9 ska vara …": the first word was not a meeting but the start of the comment.
    if (cmd.args.meeting) text = `${cmd.args.meeting} ${text}`.trim();
    // The latest meeting whose protokoll was sent to this member.
    meeting = [...meetingsByDate(committee)].reverse().find((m) => state.minutes.get(m.id)?.sent?.recipients.includes(member.id));
  }
  if (!meeting) return reply(refusal('Det finns inget protokoll som väntar på din justering. Ange mötet: kommentar ÅÅÅÅ-MM-DD <text>'));
  const sent = state.minutes.get(meeting.id)?.sent;
  if (!sent?.recipients.includes(member.id)) return reply(refusal(`Protokollet från ${meetingName(meeting)} har inte skickats till dig för justering.`));
  if (!text) return reply(refusal(`Skriv kommentaren: kommentar ${meeting.date} <text>`));
  if (text.length > 2000) return reply(refusal('Kommentaren får vara högst 2000 tecken.'));
  // The same comment on the same sending again (a retry) reaches the secretary once.
  if (state.minutes.get(meeting.id)?.comments.some((c) => c.memberId === member.id && c.text === text && c.at >= sent.at)) {
    return reply(toAsker(message(`Din kommentar om protokollet från ${meetingName(meeting)} är redan skickad till sekreteraren. Inget ändrades.`)));
  }
  const secretaries = committee.members.filter((m) => m.role === 'sekreterare');
  return record(
    [{ type: 'protokoll.commented', meetingId: meeting.id, memberId: member.id, text }],
    toAsker(message(`Tack. Din kommentar om protokollet från ${meetingName(meeting)} är skickad till sekreteraren.`)),
    // The comment may name a sekretess §'s content: it goes to the secretary privately only.
    ...secretaries.map((s) => toMember(committee.id, s.id, { ...message(`${memberLabel(member)} har en kommentar om protokollet från ${meetingName(meeting!)} (version ${sent.version}):`, paragraph(text)), sekretess: true })),
  );
}

export const protokollCommands: CommandDef[] = [
  {
    name: 'protokoll.draft',
    words: ['protokoll', 'protokollet', 'minutes'],
    sub: [],
    args: ['meeting'],
    roles: SECRETARY,
    usage: 'protokoll [möte <datum>]',
    example: 'protokoll möte 2027-01-21',
    summary: 'bygger ett utkast till protokoll från det som registrerats under mötet, med Word-fil',
    handle: draftProtokoll,
  },
  {
    name: 'protokoll.send',
    words: ['protokoll', 'protokollet'],
    sub: ['klart', 'skicka', 'till justering'],
    args: ['meeting'],
    roles: SECRETARY,
    usage: 'protokoll klart [möte <datum>]',
    example: 'protokoll klart möte 2027-01-21',
    summary: 'skickar senaste utkastet till ordföranden och justerarna med knappen Justerat',
    handle: sendForJustering,
  },
  {
    name: 'protokoll.tjanstgoring',
    words: ['tjanstgor', 'tjanstgoring'],
    sub: [],
    args: ['member', 'text'],
    roles: SECRETARY,
    usage: 'tjänstgör <ersättare> för <ledamot> <paragrafer>',
    example: 'tjänstgör nils.holmgren för amira.haddad 9',
    summary: 'registrerar att en ersättare tjänstgjorde i en ledamots ställe i vissa paragrafer',
    handle: recordTjanstgoring,
  },
  {
    name: 'protokoll.beslut',
    words: ['beslut'],
    sub: [],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'beslut <ärende> enligt förslag | återremiss [motivering] | bordläggs | <beslutstext>',
    example: 'beslut 8/27 enligt förslag',
    summary: 'registrerar nämndens beslut i ett ärende',
    handle: recordBeslut,
  },
  {
    name: 'protokoll.votering',
    words: ['votering'],
    sub: [],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'votering <ärende> ja <antal> nej <antal> avstår <antal> [text]',
    example: 'votering 8/27 ja 6 nej 3 avstår 0',
    summary: 'registrerar en votering med antalet röster',
    handle: recordVotering,
  },
  {
    name: 'protokoll.yrkande',
    words: ['yrkande'],
    sub: [],
    args: ['item', 'member', 'text'],
    roles: SECRETARY,
    usage: 'yrkande <ärende> <ledamot> <yrkandet>',
    example: 'yrkande 8/27 mikael.oberg avslag på förslaget',
    summary: 'registrerar ett yrkande',
    handle: noteHandler('yrkande'),
  },
  {
    name: 'protokoll.reservation',
    words: ['reservation', 'reserverar'],
    sub: [],
    args: ['item', 'member', 'text'],
    roles: SECRETARY,
    usage: 'reservation <ärende> <ledamot> [text] (stryk: tar bort)',
    example: 'reservation 8/27 mikael.oberg till förmån för eget yrkande',
    summary: 'registrerar en reservation mot beslutet',
    handle: noteHandler('reservation'),
  },
  {
    name: 'protokoll.anteckning',
    words: ['protokollsanteckning', 'anteckning'],
    sub: [],
    args: ['item', 'member', 'text'],
    roles: SECRETARY,
    usage: 'protokollsanteckning <ärende> <ledamot> <text>',
    example: 'protokollsanteckning 8/27 amira.haddad Vi välkomnar satsningen.',
    summary: 'registrerar en protokollsanteckning (med nämndens medgivande)',
    handle: noteHandler('protokollsanteckning'),
  },
  {
    name: 'protokoll.expedieras',
    words: ['expedieras', 'expediering'],
    sub: [],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'expedieras <ärende> <mottagare, mottagare …>',
    example: 'expedieras 8/27 Kultur- och fritidsförvaltningen, Ekonomienheten',
    summary: 'registrerar vart beslutet ska skickas',
    handle: recordExpediering,
  },
  {
    name: 'protokoll.beskrivning',
    words: ['beskrivning', 'arendebeskrivning'],
    sub: [],
    args: ['item', 'text'],
    roles: SECRETARY,
    usage: 'beskrivning <ärende> <text>',
    example: 'beskrivning 8/27 Förvaltningen redovisar budgeten för 2027.',
    summary: 'lägger in ärendebeskrivningen som står i protokollet',
    handle: recordBeskrivning,
  },
  {
    name: 'protokoll.kommentar',
    words: ['kommentar'],
    sub: [],
    args: ['meeting', 'text'],
    roles: [...ELECTED],
    usage: 'kommentar [möte] <text>',
    example: 'kommentar 2027-01-21 § 9 ska vara enligt förslaget',
    summary: 'justerare och ordförande: skickar en synpunkt på protokollet till sekreteraren',
    handle: commentProtokoll,
  },
];

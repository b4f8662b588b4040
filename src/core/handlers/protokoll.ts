/**
 * After the meeting: the secretary asks for the protokoll draft (`protokoll`) built from what was
 * recorded during it (protokoll-record.ts), and sends it to the ordförande and the justerare
 * (`protokoll klart`), who may answer with a comment.
 *
 * Every § is named by its number and löpnummer in replies, never by a sekretess title, and a
 * reply never repeats a beslut text: a command typed in a channel gets nothing secret back.
 * The documents, which hold everything, go privately to the secretary after the record is durable.
 */
import { findMember, memberLabel, type Committee, type Meeting } from '../../domain/committee';
import { buildProtokoll, channelSafeProtokoll, diffProtokoll, paragraphsText, type Protokoll } from '../../domain/protokoll';
import { activeDeclarations, activeForhinder, emptyMinutes, questionsFor, type CommitteeState } from '../../domain/state';
import { formatDateLong } from '../../domain/time';
import { ELECTED, SECRETARY } from '../commands';
import { record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, header, list, message, paragraph, type Message, type Part } from '../message';
import { toAsker, toMember, type Outgoing } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, meetingName, meetingsByDate } from '../refs';
import { actionValue, refusal } from './common';
import { agendaForMinutes, recordingCommands, scope } from './protokoll-record';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export { readsAsParagraphs, recordNarvaro } from './protokoll-record';

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


// ---------------------------------------------------------------------------------------------
// `protokoll [möte <datum>]`: the draft, with versions and a diff.

function safeDiff(previous: Record<string, unknown>, next: Protokoll): string[] {
  try {
    return diffProtokoll(channelSafeProtokoll(previous as unknown as Protokoll), next);
  } catch {
    return ['Förra versionen kunde inte jämföras med den här.'];
  }
}

/**
 * The documents of one version, rendered once the draft is recorded. With `withPublic`, and a §
 * left out of the public version (sekretess, or `protokoll utan`), the public version comes too.
 */
function protokollFiles(ctx: HandlerContext, protokoll: Protokoll, version: number, to: (m: Message) => Outgoing, lead: string, withPublic = false): (() => Promise<Outgoing[]>) | undefined {
  const renderer = ctx.renderer;
  if (!renderer?.renderProtokoll) return undefined;
  const committee = ctx.committee;
  const open = channelSafeProtokoll(protokoll);
  const leftOut = protokoll.paragraphs.filter((p) => p.sekretess || p.excluded);
  return async () => {
    const files = await renderer.renderProtokoll!(protokoll, committee);
    const name = `${files.baseName}-v${version}`;
    const parts: Part[] = [docxFile(`${name}.docx`, files.docx), markdownFile(`${name}.md`, files.markdown)];
    let text = `${lead} ${name}.docx (Word) och ${name}.md.`;
    if (withPublic && leftOut.length) {
      const pub = await renderer.renderProtokoll!(open, committee);
      parts.push(docxFile(`${name}-offentlig.docx`, pub.docx), markdownFile(`${name}-offentlig.md`, pub.markdown));
      text += ` Den offentliga versionen, utan ${paragraphsText(leftOut.map((p) => p.paragraph))}: ${name}-offentlig.docx och ${name}-offentlig.md.`;
    }
    // The full documents hold sekretess §§ in full: only ever to one person, privately.
    return [to({ text, parts, sekretess: protokoll.paragraphs.some((p) => p.sekretess) })];
  };
}

const docxFile = (name: string, bytes: Uint8Array): Part => ({ kind: 'file', name, mediaType: DOCX, bytes });
const markdownFile = (name: string, text: string): Part => ({ kind: 'file', name, mediaType: 'text/markdown; charset=utf-8', bytes: new TextEncoder().encode(text) });

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
  const leftOut = protokoll.paragraphs.filter((p) => p.excluded && !p.sekretess).map((p) => p.paragraph);
  const parts: Part[] = [
    header(`${safe.heading.committee}: protokoll ${safe.heading.dateText}`),
    fields(
      { label: 'Paragrafer', value: protokoll.paragrafer.replace(/^Paragraf /, '') },
      { label: 'Version', value: String(version) },
      ...(secret ? [{ label: 'Sekretess', value: `${secret} ${secret === 1 ? 'paragraf' : 'paragrafer'} bara i den privata versionen (offentlig: ${safe.paragrafer})` }] : []),
      ...(leftOut.length ? [{ label: 'Utanför den offentliga versionen', value: `${paragraphsText(leftOut)} (ta med igen: protokoll med § ${leftOut[0]})` }] : []),
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
  const after = protokollFiles(ctx, protokoll, version, toAsker, `Protokollet, version ${version}:`, true);
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
  ...recordingCommands,
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

/**
 * The records export for the diarium: every declaration, withdrawal, övrig fråga and decision
 * with who, when and through which channel. Pure: events and the committee in, rows out.
 * Sekretess ärenden are named by löpnummer only.
 */
import { stringify } from 'csv-stringify/sync';
import { findMember, memberLabel, type Committee } from '../domain/committee';
import { committeeView, editPayload, isMeetingEdit } from '../domain/meeting-records';
import { JAV_GROUND_INFO } from '../domain/jav';
import type { StoredEvent } from '../domain/records';
import { stockholmClock, stockholmDate } from '../domain/time';

export interface ExportRow {
  lopnr: number;
  tidpunkt: string;
  handelse: string;
  id: string;
  sammantrade: string;
  arende: string;
  ledamot: string;
  grund: string;
  text: string;
  registreradAv: string;
  kanal: string;
  postId: string;
}

export const EXPORT_COLUMNS: { key: keyof ExportRow; header: string }[] = [
  { key: 'lopnr', header: 'Löpnr' },
  { key: 'tidpunkt', header: 'Tidpunkt' },
  { key: 'handelse', header: 'Händelse' },
  { key: 'id', header: 'Id' },
  { key: 'sammantrade', header: 'Sammanträde' },
  { key: 'arende', header: 'Ärende' },
  { key: 'ledamot', header: 'Ledamot' },
  { key: 'grund', header: 'Jävsgrund' },
  { key: 'text', header: 'Text' },
  { key: 'registreradAv', header: 'Registrerad av' },
  { key: 'kanal', header: 'Kanal' },
  { key: 'postId', header: 'Post-id' },
];

/**
 * A cell Excel or LibreOffice would take for a formula (one that starts with =, +, - or @, also
 * after white space, or with a tab or a carriage return) gets an apostrophe first, so that it
 * shows as the text it is: an övrig fråga `=HYPERLINK(…)` must not become a live link.
 */
export function neutralizeFormula(cell: string): string {
  return /^[\s\p{Cc}]*[=+\-@]|^[\t\r]/u.test(cell) ? `'${cell}` : cell;
}

/** The rows as the diarium's CSV: BOM and semicolons (what Swedish Excel opens without an import dialog), no cell a formula. */
export function exportCsv(rows: ExportRow[]): string {
  const cells = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? neutralizeFormula(v) : v])));
  return stringify(cells, { header: true, delimiter: ';', bom: true, columns: EXPORT_COLUMNS });
}

export function exportRows(fileCommittee: Committee, events: StoredEvent[]): ExportRow[] {
  // Meetings and ärenden as they stand, with those added in chat or imported.
  const committee = committeeView(fileCommittee, events.flatMap((e) => (isMeetingEdit(e) ? [editPayload(e)] : [])));
  const name = (id: string | undefined) => {
    if (!id) return '';
    const m = findMember(committee, id);
    return m ? memberLabel(m) : id;
  };
  const meetingDate = (id: string) => committee.meetings.find((m) => m.id === id)?.date ?? id;
  const itemName = (meetingId: string, lopnummer: string) => {
    const item = committee.meetings.find((m) => m.id === meetingId)?.items.find((i) => i.lopnummer === lopnummer);
    if (!item) return lopnummer;
    return item.sekretess ? `${lopnummer} (sekretess)` : `${lopnummer} ${item.title}`;
  };
  // Later events refer back to the declaration or question they act on. The maps hold copies:
  // the events are the store's (frozen) records and must never be changed here.
  const declarations = new Map<string, { meetingId: string; lopnummer: string; memberId: string }>();
  const questions = new Map<string, { meetingId: string; memberId: string }>();
  const forhinder = new Map<string, { meetingId: string; memberId: string; lopnummer: string[] }>();
  const asks = new Map<string, { forhinderId: string; ersattareId: string }>();
  const scope = (meetingId: string, lopnummer: string[]) => (lopnummer.length ? lopnummer.map((l) => itemName(meetingId, l)).join(', ') : 'Hela sammanträdet');
  const rows: ExportRow[] = [];
  for (const e of events) {
    const base: ExportRow = {
      lopnr: e.seq,
      tidpunkt: `${stockholmDate(new Date(e.at))} ${stockholmClock(new Date(e.at))}`,
      handelse: '',
      id: '',
      sammantrade: '',
      arende: '',
      ledamot: '',
      grund: '',
      text: '',
      registreradAv: name(e.actor.memberId),
      kanal: e.actor.via,
      postId: e.id,
    };
    switch (e.type) {
      case 'jav.declared':
        declarations.set(e.declarationId, e);
        rows.push({ ...base, handelse: 'Jäv anmält', id: e.declarationId, sammantrade: meetingDate(e.meetingId), arende: itemName(e.meetingId, e.lopnummer), ledamot: name(e.memberId), grund: JAV_GROUND_INFO[e.ground].label, text: e.motivation ?? '' });
        break;
      case 'jav.withdrawn': {
        const d = declarations.get(e.declarationId);
        rows.push({ ...base, handelse: 'Jäv återkallat', id: e.declarationId, sammantrade: d ? meetingDate(d.meetingId) : '', arende: d ? itemName(d.meetingId, d.lopnummer) : '', ledamot: name(d?.memberId) });
        break;
      }
      case 'fraga.announced':
        questions.set(e.questionId, { meetingId: e.meetingId, memberId: e.memberId });
        rows.push({ ...base, handelse: e.late ? 'Övrig fråga anmäld (sen)' : 'Övrig fråga anmäld', id: e.questionId, sammantrade: meetingDate(e.meetingId), ledamot: name(e.memberId), text: e.text });
        break;
      case 'fraga.withdrawn':
      case 'fraga.accepted':
      case 'fraga.declined':
      case 'fraga.moved': {
        const q = questions.get(e.questionId);
        const label = { 'fraga.withdrawn': 'Övrig fråga återkallad', 'fraga.accepted': 'Övrig fråga godkänd', 'fraga.declined': 'Övrig fråga avslagen', 'fraga.moved': 'Övrig fråga flyttad' }[e.type];
        const text = e.type === 'fraga.declined' ? e.reason : e.type === 'fraga.moved' ? `Från ${meetingDate(e.fromMeetingId)} till ${meetingDate(e.toMeetingId)}` : '';
        if (q && e.type === 'fraga.moved') q.meetingId = e.toMeetingId;
        rows.push({ ...base, handelse: label, id: e.questionId, sammantrade: q ? meetingDate(q.meetingId) : '', ledamot: name(q?.memberId), text });
        break;
      }
      case 'justering.recorded':
        rows.push({ ...base, handelse: 'Justering registrerad', sammantrade: meetingDate(e.meetingId), ledamot: e.justerare.map((j) => name(j)).join(', '), text: `Justeras senast ${e.dueDate}` });
        break;
      case 'justering.signed':
        rows.push({ ...base, handelse: 'Protokollet justerat', sammantrade: meetingDate(e.meetingId), ledamot: name(e.memberId) });
        break;
      case 'anslag.recorded':
        rows.push({ ...base, handelse: 'Anslag uppsatt', sammantrade: meetingDate(e.meetingId), text: `Anslaget ${e.postedDate}` });
        break;
      case 'agenda.drafted':
        rows.push({ ...base, handelse: `Utkast till dagordning, version ${e.version}`, sammantrade: meetingDate(e.meetingId), text: `§ ${e.firstParagraph}–${e.lastParagraph}` });
        break;
      case 'identity.linked':
        rows.push({ ...base, handelse: 'Konto kopplat', ledamot: name(e.memberId), text: e.foundBy === 'email' ? `${e.platform}, genom e-postadressen i nämndfilen` : e.platform });
        break;
      case 'reminder.sent':
      case 'reminder.dropped':
        // Reminders are the bot's own messages, not handlingar.
        break;
      case 'forhinder.reported':
        forhinder.set(e.forhinderId, e);
        rows.push({ ...base, handelse: 'Förhinder anmält', id: e.forhinderId, sammantrade: meetingDate(e.meetingId), arende: scope(e.meetingId, e.lopnummer), ledamot: name(e.memberId) });
        break;
      case 'forhinder.withdrawn': {
        const f = forhinder.get(e.forhinderId);
        rows.push({ ...base, handelse: 'Förhinder återkallat', id: e.forhinderId, sammantrade: f ? meetingDate(f.meetingId) : '', arende: f ? scope(f.meetingId, f.lopnummer) : '', ledamot: name(f?.memberId) });
        break;
      }
      case 'ersattare.asked': {
        asks.set(e.askId, e);
        const f = forhinder.get(e.forhinderId);
        rows.push({ ...base, handelse: 'Ersättare tillfrågad', id: e.askId, sammantrade: f ? meetingDate(f.meetingId) : '', arende: f ? scope(f.meetingId, f.lopnummer) : '', ledamot: name(e.ersattareId), text: `I stället för ${name(f?.memberId)} (${e.forhinderId}), svar senast ${stockholmDate(new Date(e.deadline))} ${stockholmClock(new Date(e.deadline))}` });
        break;
      }
      case 'ersattare.accepted':
      case 'ersattare.declined':
      case 'ersattare.timedOut': {
        const a = asks.get(e.askId);
        const f = a ? forhinder.get(a.forhinderId) : undefined;
        const label = { 'ersattare.accepted': 'Ersättare tackade ja', 'ersattare.declined': 'Ersättare tackade nej eller lämnade återbud', 'ersattare.timedOut': 'Ersättare svarade inte i tid' }[e.type];
        rows.push({ ...base, handelse: label, id: e.askId, sammantrade: f ? meetingDate(f.meetingId) : '', arende: f ? scope(f.meetingId, f.lopnummer) : '', ledamot: name(a?.ersattareId), text: e.type === 'ersattare.declined' ? e.reason ?? '' : '' });
        break;
      }
      case 'ersattare.exhausted': {
        const f = forhinder.get(e.forhinderId);
        rows.push({ ...base, handelse: 'Ingen ersättare hittad', id: e.forhinderId, sammantrade: f ? meetingDate(f.meetingId) : '', arende: f ? scope(f.meetingId, f.lopnummer) : '', ledamot: name(f?.memberId) });
        break;
      }
      case 'meeting.added':
        rows.push({ ...base, handelse: 'Sammanträde inlagt', sammantrade: e.date, text: `kl. ${e.start}${e.end ? `–${e.end}` : ''}, ${e.place}` });
        break;
      case 'item.added':
        rows.push({ ...base, handelse: 'Ärende tillagt', sammantrade: meetingDate(e.meetingId), arende: e.item.sekretess ? `${e.item.lopnummer} (sekretess)` : `${e.item.lopnummer} ${e.item.title}` });
        break;
      case 'item.retitled':
        rows.push({ ...base, handelse: 'Ärende fick ny rubrik', sammantrade: meetingDate(e.meetingId), arende: itemName(e.meetingId, e.lopnummer) });
        break;
      case 'item.moved':
        rows.push({ ...base, handelse: 'Ärende flyttat i dagordningen', sammantrade: meetingDate(e.meetingId), arende: itemName(e.meetingId, e.lopnummer), text: e.before ? `Före ${e.before}` : 'Sist' });
        break;
      case 'item.removed':
        rows.push({ ...base, handelse: 'Ärende borttaget', sammantrade: meetingDate(e.meetingId), arende: e.lopnummer });
        break;
      case 'item.sekretess':
        rows.push({ ...base, handelse: e.sekretess ? 'Ärende sekretessmarkerat' : 'Sekretessmarkering borttagen', sammantrade: meetingDate(e.meetingId), arende: e.lopnummer });
        break;
      case 'items.imported':
        rows.push({ ...base, handelse: 'Ärendelista importerad', sammantrade: meetingDate(e.meetingId), text: `${e.source}: ${e.items.length} ärenden` });
        break;
      case 'interest.recorded':
      case 'interest.removed':
      case 'javhint.sent':
        // The register of interests is private to the member, the secretary and the ordförande, and
        // the hints are the bot's own messages: neither goes into the export for the diarium.
        break;
      case 'protokoll.drafted':
        rows.push({ ...base, handelse: `Utkast till protokoll, version ${e.version}`, sammantrade: meetingDate(e.meetingId) });
        break;
      case 'protokoll.sent':
        rows.push({ ...base, handelse: `Protokoll skickat för justering, version ${e.version}`, sammantrade: meetingDate(e.meetingId), ledamot: e.recipients.map((r) => name(r)).join(', ') });
        break;
      case 'protokoll.commented':
        rows.push({ ...base, handelse: 'Synpunkt på protokollet', sammantrade: meetingDate(e.meetingId), ledamot: name(e.memberId), text: e.text });
        break;
      case 'narvaro.recorded':
      case 'tjanstgoring.recorded':
      case 'beslut.recorded':
      case 'votering.recorded':
      case 'protokoll.noted':
      case 'expediering.recorded':
      case 'beskrivning.recorded':
      case 'protokoll.excluded':
        // The secretary's notes for the protokoll: the justerade protokoll is the handling, not its drafts' parts.
        break;
    }
  }
  return rows;
}

/**
 * One record of each event type, with a person in each of its personal fields, in an order the
 * fold accepts. The samples are a record over every event type, so a new event type does not
 * compile until it has one: the tests that use them (retention, the member export, the state
 * snapshot) then say whether it is handled.
 */
import type { Item } from '../../src/domain/committee';
import type { EventOf, EventPayload, EventType, StoredEvent } from '../../src/domain/records';

/** Someone no longer in the committee file, whose records are all old: everything of theirs that may go, goes. */
export const PERSON = 'karl.gammal';
/** Free text of theirs, in every free-text field. */
export const FREE = 'Min egen anteckning om Sjöbacka';
export const NOV = 'kfn-2026-11-12';
const ITEM: Item = { lopnummer: '72/26', title: 'Bidrag till föreningar', kind: 'beslut', beslutsunderlag: [], sekretess: false };

type Sample<T extends EventType> = Omit<EventOf<T>, 'id' | 'at' | 'actor' | 'seq'>;
/** One of each event type, in an order the fold accepts (what a withdrawal acts on comes first). */
export const SAMPLES: { [T in EventType]: Sample<T> } = {
  'meeting.added': { type: 'meeting.added', meetingId: NOV, date: '2026-11-12', place: 'Sammanträdesrum Ekan' },
  'item.added': { type: 'item.added', meetingId: NOV, item: { ...ITEM, lopnummer: '73/26', handlaggare: PERSON } },
  'item.retitled': { type: 'item.retitled', meetingId: NOV, lopnummer: '73/26', title: 'Bidrag, andra omgången' },
  'item.moved': { type: 'item.moved', meetingId: NOV, lopnummer: '73/26' },
  'item.sekretess': { type: 'item.sekretess', meetingId: NOV, lopnummer: '73/26', sekretess: false },
  'item.removed': { type: 'item.removed', meetingId: NOV, lopnummer: '73/26' },
  'items.imported': { type: 'items.imported', meetingId: NOV, source: 'arendelista.xlsx', items: [{ ...ITEM, foredragande: [PERSON] }] },
  'jav.declared': { type: 'jav.declared', declarationId: 'J1', meetingId: NOV, lopnummer: '72/26', memberId: PERSON, ground: 'partsjav', motivation: FREE },
  'jav.withdrawn': { type: 'jav.withdrawn', declarationId: 'J1' },
  'fraga.announced': { type: 'fraga.announced', questionId: 'F1', meetingId: NOV, memberId: PERSON, text: FREE, late: false },
  'fraga.moved': { type: 'fraga.moved', questionId: 'F1', fromMeetingId: NOV, toMeetingId: NOV, late: false },
  'fraga.accepted': { type: 'fraga.accepted', questionId: 'F1' },
  'fraga.declined': { type: 'fraga.declined', questionId: 'F1', reason: 'Besvaras i ärende 2' },
  'fraga.withdrawn': { type: 'fraga.withdrawn', questionId: 'F1' },
  'justering.recorded': { type: 'justering.recorded', meetingId: NOV, justerare: [PERSON], dueDate: '2026-11-19' },
  'justering.signed': { type: 'justering.signed', meetingId: NOV, memberId: PERSON },
  'anslag.recorded': { type: 'anslag.recorded', meetingId: NOV, postedDate: '2026-11-20' },
  'reminder.sent': { type: 'reminder.sent', reminderId: `kfn:${NOV}:justering:${PERSON}:wd2@2026-11-17`, recipientId: PERSON },
  'reminder.dropped': { type: 'reminder.dropped', reminderId: `kfn:${NOV}:justering:${PERSON}:wd1@2026-11-18`, reason: `unreachable: ${PERSON} har blockerat appen` },
  'agenda.drafted': { type: 'agenda.drafted', meetingId: NOV, version: 1, firstParagraph: 1, lastParagraph: 5, agenda: { items: [] } },
  'identity.linked': { type: 'identity.linked', memberId: PERSON, platform: 'slack', platformUserId: 'U0KARL' },
  'forhinder.reported': { type: 'forhinder.reported', forhinderId: 'H1', meetingId: NOV, memberId: PERSON, lopnummer: [] },
  'ersattare.asked': { type: 'ersattare.asked', askId: 'E1', forhinderId: 'H1', ersattareId: PERSON, deadline: '2026-11-06T09:00:00.000Z' },
  'ersattare.accepted': { type: 'ersattare.accepted', askId: 'E1' },
  'ersattare.declined': { type: 'ersattare.declined', askId: 'E1', reason: FREE },
  'ersattare.timedOut': { type: 'ersattare.timedOut', askId: 'E1' },
  'ersattare.exhausted': { type: 'ersattare.exhausted', forhinderId: 'H1' },
  'forhinder.withdrawn': { type: 'forhinder.withdrawn', forhinderId: 'H1' },
  'interest.recorded': { type: 'interest.recorded', interestId: 'I1', memberId: PERSON, kind: 'styrelse', name: FREE, orgnr: '8020001234' },
  'interest.removed': { type: 'interest.removed', interestId: 'I1' },
  'javhint.sent': { type: 'javhint.sent', meetingId: NOV, lopnummer: '72/26', memberId: PERSON, keys: [`namn:${FREE}`] },
  'narvaro.recorded': { type: 'narvaro.recorded', meetingId: NOV, personId: PERSON, items: null },
  'tjanstgoring.recorded': { type: 'tjanstgoring.recorded', meetingId: NOV, ersattareId: PERSON, forMemberId: 'amira.haddad', items: ['arende:72/26'] },
  'beslut.recorded': { type: 'beslut.recorded', meetingId: NOV, itemKey: 'arende:72/26', outcome: 'enligtForslag' },
  'votering.recorded': { type: 'votering.recorded', meetingId: NOV, itemKey: 'arende:72/26', ja: 6, nej: 3, avstar: 0 },
  'protokoll.noted': { type: 'protokoll.noted', meetingId: NOV, itemKey: 'arende:72/26', kind: 'reservation', memberId: PERSON, text: FREE },
  'expediering.recorded': { type: 'expediering.recorded', meetingId: NOV, itemKey: 'arende:72/26', recipients: ['Kultur- och fritidsförvaltningen'] },
  'beskrivning.recorded': { type: 'beskrivning.recorded', meetingId: NOV, itemKey: 'arende:72/26', text: 'Föreningar söker bidrag.' },
  'protokoll.excluded': { type: 'protokoll.excluded', meetingId: NOV, itemKey: 'arende:72/26', excluded: true },
  'protokoll.drafted': { type: 'protokoll.drafted', meetingId: NOV, version: 1, protokoll: { paragraphs: [] } },
  'protokoll.sent': { type: 'protokoll.sent', meetingId: NOV, version: 1, recipients: [PERSON] },
  'protokoll.commented': { type: 'protokoll.commented', meetingId: NOV, memberId: PERSON, text: FREE },
};

/** The samples as stored records, made by the secretary. */
export function sampleEvents(): StoredEvent[] {
  return Object.values(SAMPLES).map((payload, i) => ({ id: `e${i + 1}`, seq: i + 1, at: '2026-11-05T09:00:00.000Z', actor: { via: 'slack', memberId: 'maria.ekstrom' }, ...(payload as EventPayload) }) as StoredEvent);
}

import path from 'node:path';
import { plain, makeHarness, type Harness } from '../support/harness';
import { committeeView } from '../../src/domain/meeting-records';
import { exportRows } from '../../src/core/export';

const DIR = path.join(__dirname, '../fixtures/import');
const SECRETARY = 'asa.linden';
const AMIRA = 'amira.haddad';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ file: path.join(DIR, 'tu-tabell.yaml') });
});
afterEach(async () => h.close());

async function lopnummer(meetingId = 'tu-2027-02-11'): Promise<string[]> {
  const state = await h.core.log.state(h.committee.id);
  return committeeView(h.committee, state.meetingEdits)
    .meetings.find((m) => m.id === meetingId)!
    .items.map((i) => i.lopnummer);
}

test('the secretary adds, moves, retitles, marks and removes ärenden; each is a record with who and how', async () => {
  expect(await h.text(SECRETARY, 'ärende ny 22/27 Medborgarförslag om taktila plattor före 16/27')).toContain('Ärende 22/27 Medborgarförslag om taktila plattor är tillagt på sammanträdet torsdag den 11 februari 2027.');
  expect(await lopnummer()).toEqual(['14/27', '15/27', '22/27', '16/27', '17/27', '18/27', '20/27', '19/27', '21/27']);
  expect(await h.text(SECRETARY, 'ärende flytta 20/27 sist')).toContain('Ärende 20/27 är flyttat.');
  expect(await h.text(SECRETARY, 'ärende flytta 19/27 före 18/27')).toContain('Ärende 19/27 är flyttat.');
  expect(await lopnummer()).toEqual(['14/27', '15/27', '22/27', '16/27', '17/27', '19/27', '18/27', '21/27', '20/27']);
  expect(await h.text(SECRETARY, 'ärende rubrik 22/27 Medborgarförslag om taktila plattor vid hållplatser')).toContain('Ärende 22/27 heter nu: 22/27 Medborgarförslag om taktila plattor vid hållplatser.');
  expect(await h.text(SECRETARY, 'ärende sekretess 22/27')).toContain('Ärende 22/27 är nu ett sekretessärende');
  expect(await h.text(SECRETARY, 'ärenden')).toContain('22/27 Sekretessärende');
  expect(await h.text(SECRETARY, 'ärende sekretess 22/27 av')).toContain('har inte längre sekretess');
  expect(await h.text(SECRETARY, 'ärende ta bort 17/27')).toContain('Ärende 17/27 TU yttrande över förslag till parkeringsnorm är borttaget');
  expect(await lopnummer()).toEqual(['14/27', '15/27', '22/27', '16/27', '19/27', '18/27', '21/27', '20/27']);

  const events = await h.store.readEvents(h.committee.id, 0);
  expect(events.map((e) => [e.type, e.actor.memberId, e.actor.via])).toEqual([
    ['item.added', SECRETARY, 'console'],
    ['item.moved', SECRETARY, 'console'],
    ['item.moved', SECRETARY, 'console'],
    ['item.retitled', SECRETARY, 'console'],
    ['item.sekretess', SECRETARY, 'console'],
    ['item.sekretess', SECRETARY, 'console'],
    ['item.removed', SECRETARY, 'console'],
  ]);
  for (const e of events) expect(typeof e.at).toBe('string');
  // The diarium export names each change, who made it and through which channel; sekretess by löpnummer only.
  const rows = exportRows(h.committee, events);
  expect(rows.map((r) => [r.handelse, r.arende, r.registreradAv, r.kanal])).toEqual([
    ['Ärende tillagt', '22/27 Medborgarförslag om taktila plattor', 'Åsa Lindén', 'console'],
    ['Ärende flyttat i dagordningen', '20/27 Återrapport från dialogmöte med funktionsrättsföreningar', 'Åsa Lindén', 'console'],
    ['Ärende flyttat i dagordningen', '19/27 Nämndernas verksamhetsplaner ur tillgänglighetsperspektiv 2027', 'Åsa Lindén', 'console'],
    ['Ärende fick ny rubrik', '22/27 Medborgarförslag om taktila plattor vid hållplatser', 'Åsa Lindén', 'console'],
    ['Ärende sekretessmarkerat', '22/27', 'Åsa Lindén', 'console'],
    ['Sekretessmarkering borttagen', '22/27', 'Åsa Lindén', 'console'],
    ['Ärende borttaget', '17/27', 'Åsa Lindén', 'console'],
  ]);
});

test('every reader sees the edits: members declare jäv on an added ärende, and the next agenda draft lists the change', async () => {
  await h.text(SECRETARY, 'dagordning');
  await h.text(SECRETARY, 'ärende ny 22/27 Medborgarförslag om taktila plattor');
  await h.text(SECRETARY, 'ärende rubrik 16/27 TU handlingsplan och budget för år 2027');
  await h.text(SECRETARY, 'ärende ta bort 18/27');
  expect(await h.text(AMIRA, 'ärenden')).toContain('22/27 Medborgarförslag om taktila plattor');
  expect(await h.text(AMIRA, 'jäv 22/27 part')).toContain('Jäv anmält i ärende 22/27 Medborgarförslag om taktila plattor');
  expect(await h.text(AMIRA, 'jäv 18/27 part')).toContain('Det finns inget ärende "18/27"');
  const second = await h.text(SECRETARY, 'dagordning');
  expect(second).toContain('Ändrat sedan version 1');
  expect(second).toContain('Medborgarförslag om taktila plattor');
  expect(second).toContain('TU handlingsplan och budget för år 2027');
  expect(second).not.toContain('§ 11 TU yttrande på motion');
});

test('removing an ärende with a declaration shows it, and the declaration stays', async () => {
  await h.text(AMIRA, 'jäv 17/27 part');
  const text = await h.text(SECRETARY, 'ärende ta bort 17/27');
  expect(text).toContain('Obs! Det här står kvar i registret och i exporten och gäller ett ärende som inte längre är med:\n  • J1: Amira Haddad (V) har anmält jäv i 17/27');
  expect([...(await h.core.log.state(h.committee.id)).declarations.values()].map((d) => [d.id, d.withdrawnAt])).toEqual([['J1', undefined]]);
});

test('a new meeting, then its ärenden; through the form as Slack and Teams show it', async () => {
  expect(await h.text(SECRETARY, 'möte ny 2027-03-18 kl. 9.00–12.00 Rådhuset, sal Eken')).toContain('Sammanträdet torsdag den 18 mars 2027 kl. 9.00–12.00 är inlagt (Rådhuset, sal Eken).');
  expect(await h.text(SECRETARY, 'möten')).toContain('torsdag den 18 mars 2027 kl. 9.00–12.00, Rådhuset, sal Eken (0 ärenden)');
  const form = plain(await h.submit(SECRETARY, 'item.add', { meeting: '2027-03-18', item: '30/27', text: 'Information om färdtjänst', kind: 'information', sekretess: 'nej' }));
  expect(form).toContain('Ärende 30/27 Information om färdtjänst är tillagt på sammanträdet torsdag den 18 mars 2027.');
  const again = await h.submit(SECRETARY, 'item.add', { meeting: '2027-03-18', item: '30/27', text: 'Samma nummer', before: '99/27' });
  const fields = again.flatMap((o) => o.message.parts).find((p) => p.kind === 'form');
  expect(fields && fields.kind === 'form' && fields.form.fields.filter((f) => f.error).map((f) => [f.name, f.error])).toEqual([
    ['item', 'Löpnummer 30/27 finns redan på sammanträdet torsdag den 18 mars 2027.'],
    ['before', 'Det finns inget ärende 99/27 på sammanträdet torsdag den 18 mars 2027.'],
  ]);
  const state = await h.core.log.state(h.committee.id);
  const added = committeeView(h.committee, state.meetingEdits).meetings.find((m) => m.date === '2027-03-18')!;
  expect(added).toEqual({ id: '2027-03-18', date: '2027-03-18', start: '09:00', end: '12:00', place: 'Rådhuset, sal Eken', items: [{ lopnummer: '30/27', title: 'Information om färdtjänst', kind: 'information', beslutsunderlag: [], sekretess: false }] });
});

test.each([
  ['möte ny 2027-02-30 kl. 9.00 Rådhuset', '"2027-02-30" är inget datum.'],
  ['möte ny 2027-03-18 kl. 25.00 Rådhuset', '"kl. 25.00" är ingen tid.'],
  ['möte ny 2026-03-18 kl. 9.00 Rådhuset', '2026-03-18 har redan varit.'],
  ['möte ny 2027-02-11 kl. 13.00 Rådhuset', 'Det finns redan ett sammanträde torsdag den 11 februari 2027'],
  ['ärende ny 14/27 Dubblett', 'Löpnummer 14/27 finns redan'],
  ['ärende ny fjorton Rubrik', '"fjorton" är inget löpnummer; skriv det som 5/25.'],
  ['ärende flytta 14/27 hit', 'Skriv var ärendet ska stå: "före 10/25", "först" eller "sist".'],
  ['ärende flytta 14/27 före 14/27', 'Ett ärende kan inte flyttas före sig självt.'],
  ['ärende ta bort handlingsplan', 'Skriv ärendets löpnummer'],
  ['ärende rubrik 99/27 Ny', 'Det finns inget ärende "99/27"'],
])('%s is refused and changes nothing', async (command, answer) => {
  expect(await h.text(SECRETARY, command)).toContain(answer);
  expect(await h.eventCount()).toBe(0);
});

test('members cannot edit the agenda', async () => {
  expect(await h.text(AMIRA, 'ärende ta bort 14/27')).toContain('Det kan bara sekreteraren göra');
  expect(await h.text(AMIRA, 'möte ny 2027-03-18 kl. 9.00 Rådhuset')).toContain('Det kan bara sekreteraren göra');
  expect(await h.eventCount()).toBe(0);
});

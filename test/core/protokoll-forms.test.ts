/**
 * Recording the meeting through forms (a modal in Slack, a card in Teams, field by field in the
 * terminal): each recording command given without its ärende comes back as a form, whose submit
 * records the same as the typed command; a mistake comes back on the form, under its field, and
 * records nothing. Example committee (examples/kfn.yaml), meeting 2027-01-21: § 9 is 2/27, § 15
 * the sekretess ärende 8/27.
 */
import type { Form } from '../../src/core/message';
import type { Outgoing } from '../../src/core/outgoing';
import { makeHarness, plain, type Harness } from '../support/harness';

const SECRETARY = 'maria.ekstrom';
const MEETING = 'kfn-2027-01-21';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ now: '2027-01-10T10:00:00+01:00' });
  await h.say(SECRETARY, 'dagordning möte 2027-01-21');
  h.clock.set('2027-01-21T17:00:00+01:00');
});
afterEach(async () => h.close());

function formOf(replies: Outgoing[]): Form {
  const part = replies.flatMap((o) => o.message.parts).find((p) => p.kind === 'form');
  if (part?.kind !== 'form') throw new Error(`no form in: ${plain(replies)}`);
  return part.form;
}

async function lastEvent(): Promise<Record<string, unknown>> {
  const events = await h.store.readEvents(h.committee.id, 0);
  const { id: _id, at: _at, seq: _seq, actor: _actor, ...rest } = events[events.length - 1] as unknown as Record<string, unknown>;
  return rest;
}

test.each<[string, string, string[], Record<string, string>, Record<string, unknown>]>([
  ['beslut enligt förslag', 'beslut', ['item', 'kind', 'text'], { item: '§9', kind: 'enligt förslag' }, { type: 'beslut.recorded', meetingId: MEETING, itemKey: 'arende:2/27', outcome: 'enligtForslag' }],
  ['beslut in own words', 'beslut', ['item', 'kind', 'text'], { item: '§14', kind: 'text', text: 'Nämnden tillstyrker motionen.' }, { type: 'beslut.recorded', meetingId: MEETING, itemKey: 'arende:7/27', outcome: 'text', text: 'Nämnden tillstyrker motionen.' }],
  ['återremiss with its motivation', 'beslut', ['item', 'kind', 'text'], { item: '§10', kind: 'återremiss', text: 'för en konsekvensanalys' }, { type: 'beslut.recorded', meetingId: MEETING, itemKey: 'arende:3/27', outcome: 'aterremiss', text: 'för en konsekvensanalys' }],
  ['närvaro', 'närvaro registrera', ['member', 'text'], { member: 'amira.haddad', text: '1–9' }, { type: 'narvaro.recorded', meetingId: MEETING, personId: 'amira.haddad', items: ['justerare', 'justering', 'jav', 'ovrigaFragorAnmalan', 'dagordning', 'arende:1/27', 'arende:9/27', 'arende:10/27', 'arende:2/27'] }],
  ['tjänstgörande ersättare', 'tjänstgör', ['member', 'id', 'text'], { member: 'nils.holmgren', id: 'amira.haddad', text: '9' }, { type: 'tjanstgoring.recorded', meetingId: MEETING, ersattareId: 'nils.holmgren', forMemberId: 'amira.haddad', items: ['arende:2/27'] }],
  ['votering', 'votering', ['item', 'text'], { item: '§9', text: 'ja 7 nej 2 avstår 0' }, { type: 'votering.recorded', meetingId: MEETING, itemKey: 'arende:2/27', ja: 7, nej: 2, avstar: 0 }],
  ['yrkande', 'yrkande', ['item', 'member', 'text'], { item: '§9', member: 'mikael.oberg', text: 'avslag på förslaget' }, { type: 'protokoll.noted', meetingId: MEETING, itemKey: 'arende:2/27', kind: 'yrkande', memberId: 'mikael.oberg', text: 'avslag på förslaget' }],
  ['reservation without text', 'reservation', ['item', 'member', 'text'], { item: '§9', member: 'mikael.oberg' }, { type: 'protokoll.noted', meetingId: MEETING, itemKey: 'arende:2/27', kind: 'reservation', memberId: 'mikael.oberg' }],
  ['protokollsanteckning', 'protokollsanteckning', ['item', 'member', 'text'], { item: '§9', member: 'amira.haddad', text: 'Vi följer utfallet.' }, { type: 'protokoll.noted', meetingId: MEETING, itemKey: 'arende:2/27', kind: 'protokollsanteckning', memberId: 'amira.haddad', text: 'Vi följer utfallet.' }],
  ['expedieras', 'expedieras', ['item', 'text'], { item: '§9', text: 'Kommunstyrelsen, Ekonomienheten' }, { type: 'expediering.recorded', meetingId: MEETING, itemKey: 'arende:2/27', recipients: ['Kommunstyrelsen', 'Ekonomienheten'] }],
  ['ärendebeskrivning', 'beskrivning', ['item', 'text'], { item: '§6', text: 'Förvaltningschefen informerar.' }, { type: 'beskrivning.recorded', meetingId: MEETING, itemKey: 'arende:1/27', text: 'Förvaltningschefen informerar.' }],
  ['a § kept out of the public version', 'protokoll utan', ['item'], { item: '§12' }, { type: 'protokoll.excluded', meetingId: MEETING, itemKey: 'arende:5/27', excluded: true }],
])('%s: "%s" gives the form, its submit records', async (_name, typed, fieldNames, values, want) => {
  const form = formOf(await h.say(SECRETARY, typed));
  expect(form.fields.map((f) => f.name)).toEqual(fieldNames);
  expect(form.hidden).toEqual({ committee: 'kfn', meeting: MEETING });
  const before = await h.eventCount();
  const answer = plain(await h.submit(SECRETARY, form.id, { ...form.hidden, ...values }));
  expect(answer).not.toMatch(/rättas/);
  expect(await h.eventCount()).toBe(before + 1);
  expect(await lastEvent()).toEqual(want);
});

test('the § select names every § of the agenda, the sekretess ärende without its title', async () => {
  const form = formOf(await h.say(SECRETARY, 'beslut'));
  const options = form.fields.find((f) => f.name === 'item')!.options!;
  expect(options).toHaveLength(16);
  expect(options[8]).toEqual({ value: '§9', label: '§ 9 2/27 Budgetuppföljning helår 2026' });
  expect(options[14]).toEqual({ value: '§15', label: '§ 15 8/27 Sekretessärende' });
  expect(JSON.stringify(form)).not.toMatch(/Individärende|fritidsstöd/);
});

test.each<[string, string, Record<string, string>, string, RegExp]>([
  ['a § that is not there', 'protokoll.beslut', { item: '§40', kind: 'enligt förslag' }, 'item', /^§ 40 finns inte på sammanträdet/],
  ['an own beslut with no text', 'protokoll.beslut', { item: '§9', kind: 'text' }, 'text', /^Skriv beslutet/],
  ['enligt förslag where there is none', 'protokoll.beslut', { item: '§14', kind: 'enligt förslag' }, 'kind', /har inget förslag till beslut/],
  ['§§ written backwards', 'protokoll.narvaro', { member: 'amira.haddad', text: '12–9' }, 'text', /baklänges/],
  ['a ledamot as ersättare', 'protokoll.tjanstgoring', { member: 'amira.haddad', id: 'tomas.engstrom', text: '9' }, 'member', /Amira Haddad \(S\) är inte ersättare/],
  ['an ersättare as the seat', 'protokoll.tjanstgoring', { member: 'nils.holmgren', id: 'elin.hedlund', text: '9' }, 'id', /är inte ledamot/],
  ['votes that are not numbers', 'protokoll.votering', { item: '§9', text: 'många' }, 'text', /^Skriv: votering/],
  ['the secretary as reserving', 'protokoll.reservation', { item: '§9', member: 'maria.ekstrom' }, 'member', /är inte förtroendevald/],
])('%s: the form comes back with the error under its field, nothing recorded', async (_name, formId, values, field, error) => {
  const before = await h.eventCount();
  const replies = await h.submit(SECRETARY, formId, { committee: 'kfn', meeting: MEETING, ...values });
  const form = formOf(replies);
  expect(replies[0]!.message.text).toBe('Något behöver rättas innan det kan sparas.');
  expect(form.fields.filter((f) => f.error).map((f) => [f.name, f.error])).toEqual([[field, expect.stringMatching(error)]]);
  expect(await h.eventCount()).toBe(before);
});

test('a form sent back with the sekretess § chosen is marked sekretess: what was typed may be its beslut', async () => {
  const replies = await h.submit(SECRETARY, 'protokoll.beslut', { committee: 'kfn', meeting: MEETING, item: '§15', kind: 'enligt förslag', text: 'Stödet beviljas' });
  expect(formOf(replies).fields.find((f) => f.name === 'text')).toMatchObject({ value: 'Stödet beviljas', error: 'Med beslut enligt förslaget behövs ingen text. Välj "Eget beslut" för att skriva beslutet.' });
  expect(replies[0]!.message.sekretess).toBe(true);
  expect(replies[0]!.audience.kind).toBe('asker');
  // The same mistake on an open §: an ordinary private answer.
  const open = await h.submit(SECRETARY, 'protokoll.beslut', { committee: 'kfn', meeting: MEETING, item: '§9', kind: 'enligt förslag', text: 'x' });
  expect(open[0]!.message.sekretess).toBeUndefined();
});

test('only the secretary gets the forms', async () => {
  expect(plain(await h.say('amira.haddad', 'beslut'))).toMatch(/^Det kan bara/);
  expect(plain(await h.say('amira.haddad', 'närvaro registrera'))).toMatch(/^Det kan bara/);
});

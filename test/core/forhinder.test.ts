import { processErsattareTimeouts, dueTimeouts } from '../../src/core/ersattare';
import { AdapterDelivery } from '../../src/core/delivery';
import { exportRows } from '../../src/core/export';
import { parseText } from '../../src/core/parser';
import { COMMANDS } from '../../src/core/registry';
import { Scheduler } from '../../src/core/scheduler';
import { makeHarness, plain, type Harness } from '../support/harness';

// Example committee (examples/kfn.yaml): nine ledamöter; ersättare order S: Nils, then Elin (MP);
// SD: Robin only. The clock stands at Sunday 2027-01-10 10.00, before the meeting of 2027-01-21.
// An ask made then has 24 hours from the first office hour: until Tuesday 2027-01-12 8.00.
const AMIRA = 'amira.haddad'; // ledamot (S)
const TOMAS = 'tomas.engstrom'; // ledamot (S)
const JOHAN = 'johan.sjoberg'; // ledamot (SD)
const NILS = 'nils.holmgren'; // ersättare (S)
const ELIN = 'elin.hedlund'; // ersättare (MP), second in the S order
const ROBIN = 'robin.lindgren'; // ersättare (SD)
const SECRETARY = 'maria.ekstrom';
const OFFICER = 'fatima.rahimi';
const ACCEPT = (id: string) => `committee=KFN&id=${id}`;

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

const types = async () => (await h.store.readEvents('kfn', 0)).map((e) => e.type);
const sentTo = (who: string) => h.recorder.to(who).join('\n---\n');
const state = () => h.core.log.state('kfn');

describe('the ersättare chain', () => {
  test('an accept: the first in turn is asked privately, accepts, and the ledamot and the secretary are told', async () => {
    const answer = await h.text(AMIRA, 'förhinder 2027-01-21');
    expect(answer).toContain('Förhinder anmält till sammanträdet torsdag den 21 januari 2027.');
    expect(answer).toContain('Id: H1');
    expect(answer).toContain('Gäller: hela sammanträdet');
    expect(answer).toContain('Jag frågar Nils Holmgren (S), som är ersättare i tur.');
    expect(answer).toContain('förhinder återkalla H1');

    // Only Nils is asked, privately, with buttons that also work as typed commands.
    expect(h.recorder.sent.map((s) => s.to)).toEqual([NILS]);
    const ask = h.recorder.sent[0].message;
    expect(ask.text).toBe('Kan du tjänstgöra i Amira Haddads ställe på sammanträdet torsdag den 21 januari 2027? Amira Haddad har förhinder.');
    expect(h.recorder.sent[0].text).toContain('Svara senast: tisdag den 12 januari 2027 kl. 8.00');
    const buttonPart = ask.parts.find((p) => p.kind === 'buttons');
    expect(buttonPart?.kind === 'buttons' && buttonPart.buttons.map((b) => [b.actionId, b.value, b.command])).toEqual([
      ['ersattare.accept', 'committee=KFN&id=E1', 'ersättare ja E1'],
      ['ersattare.decline', 'committee=KFN&id=E1', 'ersättare nej E1'],
    ]);

    const accepted = plain(await h.click(NILS, 'ersattare.accept', ACCEPT('E1')));
    expect(accepted).toContain('Tack! Du tjänstgör i Amira Haddads ställe på sammanträdet torsdag den 21 januari 2027 (hela sammanträdet).');
    expect(sentTo(AMIRA)).toContain('Nils Holmgren (S) tjänstgör i ditt ställe på sammanträdet torsdag den 21 januari 2027 (hela sammanträdet).');
    expect(sentTo(SECRETARY)).toContain('Nils Holmgren (S) tjänstgör i Amira Haddads ställe på sammanträdet torsdag den 21 januari 2027 (hela sammanträdet).');
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.accepted']);
    expect((await state()).ersattareAsks.get('E1')).toMatchObject({ status: 'accepted', ersattareId: NILS, memberId: AMIRA, deadline: '2027-01-12T07:00:00.000Z' });

    // Accepting twice changes nothing.
    expect(await h.text(NILS, 'ersättare ja E1')).toContain('Du har redan tackat ja till förfrågan E1. Inget ändrades.');
    expect(await types()).toHaveLength(3);
  });

  test('a decline, then the next one in turn is asked', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    const answer = await h.text(NILS, 'ersättare nej E1 Jag är bortrest');
    expect(answer).toContain('Tack för beskedet. Jag frågar nästa ersättare i tur.');
    expect(sentTo(ELIN)).toContain('Kan du tjänstgöra i Amira Haddads ställe');
    expect(sentTo(ELIN)).toContain('ersättare ja E2');
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.declined', 'ersattare.asked']);
    expect((await state()).ersattareAsks.get('E1')).toMatchObject({ status: 'declined', reason: 'Jag är bortrest' });
    // A declined ask cannot be accepted afterwards.
    expect(await h.text(NILS, 'ersättare ja E1')).toContain('Förfrågan E1 är inte längre öppen. Du har redan tackat nej');
  });

  test('a time-out: nobody answered by the deadline, so the next one is asked and the first is told', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    // Not yet at Monday noon, nor at Tuesday 7.59.
    expect((await processErsattareTimeouts(h.core, new Date('2027-01-11T12:00:00+01:00'))).timedOut).toEqual([]);
    expect((await processErsattareTimeouts(h.core, new Date('2027-01-12T07:59:00+01:00'))).timedOut).toEqual([]);
    expect(h.recorder.sent.map((s) => s.to)).toEqual([NILS]);

    const report = await processErsattareTimeouts(h.core, new Date('2027-01-12T08:00:00+01:00'));
    expect(report.timedOut).toEqual(['E1']);
    expect(sentTo(NILS)).toContain('Tiden att svara på förfrågan E1 (att tjänstgöra i Amira Haddads ställe på sammanträdet torsdag den 21 januari 2027) har gått ut');
    expect(sentTo(ELIN)).toContain('Kan du tjänstgöra i Amira Haddads ställe');
    // Elin's own time counts from when she was asked.
    expect((await state()).ersattareAsks.get('E2')).toMatchObject({ status: 'pending', deadline: '2027-01-13T07:00:00.000Z' });
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.timedOut', 'ersattare.asked']);

    // Too late for Nils now; and a second pass changes nothing.
    expect(await h.text(NILS, 'ersättare ja E1')).toContain('Tiden att svara gick ut');
    expect((await processErsattareTimeouts(h.core, new Date('2027-01-12T08:05:00+01:00'))).timedOut).toEqual([]);
  });

  test('a time-out that falls on a Saturday waits for Monday morning', async () => {
    h.clock.set('2027-01-15T16:00:00+01:00'); // Friday
    await h.say(AMIRA, 'förhinder 2027-01-21');
    expect((await state()).ersattareAsks.get('E1')?.deadline).toBe('2027-01-16T15:00:00.000Z');
    const saturday = new Date('2027-01-16T17:00:00+01:00');
    expect(dueTimeouts(h.committee, await state(), saturday)).toEqual([]);
    expect((await processErsattareTimeouts(h.core, saturday)).timedOut).toEqual([]);
    expect((await processErsattareTimeouts(h.core, new Date('2027-01-18T08:00:00+01:00'))).timedOut).toEqual(['E1']);
  });

  test('two processes ticking at once record a time-out once', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    const at = new Date('2027-01-12T09:00:00+01:00');
    const [a, b] = await Promise.all([processErsattareTimeouts(h.core, at), processErsattareTimeouts(h.core, at)]);
    expect([...a.timedOut, ...b.timedOut]).toEqual(['E1']);
    expect(h.recorder.to(ELIN)).toHaveLength(1);
  });

  test('nobody left: the secretary is told, with what it means for quorum', async () => {
    const answer = await h.text(JOHAN, 'förhinder 2027-01-21');
    expect(answer).toContain('Jag frågar Robin Lindgren (SD)');
    await h.say(ROBIN, 'ersättare nej E1');
    expect(sentTo(SECRETARY)).toContain('Ingen ersättare kunde hittas i Johan Sjöbergs ställe på sammanträdet torsdag den 21 januari 2027 (hela sammanträdet)');
    expect(sentTo(SECRETARY)).toContain('Nämnden är ändå beslutsför i alla ärenden.');
    expect(sentTo(SECRETARY)).toContain('närvaro 2027-01-21');
    expect(sentTo(JOHAN)).toContain('Ingen ersättare kunde hittas i ditt ställe');
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.declined', 'ersattare.exhausted']);
    expect(await h.text(JOHAN, 'förhinder lista')).toContain('H1: torsdag den 21 januari 2027, hela sammanträdet — ingen ersättare hittad (Robin Lindgren (SD) har tackat nej)');
  });

  test('nobody left after a time-out', async () => {
    await h.say(JOHAN, 'förhinder 2027-01-21');
    await processErsattareTimeouts(h.core, new Date('2027-01-12T10:00:00+01:00'));
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.timedOut', 'ersattare.exhausted']);
    expect(sentTo(SECRETARY)).toContain('Ingen ersättare kunde hittas i Johan Sjöbergs ställe');
  });

  test('a withdrawn förhinder: the ledamot is back and the ersättare who accepted is told', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    await h.say(NILS, 'ersättare ja E1');
    const answer = await h.text(AMIRA, 'förhinder återkalla H1');
    expect(answer).toContain('Förhinder H1 är återkallat: du deltar i sammanträdet torsdag den 21 januari 2027 (hela sammanträdet).');
    expect(answer).toContain('Nils Holmgren (S) har fått veta att förfrågan inte längre gäller.');
    expect(sentTo(NILS)).toContain('Amira Haddad (S) kommer ändå till sammanträdet torsdag den 21 januari 2027, så du behöver inte tjänstgöra i Amira Haddads ställe (hela sammanträdet).');
    expect(sentTo(SECRETARY)).toContain('Amira Haddad (S) har återkallat sitt förhinder (H1) och kommer till sammanträdet torsdag den 21 januari 2027. Nils Holmgren (S) tjänstgör inte och har fått veta det.');
    expect((await state()).ersattareAsks.get('E1')?.status).toBe('released');
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.accepted', 'forhinder.withdrawn']);
    // The withdrawal is a record of its own; the förhinder stays in the list as återkallat.
    expect(await h.text(AMIRA, 'förhinder lista')).toContain('H1: torsdag den 21 januari 2027, hela sammanträdet — återkallat (Nils Holmgren (S) behövs inte längre)');
    expect(await h.text(AMIRA, 'förhinder återkalla H1')).toContain('redan återkallat');
  });

  test('a withdrawn förhinder before anyone answered: the one asked need not answer', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    await h.say(AMIRA, 'förhinder återkalla H1');
    expect(sentTo(NILS)).toContain('Förfrågan E1 om att tjänstgöra är inte längre aktuell; du behöver inte svara.');
    expect(await h.text(NILS, 'ersättare ja E1')).toContain('Ledamoten kommer ändå, så du behövs inte.');
    // Nothing left to time out.
    expect((await processErsattareTimeouts(h.core, new Date('2027-01-12T09:00:00+01:00'))).timedOut).toEqual([]);
  });

  test('an återbud after accepting: the ledamot is told and the next one asked', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    await h.say(NILS, 'ersättare ja E1');
    expect(await h.text(NILS, 'ersättare nej E1')).toContain('Återbud noterat för förfrågan E1.');
    expect(sentTo(AMIRA)).toContain('Nils Holmgren (S) har lämnat återbud och tjänstgör inte i ditt ställe');
    expect(sentTo(ELIN)).toContain('ersättare ja E2');
  });

  test('an ersättare who gets förhinder is not asked, and calls off what they had accepted', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    await h.say(NILS, 'ersättare ja E1');
    const answer = await h.text(NILS, 'förhinder 2027-01-21');
    expect(answer).toContain('Jag har strukit dig från förfrågan du hade och frågar nästa ersättare i tur.');
    expect(sentTo(AMIRA)).toContain('Nils Holmgren (S) har fått förhinder och kan inte tjänstgöra i ditt ställe');
    expect(sentTo(ELIN)).toContain('Kan du tjänstgöra i Amira Haddads ställe');
    // Tomas's förhinder now skips Nils, who has förhinder, and Elin, who is asked for Amira.
    await h.say(TOMAS, 'förhinder 2027-01-21');
    expect(sentTo(SECRETARY)).toContain('Ingen ersättare kunde hittas i Tomas Engströms ställe');
  });

  test('two förhinder from one party: the second goes to the next free ersättare', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    expect(await h.text(TOMAS, 'förhinder 2027-01-21')).toContain('Jag frågar Elin Hedlund (MP)');
  });

  test('förhinder for some ärenden: the ask names them, by § once there is a draft', async () => {
    await h.say(SECRETARY, 'dagordning');
    const answer = await h.text(AMIRA, 'förhinder 2027-01-21 4/27 § 12');
    expect(answer).toContain('Gäller: §§ 11–12');
    expect(answer).toContain('4/27 Fördelning av verksamhetsbidrag till föreningar 2027');
    expect(answer).toContain('5/27 Biblioteksplan 2027–2030');
    expect(sentTo(NILS)).toContain('Gäller: §§ 11–12');
    expect((await state()).forhinder.get('H1')?.lopnummer).toEqual(['4/27', '5/27']);
    // More of the same meeting adds only what is new; the whole meeting needs the partial one withdrawn first.
    expect(await h.text(AMIRA, 'förhinder 5/27')).toContain('Du har redan anmält förhinder för § 12');
    expect(await h.text(AMIRA, 'förhinder 2027-01-21')).toContain('Återkalla det först');
    expect(await h.text(AMIRA, 'förhinder 5/27 6/27')).toContain('Gäller: § 13');
  });

  test('a löpnummer of a later meeting picks that meeting', async () => {
    expect(await h.text(AMIRA, 'förhinder 14/27')).toContain('Förhinder anmält till sammanträdet torsdag den 18 februari 2027.');
  });

  test('the bare command gives a form; submitting it records the förhinder', async () => {
    const replies = await h.say(AMIRA, 'förhinder');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.id).toBe('forhinder.report');
    expect(form.form.fields.map((f) => f.name)).toEqual(['meeting', 'text']);
    expect(await types()).toEqual([]);
    expect(plain(await h.submit(AMIRA, 'forhinder.report', { committee: 'kfn', meeting: 'kfn-2027-02-18', text: '' }))).toContain('Förhinder anmält till sammanträdet torsdag den 18 februari 2027.');
    const wrong = await h.submit(AMIRA, 'forhinder.report', { committee: 'kfn', meeting: 'kfn-2027-02-18', text: '99/27' });
    const again = wrong[0].message.parts.find((p) => p.kind === 'form');
    expect(again?.kind === 'form' && again.form.fields[1].error).toContain('Det finns inget ärende "99/27"');
  });

  test.each([
    [AMIRA, 'förhinder 2026-11-12', 'Sammanträdet torsdag den 12 november 2026 är redan hållet'],
    [AMIRA, 'förhinder 2027-01-21 99/27', 'Det finns inget ärende "99/27"'],
    [AMIRA, 'förhinder 2027-03-01', 'Jag hittar inget sammanträde "2027-03-01"'],
    [OFFICER, 'förhinder 2027-01-21', 'Det kan bara'],
    [TOMAS, 'ersättare ja E1', 'Du har ingen förfrågan med id E1'],
    [AMIRA, 'förhinder återkalla H9', 'Du har inget förhinder med id H9'],
  ])('%s: "%s" is refused', async (who, command, expected) => {
    expect(await h.text(who, command)).toContain(expected);
    expect(await types()).toEqual([]);
  });

  test('someone else’s ask cannot be answered', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    expect(await h.text(ELIN, 'ersättare ja E1')).toContain('Du har ingen förfrågan med id E1');
    expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked']);
  });

  test('the ersättare sees the open ask in förhinder lista, and "ersättare ja" alone answers it', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21');
    const listed = await h.text(NILS, 'förhinder lista');
    expect(listed).toContain('E1: torsdag den 21 januari 2027, i Amira Haddads ställe — svara senast tisdag den 12 januari 2027 kl. 8.00');
    expect(listed).toContain('[Ja E1] skriv: ersättare ja E1');
    expect(await h.text(NILS, 'ersättare ja')).toContain('Tack! Du tjänstgör');
  });

  test('every step is exported for the diarium', async () => {
    await h.say(AMIRA, 'förhinder 2027-01-21 4/27');
    await h.say(NILS, 'ersättare nej E1 Bortrest');
    await h.say(ELIN, 'ersättare ja E2');
    const rows = exportRows(h.committee, await h.store.readEvents('kfn', 0));
    expect(rows.map((r) => [r.handelse, r.id, r.arende, r.ledamot, r.text])).toEqual([
      ['Förhinder anmält', 'H1', '4/27 Fördelning av verksamhetsbidrag till föreningar 2027', 'Amira Haddad (S)', ''],
      ['Ersättare tillfrågad', 'E1', '4/27 Fördelning av verksamhetsbidrag till föreningar 2027', 'Nils Holmgren (S)', 'I stället för Amira Haddad (S) (H1), svar senast 2027-01-12 08:00'],
      ['Ersättare tackade nej eller lämnade återbud', 'E1', '4/27 Fördelning av verksamhetsbidrag till föreningar 2027', 'Nils Holmgren (S)', 'Bortrest'],
      ['Ersättare tillfrågad', 'E2', '4/27 Fördelning av verksamhetsbidrag till föreningar 2027', 'Elin Hedlund (MP)', 'I stället för Amira Haddad (S) (H1), svar senast 2027-01-12 08:00'],
      ['Ersättare tackade ja', 'E2', '4/27 Fördelning av verksamhetsbidrag till föreningar 2027', 'Elin Hedlund (MP)', ''],
    ]);
  });
});

describe('the scheduler', () => {
  test('a tick records due time-outs and asks the next ersättare', async () => {
    const delivery = new AdapterDelivery();
    delivery.register(h.recorder);
    const scheduler = new Scheduler({ core: h.core, store: h.store, delivery, clock: h.clock });
    await h.say(AMIRA, 'förhinder 2027-01-21');
    await scheduler.tick(new Date('2027-01-11T12:00:00+01:00'));
    expect(h.recorder.to(ELIN)).toHaveLength(0);
    await scheduler.tick(new Date('2027-01-12T08:01:00+01:00'));
    expect((await state()).ersattareAsks.get('E1')?.status).toBe('timedOut');
    expect(sentTo(ELIN)).toContain('ersättare ja E2');
    await scheduler.stop();
  });
});

test('an ask still open when the meeting starts ends the chain, and the secretary is told', async () => {
  h.clock.set('2027-01-21T11:00:00+01:00');
  await h.say(AMIRA, 'förhinder 2027-01-21');
  expect((await state()).ersattareAsks.get('E1')?.deadline).toBe('2027-01-21T12:00:00.000Z');
  expect((await processErsattareTimeouts(h.core, new Date('2027-01-21T13:00:00+01:00'))).timedOut).toEqual(['E1']);
  expect(h.recorder.to(ELIN)).toHaveLength(0);
  expect(sentTo(SECRETARY)).toContain('Sammanträdet torsdag den 21 januari 2027 har börjat och ingen ersättare har tackat ja i Amira Haddads ställe (hela sammanträdet).');
  expect(await types()).toEqual(['forhinder.reported', 'ersattare.asked', 'ersattare.timedOut', 'ersattare.exhausted']);
});

describe('the command words', () => {
  test.each([
    ['förhinder', 'forhinder.report', {}],
    ['absent 2027-01-21', 'forhinder.report', { text: '2027-01-21' }],
    ['Förhinder möte 2027-02-18 14/27 § 21', 'forhinder.report', { meeting: '2027-02-18', text: '14/27 § 21' }],
    ['forhinder lista', 'forhinder.list', {}],
    ['förhinder återkalla H1', 'forhinder.withdraw', { id: 'H1' }],
    ['ersättare ja E1', 'ersattare.accept', { id: 'E1' }],
    ['ersattare tacka ja E1', 'ersattare.accept', { id: 'E1' }],
    ['ersättare nej E1 Jag är bortrest', 'ersattare.decline', { id: 'E1', text: 'Jag är bortrest' }],
    ['ersättare återbud E1', 'ersattare.decline', { id: 'E1' }],
    ['ersättare lista', 'ersattare.list', {}],
    ['närvaro', 'narvaro', {}],
    ['narvaro 2027-02-18', 'narvaro', { meeting: '2027-02-18' }],
    ['engagemang styrelse Sjöbacka Ridklubb', 'interest.add', { text: 'styrelse Sjöbacka Ridklubb' }],
    ['engagemang ta bort I2', 'interest.remove', { id: 'I2' }],
    ['intressen', 'interest.list', {}],
    ['intressen alla', 'interest.list', { member: 'alla' }],
  ])('"%s" → %s', (text, name, args) => {
    expect(parseText(text, COMMANDS)).toEqual({ ok: true, command: { name, args, fromForm: false } });
  });
});

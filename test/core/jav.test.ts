import { findItem } from '../../src/core/refs';
import { makeHarness, plain, type Harness } from '../support/harness';

// Example committee (examples/kfn.yaml); the clock stands at 2027-01-10, before the meeting
// of 2027-01-21 (ärenden 1/27–10/27; 8/27 is sekretess) and after the one of 2026-11-12.
const AMIRA = 'amira.haddad'; // ledamot (S)
const TOMAS = 'tomas.engstrom'; // ledamot (S)
const HELENA = 'helena.sandberg'; // ledamot (M)
const NILS = 'nils.holmgren'; // ersättare (S)
const CHAIR = 'karin.lundqvist'; // ordförande (S)
const SECRETARY = 'maria.ekstrom';
const OFFICER = 'fatima.rahimi'; // handläggare
const SEKRETESS_TITLE = 'ansökan om fritidsstöd';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

describe('declaring jäv', () => {
  test.each([
    ['by löpnummer', 'jäv 3/27 part Min bror driver ett företag som berörs'],
    ['by the number alone', 'jäv 3 part Min bror driver ett företag som berörs'],
    ['by a word of the title', 'jäv internbudget part Min bror driver ett företag som berörs'],
    ['without diacritics, in English', 'conflict 3 interest Min bror driver ett företag som berörs'],
    ['with the ground first', 'jäv part 3 Min bror driver ett företag som berörs'],
  ])('%s', async (_, command) => {
    const answer = await h.text(AMIRA, command);
    expect(answer).toContain('Jäv anmält i ärende 3/27 Internbudget och verksamhetsplan 2027 till sammanträdet torsdag den 21 januari 2027.');
    expect(answer).toContain('Grund: partsjäv/intressejäv');
    expect(answer).toContain('Motivering: Min bror driver ett företag som berörs');
    expect(answer).toContain('jäv återkalla J1');
    const events = await h.store.readEvents('kfn', 0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'jav.declared',
      declarationId: 'J1',
      meetingId: 'kfn-2027-01-21',
      lopnummer: '3/27',
      memberId: AMIRA,
      ground: 'partsjav',
      motivation: 'Min bror driver ett företag som berörs',
      actor: { memberId: AMIRA, via: 'console' },
      at: '2027-01-10T09:00:00.000Z',
    });
  });

  test.each([
    ['ställföreträdare', 'stallforetradarjav', 'ställföreträdarjäv'],
    ['tillsyn', 'tillsynsjav', 'tillsynsjäv'],
    ['övrigt', 'ovrigt', 'övrigt jäv'],
    ['Ovrigt', 'ovrigt', 'övrigt jäv'],
  ])('ground %s', async (word, ground, label) => {
    expect(await h.text(AMIRA, `jäv 5 ${word}`)).toContain(`Grund: ${label}`);
    expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ ground });
  });

  test('an outdated ground is read as today’s, and the member is told', async () => {
    const answer = await h.text(AMIRA, 'jäv 5 delikatessjäv');
    expect(answer).toContain('Grund: övrigt jäv');
    expect(answer).toContain('finns inte som jävsgrund sedan 2022');
  });

  test('a named meeting', async () => {
    expect(await h.text(AMIRA, 'jäv möte 2027-02-18 11 part')).toContain('till sammanträdet torsdag den 18 februari 2027');
    expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ meetingId: 'kfn-2027-02-18' });
  });

  test('missing arguments give a form with the meeting’s ärenden and the four grounds', async () => {
    const replies = await h.say(AMIRA, 'jäv');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    expect(form).toBeDefined();
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.id).toBe('jav.declare');
    expect(form.form.hidden).toEqual({ committee: 'kfn', meeting: 'kfn-2027-01-21' });
    const [item, ground, motivation] = form.form.fields;
    expect(item.options?.map((o) => o.value)).toEqual(['1/27', '2/27', '3/27', '4/27', '5/27', '6/27', '7/27', '8/27', '9/27', '10/27']);
    expect(item.options?.[7].label).toBe('8/27 Sekretessärende');
    expect(ground.kind).toBe('radio');
    expect(ground.options?.map((o) => o.label)).toEqual(['partsjäv/intressejäv', 'ställföreträdarjäv', 'tillsynsjäv', 'övrigt jäv']);
    expect(motivation.required).toBe(false);
    expect(await h.eventCount()).toBe(0);
  });

  test('the form, submitted, declares', async () => {
    const replies = await h.submit(AMIRA, 'jav.declare', { committee: 'kfn', meeting: 'kfn-2027-01-21', item: '6/27', ground: 'tillsynsjav', text: 'Jag sitter i styrelsen för hallbolaget' });
    expect(plain(replies)).toContain('Jäv anmält i ärende 6/27');
    expect(await h.eventCount()).toBe(1);
  });

  test('a submitted form with a bad ärende comes back with the error on the field', async () => {
    const replies = await h.submit(AMIRA, 'jav.declare', { committee: 'kfn', meeting: 'kfn-2027-01-21', item: '99', ground: 'partsjav' });
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.fields[0].error).toContain('Det finns inget ärende "99"');
    expect(form.form.fields[1].value).toBe('partsjav');
    expect(await h.eventCount()).toBe(0);
  });

  test('with only the ärende, the form keeps it and asks for the ground', async () => {
    const replies = await h.say(AMIRA, 'jäv 3');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.fields[0].value).toBe('3/27');
    expect(replies[0].message.text).toBe('Fyll i jävsgrund för att anmäla jäv.');
  });
});

describe('finding the ärende (issue 19.3, 19.4)', () => {
  test('by § once the secretary has a draft, as förhinder does', async () => {
    await h.say(SECRETARY, 'dagordning');
    // The draft numbers 4/27 as § 11 and 5/27 as § 12 (see the förhinder tests).
    const answer = await h.text(AMIRA, 'jäv § 12 övrigt');
    expect(answer).toContain('Jäv anmält i ärende 5/27');
    expect((await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'jav.declared')[0]).toMatchObject({ lopnummer: '5/27', ground: 'ovrigt' });
  });

  test('the help’s own example: an ärende on a later meeting, by its löpnummer', async () => {
    const answer = await h.text(AMIRA, 'jäv 14/27 part Min make sitter i föreningens styrelse');
    expect(answer).toContain('Jäv anmält i ärende 14/27');
    expect(answer).toContain('till sammanträdet torsdag den 18 februari 2027');
    expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ meetingId: 'kfn-2027-02-18', lopnummer: '14/27' });
  });
});

describe('refusals change nothing', () => {
  test.each([
    ['an unknown ärende', AMIRA, 'jäv 99 part', 'Det finns inget ärende "99" på sammanträdet torsdag den 21 januari 2027.'],
    ['an unknown title word', AMIRA, 'jäv simhall part', 'Det finns inget ärende "simhall"'],
    ['a § before numbers are set', AMIRA, 'jäv § 21 part', 'Paragrafnumren är inte satta ännu'],
    ['a meeting already held', AMIRA, 'jäv möte 2026-11-12 2 part', 'är redan hållet, så jäv kan inte anmälas'],
    ['an unknown meeting', AMIRA, 'jäv möte 2027-05-01 2 part', 'Jag hittar inget sammanträde "2027-05-01". Skriv datumet som ÅÅÅÅ-MM-DD. Kommande sammanträden: 2027-01-21, 2027-02-18.'],
    ['an unknown ground', AMIRA, 'jäv 3 jätteviktigt', '"jätteviktigt" är ingen jävsgrund. Välj part, ställföreträdare, tillsyn eller övrigt.'],
    ['the secretary', SECRETARY, 'jäv 3 part', 'Det kan bara ledamöter och ersättare göra, och du är sekreterare.'],
    ['a handläggare', OFFICER, 'jäv 3 part', 'Det kan bara ledamöter och ersättare göra, och du är handläggare.'],
    ['a non-member', 'okand.person', 'jäv 3 part', 'Jag känner inte igen dig'],
    ['a too long motivation', AMIRA, `jäv 3 part ${'x'.repeat(1500)}`, 'Motiveringen är 1500 tecken lång; skriv högst 1000.'],
  ])('%s', async (_, who, command, expected) => {
    const answer = await h.text(who, command);
    expect(answer).toContain(expected);
    expect(await h.eventCount()).toBe(0);
  });

  test('an ambiguous title word lists the candidates', async () => {
    const answer = await h.text(AMIRA, 'jäv anmälan part');
    expect(answer).toContain('"anmälan" passar flera ärenden. Skriv löpnumret för det du menar:');
    expect(answer).toContain('9/27 Anmälan av delegationsbeslut');
    expect(answer).toContain('10/27 Anmälan av inkomna skrivelser');
    expect(await h.eventCount()).toBe(0);
  });

  test('declaring the same jäv twice records it once', async () => {
    await h.text(AMIRA, 'jäv 3 part');
    expect(await h.text(AMIRA, 'jäv 3/27 övrigt')).toContain('Du har redan anmält jäv i ärende 3/27 Internbudget och verksamhetsplan 2027 (J1). Inget ändrades.');
    expect(await h.eventCount()).toBe(1);
  });

  test('two declarations of the same jäv at once are recorded once', async () => {
    const answers = await Promise.all([h.text(AMIRA, 'jäv 3 part'), h.text(AMIRA, 'jäv 3 part'), h.text(AMIRA, 'jäv 3 part')]);
    expect(answers.filter((a) => a.includes('Jäv anmält'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('Du har redan anmält jäv'))).toHaveLength(2);
    expect(await h.eventCount()).toBe(1);
  });
});

describe('sekretess', () => {
  test('declaring on a sekretess ärende works and never echoes its title', async () => {
    const replies = await h.say(AMIRA, 'jäv 8 part Sökanden är min systerson');
    const text = plain(replies);
    expect(text).toContain('Jäv anmält i ärende 8/27 Sekretessärende');
    expect(text.toLowerCase()).not.toContain(SEKRETESS_TITLE);
    expect(await h.eventCount()).toBe(1);
  });

  test('a sekretess ärende is found by löpnummer only: a word of its title answers as a word of no title', async () => {
    // If a title word found it, a member could learn the title by trying words.
    const asNothing = (word: string) => h.text(AMIRA, `jäv ${word} part`).then((t) => t.replaceAll(word, 'ORD'));
    const unknown = await asNothing('zqxvw');
    expect(unknown).toContain('Det finns inget ärende "ORD"');
    for (const word of ['fritidsstöd', 'fritids', 'ansökan', 'individärende']) expect(await asNothing(word)).toBe(unknown);
    const form = plain(await h.say(AMIRA, 'jäv fritids'));
    expect(form).not.toContain('8/27');
    expect(await h.eventCount()).toBe(0);
    expect(await h.text(AMIRA, 'jäv 8/27 part')).toContain('Jäv anmält i ärende 8/27 Sekretessärende');
  });

  test('a word shared by a public and a sekretess title finds the public one, without naming the other as a candidate', () => {
    const meeting = h.committee.meetings.find((m) => m.id === 'kfn-2027-01-21')!;
    const withShared = { ...meeting, items: meeting.items.map((i) => (i.lopnummer === '3/27' ? { ...i, title: 'Fritidsgårdarnas budget' } : i)) };
    const found = findItem(withShared, 'fritids');
    expect(found).toMatchObject({ ok: true, value: { lopnummer: '3/27' } });
  });

  test('no answer to anyone in the jäv flow contains the sekretess title', async () => {
    await h.text(AMIRA, 'jäv 8 part');
    const all = [await h.text(AMIRA, 'jäv lista'), await h.text(SECRETARY, 'jäv översikt'), await h.text(CHAIR, 'jäv översikt'), await h.text(AMIRA, 'ärenden'), plain(await h.say(AMIRA, 'jäv'))];
    for (const text of all) expect(text.toLowerCase()).not.toContain(SEKRETESS_TITLE);
  });
});

describe('listing and withdrawing', () => {
  test('a member lists their own declarations only', async () => {
    await h.text(AMIRA, 'jäv 3 part');
    await h.text(HELENA, 'jäv 4 övrigt');
    const list = await h.text(AMIRA, 'jäv lista');
    expect(list).toContain('Dina jävsanmälningar (1):');
    expect(list).toContain('J1: 3/27 Internbudget och verksamhetsplan 2027, torsdag den 21 januari 2027 (partsjäv/intressejäv)');
    expect(list).not.toContain('J2');
  });

  test('no declarations', async () => {
    expect(await h.text(AMIRA, 'jäv lista')).toBe('Du har inga jävsanmälningar. Anmäl med till exempel: jäv 14/27 part');
  });

  test('withdrawing is a new record; the declaration stays as withdrawn', async () => {
    await h.text(AMIRA, 'jäv 3 part');
    expect(await h.text(AMIRA, 'jäv återkalla j1')).toContain('Jävsanmälan J1 är återkallad. Den finns kvar i diariet som återkallad.');
    const events = await h.store.readEvents('kfn', 0);
    expect(events.map((e) => e.type)).toEqual(['jav.declared', 'jav.withdrawn']);
    expect(await h.text(AMIRA, 'jäv lista')).toContain('(partsjäv/intressejäv) — återkallad');
    expect(await h.text(AMIRA, 'jäv återkalla J1')).toContain('redan återkallad. Inget ändrades.');
    expect(await h.eventCount()).toBe(2);
    // After withdrawing, the member may declare again.
    expect(await h.text(AMIRA, 'jäv 3 övrigt')).toContain('Jäv anmält');
  });

  test('the withdraw button does the same', async () => {
    const replies = await h.say(AMIRA, 'jäv 3 part');
    const buttons = replies[0].message.parts.find((p) => p.kind === 'buttons');
    if (buttons?.kind !== 'buttons') throw new Error('no buttons');
    const b = buttons.buttons[0];
    expect(b).toMatchObject({ label: 'Återkalla', actionId: 'jav.withdraw', command: 'jäv återkalla J1' });
    expect(plain(await h.click(AMIRA, b.actionId, b.value))).toContain('Jävsanmälan J1 är återkallad.');
  });

  test('someone else’s declaration cannot be withdrawn', async () => {
    await h.text(AMIRA, 'jäv 3 part');
    expect(await h.text(HELENA, 'jäv återkalla J1')).toContain('Du har ingen jävsanmälan med id J1.');
    expect(await h.eventCount()).toBe(1);
  });

  test('after the meeting the declaration stands', async () => {
    await h.text(AMIRA, 'jäv 3 part');
    h.clock.set('2027-01-22T10:00:00+01:00');
    expect(await h.text(AMIRA, 'jäv återkalla J1')).toContain('Sammanträdet för J1 är redan hållet, så anmälan står kvar.');
    expect(await h.eventCount()).toBe(1);
  });

  test('during the meeting day, before it ends, jäv can still be declared', async () => {
    h.clock.set('2027-01-21T14:00:00+01:00');
    expect(await h.text(AMIRA, 'jäv 3 part')).toContain('Jäv anmält');
    // Once it has ended, "next meeting" is February's, which has no ärende 3.
    h.clock.set('2027-01-21T16:01:00+01:00');
    expect(await h.text(TOMAS, 'jäv 3 part')).toContain('Det finns inget ärende "3" på sammanträdet torsdag den 18 februari 2027.');
  });
});

describe('the overview for the secretary and the ordförande', () => {
  test('grouped by ärende, in agenda order, with the protocol sentence and an ersättare by party', async () => {
    await h.text(HELENA, 'jäv 6 övrigt Jag är ordförande i en förening som hyr hallen');
    await h.text(AMIRA, 'jäv 3 part');
    await h.text(TOMAS, 'jäv 3 ställföreträdare');
    await h.text(NILS, 'jäv 3 part');
    const overview = await h.text(SECRETARY, 'jäv översikt');
    expect(overview).toContain('Jäv till sammanträdet torsdag den 21 januari 2027: 4 anmälningar.');
    const i3 = overview.indexOf('Ärende 3/27');
    const i6 = overview.indexOf('Ärende 6/27');
    expect(i3).toBeGreaterThan(-1);
    expect(i6).toBeGreaterThan(i3);
    // S's order is Nils (S), then Elin (MP). Nils is jävig in 3/27 himself, so Amira gets Elin,
    // and nobody is left for Tomas: each ersättare is proposed once per ärende.
    expect(overview).toContain('Amira Haddad (S) anmäler jäv och deltar inte i handläggningen av ärendet. (J2, partsjäv/intressejäv.) Förslag på ersättare: Elin Hedlund (MP).');
    expect(overview).toContain('Tomas Engström (S) anmäler jäv och deltar inte i handläggningen av ärendet. (J3, ställföreträdarjäv.) Ingen ledig ersättare i turordningen för S.');
    expect(overview).toContain('Helena Sandberg (M) anmäler jäv och deltar inte i handläggningen av ärendet. (J1, övrigt jäv: Jag är ordförande i en förening som hyr hallen.) Förslag på ersättare: Ingrid Dahl (M).');
    expect(overview).toContain('Nils Holmgren (S) anmäler jäv och deltar inte i handläggningen av ärendet. (J4, partsjäv/intressejäv.)');
    expect(await h.text(CHAIR, 'jäv översikt')).toBe(overview);
  });

  test('with no declarations it gives the protocol wording', async () => {
    expect(await h.text(SECRETARY, 'jäv översikt')).toBe('Jäv till sammanträdet torsdag den 21 januari 2027: inga anmälningar.\nProtokollstext: Ingen anmälan av jäv.');
  });

  test('withdrawn declarations are counted but not listed', async () => {
    await h.text(AMIRA, 'jäv 3 part');
    await h.text(AMIRA, 'jäv återkalla J1');
    await h.text(HELENA, 'jäv 4 part');
    const overview = await h.text(SECRETARY, 'jäv översikt');
    expect(overview).toContain('1 anmälan, 1 återkallad.');
    expect(overview).not.toContain('Amira');
  });

  test('a ledamot may not see the overview', async () => {
    expect(await h.text(AMIRA, 'jäv översikt')).toBe('Det kan bara sekreteraren och ordföranden göra, och du är ledamot. Skriv hjälp för att se vad du kan göra.');
  });
});

import { makeHarness, plain, type Harness } from '../support/harness';

// examples/kfn.yaml: cut-off 48 h before the meeting of 2027-01-21 kl. 13.00.
const AMIRA = 'amira.haddad';
const HELENA = 'helena.sandberg';
const CHAIR = 'karin.lundqvist';
const SECRETARY = 'maria.ekstrom';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

describe('announcing', () => {
  test('to the next meeting', async () => {
    const answer = await h.text(AMIRA, 'övrig fråga Hur går arbetet med det nya badhuset?');
    expect(answer).toContain('Din övriga fråga F1 är anmäld till sammanträdet torsdag den 21 januari 2027.');
    expect(answer).toContain('Fråga: Hur går arbetet med det nya badhuset?');
    expect(answer).toContain('övrig fråga återkalla F1');
    expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ type: 'fraga.announced', questionId: 'F1', meetingId: 'kfn-2027-01-21', memberId: AMIRA, late: false });
  });

  test('to a named meeting', async () => {
    expect(await h.text(AMIRA, 'övrig fråga möte 2027-02-18 När öppnar biblioteket i Norrby?')).toContain('anmäld till sammanträdet torsdag den 18 februari 2027');
  });

  test('after the cut-off it is taken but marked late, and the secretary is told', async () => {
    h.clock.set('2027-01-19T13:01:00+01:00');
    const answer = await h.text(AMIRA, 'övrig fråga Varför stängde simhallen i helgen?');
    expect(answer).toContain('Den kom in efter sista tiden för anmälan, tisdag den 19 januari 2027 kl. 13.00, och är markerad som sen.');
    expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ late: true });
    const told = h.recorder.to(SECRETARY);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Sen övrig fråga F1 från Amira Haddad (S) till sammanträdet torsdag den 21 januari 2027.');
  });

  test('just before the cut-off it is not late', async () => {
    h.clock.set('2027-01-19T12:59:00+01:00');
    await h.text(AMIRA, 'övrig fråga Hinner vi?');
    expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ late: false });
    expect(h.recorder.sent).toHaveLength(0);
  });

  test('with no text, a form', async () => {
    const replies = await h.say(AMIRA, 'övrig fråga');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.id).toBe('fraga.announce');
    expect(form.form.fields.map((f) => f.name)).toEqual(['meeting', 'text']);
    expect(form.form.fields[0].options?.map((o) => o.value)).toEqual(['kfn-2027-01-21', 'kfn-2027-02-18']);
    expect(plain(await h.submit(AMIRA, 'fraga.announce', { meeting: 'kfn-2027-02-18', text: 'Via formuläret' }))).toContain('anmäld till sammanträdet torsdag den 18 februari 2027');
  });

  test.each([
    ['a held meeting', AMIRA, 'övrig fråga möte 2026-11-12 Sent påkommet', 'är redan hållet'],
    ['too long', AMIRA, `övrig fråga ${'a'.repeat(1200)}`, 'Frågan är 1200 tecken lång; skriv högst 1000 tecken.'],
    ['10,000 characters', AMIRA, `övrig fråga ${'a'.repeat(10_000)}`, 'Meddelandet är för långt (10012 tecken). Skriv högst 4000 tecken.'],
    ['the secretary', SECRETARY, 'övrig fråga Något', 'Det kan bara ledamöter och ersättare göra'],
    ['a stranger', 'U999', 'övrig fråga Något', 'Jag känner inte igen dig'],
  ])('refused: %s', async (_, who, command, expected) => {
    expect(await h.text(who, command)).toContain(expected);
    expect(await h.eventCount()).toBe(0);
  });
});

describe('the member’s own questions', () => {
  test('list and withdraw', async () => {
    await h.text(AMIRA, 'övrig fråga Första frågan');
    await h.text(HELENA, 'övrig fråga Helenas fråga');
    const list = await h.text(AMIRA, 'övrig fråga lista');
    expect(list).toContain('F1 "Första frågan" (torsdag den 21 januari 2027) [anmäld]');
    expect(list).not.toContain('Helenas');
    expect(await h.text(AMIRA, 'övrig fråga återkalla f1')).toContain('Din övriga fråga F1 är återkallad.');
    expect(await h.text(AMIRA, 'övrig fråga lista')).toContain('[återkallad]');
    expect(await h.text(HELENA, 'övrig fråga återkalla F1')).toContain('Det finns ingen egen övrig fråga med id F1.');
    expect((await h.store.readEvents('kfn', 0)).map((e) => e.type)).toEqual(['fraga.announced', 'fraga.announced', 'fraga.withdrawn']);
  });
});

describe('the secretary', () => {
  beforeEach(async () => {
    await h.text(AMIRA, 'övrig fråga Hur går det med badhuset?');
    await h.text(HELENA, 'övrig fråga Kan vi få en dragning om föreningsbidragen?');
  });

  test('lists all, with buttons to decide', async () => {
    const replies = await h.say(SECRETARY, 'övriga frågor');
    const text = plain(replies);
    expect(text).toContain('Övriga frågor till sammanträdet torsdag den 21 januari 2027: 2.');
    expect(text).toContain('Att besluta (2)');
    expect(text).toContain('F1 Amira Haddad (S): "Hur går det med badhuset?"');
    expect(text).toContain('[Godkänn F1] skriv: övrig fråga godkänn F1');
  });

  test('the ordförande may list but not decide', async () => {
    expect(await h.text(CHAIR, 'övriga frågor')).toContain('F2 Helena Sandberg (M)');
    expect(await h.text(CHAIR, 'övrig fråga godkänn F1')).toContain('Det kan bara sekreteraren göra, och du är ordförande.');
  });

  test('accepts, and the member is told', async () => {
    expect(await h.text(SECRETARY, 'övrig fråga godkänn F1')).toContain('Fråga F1 är godkänd och tas upp på sammanträdet torsdag den 21 januari 2027.');
    expect(h.recorder.to(AMIRA)[0]).toContain('Din övriga fråga F1 tas upp på sammanträdet torsdag den 21 januari 2027.');
    expect(await h.text(SECRETARY, 'övrig fråga godkänn F1')).toContain('redan godkänd. Inget ändrades.');
  });

  test('declines with a reason the member gets', async () => {
    const confirmation = await h.text(SECRETARY, 'övrig fråga avslå F2 Frågan besvaras i ärende 4/27');
    expect(confirmation).toContain('Fråga F2 är avslagen. Ledamoten får skälet.');
    expect(confirmation).toContain('[avslagen] — Frågan besvaras i ärende 4/27');
    expect(h.recorder.to(HELENA)[0]).toContain('Din övriga fråga F2 tas inte upp. Skäl: Frågan besvaras i ärende 4/27');
    expect(await h.text(HELENA, 'övrig fråga lista')).toContain('[avslagen] — Frågan besvaras i ärende 4/27');
  });

  test('when the member cannot be reached, the secretary is told why', async () => {
    h.recorder.unreachable.add(HELENA);
    const answer = await h.text(SECRETARY, 'övrig fråga avslå F2 Dubblett');
    expect(answer).toContain('Fråga F2 är avslagen.');
    expect(answer).toContain('Obs: Helena Sandberg (M) kunde inte nås med beskedet (console: appen är inte installerad för personen). Meddela hen på annat sätt.');
  });

  test('declining without a reason asks for one', async () => {
    const replies = await h.say(SECRETARY, 'övrig fråga avslå F2');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form).toMatchObject({ id: 'fraga.decline', hidden: { committee: 'kfn', id: 'F2' } });
    const n = await h.eventCount();
    expect(plain(await h.submit(SECRETARY, 'fraga.decline', { committee: 'kfn', id: 'F2', text: 'Dubblett av F1' }))).toContain('Fråga F2 är avslagen.');
    expect(await h.eventCount()).toBe(n + 1);
  });

  test('moves a question to another meeting, and the member is told', async () => {
    expect(await h.text(SECRETARY, 'övrig fråga flytta F1 till 2027-02-18')).toContain('Fråga F1 är flyttad till sammanträdet torsdag den 18 februari 2027.');
    expect(h.recorder.to(AMIRA)[0]).toContain('Din övriga fråga F1 är flyttad till sammanträdet torsdag den 18 februari 2027.');
    expect(await h.text(SECRETARY, 'övriga frågor')).not.toContain('F1 Amira');
    expect(await h.text(SECRETARY, 'övriga frågor möte 2027-02-18')).toContain('F1 Amira Haddad (S)');
  });

  test.each([
    ['to a held meeting', 'övrig fråga flytta F1 2026-11-12', 'är redan hållet'],
    ['to an unknown meeting', 'övrig fråga flytta F1 2027-06-01', 'Jag hittar inget sammanträde "2027-06-01"'],
    ['an unknown question', 'övrig fråga godkänn F9', 'Det finns ingen övrig fråga med id F9.'],
    ['no id', 'övrig fråga godkänn', 'Skriv vilken fråga du menar, till exempel F2.'],
  ])('refused: %s', async (_, command, expected) => {
    const n = await h.eventCount();
    expect(await h.text(SECRETARY, command)).toContain(expected);
    expect(await h.eventCount()).toBe(n);
  });

  test('a withdrawn question cannot be accepted', async () => {
    await h.text(AMIRA, 'övrig fråga återkalla F1');
    expect(await h.text(SECRETARY, 'övrig fråga godkänn F1')).toContain('återkallad av ledamoten');
  });
});

import { javHints, hintMessage, parseEngagement } from '../../src/core/handlers/interests';
import { outgoing, SekretessLeakError } from '../../src/core/outgoing';
import { matchEngagement } from '../../src/domain/interests';
import { makeHarness, plain, type Harness } from '../support/harness';

// Example committee (examples/kfn.yaml). Ärende 4/27 (§ 11 in the first draft) lists Sjöbacka
// Ridklubb 802456-7890 among its parties; 6/27 (§ 13) lists Sjöbackahem AB, a company the
// municipality controls. The registers are not in the file: members record them at run time.
const AMIRA = 'amira.haddad'; // ledamot (S)
const HELENA = 'helena.sandberg'; // ledamot (M)
const TOMAS = 'tomas.engstrom'; // ledamot (S)
const NILS = 'nils.holmgren'; // ersättare (S)
const CHAIR = 'karin.lundqvist';
const SECRETARY = 'maria.ekstrom';
const CHANNEL = { kind: 'channel' as const, channelId: 'C0KFN' };

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

const events = async () => h.store.readEvents('kfn', 0);
const hintsSent = () => h.recorder.sent.filter((s) => s.message.text.startsWith('Jävstips'));

describe('the register of interests', () => {
  test('a member records, lists and removes engagements privately', async () => {
    const answer = await h.text(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb 802456-7890');
    expect(answer).toContain('Engagemanget är registrerat: I1: styrelseuppdrag — Sjöbacka Ridklubb (802456-7890).');
    expect(answer).toContain('Bara du, sekreteraren och ordföranden kan se ditt register.');
    expect(answer).toContain('engagemang ta bort I1');
    await h.say(AMIRA, 'engagemang närstående Ekström & Dahl HB org.nr 9697123456');
    expect((await events()).map((e) => e.type === 'interest.recorded' && [e.kind, e.name, e.orgnr])).toEqual([
      ['styrelse', 'Sjöbacka Ridklubb', '8024567890'],
      ['narstaende', 'Ekström & Dahl HB', '9697123456'],
    ]);

    const listed = await h.text(AMIRA, 'intressen');
    expect(listed).toContain('Ditt register (2 engagemang):');
    expect(listed).toContain('I2: närståendes företag — Ekström & Dahl HB (969712-3456)');
    expect(await h.text(AMIRA, 'engagemang lista')).toContain('Ditt register (2 engagemang):');

    expect(await h.text(AMIRA, 'engagemang ta bort I1')).toContain('Engagemanget är borttaget ur ditt register: I1: styrelseuppdrag — Sjöbacka Ridklubb (802456-7890).');
    expect(await h.text(AMIRA, 'intressen')).toContain('Ditt register (1 engagemang):');
    // The removal is a record of its own.
    expect((await events()).map((e) => e.type)).toEqual(['interest.recorded', 'interest.recorded', 'interest.removed']);
  });

  test.each([
    ['styrelse Sjöbacka Ridklubb', { kind: 'styrelse', name: 'Sjöbacka Ridklubb' }],
    ['anställd Sjöbacka Energi AB, 556512-3456', { kind: 'anstallning', name: 'Sjöbacka Energi AB', orgnr: '5565123456' }],
    ['ägare Bergs Bygg AB 16556677-8899', { kind: 'agande', name: 'Bergs Bygg AB', orgnr: '5566778899' }],
    ['förening Sjöbacka IF', { kind: 'forening', name: 'Sjöbacka IF' }],
    ['ägare Sjöbacka Tallen 3:14', { kind: 'agande', name: 'Sjöbacka Tallen 3:14' }],
  ])('"%s" is read as %j', (text, expected) => {
    expect(parseEngagement(text)).toEqual({ ok: true, ...expected });
  });

  test.each(['Sjöbacka Ridklubb', 'styrelse', 'styrelse 556677-8899'])('"%s" is refused with the format', (text) => {
    expect(parseEngagement(text).ok).toBe(false);
  });

  test('the same engagement twice is not recorded twice', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    expect(await h.text(AMIRA, 'engagemang styrelse SJÖBACKA RIDKLUBB')).toContain('Du har redan det engagemanget registrerat (I1)');
    expect(await events()).toHaveLength(1);
  });

  test('the bare command gives a form; a bad submission comes back with its error', async () => {
    const replies = await h.say(AMIRA, 'engagemang');
    expect(replies[0].message.parts.some((p) => p.kind === 'form' && p.form.id === 'interest.add')).toBe(true);
    const bad = await h.submit(AMIRA, 'interest.add', { committee: 'kfn', text: 'Sjöbacka Ridklubb' });
    const form = bad[0].message.parts.find((p) => p.kind === 'form');
    expect(form?.kind === 'form' && form.form.fields[0].error).toContain('Börja med typen av engagemang');
    expect(plain(await h.submit(AMIRA, 'interest.add', { committee: 'kfn', text: 'förening Sjöbacka Konstnärer' }))).toContain('Engagemanget är registrerat');
  });

  test('in a channel nothing is recorded or shown; a listing goes to the member privately', async () => {
    const refused = await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb', CHANNEL);
    expect(plain(refused)).toContain('visas och ändras bara privat');
    expect(await events()).toHaveLength(0);

    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    const inChannel = await h.say(AMIRA, 'intressen', CHANNEL);
    expect(inChannel.map((o) => o.audience.kind)).toEqual(['asker']);
    expect(plain(inChannel)).toBe('Registret visas bara privat; jag har skickat det till dig som direktmeddelande.');
    expect(plain(inChannel)).not.toContain('Sjöbacka Ridklubb');
    expect(h.recorder.sent.map((s) => s.to)).toEqual([AMIRA]);
    expect(h.recorder.to(AMIRA)[0]).toContain('Sjöbacka Ridklubb');
  });

  test('only the member, the secretary and the ordförande see a register', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    await h.say(HELENA, 'engagemang anställd Sjöbackahem AB');
    expect(await h.text(TOMAS, 'intressen amira.haddad')).toContain('Du kan bara se ditt eget register.');
    expect(await h.text(TOMAS, 'intressen alla')).toContain('Du kan bara se ditt eget register.');
    expect(await h.text(CHAIR, 'intressen amira.haddad')).toContain('I1: styrelseuppdrag — Sjöbacka Ridklubb');
    const all = await h.text(SECRETARY, 'intressen alla');
    expect(all).toContain('2 av 14 har registrerat något');
    expect(all).toContain('Amira Haddad (S)');
    expect(all).toContain('I2: anställning — Sjöbackahem AB');
    expect(await h.text(SECRETARY, 'engagemang styrelse X AB')).toContain('Det kan bara');
    // Nobody removes another member's engagement.
    expect(await h.text(HELENA, 'engagemang ta bort I1')).toContain('Du har inget engagemang med id I1');
  });
});

describe('jäv hints', () => {
  test('building the draft sends a private hint to the member alone, with a button that declares only when pressed', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb 802456-7890');
    const draft = await h.say(SECRETARY, 'dagordning');
    const draftText = plain(draft);
    expect(draftText).toContain('Nämndbot har skickat 1 privat jävstips');
    expect(draftText).not.toContain('Sjöbacka Ridklubb');

    const hints = hintsSent();
    expect(hints.map((s) => s.to)).toEqual([AMIRA]);
    const hint = hints[0];
    expect(hint.message.text).toBe('Jävstips inför sammanträdet torsdag den 21 januari 2027: § 11, ärende 4/27 Fördelning av verksamhetsbidrag till föreningar 2027 kan beröra dig.');
    expect(hint.text).toContain('Ditt styrelseuppdrag: Sjöbacka Ridklubb (802456-7890) — organisationsnumret finns bland ärendets parter ("Sjöbacka Ridklubb (802456-7890)").');
    expect(hint.text).toContain('Trolig grund: ställföreträdarjäv — som styrelseledamot är du ställföreträdare för organisationen');
    expect(hint.text).toContain('Du avgör själv om du är jävig');
    const bs = hint.message.parts.find((p) => p.kind === 'buttons');
    if (bs?.kind !== 'buttons') throw new Error('no buttons');
    expect(bs.buttons.map((b) => [b.actionId, b.value, b.command])).toEqual([
      ['jav.declare', 'committee=KFN&meeting=kfn-2027-01-21&item=4%2F27&ground=stallforetradarjav', 'jäv möte 2027-01-21 4/27 ställföreträdare'],
      ['jav.declare', 'committee=KFN&meeting=kfn-2027-01-21&item=4%2F27', 'jäv möte 2027-01-21 4/27'],
    ]);

    // The bot declared nothing itself.
    expect((await events()).some((e) => e.type === 'jav.declared')).toBe(false);
    const declared = plain(await h.click(AMIRA, bs.buttons[0].actionId, bs.buttons[0].value));
    expect(declared).toContain('Jäv anmält i ärende 4/27 Fördelning av verksamhetsbidrag till föreningar 2027');
    expect((await events()).filter((e) => e.type === 'jav.declared')).toMatchObject([{ memberId: AMIRA, lopnummer: '4/27', ground: 'stallforetradarjav', actor: { memberId: AMIRA } }]);
    // And the text fallback says the same.
    expect(await h.text(AMIRA, 'jäv återkalla J1')).toContain('återkallad');
    expect(await h.text(AMIRA, bs.buttons[0].command)).toContain('Jäv anmält i ärende 4/27');
  });

  test('the same hint is not sent twice for the same draft content; a new engagement gives a new one at once', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb 802456-7890');
    await h.say(SECRETARY, 'dagordning');
    await h.say(SECRETARY, 'dagordning');
    expect(hintsSent()).toHaveLength(1);
    expect((await events()).filter((e) => e.type === 'javhint.sent')).toHaveLength(1);

    // A draft is out: a newly recorded engagement is checked right away, privately.
    const answer = await h.say(TOMAS, 'engagemang förening Föreningen Sjöbacka Konstnärer');
    expect(plain(answer)).toContain('Engagemanget är registrerat');
    expect(hintsSent().map((s) => s.to)).toEqual([AMIRA, TOMAS]);
    expect(hintsSent()[1].text).toContain('Trolig grund: övrigt jäv');
    await h.say(SECRETARY, 'dagordning');
    expect(hintsSent()).toHaveLength(2);
  });

  test('no hint to a member who already declared jäv in the ärende', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    await h.say(AMIRA, 'jäv 4/27 ställföreträdare');
    await h.say(SECRETARY, 'dagordning');
    expect(hintsSent()).toHaveLength(0);
  });

  test('a seat in a company the municipality controls: the hint says it is not in itself jäv', async () => {
    await h.say(HELENA, 'engagemang styrelse Sjöbackahem AB 556401-2345');
    await h.say(SECRETARY, 'dagordning');
    const [hint] = hintsSent();
    expect(hint.to).toBe(HELENA);
    expect(hint.text).toContain('§ 13, ärende 6/27 Taxor för uthyrning av idrottshallar och samlingslokaler 2027');
    expect(hint.text).toContain('Ett styrelseuppdrag där är i sig inte jäv, utom i myndighetsutövning mot enskild; det här ärendet är inte markerat som myndighetsutövning.');
  });

  test('the draft built in a channel still sends hints only privately', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    await h.say(NILS, 'engagemang ägare Sjöbacka Ridklubb');
    const replies = await h.say(SECRETARY, 'dagordning', CHANNEL);
    expect(replies.every((o) => o.audience.kind !== 'member')).toBe(true);
    expect(plain(replies)).not.toContain('Jävstips');
    expect(hintsSent().map((s) => s.to).sort()).toEqual([AMIRA, NILS]);
    expect(h.recorder.to(SECRETARY).join('\n')).not.toContain('Jävstips');
  });

  test('javHints addresses each hint to its member privately, never to a channel', async () => {
    await h.say(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    await h.say(HELENA, 'engagemang styrelse Sjöbackahem AB');
    const state = await h.core.log.state('kfn');
    const meeting = h.committee.meetings[1];
    const { replies, events: evs } = javHints(h.committee, state, meeting, new Map());
    expect(replies.map((o) => o.audience)).toEqual([
      { kind: 'member', committeeId: 'kfn', memberId: AMIRA },
      { kind: 'member', committeeId: 'kfn', memberId: HELENA },
    ]);
    expect(evs.map((e) => e.type === 'javhint.sent' && [e.memberId, e.lopnummer])).toEqual([
      [AMIRA, '4/27'],
      [HELENA, '6/27'],
    ]);
  });

  test('a hint on a sekretess ärende names the löpnummer only, quotes nothing and can never go to a channel', () => {
    const meeting = h.committee.meetings[1];
    const item = { ...meeting.items.find((i) => i.lopnummer === '8/27')!, parties: [{ name: 'Sjöbacka Ridklubb', kind: 'organisation' as const }] };
    const matches = matchEngagement({ id: 'I1', kind: 'styrelse', name: 'Sjöbacka Ridklubb' }, item);
    const msg = hintMessage(h.committee, meeting, item, 15, matches);
    expect(msg.sekretess).toBe(true);
    expect(msg.text).toBe('Jävstips inför sammanträdet torsdag den 21 januari 2027: § 15, ärende 8/27 Sekretessärende kan beröra dig.');
    const all = JSON.stringify(msg);
    expect(all).not.toContain('fritidsstöd');
    expect(all).not.toContain('("Sjöbacka Ridklubb")');
    expect(() => outgoing({ kind: 'channel' }, msg)).toThrow(SekretessLeakError);
    expect(outgoing({ kind: 'member', committeeId: 'kfn', memberId: AMIRA }, msg).audience.kind).toBe('member');
  });
});

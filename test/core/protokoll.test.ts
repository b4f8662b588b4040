import { channelSafeProtokoll, type Protokoll } from '../../src/domain/protokoll';
import { toPlainText } from '../../src/core/message';
import { makeHarness, plain, type Harness } from '../support/harness';

// Example committee (examples/kfn.yaml), meeting 2027-01-21, first draft of the year: § 1 Val av
// justerare, § 2 Tid för justering, § 3 Anmälan av jäv, § 4 Anmälan av övriga frågor, § 5
// Godkännande av dagordning, §§ 6–8 the information items 1/27, 9/27, 10/27, §§ 9–15 the
// beslutsärenden 2/27–8/27 (8/27 is sekretess), § 16 Övriga frågor. Nine ledamöter: five needed.
const SECRETARY = 'maria.ekstrom';
const MEETING = '2027-01-21';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ now: '2027-01-10T10:00:00+01:00' });
});
afterEach(async () => h.close());

/** Runs the steps as [who, command]; each must be accepted. */
async function run(steps: [string, string][]): Promise<void> {
  for (const [who, command] of steps) {
    const replies = await h.say(who, command);
    expect({ command, refused: /^(Det kan bara|Jag hittar|Det finns inget|Du har ingen|Skriv|Ange|"|§ \d+ finns inte|Inget sammanträde)/.test(plain(replies)) }).toEqual({ command, refused: false });
  }
}

async function latestProtokoll(): Promise<Protokoll> {
  const events = await h.store.readEvents(h.committee.id, 0);
  const drafted = events.filter((e) => e.type === 'protokoll.drafted');
  return (drafted[drafted.length - 1] as unknown as { protokoll: Protokoll }).protokoll;
}

async function afterMeeting(steps: [string, string][]): Promise<Protokoll> {
  await run([[SECRETARY, `dagordning möte ${MEETING}`]]);
  // Members declare and answer before the meeting; the secretary records after it.
  const before = ([who]: [string, string]) => who !== SECRETARY;
  await run(steps.filter(before));
  h.clock.set('2027-01-21T17:00:00+01:00');
  await run(steps.filter((s) => !before(s)));
  await run([[SECRETARY, 'protokoll']]);
  return latestProtokoll();
}

const byParagraph = (p: Protokoll, n: number) => p.paragraphs.find((x) => x.paragraph === n)!;

describe('närvaro per § and the quorum flag', () => {
  test.each<[string, [string, string][], { ledamoter?: string[]; tjanstgorande: string[]; ersattare?: string[]; participants: Record<number, number>; notBeslutsfor: number[]; jav?: Record<number, string[]> }]>([
    [
      'a ledamot jävig in § 10, an ersättare present: the ersättare serves in § 10 only',
      [
        ['tomas.engstrom', 'jäv 3/27 part'],
        [SECRETARY, 'närvaro alla nils.holmgren'],
      ],
      {
        ledamoter: ['Tomas Engström (S) §§ 1–9 och 11–16'],
        tjanstgorande: ['Nils Holmgren (S) ersätter Tomas Engström (S) § 10'],
        ersattare: ['Nils Holmgren (S) §§ 1–9 och 11–16'],
        participants: { 9: 9, 10: 9, 11: 9 },
        notBeslutsfor: [],
        jav: { 10: ['Tomas Engström (S) anmäler jäv och deltar inte i handläggningen av ärendet.'], 3: ['Tomas Engström (S) anmäler jäv i § 10.'] },
      },
    ],
    [
      'a ledamot jävig in § 10 and nobody to step in: eight take part there, still beslutsför',
      [['tomas.engstrom', 'jäv 3/27 part']],
      { tjanstgorande: [], participants: { 9: 9, 10: 8 }, notBeslutsfor: [], jav: { 3: ['Tomas Engström (S) anmäler jäv i § 10.'] } },
    ],
    [
      'the secretary records who served: the recorded §§ win over the proposal',
      [
        ['tomas.engstrom', 'jäv 3/27 part'],
        [SECRETARY, 'närvaro alla elin.hedlund'],
        [SECRETARY, 'närvaro alla nils.holmgren'],
        [SECRETARY, 'tjänstgör elin.hedlund för tomas.engstrom 10'],
      ],
      {
        tjanstgorande: ['Elin Hedlund (MP) ersätter Tomas Engström (S) § 10'],
        ersattare: ['Nils Holmgren (S)', 'Elin Hedlund (MP) §§ 1–9 och 11–16'],
        participants: { 10: 9 },
        notBeslutsfor: [],
      },
    ],
    [
      'five ledamöter leave after § 9: from § 10 on only four take part, and each beslut § is flagged',
      [
        [SECRETARY, 'närvaro 1–9 amira.haddad'],
        [SECRETARY, 'närvaro 1–9 helena.sandberg'],
        [SECRETARY, 'närvaro 1-9 johan.sjoberg'],
        [SECRETARY, 'närvaro §§ 1–9 lena.forsberg'],
        [SECRETARY, 'närvaro 1–9 mikael.oberg'],
      ],
      {
        ledamoter: ['Amira Haddad (S) §§ 1–9', 'Mikael Öberg (V) §§ 1–9', 'Sofia Bergkvist (KD)'],
        tjanstgorande: [],
        participants: { 9: 9, 10: 4, 16: 4 },
        notBeslutsfor: [10, 11, 12, 13, 14, 15],
      },
    ],
    [
      'a ledamot comes late and an ersättare who accepted serves until then',
      [
        ['amira.haddad', 'förhinder 2027-01-21'],
        ['nils.holmgren', 'ersättare ja E1'],
        [SECRETARY, 'närvaro 12–16 amira.haddad'],
      ],
      {
        ledamoter: ['Amira Haddad (S) §§ 12–16'],
        tjanstgorande: ['Nils Holmgren (S) ersätter Amira Haddad (S) §§ 1–11'],
        participants: { 11: 9, 12: 9 },
        notBeslutsfor: [],
      },
    ],
  ])('%s', async (_name, steps, want) => {
    const p = await afterMeeting(steps);
    for (const line of want.ledamoter ?? []) expect(p.narvaro.ledamoter).toContain(line);
    expect(p.narvaro.tjanstgorandeErsattare).toEqual(want.tjanstgorande);
    if (want.ersattare) expect(p.narvaro.ersattare).toEqual(want.ersattare);
    for (const [n, count] of Object.entries(want.participants)) expect({ n, count: byParagraph(p, Number(n)).participants }).toEqual({ n, count });
    expect(p.paragraphs.filter((x) => x.decides && !x.beslutsfor).map((x) => x.paragraph)).toEqual(want.notBeslutsfor);
    for (const [n, text] of Object.entries(want.jav ?? {})) expect(byParagraph(p, Number(n)).text).toEqual(text);
    for (const n of want.notBeslutsfor) expect(p.warnings).toContain(`§ ${n}: 4 av 9 ledamöter deltar, och minst 5 behövs. Nämnden är inte beslutsför; kontrollera närvaron och de tjänstgörande ersättarna.`);
  });
});

describe('beslut, votering, reservation, protokollsanteckning, expediering', () => {
  test('each is written into its § as the protokoll writes it', async () => {
    const p = await afterMeeting([
      [SECRETARY, 'beslut 2/27 enligt förslag'],
      [SECRETARY, 'yrkande 2/27 mikael.oberg avslag på förslaget'],
      [SECRETARY, 'votering 2/27 ja 7 nej 2 avstår 0'],
      [SECRETARY, 'reservation 2/27 mikael.oberg till förmån för eget yrkande'],
      [SECRETARY, 'reservation 2/27 sofia.bergkvist'],
      [SECRETARY, 'reservation 2/27 sofia.bergkvist stryk'],
      [SECRETARY, 'protokollsanteckning 2/27 amira.haddad Vi följer utfallet noga.'],
      [SECRETARY, 'expedieras 2/27 Kommunstyrelsen, Ekonomienheten'],
      [SECRETARY, 'beslut § 10 återremiss för att komplettera med en konsekvensanalys'],
      [SECRETARY, 'beslut 4/27 bordläggs'],
      [SECRETARY, 'beslut 7/27 Nämnden tillstyrker motionen.'],
      [SECRETARY, 'beslut 1/27 enligt förslag'],
      [SECRETARY, 'beskrivning 1/27 Förvaltningschefen informerar om läget.'],
      [SECRETARY, 'justering 2027-01-21 amira.haddad senast 2027-02-01'],
    ]);
    expect(byParagraph(p, 9)).toMatchObject({
      heading: 'Budgetuppföljning helår 2026',
      arendenummer: 'KFN 2026/00187',
      handlaggare: ['Fatima Rahimi'],
      beslutLead: 'Kultur- och fritidsnämnden beslutar:',
      beslut: ['Kultur- och fritidsnämnden godkänner budgetuppföljningen för helår 2026 och överlämnar den till kommunstyrelsen.'],
      yrkanden: ['Mikael Öberg (V) yrkar avslag på förslaget.'],
      votering: 'Votering genomförs. Ja: 7, nej: 2, avstår: 0.',
      reservationer: ['Mikael Öberg (V) reserverar sig mot beslutet till förmån för eget yrkande.'],
      protokollsanteckningar: ['Amira Haddad (S) lämnar en protokollsanteckning: Vi följer utfallet noga.'],
      expedieras: ['Kommunstyrelsen', 'Ekonomienheten'],
    });
    expect(byParagraph(p, 10).beslut).toEqual(['Ärendet återremitteras.', 'för att komplettera med en konsekvensanalys']);
    expect(byParagraph(p, 11).beslut).toEqual(['Ärendet bordläggs.']);
    expect(byParagraph(p, 14).beslut).toEqual(['Nämnden tillstyrker motionen.']);
    expect(byParagraph(p, 6)).toMatchObject({ beskrivning: ['Förvaltningschefen informerar om läget.'], beslut: ['Informationen tas till protokollet.'] });
    expect(byParagraph(p, 1).beslut).toEqual(['Amira Haddad (S) utses att justera protokollet.']);
    expect(byParagraph(p, 3).text).toEqual(['Ingen anmälan av jäv.']);
    expect(byParagraph(p, 4).text).toEqual(['Inga övriga frågor anmäls.']);
    expect(byParagraph(p, 5).beslut).toEqual(['Dagordningen godkänns.']);
    expect(p.paragrafer).toBe('Paragraf 1–16');
    expect(p.warnings).toContain('§ 12 (5/27): beslut saknas. Skriv till exempel: beslut 5/27 enligt förslag');
  });

  test('bad input gets a Swedish answer and records nothing', async () => {
    await run([[SECRETARY, `dagordning möte ${MEETING}`]]);
    h.clock.set('2027-01-21T17:00:00+01:00');
    const before = await h.eventCount();
    const answers: [string, string, RegExp][] = [
      [SECRETARY, 'närvaro 40–41 amira.haddad', /^§ 40 finns inte på sammanträdet \(§§ 1–16\)\.$/],
      [SECRETARY, 'närvaro 12–9 amira.haddad', /baklänges/],
      [SECRETARY, 'närvaro 1–9 okand.person', /Jag hittar ingen "okand.person"/],
      [SECRETARY, 'beslut 99/27 enligt förslag', /Det finns inget ärende "99\/27"/],
      [SECRETARY, 'beslut 7/27 enligt förslag', /har inget förslag till beslut/],
      [SECRETARY, 'beslut 2/27', /Skriv beslutet/],
      [SECRETARY, 'votering 2/27 många', /Skriv: votering/],
      [SECRETARY, 'tjänstgör amira.haddad för tomas.engstrom 9', /är inte ersättare/],
      [SECRETARY, 'tjänstgör nils.holmgren för elin.hedlund 9', /är inte ledamot/],
      [SECRETARY, 'reservation 2/27 maria.ekstrom', /är inte förtroendevald/],
      ['amira.haddad', 'beslut 2/27 enligt förslag', /^Det kan bara/],
      ['karin.lundqvist', 'närvaro 1–9 amira.haddad', /^Det kan bara sekreteraren registrera närvaro/],
      [SECRETARY, 'protokoll klart', /Det finns inget utkast till protokoll/],
      ['amira.haddad', 'kommentar § 9 fel', /Det finns inget protokoll som väntar på din justering/],
    ];
    for (const [who, command, want] of answers) expect({ command, answer: await h.text(who, command) }).toEqual({ command, answer: expect.stringMatching(want) });
    expect(await h.eventCount()).toBe(before);
  });
});

describe('versions and the justering flow', () => {
  test('a second draft says what changed; protokoll klart sends it with the Justerat button; a comment reaches the secretary', async () => {
    await afterMeeting([[SECRETARY, 'justering 2027-01-21 amira.haddad senast 2027-02-01']]);
    const second = plain(await h.say(SECRETARY, 'beslut 2/27 enligt förslag').then(() => h.say(SECRETARY, 'protokoll')));
    expect(second).toContain('Utkast 2 till protokoll för sammanträdet torsdag den 21 januari 2027 (Paragraf 1–14 och 16).');
    expect(second).toContain('Ändrat: § 9 (2/27): beslut.');
    expect(await h.text(SECRETARY, 'protokoll klart')).toBe('Protokollet (version 2) är skickat för justering till Amira Haddad (S), Karin Lundqvist (S).');
    const sent = h.recorder.sent.filter((s) => s.message.text.includes('klart för justering'));
    expect(sent.map((s) => s.to)).toEqual(['amira.haddad', 'karin.lundqvist']);
    expect(sent[0]!.text).toContain('Justera senast måndag den 1 februari 2027.');
    expect(sent[0]!.text).toContain('[Justerat] skriv: justerat 2027-01-21');
    // The button signs, as the reminder's does.
    const button = sent[0]!.message.parts.find((x) => x.kind === 'buttons');
    expect(button).toBeDefined();
    expect(await h.text('amira.haddad', 'kommentar § 9 ska vara enligt förslaget')).toBe('Tack. Din kommentar om protokollet från sammanträdet torsdag den 21 januari 2027 är skickad till sekreteraren.');
    const toSecretary = h.recorder.sent.filter((s) => s.to === SECRETARY);
    expect(toSecretary.map((s) => s.text)).toEqual(['Amira Haddad (S) har en kommentar om protokollet från sammanträdet torsdag den 21 januari 2027 (version 2):\n§ 9 ska vara enligt förslaget']);
    const events = await h.store.readEvents(h.committee.id, 0);
    expect(events.filter((e) => e.type === 'protokoll.commented').map((e) => ({ ...e, id: '', at: '', seq: 0 }))).toEqual([
      { type: 'protokoll.commented', meetingId: 'kfn-2027-01-21', memberId: 'amira.haddad', text: '§ 9 ska vara enligt förslaget', id: '', at: '', seq: 0, actor: { memberId: 'amira.haddad', via: 'console' } },
    ]);
    expect(await h.text('johan.sjoberg', 'kommentar 2027-01-21 fel')).toMatch(/har inte skickats till dig/);
  });
});

describe('§ Anmälan av jäv in the public version', () => {
  test('a jäv in a sekretess § or in a § kept out is not named there, but its existence is', async () => {
    const p = await afterMeeting([
      ['tomas.engstrom', 'jäv 3/27 part'],
      ['amira.haddad', 'jäv 8/27 part'],
      ['johan.sjoberg', 'jäv 5/27 part'],
      [SECRETARY, 'protokoll utan § 12'],
    ]);
    // The full protokoll names them all.
    expect(byParagraph(p, 3).text).toEqual(['Tomas Engström (S) anmäler jäv i § 10.', 'Johan Sjöberg (SD) anmäler jäv i § 12.', 'Amira Haddad (S) anmäler jäv i § 15.']);
    const pub = channelSafeProtokoll(p);
    expect(pub.paragrafer).toBe('Paragraf 1–11, 13–14 och 16');
    expect(byParagraph(pub, 3).text).toEqual(['Tomas Engström (S) anmäler jäv i § 10.', 'Jäv anmäls också i paragrafer som inte ingår i den här versionen av protokollet.']);
  });

  test('only jäv in §§ left out: no name, and not "Ingen anmälan av jäv"', async () => {
    const p = await afterMeeting([['amira.haddad', 'jäv 8/27 part']]);
    expect(byParagraph(channelSafeProtokoll(p), 3).text).toEqual(['Jäv anmäls i en paragraf som inte ingår i den här versionen av protokollet.']);
  });

  test('no jäv at all: "Ingen anmälan av jäv" in both', async () => {
    const p = await afterMeeting([]);
    expect(byParagraph(p, 3).text).toEqual(['Ingen anmälan av jäv.']);
    expect(byParagraph(channelSafeProtokoll(p), 3).text).toEqual(['Ingen anmälan av jäv.']);
  });
});

describe('sekretess: no new message puts a sekretess title or beslut in a channel', () => {
  test('every recording command on the sekretess ärende 8/27 (§ 15), typed in a channel, and every form', async () => {
    await run([[SECRETARY, `dagordning möte ${MEETING}`]]);
    h.clock.set('2027-01-21T17:00:00+01:00');
    const channel = { kind: 'channel' as const, channelId: 'C1' };
    const secrets = ['Individärende', 'fritidsstöd', 'Enligt förvaltningens förslag i tjänsteskrivelsen', 'Stödet beviljas', 'Tjänsteskrivelse, 2027-01-11'];
    const commands = [
      'beslut 8/27 enligt förslag',
      'beslut § 15 Stödet beviljas med 4 000 kronor.',
      'beslut 8/27 återremiss Stödet beviljas inte ännu',
      'votering 8/27 ja 5 nej 4 avstår 0 Stödet beviljas',
      'yrkande 8/27 mikael.oberg Stödet beviljas inte',
      'reservation 8/27 mikael.oberg Stödet beviljas felaktigt',
      'protokollsanteckning 8/27 amira.haddad Stödet beviljas med tvekan',
      'expedieras 8/27 Stödet beviljas sökanden',
      'beskrivning 8/27 Stödet beviljas enligt praxis',
      'närvaro 15 ulrika.strand',
      'tjänstgör nils.holmgren för amira.haddad 15',
      'justering 2027-01-21 amira.haddad senast 2027-02-01',
      'protokoll utan § 15',
      'protokoll med 8/27',
      'protokoll utan § 12',
      // The forms: the § select, and the form sent back with a mistake.
      'beslut',
      'närvaro registrera',
      'tjänstgör',
      'votering',
      'reservation',
      'expedieras',
      'beskrivning',
      'protokoll utan',
      'votering 8/27 Stödet beviljas',
      'protokoll',
      'protokoll klart',
    ];
    const seen: string[] = [];
    for (const c of commands) {
      for (const o of await h.say(SECRETARY, c, channel)) {
        // Only a private message marked sekretess may hold the secret, and never in a channel.
        // The public version goes with the full one, and must hold nothing of § 15.
        for (const part of o.message.parts) if (part.kind === 'file' && part.name.endsWith('-offentlig.md')) seen.push(`${part.name}: ${new TextDecoder().decode(part.bytes)}`);
        if (o.message.sekretess && o.audience.kind !== 'channel') continue;
        seen.push(`${o.audience.kind}: ${toPlainText(o.message)}`);
      }
    }
    // Forms submitted with the sekretess § chosen and its beslut typed, from a channel.
    const submits: [string, Record<string, string>][] = [
      ['protokoll.beslut', { item: '§15', kind: 'enligt förslag', text: 'Stödet beviljas' }],
      ['protokoll.beslut', { item: '§15', kind: 'text', text: 'Stödet beviljas med 4 000 kronor.' }],
      ['protokoll.votering', { item: '§15', text: 'Stödet beviljas' }],
      ['protokoll.anteckning', { item: '§15', member: 'amira.haddad', text: 'Stödet beviljas med tvekan' }],
    ];
    for (const [i, [formId, values]] of submits.entries()) {
      const input = { kind: 'form' as const, formId, values: { committee: 'kfn', meeting: 'kfn-2027-01-21', ...values } };
      for (const o of await h.core.handle({ deliveryId: `form-${i}`, platform: 'console', platformUserId: SECRETARY, place: channel, input })) {
        if (o.message.sekretess && o.audience.kind !== 'channel') continue;
        seen.push(`${o.audience.kind}: ${toPlainText(o.message)}`);
      }
    }
    expect(seen.some((x) => x.startsWith('protokoll-2027-01-21-kfn-v1-offentlig.md: '))).toBe(true);
    await h.say('amira.haddad', 'kommentar Stödet beviljas: § 15 ska ändras', channel);
    for (const s of h.recorder.sent) if (!s.message.sekretess) seen.push(`${s.to}: ${s.text}`);
    expect(seen.length).toBeGreaterThan(commands.length);
    for (const text of seen) for (const secret of secrets) expect({ text, leaks: text.includes(secret) }).toEqual({ text, leaks: false });
    // The private model holds § 15 in full; its public copy leaves it out.
    const p = await latestProtokoll();
    expect(byParagraph(p, 15)).toMatchObject({ heading: 'Individärende – ansökan om fritidsstöd', sekretess: true });
    expect(p.paragrafer).toBe('Paragraf 1–16');
  });
});

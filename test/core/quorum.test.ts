import { makeHarness, plain, type Harness } from '../support/harness';

// Example committee (examples/kfn.yaml): nine ledamöter, so at least five must take part. In the
// first draft of 2027-01-21 the beslutsärenden 2/27–8/27 are §§ 9–15. Ersättare: Nils (S),
// Ingrid (M), Robin (SD), Anders (L), Elin (MP); order S: Nils, Elin; M: Ingrid, Anders;
// C and KD: Anders, Ingrid; V: Elin, Nils; SD: Robin.
const SECRETARY = 'maria.ekstrom';
const CHAIR = 'karin.lundqvist';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

async function run(steps: [string, string][]): Promise<void> {
  for (const [who, command] of steps) {
    const replies = await h.say(who, command);
    expect({ command, refused: /^(Det kan bara|Jag hittar|Det finns inget|Du har ingen)/.test(plain(replies)) }).toEqual({ command, refused: false });
  }
}

describe('quorum on a committee of 9, jäv and förhinder mixed', () => {
  test.each<[string, [string, string][], { lines: string[]; absent?: string[] }]>([
    [
      'nobody away',
      [],
      { lines: ['Närvaro till sammanträdet torsdag den 21 januari 2027: nämnden är beslutsför i alla ärenden.', '§ 10 (3/27): 9 av 9 deltar'], absent: ['Att titta på'] },
    ],
    [
      'four förhinder unanswered and a jäv: § 10 falls to four; the asked and a proposal would save it',
      [
        ['amira.haddad', 'förhinder 2027-01-21'],
        ['helena.sandberg', 'förhinder 2027-01-21'],
        ['johan.sjoberg', 'förhinder 2027-01-21'],
        ['lena.forsberg', 'förhinder 2027-01-21'],
        ['tomas.engstrom', 'jäv 3/27 part'],
      ],
      {
        lines: [
          'Inledningen (val av justerare, dagordning): 5 av 9 deltar',
          '§ 9 (2/27): 5 av 9 deltar',
          '§ 10 (3/27): 4 av 9 deltar — inte beslutsför utan ersättare',
          '§ 10 (3/27): 4 av 9 ledamöter deltar, och minst 5 behövs för att nämnden ska vara beslutsför. Det räcker om en av Nils Holmgren (S) (tillfrågad), Ingrid Dahl (M) (tillfrågad), Robin Lindgren (SD) (tillfrågad), Anders Nyström (L) (tillfrågad) och Elin Hedlund (MP) tjänstgör.',
          'Nils Holmgren (S) för Amira Haddad (S) (E1), svar senast tisdag den 12 januari 2027 kl. 8.00',
          'Elin Hedlund (MP) tjänstgör i Tomas Engströms ställe under § 10',
          '§ 10: Tomas Engström (S) anmäler jäv och deltar inte i handläggningen av ärendet.',
        ],
      },
    ],
    [
      'the ersättare accept: beslutsför everywhere, and the protocol lists who serves where',
      [
        ['amira.haddad', 'förhinder 2027-01-21'],
        ['helena.sandberg', 'förhinder 2027-01-21'],
        ['johan.sjoberg', 'förhinder 2027-01-21'],
        ['lena.forsberg', 'förhinder 2027-01-21'],
        ['tomas.engstrom', 'jäv 3/27 part'],
        ['nils.holmgren', 'ersättare ja E1'],
        ['ingrid.dahl', 'ersättare ja E2'],
        ['robin.lindgren', 'ersättare ja E3'],
        ['anders.nystrom', 'ersättare ja E4'],
      ],
      {
        lines: [
          'nämnden är beslutsför i alla ärenden',
          '§ 10 (3/27): 8 av 9 deltar',
          'Nils Holmgren (S) tjänstgör i Amira Haddads ställe under hela sammanträdet',
          'Anders Nyström (L) tjänstgör i Lena Forsbergs ställe under hela sammanträdet',
          'Frånvarande ledamöter (förhinder)\n  • Amira Haddad (S)\n  • Helena Sandberg (M)\n  • Johan Sjöberg (SD)\n  • Lena Forsberg (C)',
        ],
        absent: ['Att titta på'],
      },
    ],
    [
      'förhinder for some ärenden, nobody found, and three jäv in one: that ärende needs the two ersättare left',
      [
        ['amira.haddad', 'förhinder 2027-01-21 4/27'],
        ['tomas.engstrom', 'förhinder 2027-01-21 4/27'],
        ['mikael.oberg', 'förhinder 2027-01-21 4/27'],
        ['karin.lundqvist', 'jäv 4/27 part'],
        ['sofia.bergkvist', 'jäv 4/27 ställföreträdare'],
        ['lena.forsberg', 'jäv 4/27 övrigt'],
        ['nils.holmgren', 'ersättare nej E1'],
        ['elin.hedlund', 'ersättare nej E2'],
      ],
      {
        lines: [
          '§ 11 (4/27): 3 av 9 deltar — inte beslutsför utan ersättare',
          '§ 11 (4/27): 3 av 9 ledamöter deltar, och minst 5 behövs för att nämnden ska vara beslutsför. Det räcker om Anders Nyström (L) och Ingrid Dahl (M) tjänstgör.',
          'Anders Nyström (L) tjänstgör i Lena Forsbergs ställe under § 11',
          'Ingrid Dahl (M) tjänstgör i Sofia Bergkvists ställe under § 11',
          '§ 10 (3/27): 9 av 9 deltar',
          'Lena Forsberg (C)\n',
          'Karin Lundqvist (S), ordförande',
          'Amira Haddad (S), utom § 11',
          'Ingen ersättare kunde hittas för Amira Haddad (S) (H1).',
          'Ingen ersättare kunde hittas för Mikael Öberg (V) (H3).',
        ],
      },
    ],
    [
      'every ersättare has förhinder and five ledamöter are jäviga in one ärende: not beslutsför',
      [
        ['nils.holmgren', 'förhinder 2027-01-21'],
        ['ingrid.dahl', 'förhinder 2027-01-21'],
        ['robin.lindgren', 'förhinder 2027-01-21'],
        ['anders.nystrom', 'förhinder 2027-01-21'],
        ['elin.hedlund', 'förhinder 2027-01-21'],
        ['amira.haddad', 'jäv 5/27 part'],
        ['tomas.engstrom', 'jäv 5/27 part'],
        ['helena.sandberg', 'jäv 5/27 part'],
        ['johan.sjoberg', 'jäv 5/27 part'],
        ['lena.forsberg', 'jäv 5/27 part'],
      ],
      {
        lines: [
          '§ 12 (5/27): 4 av 9 deltar — inte beslutsför',
          '§ 12 (5/27): 4 av 9 ledamöter deltar, och minst 5 behövs för att nämnden ska vara beslutsför. Det finns inte tillräckligt många lediga ersättare; kontakta ordföranden.',
          '§ 11 (4/27): 9 av 9 deltar',
        ],
        absent: ['Förslag: ersättare som kan kallas'],
      },
    ],
    [
      'the ordförande and the vice ordförande jäviga in one ärende with two förhinder: proposals fill it',
      [
        ['sofia.bergkvist', 'förhinder 2027-01-21'],
        ['mikael.oberg', 'förhinder 2027-01-21'],
        ['anders.nystrom', 'ersättare ja E1'],
        ['elin.hedlund', 'ersättare ja E2'],
        ['karin.lundqvist', 'jäv 7/27 part'],
        ['per-olof.wikstrom', 'jäv 7/27 part'],
        ['helena.sandberg', 'jäv 7/27 part'],
        ['johan.sjoberg', 'jäv 7/27 övrigt'],
      ],
      {
        lines: [
          '§ 14 (7/27): 5 av 9 deltar',
          'Nils Holmgren (S) tjänstgör i Karin Lundqvists ställe under § 14',
          'Ingrid Dahl (M) tjänstgör i Per-Olof Wikströms ställe under § 14',
          'Robin Lindgren (SD) tjänstgör i Johan Sjöbergs ställe under § 14',
          'Elin Hedlund (MP) tjänstgör i Mikael Öbergs ställe under hela sammanträdet',
        ],
        absent: ['Att titta på'],
      },
    ],
  ])('%s', async (_, steps, expected) => {
    await h.say(SECRETARY, 'dagordning');
    await run(steps);
    const text = await h.text(SECRETARY, 'närvaro');
    for (const line of expected.lines) expect(text).toContain(line);
    for (const line of expected.absent ?? []) expect(text).not.toContain(line);
  });
});

describe('närvaro and the agenda draft', () => {
  test('without a draft ärenden are named by löpnummer', async () => {
    await run([
      ['amira.haddad', 'förhinder 2027-01-21'],
      ['tomas.engstrom', 'jäv 3/27 part'],
    ]);
    const text = await h.text(CHAIR, 'närvaro');
    expect(text).toContain('Ärende 3/27: 7 av 9 deltar');
    expect(text).toContain('Elin Hedlund (MP) tjänstgör i Tomas Engströms ställe under ärende 3/27');
    expect(text).toContain('Det finns inget utkast till dagordning ännu');
  });

  test('the draft shows the attendance list and puts quorum warnings under "Att titta på"', async () => {
    await run([
      ['amira.haddad', 'förhinder 2027-01-21'],
      ['helena.sandberg', 'förhinder 2027-01-21'],
      ['johan.sjoberg', 'förhinder 2027-01-21'],
      ['lena.forsberg', 'förhinder 2027-01-21'],
      ['tomas.engstrom', 'jäv 3/27 part'],
    ]);
    const text = plain(await h.say(SECRETARY, 'dagordning'));
    expect(text).toContain('NÄRVARO (FÖRSLAG TILL PROTOKOLLET)');
    expect(text).toContain('Beslutande ledamöter');
    expect(text).toContain('Elin Hedlund (MP) tjänstgör i Tomas Engströms ställe under § 10');
    const warnings = text.slice(text.indexOf('Att titta på'));
    expect(warnings).toContain('§ 10 (3/27): 4 av 9 ledamöter deltar');
  });

  test('a sekretess ärende is named by löpnummer only', async () => {
    await run([['amira.haddad', 'jäv 8/27 part']]);
    const text = await h.text(SECRETARY, 'närvaro');
    expect(text).toContain('Ärende 8/27: 8 av 9 deltar');
    expect(text).not.toContain('fritidsstöd');
  });

  test.each(['amira.haddad', 'nils.holmgren', 'fatima.rahimi'])('%s may not see the plan', async (who) => {
    expect(await h.text(who, 'närvaro')).toContain('Det kan bara sekreteraren och ordföranden göra');
  });
});

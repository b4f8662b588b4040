import type { Item } from '../../src/domain/committee';
import {
  canonicalName,
  hintKey,
  likeliestGround,
  lookupEngagementKind,
  matchEngagement,
  matchMember,
  nameInText,
  normalizeOrgnr,
  onlyControlledSeats,
  orgnrsIn,
  sameName,
  type Engagement,
} from '../../src/domain/interests';

const item = (over: Partial<Item>): Pick<Item, 'title' | 'beslutsunderlag' | 'parties'> => ({ title: 'Ärende', beslutsunderlag: [], ...over });
const eng = (name: string, kind: Engagement['kind'] = 'styrelse', orgnr?: string): Engagement => ({ id: 'I1', kind, name, ...(orgnr ? { orgnr: normalizeOrgnr(orgnr)! } : {}) });

describe('organisation numbers', () => {
  test.each([
    ['556677-8899', '5566778899'],
    ['5566778899', '5566778899'],
    ['16556677-8899', '5566778899'],
    [' 802456–7890 ', '8024567890'],
    ['556677 8899', '5566778899'],
    ['55667-78899', undefined],
    ['556677-889', undefined],
    ['Bergs Bygg', undefined],
  ])('%s → %s', (raw, digits) => expect(normalizeOrgnr(raw)).toBe(digits));

  test.each([
    ['Ansökan från 556677-8899 om bidrag', ['5566778899']],
    ['Bolaget 5566778899 och 16802456-7890', ['5566778899', '8024567890']],
    // Dates, diarienummer and longer digit runs are not organisation numbers.
    ['Tjänsteskrivelse, 2027-01-05', []],
    ['KFN 2026/00187', []],
    ['Referens 15566778899', []],
    ['55667788990', []],
  ])('in "%s"', (text, found) => expect(orgnrsIn(text)).toEqual(found));
});

describe('names', () => {
  test.each([
    ['Bergs Bygg AB', ['bergs', 'bygg']],
    ['AB Sjöbackahem', ['sjobackahem']],
    ['Sjöbacka Ridklubb ek. för.', ['sjobacka', 'ridklubb']],
    ['Lantmännen ekonomisk förening', ['lantmannen']],
    ['Ekström & Dahl HB', ['ekstrom', 'dahl']],
    ['Fjällgården KB', ['fjallgarden']],
    ['Sjöbacka Energi AB (publ)', ['sjobacka', 'energi']],
    ['AB', ['ab']],
  ])('canonical %s', (name, words) => expect(canonicalName(name)).toEqual(words));

  test.each([
    ['BERGS BYGG AKTIEBOLAG', 'Bergs Bygg AB', true],
    ['Sjobacka ridklubb', 'Sjöbacka Ridklubb ek. för.', true],
    ['Bergs Bygg AB', 'Bergsbygg AB', false],
    ['Bergs Bygg AB', 'Bergs Bygg Norr AB', false],
  ])('same name: %s / %s', (a, b, same) => expect(sameName(a, b)).toBe(same));

  test.each([
    // Real-looking hits.
    ['Bergs Bygg AB', 'Bygglov för tillbyggnad, Bergs Bygg AB', true],
    ['Bergs Bygg AB', 'Avtal med Bergs Bygg om renovering av Tallenhallen', true],
    ['Sjöbacka Ridklubb', 'Bilaga – Ansökan från Sjöbacka ridklubb om investeringsbidrag', true],
    ['Sjöbacka Ridklubb', 'Sjöbacka Ridklubbs ansökan om bidrag', true],
    ['Sjöbacka Ridklubb', 'Verksamhetsbidrag Sjöbacka Ridklubb 2027', true],
    ['Föreningen Sjöbacka Konstnärer', 'Utställningsbidrag till Föreningen Sjöbacka Konstnärer', true],
    ['Sjöbackahem AB', 'Hyresavtal med AB Sjöbackahem för Tallenhallen', true],
    ['Ekström & Dahl HB', 'Upphandling av ljudteknik – tilldelning till Ekström & Dahl HB', true],
    // Near-misses that must not match.
    ['Bergs Bygg AB', 'Bygglov för Bergsbygg Norr AB', false],
    ['Bergs Bygg AB', 'Bygglov för Bergs Bygg Norr AB', false],
    ['Bergs Bygg AB', 'Avtal med Norra Bergs Bygg AB', false],
    ['Bergs Bygg AB', 'Norra Bergs Bygg AB ansöker om bygglov', false],
    ['Sjöbacka Energi AB', 'Avtal med Sjöbacka Energi och Miljö AB', false],
    ['Sjöbacka Energi AB', 'Avtal med Sjöbacka Energi AB:s dotterbolag', true],
    ['Bergs Bygg AB', 'Avtal med Bergs Bygg i Sjöbacka AB', false],
    ['Bergs Bygg AB', 'Vi bergs bygg', false],
    ['Sjöbacka Ridklubb', 'Sjöbacka Ridklubbsförening', false],
    ['Sjöbacka IF', 'Bidrag till Sjöbacka IF Fotboll', false],
    // A short or common one-word name never matches running text.
    ['IF', 'Bidrag till Sjöbacka IF', false],
    ['Bygg AB', 'Bygglov för Bygg och Montage', false],
    ['Kultur AB', 'Kultur och fritid 2027', false],
    ['Ica', 'Ica Maxi Sjöbacka', false],
    ['Coop', 'Avtal med Coop', false],
    ['Musik', 'Musik i Sjöbacka', false],
    // Written as a common noun, not a name.
    ['Folkets Hus', 'Hyra för folkets hus', false],
    ['Folkets Hus', 'Hyra för Folkets Hus i Sjöbacka', true],
    ['Sjöbackahem', 'Bostäder från Sjöbackahem', true],
  ])('%s in "%s" → %s', (name, text, hit) => expect(nameInText(name, text)).toBe(hit));
});

describe('matching an engagement against an ärende', () => {
  test.each<[string, Engagement, Pick<Item, 'title' | 'beslutsunderlag' | 'parties'>, { where: string; by: string }[]]>([
    [
      'party by organisation number, with or without hyphen',
      eng('Bergs Bygg', 'agande', '5566778899'),
      item({ parties: [{ name: 'Bergs Byggnads AB', kind: 'organisation', orgnr: '556677-8899' }] }),
      [{ where: 'part', by: 'orgnr' }],
    ],
    [
      'party by name when the engagement has no number',
      eng('Sjöbacka Ridklubb ek. för.'),
      item({ parties: [{ name: 'Sjöbacka ridklubb', kind: 'organisation' }] }),
      [{ where: 'part', by: 'namn' }],
    ],
    [
      'two different numbers are two organisations, however alike the names',
      eng('Bergs Bygg AB', 'styrelse', '556677-8899'),
      item({ parties: [{ name: 'Bergs Bygg AB', kind: 'organisation', orgnr: '556000-1111' }] }),
      [],
    ],
    [
      'a near-miss party name',
      eng('Bergs Bygg AB'),
      item({ parties: [{ name: 'Bergsbygg Norr AB', kind: 'organisation' }] }),
      [],
    ],
    [
      'title and a beslutsunderlag',
      eng('Sjöbacka Ridklubb', 'forening'),
      item({ title: 'Investeringsbidrag till Sjöbacka Ridklubb', beslutsunderlag: ['Tjänsteskrivelse, 2027-01-05', 'Bilaga – Ansökan från Sjöbacka Ridklubb'] }),
      [
        { where: 'titel', by: 'namn' },
        { where: 'beslutsunderlag', by: 'namn' },
      ],
    ],
    [
      'an organisation number in a beslutsunderlag',
      eng('Ekström & Dahl HB', 'narstaende', '969712-3456'),
      item({ title: 'Upphandling av ljudteknik', beslutsunderlag: ['Anbud från 969712-3456, 2027-01-02'] }),
      [{ where: 'beslutsunderlag', by: 'orgnr' }],
    ],
    [
      'a property designation among the parties',
      eng('Sjöbacka Tallen 3:14', 'agande'),
      item({ parties: [{ name: 'Sjöbacka Tallen 3:14', kind: 'fastighet' }] }),
      [{ where: 'part', by: 'namn' }],
    ],
    [
      'a neighbouring property is not the same',
      eng('Sjöbacka Tallen 3:14', 'agande'),
      item({ parties: [{ name: 'Sjöbacka Tallen 3:145', kind: 'fastighet' }], title: 'Markupplåtelse Sjöbacka Tallen 3:1' }),
      [],
    ],
  ])('%s', (_, e, it, expected) => {
    expect(matchEngagement(e, it).map((m) => ({ where: m.where, by: m.by }))).toEqual(expected);
  });

  test.each([
    ['styrelse', 'Bidrag till Sjöbacka Ridklubb', 'stallforetradarjav'],
    ['agande', 'Bidrag till Sjöbacka Ridklubb', 'partsjav'],
    ['narstaende', 'Bidrag till Sjöbacka Ridklubb', 'partsjav'],
    ['anstallning', 'Bidrag till Sjöbacka Ridklubb', 'ovrigt'],
    ['forening', 'Bidrag till Sjöbacka Ridklubb', 'ovrigt'],
    ['anstallning', 'Tillsyn av Sjöbacka Ridklubb enligt alkohollagen', 'tillsynsjav'],
    ['styrelse', 'Tillsynsrapport Sjöbacka Ridklubb', 'tillsynsjav'],
  ] as const)('%s, "%s" → %s', (kind, title, ground) => {
    const [m] = matchEngagement(eng('Sjöbacka Ridklubb', kind), item({ title }));
    expect(m.ground).toBe(ground);
  });

  test('a seat in a municipal company is marked, by number or by name', () => {
    const controlled = [{ name: 'Sjöbacka Energi AB', orgnr: '556012-3456' }, { name: 'Stiftelsen Sjöbacka Konsthall' }];
    const it = item({ title: 'Samarbetsavtal', parties: [{ name: 'Sjöbacka Energi AB', kind: 'organisation' }, { name: 'Stiftelsen Sjöbacka Konsthall', kind: 'organisation' }] });
    const byNumber = matchEngagement(eng('Sjöbacka Energi', 'styrelse', '5560123456'), { ...it, parties: [{ name: 'Sjöbacka Energi AB', kind: 'organisation', orgnr: '556012-3456' }] }, controlled);
    const byName = matchEngagement(eng('Stiftelsen Sjöbacka konsthall', 'styrelse'), it, controlled);
    expect(byNumber[0].controlled).toBe(true);
    expect(byName[0].controlled).toBe(true);
    expect(onlyControlledSeats([...byNumber, ...byName])).toBe(true);
    const owner = matchEngagement(eng('Stiftelsen Sjöbacka konsthall', 'anstallning'), it, controlled);
    expect(onlyControlledSeats(owner)).toBe(false);
  });

  test('the member named as a party', () => {
    const it = item({ parties: [{ name: 'Amira Haddad', kind: 'person' }, { name: 'Tomas Engström', kind: 'person' }] });
    expect(matchMember({ name: 'Amira Haddad' }, [], it)).toEqual([{ where: 'part', by: 'namn', evidence: 'Amira Haddad', ground: 'partsjav', controlled: false }]);
    expect(matchMember({ name: 'Amira Hadad' }, [], it)).toEqual([]);
    // A person party is never matched against organisation names.
    expect(matchEngagement(eng('Tomas Engström', 'narstaende'), it)).toEqual([]);
  });

  test('likeliest ground and stable keys', () => {
    const ms = matchEngagement(eng('Sjöbacka Ridklubb', 'forening'), item({ title: 'Bidrag till Sjöbacka Ridklubb' }));
    const owner = matchEngagement({ ...eng('Sjöbacka Ridklubb', 'agande'), id: 'I2' }, item({ title: 'Bidrag till Sjöbacka Ridklubb' }));
    expect(likeliestGround([...ms, ...owner])).toBe('partsjav');
    expect(hintKey('m', '4/27', 'a', ms[0])).toBe(hintKey('m', '4/27', 'a', { ...ms[0] }));
    expect(hintKey('m', '4/27', 'a', ms[0])).not.toBe(hintKey('m', '4/27', 'a', owner[0]));
    expect(hintKey('m', '4/27', 'a', ms[0])).not.toBe(hintKey('m', '4/27', 'a', { ...ms[0], evidence: 'Bidrag till Sjöbacka Ridklubb, reviderad' }));
  });
});

test.each([
  ['styrelse', 'styrelse'],
  ['Styrelseledamot', 'styrelse'],
  ['anställd', 'anstallning'],
  ['arbetsgivare', 'anstallning'],
  ['förening', 'forening'],
  ['ägare', 'agande'],
  ['närstående', 'narstaende'],
  ['sambo', 'narstaende'],
])('engagement kind %s', (word, kind) => expect(lookupEngagementKind(word)).toEqual({ ok: true, kind }));

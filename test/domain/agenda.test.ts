import {
  agendaWarnings,
  buildAgenda,
  channelSafeAgenda,
  diffAgendas,
  formatParagraphRange,
  type Agenda,
  type ArendeItem,
} from '../../src/domain/agenda';
import { agendaWithItems, fixtureAgenda, fixtureCommittee, fixtureInput, manyItems, SECRET_TITLE } from '../fixtures/agenda/fixture';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value as Record<string, unknown>).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const summary = (a: Agenda) => a.items.map((i) => `${i.paragraphText || '-'} ${i.heading}`);

describe('buildAgenda', () => {
  it('puts the standard opening, the ärenden (information first) and the closing in order, with § numbers', () => {
    const agenda = fixtureAgenda();
    expect(summary(agenda)).toEqual([
      '- Upprop',
      '§ 18 Val av justerare',
      '§ 19 Tid för justering',
      '§ 20 Anmälan av jäv',
      '§ 21 Anmälan av övriga frågor',
      '§ 22 Godkännande av dagordning',
      '§ 23 Information om sommarlovsaktiviteter',
      '§ 24 Delegationsbeslut och anmälningsärenden',
      '§ 25 Budget 2026 för kultur- och fritidsverksamheten',
      `§ 26 ${SECRET_TITLE}`,
      '§ 27 Yttrande över motion om öppettider i biblioteken',
      '§ 28 Övriga frågor',
      '- Avslutning',
    ]);
    expect(agenda.paragraphs).toEqual({ first: 18, last: 28, text: '§§ 18–28' });
    expect(agenda.items.map((i) => i.position)).toEqual(agenda.items.map((_, i) => i + 1));
  });

  it('puts information items last when the committee says so', () => {
    const agenda = buildAgenda(fixtureInput(fixtureCommittee({ informationItems: 'last' })));
    const arenden = agenda.items.filter((i): i is ArendeItem => i.type === 'arende');
    expect(arenden.map((i) => `${i.paragraphText} ${i.lopnummer} ${i.kind}`)).toEqual([
      '§ 23 7/25 beslut',
      '§ 24 9/25 beslut',
      '§ 25 10/25 beslut',
      '§ 26 8/25 information',
      '§ 27 11/25 information',
    ]);
  });

  it('writes the heading in running text', () => {
    const { heading } = fixtureAgenda();
    expect(heading).toEqual({
      kommun: 'Sjöbacka kommun',
      committee: 'Kultur- och fritidsnämnden',
      title: 'Kallelse',
      dateText: 'torsdag den 13 februari 2025',
      timeText: 'kl. 9.00',
      timeRangeText: 'kl. 9.00',
      place: 'Sessionssalen, Stadshuset',
    });
  });

  it('fills the opening items from the declarations, questions, justerare and justering date', () => {
    const agenda = fixtureAgenda();
    const byKey = new Map(agenda.items.map((i) => [i.key, i]));
    expect(byKey.get('justerare')?.lines).toEqual(['Förslag: Anna Berg (C), som är i tur, justerar protokollet tillsammans med ordföranden.']);
    expect(byKey.get('justering')).toMatchObject({
      date: '2025-02-20',
      dateText: 'torsdag den 20 februari 2025',
      explanation: 'en vecka efter sammanträdet, inom 14 dagar enligt kommunallagen',
      lines: ['Förslag: protokollet justeras senast torsdag den 20 februari 2025.'],
    });
    // Declarations in agenda order, not in the order they came in.
    expect(byKey.get('jav')?.lines).toEqual([
      'Anna Berg (C) har anmält jäv i ärende 7/25 (§ 25).',
      'Jonas Öberg (V) har anmält jäv i ärende 9/25 (§ 26).',
    ]);
    expect(byKey.get('ovrigaFragorAnmalan')?.lines).toEqual(['Per Åkesson (M): Hur går arbetet med den nya sporthallen?']);
    expect(byKey.get('dagordning')?.lines).toEqual(['Förslag: dagordningen godkänns.']);
    expect(byKey.get('ovrigaFragor')?.lines).toEqual(['Fråga från Per Åkesson (M): Hur går arbetet med den nya sporthallen?']);
  });

  it('says so when nothing was declared and nobody is in turn', () => {
    const agenda = buildAgenda({ ...fixtureInput(), javDeclarations: [], ovrigaFragor: [], justerareInTurn: undefined });
    const byKey = new Map(agenda.items.map((i) => [i.key, i]));
    expect(byKey.get('justerare')?.lines).toEqual(['En ledamot utses att justera protokollet tillsammans med ordföranden.']);
    expect(byKey.get('jav')?.lines).toEqual(['Ingen anmälan av jäv har kommit in i förväg.']);
    expect(byKey.get('ovrigaFragorAnmalan')?.lines).toEqual(['Inga övriga frågor har anmälts i förväg.']);
    expect(byKey.get('ovrigaFragor')?.lines).toEqual(['Inga övriga frågor har anmälts.']);
  });

  it('gives each ärende its details, resolving the handläggare', () => {
    const budget = fixtureAgenda().items.find((i): i is ArendeItem => i.type === 'arende' && i.lopnummer === '7/25');
    expect(budget).toEqual({
      key: 'arende:7/25',
      type: 'arende',
      position: 9,
      paragraph: 25,
      paragraphText: '§ 25',
      heading: 'Budget 2026 för kultur- och fritidsverksamheten',
      lines: ['Anna Berg (C) har anmält jäv i ärendet.'],
      lopnummer: '7/25',
      title: 'Budget 2026 för kultur- och fritidsverksamheten',
      diarienummer: 'KFN 2025/0012',
      handlaggareId: 'hand-eva',
      handlaggare: { name: 'Eva Sandberg', label: 'Eva Sandberg' },
      handlaggareIds: ['hand-eva'],
      handlaggareList: [{ id: 'hand-eva', name: 'Eva Sandberg', befattning: null, label: 'Eva Sandberg' }],
      foredragande: [],
      ersatter: null,
      beslutsunderlag: ['Tjänsteskrivelse 2025-01-20', 'Förslag till budget 2026'],
      forslagTillBeslut: 'Kultur- och fritidsnämnden fastställer budgeten för 2026.\nBeslutet skickas till kommunstyrelsen.',
      kind: 'beslut',
      sekretess: false,
      redacted: false,
      jav: [{ lopnummer: '7/25', member: { name: 'Anna Berg', party: 'C', label: 'Anna Berg (C)' }, paragraph: 25, itemTitle: 'Budget 2026 för kultur- och fritidsverksamheten' }],
    });
  });

  it('names the ordförande and sekreterare and counts', () => {
    const agenda = fixtureAgenda();
    expect(agenda.ordforande?.label).toBe('Maria Lindqvist (S)');
    expect(agenda.sekreterare?.label).toBe('Lena Holm');
    expect(agenda.counts).toEqual({ arenden: 5, beslut: 3, information: 2, sekretess: 1, jav: 2, ovrigaFragor: 1 });
    expect(agenda.channelSafe).toBe(false);
  });

  it('is pure and serialisable', () => {
    const input = deepFreeze(fixtureInput());
    const a = buildAgenda(input);
    const b = buildAgenda(input);
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('builds a meeting with no ärenden and one with 300', () => {
    const empty = agendaWithItems([]);
    expect(empty.items.map((i) => i.type)).toEqual(['upprop', 'justerare', 'justering', 'jav', 'ovrigaFragorAnmalan', 'dagordning', 'ovrigaFragor', 'avslutning']);
    expect(empty.paragraphs.text).toBe('§§ 18–23');

    const big = agendaWithItems(manyItems(300));
    const arenden = big.items.filter((i): i is ArendeItem => i.type === 'arende');
    expect(arenden).toHaveLength(300);
    expect(big.paragraphs.text).toBe('§§ 18–323');
    expect(arenden.map((i) => i.paragraph)).toEqual(Array.from({ length: 300 }, (_, i) => 23 + i));
    expect(big.counts).toMatchObject({ arenden: 300, information: 43, beslut: 257, sekretess: 6 });
  });

  it('refuses a bad first paragraph or justering date', () => {
    expect(() => buildAgenda({ ...fixtureInput(), firstParagraph: 0 })).toThrow('Första paragrafen måste vara ett heltal från 1, inte 0.');
    expect(() => buildAgenda({ ...fixtureInput(), justering: { date: '20/2', explanation: '' } })).toThrow(
      'Justeringsdatumet måste vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, inte "20/2".',
    );
    expect(() => buildAgenda({ ...fixtureInput(), justering: { date: '2025-02-30', explanation: '' } })).toThrow('inte "2025-02-30"');
  });

  it('keeps a declaration for a löpnummer that is not on the agenda, and flags it', () => {
    const agenda = buildAgenda({ ...fixtureInput(), javDeclarations: [{ lopnummer: '99/25', memberName: 'Sofia Ek', party: 'L' }] });
    expect(agenda.items.find((i) => i.key === 'jav')?.lines).toEqual(['Sofia Ek (L) har anmält jäv i ärende 99/25, som inte finns på dagordningen.']);
    expect(agendaWarnings(agenda)).toContain('Jäv anmält av Sofia Ek (L) i ärende 99/25, som inte finns på dagordningen.');
  });
});

describe('formatParagraphRange', () => {
  it('uses § for one and §§ with an en dash for several', () => {
    expect(formatParagraphRange(5, 5)).toBe('§ 5');
    expect(formatParagraphRange(18, 31)).toBe('§§ 18–31');
  });
});

describe('channelSafeAgenda', () => {
  it('removes the secret title, beslutsunderlag and förslag everywhere, keeping § and löpnummer', () => {
    const full = fixtureAgenda();
    const safe = channelSafeAgenda(full);
    const json = JSON.stringify(safe);
    expect(json).not.toContain(SECRET_TITLE);
    expect(json).not.toContain('Ansökan från föreningen');
    expect(json).not.toContain('40 000 kronor');
    const secret = safe.items.find((i): i is ArendeItem => i.type === 'arende' && i.lopnummer === '9/25');
    expect(secret).toMatchObject({
      paragraphText: '§ 26',
      heading: 'Sekretessärende',
      title: 'Sekretessärende',
      beslutsunderlag: [],
      forslagTillBeslut: null,
      redacted: true,
      sekretess: true,
    });
    expect(safe.channelSafe).toBe(true);
    // The original is untouched.
    expect(JSON.stringify(full)).toContain(SECRET_TITLE);
  });
});

describe('agendaWarnings', () => {
  it('lists what is missing or risky, in agenda order', () => {
    expect(agendaWarnings(fixtureAgenda())).toEqual([
      '§ 25 (7/25) Budget 2026 för kultur- och fritidsverksamheten: jäv anmält av Anna Berg (C). Kontrollera att nämnden är beslutsför och kalla ersättare vid behov.',
      `§ 26 (9/25) ${SECRET_TITLE}: omfattas av sekretess. I kanalen visas ärendet bara som "Sekretessärende"; handlingarna får inte läggas i kanalen.`,
      `§ 26 (9/25) ${SECRET_TITLE}: jäv anmält av Jonas Öberg (V). Kontrollera att nämnden är beslutsför och kalla ersättare vid behov.`,
      '§ 27 (10/25) Yttrande över motion om öppettider i biblioteken: förslag till beslut saknas.',
      '§ 27 (10/25) Yttrande över motion om öppettider i biblioteken: handläggare saknas.',
    ]);
  });

  it('never names a secret title when given the channel-safe agenda', () => {
    const warnings = agendaWarnings(channelSafeAgenda(fixtureAgenda()));
    expect(warnings.join('\n')).not.toContain(SECRET_TITLE);
    expect(warnings).toContain('§ 26 (9/25) Sekretessärende: omfattas av sekretess. I kanalen visas ärendet bara som "Sekretessärende"; handlingarna får inte läggas i kanalen.');
  });

  it('says when there are no ärenden', () => {
    expect(agendaWarnings(agendaWithItems([]))).toEqual(['Mötet har inga ärenden ännu.']);
  });

  it('names a handläggare id that does not resolve', () => {
    const committee = fixtureCommittee();
    const meeting = { ...committee.meetings[0], items: [{ ...committee.meetings[0].items[0], handlaggare: 'okand' }] };
    const agenda = buildAgenda({ ...fixtureInput(committee), meeting, javDeclarations: [] });
    expect(agendaWarnings(agenda)).toEqual(['§ 23 (7/25) Budget 2026 för kultur- och fritidsverksamheten: handläggaren "okand" finns inte bland nämndens personer.']);
  });
});

describe('diffAgendas', () => {
  const items = () => fixtureCommittee().meetings[0].items;
  const withItems = (list: ReturnType<typeof items>, extra: Partial<ReturnType<typeof fixtureInput>> = {}) => {
    const committee = fixtureCommittee();
    return buildAgenda({ ...fixtureInput(committee), meeting: { ...committee.meetings[0], items: list }, ...extra });
  };

  it('is empty when nothing changed', () => {
    expect(diffAgendas(fixtureAgenda(), fixtureAgenda())).toEqual([]);
  });

  it('reports items added and removed, and the new § range, but not § shifts as moves', () => {
    const before = withItems(items().filter((i) => i.lopnummer !== '8/25'));
    const after = withItems(items().filter((i) => i.lopnummer !== '10/25'));
    expect(diffAgendas(before, after)).toEqual([
      'Tillagt: § 23 (8/25) Information om sommarlovsaktiviteter.',
      'Borttaget: 10/25 Yttrande över motion om öppettider i biblioteken (var § 26).',
    ]);
    expect(diffAgendas(before, withItems(items()))).toEqual([
      'Tillagt: § 23 (8/25) Information om sommarlovsaktiviteter.',
      'Paragrafer: nu §§ 18–28 (var §§ 18–27).',
    ]);
  });

  it('reports a real move and changed details', () => {
    const list = items();
    const [budget, info1, secret, motion, info2] = list;
    const before = withItems([budget, info1, secret, motion, info2]);
    const after = withItems([{ ...motion, handlaggare: 'hand-ali' }, budget, info1, secret, { ...info2, forslagTillBeslut: undefined }]);
    // Lines follow the new agenda's order: information first, so 11/25 comes before the motion.
    expect(diffAgendas(before, after)).toEqual([
      'Ändrat: § 24 (11/25) Delegationsbeslut och anmälningsärenden: förslag till beslut borttaget.',
      'Flyttat: 10/25 Yttrande över motion om öppettider i biblioteken, nu § 25 (var § 27).',
      'Ändrat: § 25 (10/25) Yttrande över motion om öppettider i biblioteken: handläggare.',
    ]);
  });

  it('reports declarations and questions added or withdrawn, and a new justering date', () => {
    const before = buildAgenda({
      ...fixtureInput(),
      javDeclarations: [
        { lopnummer: '7/25', memberName: 'Anna Berg', party: 'C' },
        { lopnummer: '8/25', memberName: 'Sofia Ek', party: 'L' },
      ],
      ovrigaFragor: [],
    });
    const after = buildAgenda({ ...fixtureInput(), justering: { date: '2025-02-21', explanation: 'fredag' }, justerareInTurn: { name: 'Jonas Öberg', party: 'V' } });
    expect(diffAgendas(before, after)).toEqual([
      'I tur att justera: nu Jonas Öberg (V).',
      'Justeringsdatum ändrat: nu senast fredag den 21 februari 2025 (var torsdag den 20 februari 2025).',
      'Ny jävsanmälan: Jonas Öberg (V) i ärende 9/25 (§ 26).',
      'Jävsanmälan återkallad: Sofia Ek (L) i ärende 8/25.',
      'Ny övrig fråga: Per Åkesson (M): Hur går arbetet med den nya sporthallen?',
    ]);
  });

  it('reports a changed place and time', () => {
    const committee = fixtureCommittee();
    const after = buildAgenda({ ...fixtureInput(committee), meeting: { ...committee.meetings[0], place: 'Lilla salen', end: '12:00' } });
    expect(diffAgendas(fixtureAgenda(), after)).toEqual(['Tid ändrad: nu kl. 9.00–12.00 (var kl. 9.00).', 'Plats ändrad: nu Lilla salen (var Sessionssalen, Stadshuset).']);
  });
});

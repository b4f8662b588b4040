/**
 * The committee-file parts of issue 15: tjänstepersoner apart from the members, several people
 * per ärende, the agenda's structure and justering practice, and messages a secretary can act on.
 */
import { ConfigError, parseCommittee } from '../../src/config/committee-file';
import { findMember, type Committee } from '../../src/domain/committee';

function problemsOf(text: string): string[] {
  try {
    parseCommittee(text, 'n.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `rad ${p.line}${p.path ? `, ${p.path}` : ''}: ${p.message}`);
  }
  throw new Error('expected a ConfigError, but parsing succeeded');
}

const HEAD = `id: jusk
name: Jämställdhetsutskottet
shortName: JUSK
kommun: Norrvik kommun
members:
  - id: ordf
    name: Greta Holm
    party: S
    role: ordförande
  - id: sekr
    name: Ida Lund
    role: sekreterare
    befattning: Nämndsekreterare
tjanstepersoner:
  - id: anna.dal
    name: Anna Dal
    befattning: Jämställdhetsstrateg
    identities:
      console: anna.dal
  - id: linn.berg
    name: Linn Berg
    befattning: Säkerhetschef
`;

test('tjänstepersoner load apart from the members, with befattning; an ärende names several of them', () => {
  const c: Committee = parseCommittee(
    `${HEAD}meetings:
  - id: m1
    date: 2025-02-13
    place: Stadshuset
    items:
      - lopnummer: 6/25
        title: Uppföljning av aktivitetsplanen
        diarienummer: KS-2024/00219
        handlaggare: [anna.dal, linn.berg]
        foredragande: sekr
`,
    'n.yaml',
  );
  expect(c.kommun).toBe('Norrvik kommun');
  expect(c.members.map((m) => m.id)).toEqual(['ordf', 'sekr']);
  expect(c.tjanstepersoner.map((t) => [t.id, t.befattning, t.role])).toEqual([
    ['anna.dal', 'Jämställdhetsstrateg', 'handläggare'],
    ['linn.berg', 'Säkerhetschef', 'handläggare'],
  ]);
  expect(c.meetings[0]!.items[0]!.handlaggare).toEqual(['anna.dal', 'linn.berg']);
  expect(c.meetings[0]!.start).toBeUndefined();
  // Found like a member, so reminders and deliveries reach them.
  expect(findMember(c, 'anna.dal')?.name).toBe('Anna Dal');
});

test('a name written as handläggare: the id is asked for, and the match suggested', () => {
  expect(
    problemsOf(`${HEAD}meetings:
  - id: m1
    date: 2025-02-13
    start: "9:00"
    place: Stadshuset
    items:
      - lopnummer: 5/25
        title: Tid för justering
        handlaggare: Anna Dal
        foredragande: [sekr, Sofia Gustafsson]
`),
  ).toEqual([
    'rad 31, meetings[0].items[0].handlaggare: "Anna Dal" är inget id – skriv personens id: handlaggare: anna.dal',
    'rad 32, meetings[0].items[0].foredragande[1]: "Sofia Gustafsson" är inget id – foredragande ska vara id:t för en person under tjanstepersoner eller members (till exempel foredragande: sofia.gustafsson); lägg till personen under tjanstepersoner om hen saknas',
  ]);
});

test('start: 9.00 as YAML reads it (a number) is the time 9.00; 13.30 is 13.30', () => {
  const c = parseCommittee(`${HEAD}meetings:\n  - id: m1\n    date: 2025-02-13\n    start: 9.00\n    end: 13.30\n    place: Stadshuset\n`, 'n.yaml');
  expect([c.meetings[0]!.start, c.meetings[0]!.end]).toEqual(['9:00', '13:30']);
  expect(problemsOf(`${HEAD}meetings:\n  - id: m1\n    date: 2025-02-13\n    start: 9.75\n    place: Stadshuset\n`)).toEqual([
    'rad 26, meetings[0].start: skriv klockslaget som "9.00" eller "09:00" (timmar 0–23, minuter 00–59)',
  ]);
});

test('dnr: is told to be diarienummer', () => {
  expect(problemsOf(`${HEAD}meetings:\n  - id: m1\n    date: 2025-02-13\n    place: P\n    items:\n      - lopnummer: "1"\n        title: T\n        dnr: KS-2025/1\n`)).toEqual([
    'rad 30, meetings[0].items[0].dnr: okänd nyckel "dnr" – skriv "diarienummer"',
  ]);
});

test('a YAML syntax error and the schema problems in the rest of the file come in one run', () => {
  const text = `${HEAD}settings:\n  kallelseDaysBefore: sju\nmeetings:\n  - id: m1\n    date: 2025-02-31\n    place: "Stadshuset\n`;
  expect(problemsOf(text)).toEqual([
    'rad 24, settings.kallelseDaysBefore: förväntade tal, fick text ("sju") – skriv bara siffror, utan citattecken',
    'rad 27, meetings[0].date: datumet finns inte i kalendern',
    'rad 28: ett avslutande citattecken saknas – texten som börjar här ska sluta med samma citattecken som den börjar med',
  ]);
});

test('an unknown handläggare is reported even when another part of the file is wrong', () => {
  expect(
    problemsOf(`${HEAD}settings:\n  kallelseDaysBefore: sju\nmeetings:\n  - id: m1\n    date: 2025-02-13\n    place: P\n    items:\n      - lopnummer: "1"\n        title: T\n        handlaggare: okand\n`),
  ).toEqual([
    'rad 24, settings.kallelseDaysBefore: förväntade tal, fick text ("sju") – skriv bara siffror, utan citattecken',
    'rad 32, meetings[0].items[0].handlaggare: handläggaren "okand" finns varken bland tjanstepersoner eller members – lägg till personen under tjanstepersoner (id, name, befattning)',
  ]);
});

test('agenda and justering settings: what each needs, said in Swedish', () => {
  expect(
    problemsOf(`${HEAD}settings:
  agenda:
    opening:
      - item: justerare
      - paragraph: false
      - item: justerare
      - item: jav
        text: Egen text
  justering:
    where: digitalt
    rule: weekday
`),
  ).toEqual([
    'rad 24, settings.agenda: justerare står två gånger i dagordningen',
    'rad 27, settings.agenda.opening[1]: ange item (en standardpunkt) eller title (nämndens egen punkt)',
    'rad 30, settings.agenda.opening[3].text: text gäller bara nämndens egna punkter; texten under jav skriver Nämndbot',
    'rad 31, settings.justering: rule: weekday behöver weekday: veckodagen, till exempel weekday: fredag',
  ]);
});

test('two ärenden standing for the same standard item are refused', () => {
  expect(
    problemsOf(`${HEAD}meetings:\n  - id: m1\n    date: 2025-02-13\n    place: P\n    items:\n      - lopnummer: "1"\n        title: A\n        ersatter: justering\n      - lopnummer: "2"\n        title: B\n        ersatter: justering\n`),
  ).toEqual(['rad 33, meetings[0].items[1].ersatter: ärende 1 ersätter redan justering']);
});

/**
 * A protokoll that is not in the repository, recorded through the documented commands, as a
 * secretary would during and after a real meeting: a miljö- och byggnadsnämnd where a ledamot is
 * jävig in one bygglov and her party's ersättare serves in that § only, a ledamot leaves before a
 * detaljplan and an ersättare who came later takes his seat, a votering with two reservationer, a
 * beslut in the secretary's own words and an återremiss. Its närvaro lines, § numbers and jäv
 * sentences must come out exactly as a real protokoll writes them, in the model and in Word.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import type { FilePart } from '../../src/core/message';
import type { Protokoll } from '../../src/domain/protokoll';
import { makeHarness, plain, type Harness } from '../support/harness';

// Made up for this test: a committee of its own, not one of examples/.
const COMMITTEE = `
id: mbn
name: Miljö- och byggnadsnämnden
shortName: MBN
kommun: Ekviks kommun
settings:
  informationItems: asListed
  agenda:
    opening:
      - item: justerare
      - item: jav
      - item: dagordning
        title: Godkännande av dagordning
    closing: []
  justering:
    where: på kommunkontoret
    rule: workingDays
    workingDays: 3
  protokoll:
    forvaringsplats: Miljö- och byggnadsförvaltningen, kommunhuset
members:
  - { id: lars.nystrom, name: Lars Nyström, party: C, role: ordförande }
  - { id: eva.lindqvist, name: Eva Lindqvist, party: S, role: vice ordförande }
  - { id: ahmed.yusuf, name: Ahmed Yusuf, party: M, role: ledamot }
  - { id: birgitta.holm, name: Birgitta Holm, party: S, role: ledamot, identities: { console: birgitta.holm } }
  - { id: jonas.ek, name: Jonas Ek, party: SD, role: ledamot }
  - { id: karin.malm, name: Karin Malm, party: L, role: ledamot }
  - { id: olof.berg, name: Olof Berg, party: C, role: ledamot }
  - { id: sara.lund, name: Sara Lund, party: S, role: ersättare }
  - { id: per.ahl, name: Per Ahl, party: M, role: ersättare }
  - { id: mona.sjo, name: Mona Sjö, party: C, role: ersättare }
  - { id: ali.rezaei, name: Ali Rezaei, party: V, role: ersättare }
  - { id: hanna.dahl, name: Hanna Dahl, role: sekreterare, identities: { console: hanna.dahl } }
tjanstepersoner:
  - { id: ingrid.strom, name: Ingrid Ström, befattning: Bygglovschef }
  - { id: mattias.ek, name: Mattias Ek, befattning: Miljöinspektör }
meetings:
  - id: mbn-2026-05-20
    date: 2026-05-20
    start: "13.00"
    end: "16.30"
    place: Kommunhuset, sal Rönnen
    firstParagraph: 41
    items:
      - lopnummer: 12/26
        title: Bygglov för nybyggnad av enbostadshus, Ekbacken 2:14
        diarienummer: MBN 2026-000211
        handlaggare: ingrid.strom
        beslutsunderlag: [Tjänsteskrivelse, 2026-05-06, Situationsplan]
        forslagTillBeslut: Miljö- och byggnadsnämnden beviljar bygglov enligt ansökan.
      - lopnummer: 13/26
        title: Strandskyddsdispens för brygga, Näset 1:3
        diarienummer: MBN 2026-000198
        handlaggare: ingrid.strom
        forslagTillBeslut: Miljö- och byggnadsnämnden ger dispens från strandskyddet för bryggan.
      - lopnummer: 14/26
        title: Föreläggande om rivning, Kvarnen 7
        diarienummer: MBN 2026-000087
        handlaggare: mattias.ek
        forslagTillBeslut: Miljö- och byggnadsnämnden förelägger fastighetsägaren att riva byggnaden.
      - lopnummer: 15/26
        title: Detaljplan för Västra hamnen, samråd
        diarienummer: MBN 2025-000455
        handlaggare: ingrid.strom
        forslagTillBeslut: Planförslaget godkänns för samråd.
      - lopnummer: 16/26
        title: Delegationsbeslut april 2026
        kind: information
        forslagTillBeslut: Anmälan läggs till handlingarna.
`;
const SECRETARY = 'hanna.dahl';

let h: Harness;
let dir: string;
let protokoll: Protokoll;
let word: string[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-mbn-'));
  const file = path.join(dir, 'mbn.yaml');
  await writeFile(file, COMMITTEE);
  h = await makeHarness({ file, now: '2026-05-12T10:00:00+02:00' });
  const say = async (who: string, command: string) => {
    const answer = plain(await h.say(who, command));
    expect({ command, answer }).toEqual({ command, answer: expect.not.stringMatching(/^(Det |Jag hittar|Skriv|Ange|§ \d+ finns|Inget sammanträde|.* är inte )/) });
  };
  // Before the meeting: the agenda, and Birgitta Holm's jäv in the bygglov (her brother applies).
  await say(SECRETARY, 'dagordning möte 2026-05-20');
  await say('birgitta.holm', 'jäv 12/26 part Min bror är sökande');
  // During the meeting, as the chapter "Under och efter mötet" shows.
  h.clock.set('2026-05-20T16:45:00+02:00');
  for (const command of [
    'justering 2026-05-20 eva.lindqvist',
    'närvaro alla sara.lund',
    'närvaro 45–48 per.ahl',
    'närvaro 41–46 ahmed.yusuf',
    'närvaro alla Ingrid Ström, bygglovschef',
    'närvaro 46 mattias.ek',
    'beslut 12/26 enligt förslag',
    'yrkande 13/26 lars.nystrom bifall till förvaltningens förslag',
    'yrkande 13/26 jonas.ek avslag på ansökan',
    'votering 13/26 ja 5 nej 2 avstår 0 Ja för ordförandens yrkande, nej för Jonas Eks yrkande',
    'beslut 13/26 enligt förslag',
    'reservation 13/26 jonas.ek till förmån för eget yrkande',
    'reservation 13/26 karin.malm',
    'beslut 14/26 Miljö- och byggnadsnämnden förelägger fastighetsägaren att riva förrådsbyggnaden senast den 30 september 2026.',
    'expedieras 14/26 Fastighetsägaren, Lantmäteriet',
    'beslut § 47 återremiss för att utreda trafikfrågan',
    'beslut 16/26 enligt förslag',
  ]) {
    await say(SECRETARY, command);
  }
  const replies = await h.say(SECRETARY, 'protokoll');
  const events = await h.store.readEvents(h.committee.id, 0);
  protokoll = (events.filter((e) => e.type === 'protokoll.drafted').at(-1) as unknown as { protokoll: Protokoll }).protokoll;
  const docx = replies.flatMap((o) => o.message.parts).find((p): p is FilePart => p.kind === 'file' && p.name.endsWith('.docx'))!;
  word = (await mammoth.extractRawText({ buffer: Buffer.from(docx.bytes) })).value.split('\n').map((l) => l.trim()).filter(Boolean);
}, 60_000);
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const byNumber = (n: number) => protokoll.paragraphs.find((p) => p.paragraph === n)!;

test('the närvaro lines', () => {
  expect(protokoll.narvaro).toEqual({
    ledamoter: [
      'Lars Nyström (C), ordförande',
      'Eva Lindqvist (S), vice ordförande',
      'Ahmed Yusuf (M) §§ 41–46',
      'Birgitta Holm (S) §§ 41–43 och 45–48',
      'Jonas Ek (SD)',
      'Karin Malm (L)',
      'Olof Berg (C)',
    ],
    tjanstgorandeErsattare: ['Sara Lund (S) ersätter Birgitta Holm (S) § 44', 'Per Ahl (M) ersätter Ahmed Yusuf (M) §§ 47–48'],
    ersattare: ['Sara Lund (S) §§ 41–43 och 45–48', 'Per Ahl (M) §§ 45–46'],
    ovriga: ['Ingrid Ström, bygglovschef', 'Mattias Ek, miljöinspektör § 46'],
  });
});

test('the § numbers, the jäv sentences, the beslut, the votering and the reservationer', () => {
  expect(protokoll.paragrafer).toBe('Paragraf 41–48');
  expect(protokoll.paragraphs.map((p) => `${p.paragraphText} ${p.heading}`)).toEqual([
    '§ 41 Val av justerare',
    '§ 42 Anmälan av jäv',
    '§ 43 Godkännande av dagordning',
    '§ 44 Bygglov för nybyggnad av enbostadshus, Ekbacken 2:14',
    '§ 45 Strandskyddsdispens för brygga, Näset 1:3',
    '§ 46 Föreläggande om rivning, Kvarnen 7',
    '§ 47 Detaljplan för Västra hamnen, samråd',
    '§ 48 Delegationsbeslut april 2026',
  ]);
  expect(byNumber(41).beslut).toEqual(['Eva Lindqvist (S) utses att justera protokollet.']);
  expect(byNumber(42).text).toEqual(['Birgitta Holm (S) anmäler jäv i § 44.']);
  expect(byNumber(44).text).toEqual(['Birgitta Holm (S) anmäler jäv och deltar inte i handläggningen av ärendet.']);
  expect(byNumber(44).beslut).toEqual(['Miljö- och byggnadsnämnden beviljar bygglov enligt ansökan.']);
  expect(byNumber(45)).toMatchObject({
    text: [],
    yrkanden: ['Lars Nyström (C) yrkar bifall till förvaltningens förslag.', 'Jonas Ek (SD) yrkar avslag på ansökan.'],
    votering: 'Votering genomförs. Ja för ordförandens yrkande, nej för Jonas Eks yrkande. Ja: 5, nej: 2, avstår: 0.',
    beslut: ['Miljö- och byggnadsnämnden ger dispens från strandskyddet för bryggan.'],
    reservationer: ['Jonas Ek (SD) reserverar sig mot beslutet till förmån för eget yrkande.', 'Karin Malm (L) reserverar sig mot beslutet.'],
  });
  expect(byNumber(46)).toMatchObject({ beslut: ['Miljö- och byggnadsnämnden förelägger fastighetsägaren att riva förrådsbyggnaden senast den 30 september 2026.'], expedieras: ['Fastighetsägaren', 'Lantmäteriet'] });
  expect(byNumber(47).beslut).toEqual(['Ärendet återremitteras.', 'för att utreda trafikfrågan']);
  // Seven seats, four needed; every § has seven taking part.
  expect(protokoll.paragraphs.map((p) => p.participants)).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  expect(protokoll.warnings).toEqual([]);
});

test('the Word file says the same, in the order a protokoll writes it', () => {
  const want = [
    'Protokoll',
    'Miljö- och byggnadsnämnden',
    'Datum: 2026-05-20',
    'Tid: 13.00–16.30',
    'Plats: Kommunhuset, sal Rönnen',
    'Närvarande ledamöter',
    'Ahmed Yusuf (M) §§ 41–46',
    'Birgitta Holm (S) §§ 41–43 och 45–48',
    'Tjänstgörande ersättare',
    'Sara Lund (S) ersätter Birgitta Holm (S) § 44',
    'Per Ahl (M) ersätter Ahmed Yusuf (M) §§ 47–48',
    'Närvarande ersättare',
    'Sara Lund (S) §§ 41–43 och 45–48',
    'Per Ahl (M) §§ 45–46',
    'Övriga närvarande',
    'Ingrid Ström, bygglovschef',
    'Mattias Ek, miljöinspektör § 46',
    'Paragraf 41–48',
    'Hanna Dahl, sekreterare',
    'Lars Nyström (C), ordförande',
    'Eva Lindqvist (S), justerare',
    '§ 42 Anmälan av jäv',
    'Birgitta Holm (S) anmäler jäv i § 44.',
    '§ 44 Bygglov för nybyggnad av enbostadshus, Ekbacken 2:14',
    'Ärendenummer: MBN 2026-000211',
    'Handläggare: Ingrid Ström, bygglovschef',
    'Birgitta Holm (S) anmäler jäv och deltar inte i handläggningen av ärendet.',
    '§ 45 Strandskyddsdispens för brygga, Näset 1:3',
    'Jonas Ek (SD) yrkar avslag på ansökan.',
    'Votering genomförs. Ja för ordförandens yrkande, nej för Jonas Eks yrkande. Ja: 5, nej: 2, avstår: 0.',
    'Miljö- och byggnadsnämnden beslutar:',
    '– Miljö- och byggnadsnämnden ger dispens från strandskyddet för bryggan.',
    'Reservationer',
    'Jonas Ek (SD) reserverar sig mot beslutet till förmån för eget yrkande.',
    'Karin Malm (L) reserverar sig mot beslutet.',
    '§ 46 Föreläggande om rivning, Kvarnen 7',
    'Expedieras till: Fastighetsägaren, Lantmäteriet',
    '§ 47 Detaljplan för Västra hamnen, samråd',
    '– Ärendet återremitteras.',
    'Bevis om anslag',
    'Sammanträdesdatum: 2026-05-20',
    'Förvaringsplats för protokollet: Miljö- och byggnadsförvaltningen, kommunhuset',
  ];
  let at = -1;
  for (const line of want) {
    const next = word.indexOf(line, at + 1);
    expect({ line, found: next > at }).toEqual({ line, found: true });
    at = next;
  }
});

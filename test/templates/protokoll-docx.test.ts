/**
 * The protokoll of the example committee that mirrors seed 000 (examples/jamstalldhetsdelegationen.yaml:
 * four numbered opening items from § 18, ärenden §§ 22–33, digital justering), recorded through the
 * documented commands, with § 23 kept out of the public version as 000 does, and read back from
 * both .docx files with mammoth: the full one and the public one.
 */
import path from 'node:path';
import mammoth from 'mammoth';
import type { FilePart } from '../../src/core/message';
import { makeHarness, plain, type Harness } from '../support/harness';

const FILE = path.join(__dirname, '../../examples/jamstalldhetsdelegationen.yaml');
const SECRETARY = 'robert.lund';

let h: Harness;
let files: FilePart[];
let lead: string;
beforeAll(async () => {
  h = await makeHarness({ file: FILE, now: '2024-03-14T10:00:00+01:00' });
  await h.say(SECRETARY, 'dagordning möte 2024-03-15');
  expect(plain(await h.say('maja.lind', 'jäv 42/24 part'))).toMatch(/^Jäv /);
  h.clock.set('2024-03-15T13:00:00+01:00');
  for (const c of [
    'närvaro 20–33 daniel.ek',
    'närvaro 22–33 kerstin.hall',
    'närvaro alla agnes.ohlin',
    'tjänstgör malin.berg för maja.lind 23',
    ...['41', '42', '43', '44', '46', '47', '48', '49', '50', '51', '52', '45'].map((n) => `beslut ${n}/24 enligt förslag`),
    'expedieras 42/24 Kommunstyrelsen',
    'protokoll utan § 23',
    'justering 2024-03-15 stina.vik senast 2024-03-18',
  ]) {
    expect({ c, answer: plain(await h.say(SECRETARY, c)) }).toEqual({ c, answer: expect.not.stringMatching(/^(Det |Jag hittar|Skriv|Ange|§ \d+ finns)/) });
  }
  h.clock.set('2024-03-18T10:00:00+01:00');
  await h.say(SECRETARY, 'justerat 2024-03-15 stina.vik');
  await h.say('maja.lind', 'justerat 2024-03-15');
  await h.say(SECRETARY, 'anslaget 2024-03-18 2024-03-15');
  const replies = await h.say(SECRETARY, 'protokoll möte 2024-03-15');
  lead = plain(replies);
  files = replies.flatMap((o) => o.message.parts).filter((p): p is FilePart => p.kind === 'file');
}, 60_000);
afterAll(async () => h.close());

async function wordLines(name: string): Promise<string[]> {
  const file = files.find((f) => f.name === name);
  if (!file) throw new Error(`no ${name} among ${files.map((f) => f.name).join(', ')}`);
  return (await mammoth.extractRawText({ buffer: Buffer.from(file.bytes) })).value.split('\n').map((l) => l.trim()).filter(Boolean);
}

test('the secretary gets the full protokoll and the public version, each as Word and Markdown', () => {
  expect(files.map((f) => f.name)).toEqual([
    'protokoll-2024-03-15-jdel-v1.docx',
    'protokoll-2024-03-15-jdel-v1.md',
    'protokoll-2024-03-15-jdel-v1-offentlig.docx',
    'protokoll-2024-03-15-jdel-v1-offentlig.md',
  ]);
  expect(lead).toContain('Utkast 1 till protokoll för sammanträdet fredag den 15 mars 2024 (Paragraf 18–22 och 24–33).');
  expect(lead).toContain('Utanför den offentliga versionen: § 23 (ta med igen: protokoll med § 23)');
  expect(lead).toContain('Den offentliga versionen, utan § 23: protokoll-2024-03-15-jdel-v1-offentlig.docx och protokoll-2024-03-15-jdel-v1-offentlig.md.');
});

// Each document: the lines that must come in this order, and the lines it must not hold anywhere.
const HEAD = ['Protokoll', 'Kommunstyrelsens jämställdhetsdelegation', 'Datum: 2024-03-15', 'Tid: 9.00–12.00', 'Plats: Kupolen, Rådhuset', 'Närvarande ledamöter'];
const SIGNATURES = ['Robert Lund, sekreterare', 'Digitalt justerat protokoll.', 'Maja Lind (S), ordförande', 'Stina Vik (MP), justerare'];
const OPENING = [
  '§ 18 Val av justerare',
  'Kommunstyrelsens jämställdhetsdelegation beslutar:',
  '– Stina Vik (MP) utses att justera protokollet.',
  '§ 19 Anmälan av jäv',
  'Maja Lind (S) anmäler jäv i § 23.',
  '§ 20 Anmälan av övriga frågor',
  'Inga övriga frågor anmäls.',
  '§ 21 Godkännande av dagordning',
  '– Dagordningen godkänns.',
  '§ 22 Verksamhetsbesök: stöd till våldsutsatta',
  'Handläggare: Karin Persson, enhetschef och Mia Torn, gruppledare',
  'Beslutsunderlag',
  'Muntlig information',
  'Förslag till beslut',
  '– Informationen tas till protokollet.',
  'Beslut',
  '– Informationen tas till protokollet.',
];
const PARAGRAPH_23 = [
  '§ 23 Delegationens verksamhetsberättelse 2023',
  'Ärendenummer: KS 84/2024',
  'Maja Lind (S) anmäler jäv och deltar inte i handläggningen av ärendet.',
  '– Verksamhetsberättelsen för 2023 antas och lämnas till kommunstyrelsen.',
  'Expedieras till: Kommunstyrelsen',
];
const CLOSING = [
  '§ 24 Inför delegationens besök hos nämnderna',
  '§ 32 Jämställdhetspriset 2024',
  '– Juryn för jämställdhetspriset 2024 utses enligt förvaltningens förslag.',
  '§ 33 Inkomna handlingar',
  '– Anmälan läggs till handlingarna.',
  'Bevis om anslag',
  'Organ: Kommunstyrelsens jämställdhetsdelegation',
  'Sammanträdesdatum: 2024-03-15',
  'Justeringsdatum: 2024-03-18',
  'Datum då anslaget sätts upp: 2024-03-18',
  'Datum då anslaget tas ned: 2024-04-09',
];

test.each<[string, string, string[], string[]]>([
  [
    'the full protokoll: every §, the jävig ordförande replaced in § 23 only',
    'protokoll-2024-03-15-jdel-v1.docx',
    [
      ...HEAD,
      'Maja Lind (S), ordförande §§ 18–22 och 24–33',
      'Eva Ström (M), vice ordförande',
      'Kerstin Hall (KD) §§ 22–33',
      'Daniel Ek (S) §§ 20–33',
      'Stina Vik (MP)',
      'Tjänstgörande ersättare',
      'Malin Berg (C) ersätter Maja Lind (S) § 23',
      'Övriga närvarande',
      'Agnes Ohlin, sakkunnig',
      'Paragraf 18–33',
      ...SIGNATURES,
      ...OPENING,
      ...PARAGRAPH_23,
      ...CLOSING,
    ],
    [],
  ],
  [
    'the public version: "Paragraf 18–22 och 24–33", närvaro §§ without § 23, no § 23 anywhere',
    'protokoll-2024-03-15-jdel-v1-offentlig.docx',
    [
      ...HEAD,
      'Maja Lind (S), ordförande',
      'Eva Ström (M), vice ordförande',
      'Kerstin Hall (KD) §§ 22 och 24–33',
      'Daniel Ek (S) §§ 20–22 och 24–33',
      'Stina Vik (MP)',
      'Övriga närvarande',
      'Agnes Ohlin, sakkunnig',
      'Paragraf 18–22 och 24–33',
      ...SIGNATURES,
      ...OPENING.map((l) => (l === 'Maja Lind (S) anmäler jäv i § 23.' ? 'Jäv anmäls i en paragraf som inte ingår i den här versionen av protokollet.' : l)),
      ...CLOSING,
    ],
    ['Tjänstgörande ersättare', 'Malin Berg (C) ersätter Maja Lind (S) § 23', ...PARAGRAPH_23, 'Paragraf 18–33', 'Maja Lind (S) anmäler jäv i § 23.'],
  ],
])('%s', async (_name, file, inOrder, absent) => {
  const text = await wordLines(file);
  let at = -1;
  for (const line of inOrder) {
    const next = text.indexOf(line, at + 1);
    expect({ line, found: next > at }).toEqual({ line, found: true });
    at = next;
  }
  for (const line of absent) expect({ line, present: text.includes(line) }).toEqual({ line, present: false });
});

test('the Markdown says the same as the Word file', () => {
  const md = (name: string) => new TextDecoder().decode(files.find((f) => f.name === name)!.bytes);
  expect(md('protokoll-2024-03-15-jdel-v1.md')).toContain('- Malin Berg (C) ersätter Maja Lind (S) § 23');
  expect(md('protokoll-2024-03-15-jdel-v1.md')).toContain('**Paragraf 18–33**');
  expect(md('protokoll-2024-03-15-jdel-v1-offentlig.md')).toContain('**Paragraf 18–22 och 24–33**');
  expect(md('protokoll-2024-03-15-jdel-v1-offentlig.md')).toContain('- Daniel Ek (S) §§ 20–22 och 24–33');
  expect(md('protokoll-2024-03-15-jdel-v1-offentlig.md')).not.toContain('§ 23 Delegationens');
});

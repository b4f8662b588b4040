/**
 * The protokoll of the example committee that mirrors seed 000 (examples/jamstalldhetsdelegationen.yaml:
 * four numbered opening items from § 18, digital justering), recorded through the documented
 * commands and read back from the .docx with mammoth.
 */
import path from 'node:path';
import mammoth from 'mammoth';
import type { FilePart } from '../../src/core/message';
import { makeHarness, plain, type Harness } from '../support/harness';

const FILE = path.join(__dirname, '../../examples/jamstalldhetsdelegationen.yaml');
const SECRETARY = 'robert.lund';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ file: FILE, now: '2024-03-14T10:00:00+01:00' });
});
afterEach(async () => h.close());

test('the 000 mirror: head, närvaro with §§, jäv sentence, beslut, anslagsbevis, read back from Word', async () => {
  await h.say(SECRETARY, 'dagordning möte 2024-03-15');
  expect(plain(await h.say('maja.lind', 'jäv 42/24 part'))).toMatch(/^Jäv /);
  h.clock.set('2024-03-15T13:00:00+01:00');
  for (const c of [
    'närvaro 20–26 daniel.ek',
    'närvaro alla agnes.ohlin',
    'tjänstgör malin.berg för maja.lind 23',
    'beslut 41/24 enligt förslag',
    'beslut 42/24 enligt förslag',
    'beslut 43/24 enligt förslag',
    'beslut 44/24 enligt förslag',
    'beslut 45/24 enligt förslag',
    'expedieras 42/24 Kommunstyrelsen',
    'justering 2024-03-15 stina.vik senast 2024-03-18',
  ]) {
    expect({ c, answer: plain(await h.say(SECRETARY, c)) }).toEqual({ c, answer: expect.not.stringMatching(/^(Det |Jag hittar|Skriv|Ange|§ \d+ finns)/) });
  }
  h.clock.set('2024-03-18T10:00:00+01:00');
  await h.say(SECRETARY, 'justerat 2024-03-15 stina.vik');
  await h.say('maja.lind', 'justerat 2024-03-15');
  await h.say(SECRETARY, 'anslaget 2024-03-18 2024-03-15');
  const replies = await h.say(SECRETARY, 'protokoll möte 2024-03-15');
  const files = replies.flatMap((o) => o.message.parts).filter((p): p is FilePart => p.kind === 'file');
  expect(files.map((f) => f.name)).toEqual(['protokoll-2024-03-15-jdel-v1.docx', 'protokoll-2024-03-15-jdel-v1.md']);
  const text = (await mammoth.extractRawText({ buffer: Buffer.from(files[0]!.bytes) })).value.split('\n').map((l) => l.trim()).filter(Boolean);
  const expectInOrder = (want: string[]) => {
    let at = -1;
    for (const line of want) {
      const next = text.indexOf(line, at + 1);
      expect({ line, found: next > at }).toEqual({ line, found: true });
      at = next;
    }
  };
  expectInOrder([
    'Protokoll',
    'Kommunstyrelsens jämställdhetsdelegation',
    'Datum: 2024-03-15',
    'Tid: 9.00–12.00',
    'Plats: Kupolen, Rådhuset',
    'Närvarande ledamöter',
    'Maja Lind (S), ordförande §§ 18–22 och 24–26',
    'Eva Ström (M), vice ordförande',
    'Kerstin Hall (KD)',
    'Daniel Ek (S) §§ 20–26',
    'Stina Vik (MP)',
    'Tjänstgörande ersättare',
    'Malin Berg (C) ersätter Maja Lind (S) § 23',
    'Övriga närvarande',
    'Agnes Ohlin, sakkunnig',
    'Paragraf 18–26',
    'Robert Lund, sekreterare',
    'Digitalt justerat protokoll.',
    'Maja Lind (S), ordförande',
    'Stina Vik (MP), justerare',
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
    '– Informationen tas till protokollet.',
    '§ 23 Delegationens verksamhetsberättelse 2023',
    'Ärendenummer: KS 84/2024',
    'Maja Lind (S) anmäler jäv och deltar inte i handläggningen av ärendet.',
    '– Verksamhetsberättelsen för 2023 antas och lämnas till kommunstyrelsen.',
    'Expedieras till: Kommunstyrelsen',
    '§ 26 Inkomna handlingar',
    '– Anmälan läggs till handlingarna.',
    'Bevis om anslag',
    'Sammanträdesdatum: 2024-03-15',
    'Justeringsdatum: 2024-03-18',
    'Datum då anslaget sätts upp: 2024-03-18',
    'Datum då anslaget tas ned: 2024-04-09',
  ]);
  const md = new TextDecoder().decode(files[1]!.bytes);
  expect(md).toContain('- Malin Berg (C) ersätter Maja Lind (S) § 23');
  expect(md).toContain('**Paragraf 18–26**');
});

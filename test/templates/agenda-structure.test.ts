/**
 * Issue 15, read back as a secretary sees it: the example committees that mirror real agendas
 * (a numbered opening block, a dagordning of ärenden only in the secretary's order, an opening
 * without §), each as the Word draft read by mammoth and as the chat preview.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import mammoth from 'mammoth';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { buildDraft, planParagraphs } from '../../src/core/handlers/agenda';
import type { Committee } from '../../src/domain/committee';
import { emptyState } from '../../src/domain/state';
import { agendaWarnings } from '../../src/domain/agenda';
import { renderAgendaDraft } from '../../src/templates';
import { makeHarness } from '../support/harness';
import { REPO } from './helpers';

interface Case {
  file: string;
  secretary: string;
  /** A moment before the meeting, for the chat. */
  now: string;
  range: string;
  /** Each row of the dagordning as the Word table reads: §, then the item's heading, Dnr, who presents it. */
  rows: [paragraph: string, heading: string, dnr: string, people: string][];
  justering: string;
}

const CASES: Case[] = [
  {
    file: 'examples/jamstalldhetsdelegationen.yaml',
    secretary: 'robert.lund',
    now: '2024-03-05T10:00:00+01:00',
    range: '§§ 18–33',
    rows: [
      ['§ 18', 'Val av justerare', '', ''],
      ['§ 19', 'Anmälan av jäv', '', ''],
      ['§ 20', 'Anmälan av övriga frågor', '', ''],
      ['§ 21', 'Godkännande av dagordning', '', ''],
      ['§ 22', '41/24 Verksamhetsbesök: stöd till våldsutsatta', '', 'Karin Persson och Mia Torn'],
      ['§ 23', '42/24 Delegationens verksamhetsberättelse 2023', 'KS 84/2024', 'Agnes Ohlin'],
      ['§ 24', '43/24 Inför delegationens besök hos nämnderna', 'KS 1244/2023', 'Agnes Ohlin'],
      ['§ 25', '44/24 Dialogträffar 2024', 'KS 483/2024', 'Agnes Ohlin och Maja Lind'],
      ['§ 26', '46/24 Frågor till kommande verksamhetsbesök', '', 'Agnes Ohlin'],
      ['§ 27', '47/24 Dialogträff: grundskolenämnden', 'KS 697/2023', 'Agnes Ohlin'],
      ['§ 28', '48/24 Omvärldsbevakning', 'KS 86/2024', 'Agnes Ohlin'],
      ['§ 29', '49/24 Ledamöter rapporterar', 'KS 87/2024', ''],
      ['§ 30', '50/24 Ordförandens information', 'KS 937/2023', ''],
      ['§ 31', '51/24 Sakkunnigs information', 'KS 86/2024', 'Agnes Ohlin'],
      ['§ 32', '52/24 Jämställdhetspriset 2024', 'KS 102/2024', 'Agnes Ohlin'],
      ['§ 33', '45/24 Inkomna handlingar', 'KS 87/2024', 'Agnes Ohlin'],
    ],
    justering: 'Protokollet justeras digitalt senast måndag den 18 mars 2024.',
  },
  {
    file: 'examples/jamstalldhetsutskottet.yaml',
    secretary: 'sara.gustavsson',
    now: '2025-02-03T10:00:00+01:00',
    range: '§§ 5–12',
    rows: [
      ['§ 5', '5/25 Tid för justering', 'KS-2025/00019', 'Sara Gustavsson'],
      ['§ 6', '6/25 Uppföljning av utskottets aktivitetsplan och budget 2024', 'KS-2024/00219', 'Annika Dahl och Lina Gran'],
      ['§ 7', '7/25 Aktivitetsplan och budget 2025', 'KS-2025/00045', 'Lina Gran och Annika Dahl'],
      ['§ 8', '8/25 Yttrande över plan för digital omställning', 'KS-2024/01116', 'Annika Dahl och Jonas Falk'],
      ['§ 9', '9/25 Yttrande över motion om fullmäktiges arbetsordning', 'KS-2024/00871', 'Lina Gran'],
      ['§ 10', '11/25 Återrapport från projekt om våld i nära relationer', 'KS-2024/00502', 'Annika Dahl'],
      ['§ 11', '10/25 Nämndernas verksamhetsplaner ur jämställdhetsperspektiv 2025', 'KS-2025/00031', 'Annika Dahl och Lina Gran'],
      ['§ 12', '12/25 Informationer 2025-02-13', '', 'Annika Dahl'],
    ],
    justering: 'Protokollet justeras digitalt senast fredag den 14 februari 2025.',
  },
  {
    file: 'examples/byggnadsnamnden.yaml',
    secretary: 'eva.ros',
    now: '2025-02-24T10:00:00+01:00',
    range: '§§ 1–2',
    rows: [
      ['', 'Sammanträdets öppnande och upprop', '', ''],
      ['', 'Val av justerare', '', ''],
      ['', 'Fastställande av dagordning', '', ''],
      ['', 'Information från ordföranden', '', ''],
      ['§ 1', '14/25 Bygglov för nybyggnad av förskola, Sjövik 4:12', 'BN 2025-000123', 'Britt Lo'],
      ['§ 2', '15/25 Delegationsbeslut februari 2025', '', 'Omar Said'],
      ['', 'Övriga frågor', '', ''],
      ['', 'Avslutning', '', ''],
    ],
    justering: 'Protokollet justeras på kommunkontoret senast tisdag den 11 mars 2025.',
  },
];

async function draftOf(committee: Committee) {
  const meeting = committee.meetings[committee.meetings.length - 1]!;
  const plan = planParagraphs(committee, emptyState(), meeting);
  return buildDraft(committee, emptyState(), meeting, plan.first, plan.unknown);
}

/** The dagordning table's rows from the .docx: each cell's paragraphs, as mammoth's HTML has them. */
async function wordRows(docx: Buffer): Promise<string[][]> {
  const { value: html } = await mammoth.convertToHtml({ buffer: docx });
  const tables = [...html.matchAll(/<table>(.*?)<\/table>/gs)].map((m) => m[1]!);
  const agendaTable = tables.find((t) => t.includes('Föredragande'))!;
  const text = (cell: string) => cell.replace(/<\/p><p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim();
  return [...agendaTable.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((row) => [...row[1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((c) => text(c[1]!)));
}

describe.each(CASES)('$file', (c) => {
  test('the Word draft: § numbers, order, Dnr, people, the justering sentence, kommun and signatures', async () => {
    const committee = await loadCommitteeFile(path.join(REPO, c.file));
    const agenda = await draftOf(committee);
    const { docx } = await renderAgendaDraft(agenda);
    const rows = await wordRows(docx);
    expect(rows.map((r) => [r[0], r[1]!.split('\n')[0], r[2], r[3]])).toEqual(c.rows);
    const { value: raw } = await mammoth.extractRawText({ buffer: docx });
    expect(raw).toContain(committee.kommun!);
    expect(raw).toContain(`Paragrafer\n\n${c.range}`);
    expect(raw).toContain(`Justering\n\n${c.justering}`);
    const chair = committee.members.find((m) => m.role === 'ordförande')!;
    const secretary = committee.members.find((m) => m.role === 'sekreterare')!;
    expect(raw).toContain(`${chair.name} (${chair.party})\n\nOrdförande`);
    expect(raw).toContain(`${secretary.name}\n\nSekreterare`);
    // Never printed twice: a standard item an ärende stands for is left out.
    expect(raw.match(/Tid för justering/g)?.length ?? 0).toBeLessThanOrEqual(2); // the table row and the ärende's heading
  });

  test('the chat preview: the same § numbers, order, Dnr, people and justering sentence', async () => {
    const h = await makeHarness({ file: path.join(REPO, c.file), now: c.now });
    try {
      const text = await h.text(c.secretary, 'dagordning');
      expect(text).toContain(`Paragrafer: ${c.range}`);
      expect(text).toContain(`Justering: ${c.justering}`);
      const expected = c.rows.map(([p, heading, dnr, people]) => {
        const arende = /^(\d+\/\d+) (.*)$/.exec(heading);
        const head = `${p ? `${p} ` : ''}${arende ? `${arende[2]} (${arende[1]})` : heading}`;
        return [head, ...(dnr ? [`Dnr ${dnr}`] : []), ...(people ? [people] : [])].join(' – ');
      });
      const lines = text.split('\n').map((l) => l.replace(/^\s*[-•*]\s*/, '').trim());
      const at = expected.map((line) => lines.indexOf(line));
      expect(expected.filter((_, i) => at[i]! < 0)).toEqual([]);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    } finally {
      await h.close();
    }
  }, 30_000);
});

test('the ärende standing for "Tid för justering" replaces the standard item and proposes the committee sentence', async () => {
  const committee = await loadCommitteeFile(path.join(REPO, 'examples/jamstalldhetsutskottet.yaml'));
  const agenda = await draftOf(committee);
  expect(agenda.items.filter((i) => i.type === 'justering')).toEqual([]);
  const item = agenda.items.find((i) => i.type === 'arende' && i.lopnummer === '5/25');
  expect(item).toMatchObject({ paragraph: 5, ersatter: 'justering', forslagTillBeslut: 'Att protokollet justeras digitalt senast fredag den 14 februari 2025.' });
});

test('examples/kfn.yaml gives the same drafts as before the agenda structure existed', async () => {
  const committee = await loadCommitteeFile(path.join(REPO, 'examples/kfn.yaml'));
  const before = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/agenda/kfn-drafts-before.json'), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(before)).toEqual(committee.meetings.map((m) => m.id));
  for (const meeting of committee.meetings) {
    // Every field the drafts had before, with the same value; new fields may be added.
    expect(JSON.parse(JSON.stringify(buildDraft(committee, emptyState(), meeting, 1)))).toMatchObject(before[meeting.id] as object);
  }
});

test('a draft not fit to send says what is missing: kommun, ordförande, sekreterare, start time, first §', async () => {
  const committee = await loadCommitteeFile(path.join(REPO, 'examples/jamstalldhetsutskottet.yaml'));
  const bare = { ...committee, kommun: undefined, members: committee.members.filter((m) => m.role !== 'ordförande' && m.role !== 'sekreterare'), settings: { ...committee.settings, firstParagraphOfYear: undefined } };
  const meeting = { ...committee.meetings[0]!, firstParagraph: undefined };
  const plan = planParagraphs(bare, emptyState(), meeting);
  const agenda = buildDraft(bare, emptyState(), meeting, plan.first, plan.unknown);
  expect(agenda.paragraphs.text).toBe('§§ 1–8');
  expect(agendaWarnings(agenda).slice(-5)).toEqual([
    'Ingen första paragraf för 2025 är känd, så numreringen börjar på § 1. Stämmer det inte, ange firstParagraph för mötet eller firstParagraphOfYear under settings i nämndfilen.',
    'Kommunens namn saknas i kallelsen: skriv kommun: (till exempel kommun: Sjöbacka kommun) överst i nämndfilen.',
    'Ordförandens namn saknas i underskriften: nämndfilen har ingen ledamot med role: ordförande.',
    'Sekreterarens namn saknas i underskriften: nämndfilen har ingen person med role: sekreterare.',
    'Mötet har ingen starttid: kallelsen visar ingen tid. Skriv start: för mötet i nämndfilen när tiden är bestämd.',
  ]);
  const { value: raw } = await mammoth.extractRawText({ buffer: (await renderAgendaDraft(agenda)).docx });
  expect(raw).toContain('Tid\n\nmeddelas senare');
  // With a first § set, nothing is said about it.
  expect(agendaWarnings(await draftOf(committee)).join(' ')).not.toContain('första paragraf');
});

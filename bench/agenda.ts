/**
 * The agenda draft for a 300-ärende meeting: model, Markdown and Word together, next to bare
 * docxtemplater generation of the same content (the floor: no model, no limits, no Markdown).
 * Targets: under 500 ms, and at most 2× the bare generation. Medians of interleaved runs.
 */
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { buildAgenda, type AgendaInput } from '../src/domain/agenda';
import { committeeSchema } from '../src/domain/committee';
import { loadDocxTemplate, renderAgendaDraft, renderMarkdown, templateView } from '../src/templates';
import { percentile } from './stats';

const ITEMS = 300;
const WARMUP = 3;
const RUNS = 21;

function benchInput(): AgendaInput {
  const committee = committeeSchema.parse({
    id: 'bench',
    name: 'Bänknämnden',
    shortName: 'BN',
    kommun: 'Bänkby kommun',
    // A committee's own structure: a numbered opening, one own item, ärenden in the file's order.
    settings: {
      informationItems: 'asListed',
      agenda: {
        opening: [{ item: 'justerare' }, { item: 'jav' }, { item: 'ovrigaFragorAnmalan' }, { item: 'dagordning' }, { title: 'Information från ordföranden', text: 'Ordföranden informerar.' }],
        closing: [{ item: 'avslutning' }],
      },
      justering: { where: 'digitalt', rule: 'weekday', weekday: 'fredag' },
    },
    members: [
      { id: 'ordf', name: 'Ordförande Ordsson', party: 'S', role: 'ordförande' },
      { id: 'led', name: 'Ledamot Ledsson', party: 'M', role: 'ledamot' },
      { id: 'sekr', name: 'Sekreterare Sekrsson', role: 'sekreterare', befattning: 'Nämndsekreterare' },
    ],
    tjanstepersoner: [
      { id: 'hand', name: 'Handläggare Handsson', befattning: 'Utredare' },
      { id: 'chef', name: 'Chef Chefsson', befattning: 'Enhetschef' },
    ],
    meetings: [
      {
        id: 'mote',
        date: '2027-06-10',
        start: '09:00',
        end: '16:00',
        place: 'Kommunhuset',
        items: Array.from({ length: ITEMS }, (_, i) => ({
          lopnummer: `${i + 1}/27`,
          title: `Ärende nummer ${i + 1} om en verksamhet som behöver ett beslut`,
          diarienummer: `BN 2027/${String(i + 1).padStart(4, '0')}`,
          handlaggare: i % 2 === 0 ? ['hand', 'chef'] : 'hand',
          ...(i % 3 === 0 ? { foredragande: 'chef' } : {}),
          ...(i === 0 ? { ersatter: 'justering' } : {}),
          kind: i % 5 === 0 ? 'information' : 'beslut',
          beslutsunderlag: [`Tjänsteskrivelse ${i + 1}`, `Bilaga A till ärende ${i + 1}`, `Bilaga B till ärende ${i + 1}`],
          forslagTillBeslut: `Nämnden beslutar enligt förvaltningens förslag i ärende ${i + 1}.\nBeslutet skickas till kommunstyrelsen.`,
          sekretess: i % 60 === 59,
        })),
      },
    ],
  });
  return {
    committee,
    meeting: committee.meetings[0],
    firstParagraph: 120,
    javDeclarations: Array.from({ length: 20 }, (_, i) => ({ lopnummer: `${i * 15 + 1}/27`, memberName: 'Ledamot Ledsson', party: 'M' })),
    ovrigaFragor: Array.from({ length: 5 }, (_, i) => ({ memberName: 'Ledamot Ledsson', party: 'M', text: `Fråga nummer ${i + 1}?` })),
    justerareInTurn: { name: 'Ledamot Ledsson', party: 'M' },
    justering: { date: '2027-06-17', explanation: 'en vecka efter sammanträdet' },
  };
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;

export async function benchAgenda(): Promise<string[]> {
  const input = benchInput();
  const { bytes } = await loadDocxTemplate('kallelse.docx');
  const view = templateView(buildAgenda(input));

  const full = async () => renderAgendaDraft(buildAgenda(input));
  const bare = () => {
    const doc = new Docxtemplater(new PizZip(bytes), { paragraphLoop: true, linebreaks: true });
    doc.render(view);
    return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
  };
  const markdownOnly = async () => renderMarkdown(buildAgenda(input));

  for (let i = 0; i < WARMUP; i++) {
    await full();
    bare();
    await markdownOnly();
  }
  const fullTimes: number[] = [];
  const bareTimes: number[] = [];
  const mdTimes: number[] = [];
  // Interleaved, so a slow phase of the machine hits all three alike.
  for (let i = 0; i < RUNS; i++) {
    fullTimes.push(await time(full));
    bareTimes.push(await time(bare));
    mdTimes.push(await time(markdownOnly));
  }
  const f = median(fullTimes);
  const b = median(bareTimes);
  const draft = await full();
  return [
    `${ITEMS} ärenden, median av ${RUNS} körningar efter ${WARMUP} uppvärmningskörningar`,
    `utkast (modell + Markdown + .docx, med gränser): ${ms(f)}   mål < 500 ms: ${f < 500 ? 'uppfyllt' : 'EJ uppfyllt'}`,
    `bar docxtemplater, samma innehåll:               ${ms(b)}`,
    `kvot utkast / bar:                              ${(f / b).toFixed(2).padStart(7)}      mål ≤ 2: ${f / b <= 2 ? 'uppfyllt' : 'EJ uppfyllt'}`,
    `bara Markdown (modell + Liquid):                 ${ms(median(mdTimes))}`,
    `storlek: .docx ${Math.round(draft.docx.length / 1024)} KiB, Markdown ${Math.round(draft.markdown.length / 1024)} KiB`,
  ];
}

if (require.main === module) {
  void benchAgenda().then((lines) => process.stdout.write(`${lines.join('\n')}\n`));
}

/**
 * The protokoll of a 300-§ meeting with 40 people (25 ledamöter, 10 ersättare, 5 tjänstepersoner):
 * the model from the agenda and the recorded meeting, then Word and Markdown. Target: under 1 s.
 * Median of runs after warm-up.
 */
import { buildAgenda } from '../src/domain/agenda';
import { committeeSchema } from '../src/domain/committee';
import { buildProtokoll } from '../src/domain/protokoll';
import { emptyMinutes } from '../src/domain/state';
import { renderProtokoll } from '../src/templates';
import { percentileOf } from './stats';

const ITEMS = 296;
const RUNS = 11;

export async function benchProtokoll(): Promise<string[]> {
  const parties = ['S', 'M', 'C', 'V', 'KD'];
  const committee = committeeSchema.parse({
    id: 'bench',
    name: 'Bänknämnden',
    shortName: 'BN',
    settings: { informationItems: 'asListed', agenda: { opening: [{ item: 'justerare' }, { item: 'jav' }, { item: 'ovrigaFragorAnmalan' }, { item: 'dagordning' }], closing: [] }, justering: { where: 'digitalt' } },
    members: [
      ...Array.from({ length: 25 }, (_, i) => ({ id: `l${i}`, name: `Ledamot ${i}`, party: parties[i % 5], role: i === 0 ? 'ordförande' : 'ledamot' })),
      ...Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, name: `Ersättare ${i}`, party: parties[i % 5], role: 'ersättare' })),
      { id: 'sek', name: 'Sekreterare', role: 'sekreterare' },
    ],
    tjanstepersoner: Array.from({ length: 4 }, (_, i) => ({ id: `t${i}`, name: `Tjänsteperson ${i}`, befattning: 'Handläggare' })),
    meetings: [
      {
        id: 'm',
        date: '2027-03-11',
        start: '9.00',
        place: 'Rummet',
        items: Array.from({ length: ITEMS }, (_, i) => ({ lopnummer: `${i + 1}/27`, title: `Ärende ${i + 1}`, diarienummer: `BN 2027/${i}`, handlaggare: `t${i % 4}`, beslutsunderlag: ['Tjänsteskrivelse'], forslagTillBeslut: 'Nämnden beslutar enligt förslaget.', sekretess: i % 50 === 7 })),
      },
    ],
  });
  const meeting = committee.meetings[0]!;
  const agenda = buildAgenda({ committee, meeting, firstParagraph: 18, javDeclarations: [], ovrigaFragor: [], justering: { date: '2027-03-25', explanation: '' } });
  const minutes = emptyMinutes();
  const keys = agenda.items.filter((i) => i.paragraph !== null).map((i) => i.key);
  for (let i = 0; i < 10; i++) minutes.narvaro.set(`id:e${i}`, { personId: `e${i}`, items: null });
  for (let i = 1; i < 6; i++) minutes.narvaro.set(`id:l${i}`, { personId: `l${i}`, items: keys.slice(0, 100 * (i % 3) + 50) });
  for (let i = 0; i < 4; i++) minutes.narvaro.set(`id:t${i}`, { personId: `t${i}`, items: null });
  for (const k of keys) minutes.beslut.set(k, { outcome: 'enligtForslag' });
  const jav = Array.from({ length: 30 }, (_, i) => ({ memberId: `l${(i % 24) + 1}`, lopnummer: `${i * 9 + 1}/27` }));
  const run = async () => {
    const p = buildProtokoll({ committee, agenda, minutes, jav, forhinder: [], acceptedAsks: [], questions: [], justering: { justerare: ['l1'], dueDate: '2027-03-25', signedAt: {} } });
    await renderProtokoll(p);
    return p;
  };
  const p = await run();
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const median = percentileOf(times, 50);
  return [
    `protokoll: ${p.paragraphs.length} §§, ${25 + 10 + 5} personer: median ${median.toFixed(0)} ms över ${RUNS} körningar (mål: under 1000 ms) — ${median < 1000 ? 'OK' : 'för långsamt'}`,
  ];
}

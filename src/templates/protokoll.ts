/**
 * The protokoll's documents: Word from `protokoll.docx` and Markdown from `protokoll.md.liquid`,
 * the committee's own when its template folder has them, else the defaults in templates/.
 * Both render the same view of the model (`protokollView`); nothing in a template runs code.
 * Pass `channelSafeProtokoll(p)` for anything that is not the secretary's private file.
 */
import { buildProtokoll, type Protokoll } from '../domain/protokoll';
import { emptyMinutes } from '../domain/state';
import { formatDateLong } from '../domain/time';
import { loadDocxTemplate, renderDocxBuffer } from './docx';
import { findTemplate, readBounded } from './files';
import { TEMPLATE_LIMITS } from './limits';
import { renderLiquidString } from './markdown';
import { protokollBaseName } from './renderer';
import { sampleAgenda, sampleCommittee } from './sample';

export const PROTOKOLL_DOCX_TEMPLATE = 'protokoll.docx';
export const PROTOKOLL_MARKDOWN_TEMPLATE = 'protokoll.md.liquid';

/** Every field is always present (strings, lists of strings, booleans): a missing one is a misspelt tag. */
export function protokollView(p: Protokoll) {
  const withAny = <K extends string>(key: K, list: string[]) => ({ [key]: list, [`${key}Any`]: list.length > 0 }) as Record<K, string[]> & Record<`${K}Any`, boolean>;
  return {
    committee: p.heading.committee,
    date: p.heading.date,
    dateText: p.heading.dateText,
    time: p.heading.time,
    place: p.heading.place,
    ...withAny('ledamoter', p.narvaro.ledamoter),
    ...withAny('tjanstgorande', p.narvaro.tjanstgorandeErsattare),
    ...withAny('ersattare', p.narvaro.ersattare),
    ...withAny('ovriga', p.narvaro.ovriga),
    paragrafer: p.paragrafer,
    sekreterare: p.signatures.sekreterare ?? '',
    ordforande: p.signatures.ordforande ?? '',
    justerare: p.signatures.justerare,
    digitalText: p.signatures.digitalText,
    paragraphs: p.paragraphs.map((x) => ({
      heading: `${x.paragraphText} ${x.heading}`,
      arendenummer: x.arendenummer ?? '',
      handlaggare: joinSv(x.handlaggare),
      ...withAny('beskrivning', x.beskrivning),
      ...withAny('beslutsunderlag', x.beslutsunderlag),
      ...withAny('forslag', x.forslag),
      text: x.text,
      yrkanden: x.yrkanden,
      votering: x.votering ?? '',
      beslutLead: x.beslutLead,
      beslut: x.beslut,
      ...withAny('reservationer', x.reservationer),
      ...withAny('protokollsanteckningar', x.protokollsanteckningar),
      expedieras: x.expedieras.join(', '),
    })),
    anslagOrgan: p.anslag.organ,
    sammantradesdatum: p.anslag.sammantradesdatum,
    justeringsdatum: p.anslag.justeringsdatum,
    anslagUppsatt: p.anslag.uppsatt ?? (p.anslag.uppsattSenast ? `senast ${p.anslag.uppsattSenast}` : ''),
    anslagNedtagning: p.anslag.nedtagning ?? '',
    sistaDagForOverklagande: p.anslag.sistaDagForOverklagande ?? '',
    forvaringsplats: p.anslag.forvaringsplats,
    meetingDateText: formatDateLong(p.meeting.date),
  };
}

function joinSv(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`;
}

export interface ProtokollFiles {
  markdown: string;
  docx: Buffer;
  /** "protokoll-2027-01-21-kfn" */
  baseName: string;
}

/**
 * Renders on the calling thread: the bot renders through the render thread (`RenderThread.renderProtokoll`,
 * thread.ts), which calls this there; `onStep` names each template as it begins.
 */
export async function renderProtokoll(protokoll: Protokoll, options: { templatesDir?: string; onStep?: (template: string) => void } = {}): Promise<ProtokollFiles> {
  const view = protokollView(protokoll);
  options.onStep?.(PROTOKOLL_DOCX_TEMPLATE);
  const { bytes } = await loadDocxTemplate(PROTOKOLL_DOCX_TEMPLATE, options.templatesDir);
  const docx = renderDocxBuffer(bytes, view, PROTOKOLL_DOCX_TEMPLATE);
  options.onStep?.(PROTOKOLL_MARKDOWN_TEMPLATE);
  const found = await findTemplate(PROTOKOLL_MARKDOWN_TEMPLATE, options.templatesDir);
  const source = (await readBounded(found, TEMPLATE_LIMITS.liquidBytes)).toString('utf8');
  const markdown = await renderLiquidString(source, view, PROTOKOLL_MARKDOWN_TEMPLATE);
  return { markdown, docx, baseName: protokollBaseName(protokoll) };
}

/**
 * The sample meeting's protokoll, for `namndbot templates check`: every field filled in somewhere
 * (närvaro with §§, a tjänstgörande ersättare, votering, reservation, protokollsanteckning,
 * expediering, a sekretess §, an anslag posted) and empty somewhere else.
 */
export function sampleProtokoll(): Protokoll {
  const committee = sampleCommittee();
  const agenda = sampleAgenda();
  const minutes = emptyMinutes();
  const beslut = agenda.items.find((i) => i.type === 'arende' && !i.sekretess && i.kind === 'beslut')!.key;
  const first = agenda.items.find((i) => i.paragraph !== null)!.key;
  minutes.narvaro.set('id:led-c', { personId: 'led-c', items: [first, beslut] });
  minutes.narvaro.set('id:ers-l', { personId: 'ers-l', items: null });
  minutes.tjanstgoring.set('ers-l>led-c', { ersattareId: 'ers-l', forMemberId: 'led-c', items: [beslut] });
  minutes.narvaro.set('namn:anna prov', { name: 'Anna Prov', befattning: 'Controller', items: null });
  minutes.beslut.set(beslut, { outcome: 'enligtForslag' });
  minutes.voteringar.set(beslut, { ja: 2, nej: 1, avstar: 0, text: 'Ja för förslaget, nej för avslag' });
  minutes.notes.set('y', { itemKey: beslut, kind: 'yrkande', memberId: 'led-v', text: 'avslag' });
  minutes.notes.set('r', { itemKey: beslut, kind: 'reservation', memberId: 'led-v' });
  minutes.notes.set('p', { itemKey: beslut, kind: 'protokollsanteckning', memberId: 'ordf', text: 'Vi följer frågan.' });
  minutes.expedieras.set(beslut, ['Kommunstyrelsen', 'Ekonomienheten']);
  minutes.beskrivning.set(beslut, 'Förvaltningen redovisar budgeten.');
  return buildProtokoll({
    committee,
    agenda,
    minutes,
    jav: [
      { memberId: 'led-c', lopnummer: '7/25' },
      { memberId: 'led-v', lopnummer: '9/25' },
    ],
    forhinder: [],
    acceptedAsks: [],
    questions: [{ memberId: 'vice', text: 'Hur går arbetet med den nya sporthallen?' }],
    justering: { justerare: ['led-c'], dueDate: '2025-02-20', signedAt: { 'led-c': '2025-02-18T10:00:00Z', ordf: '2025-02-18T11:00:00Z' }, anslagPostedDate: '2025-02-19' },
  });
}

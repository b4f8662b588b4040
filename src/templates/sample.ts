/**
 * The one made-up meeting, of a made-up Kultur- och fritidsnämnden: every kind of item, a
 * sekretess ärende, jäv, an övrig fråga, optional fields both present and missing. `namndbot
 * templates check` fills the templates with it, without touching a real meeting; the agenda and
 * template tests build on it (test/fixtures/agenda/fixture.ts).
 */
import { buildAgenda, type Agenda, type AgendaInput } from '../domain/agenda';
import { committeeSchema, type Committee } from '../domain/committee';

/** The sekretess ärende's title: what a channel must never see. */
export const SAMPLE_SECRET_TITLE = 'Ansökan om förlängt bidrag för Föreningen Hemlig';

/** The committee; `overrides` give a variant (information items last, other ärenden). */
export function sampleCommittee(overrides: { informationItems?: 'first' | 'last'; items?: unknown[] } = {}): Committee {
  return committeeSchema.parse({
    id: 'kfn',
    name: 'Kultur- och fritidsnämnden',
    shortName: 'KFN',
    kommun: 'Sjöbacka kommun',
    settings: { informationItems: overrides.informationItems ?? 'first' },
    members: [
      { id: 'ordf', name: 'Maria Lindqvist', party: 'S', role: 'ordförande' },
      { id: 'vice', name: 'Per Åkesson', party: 'M', role: 'vice ordförande' },
      { id: 'led-c', name: 'Anna Berg', party: 'C', role: 'ledamot' },
      { id: 'led-v', name: 'Jonas Öberg', party: 'V', role: 'ledamot' },
      { id: 'ers-l', name: 'Sofia Ek', party: 'L', role: 'ersättare' },
      { id: 'sekr', name: 'Lena Holm', role: 'sekreterare' },
      { id: 'hand-eva', name: 'Eva Sandberg', role: 'handläggare' },
      { id: 'hand-ali', name: 'Ali Rahimi', role: 'handläggare' },
    ],
    meetings: [
      {
        id: 'kfn-2025-02-13',
        date: '2025-02-13',
        start: '09:00',
        place: 'Sessionssalen, Stadshuset',
        items: overrides.items ?? [
          {
            lopnummer: '7/25',
            title: 'Budget 2026 för kultur- och fritidsverksamheten',
            diarienummer: 'KFN 2025/0012',
            handlaggare: 'hand-eva',
            beslutsunderlag: ['Tjänsteskrivelse 2025-01-20', 'Förslag till budget 2026'],
            forslagTillBeslut: 'Kultur- och fritidsnämnden fastställer budgeten för 2026.\nBeslutet skickas till kommunstyrelsen.',
          },
          {
            lopnummer: '8/25',
            title: 'Information om sommarlovsaktiviteter',
            kind: 'information',
            handlaggare: 'hand-ali',
            beslutsunderlag: ['Muntlig information'],
            forslagTillBeslut: 'Informationen tas till protokollet.',
          },
          {
            lopnummer: '9/25',
            title: SAMPLE_SECRET_TITLE,
            diarienummer: 'KFN 2025/0031',
            handlaggare: 'hand-eva',
            beslutsunderlag: ['Ansökan från föreningen', 'Utredning av förvaltningen'],
            forslagTillBeslut: 'Ansökan beviljas med 40 000 kronor.',
            sekretess: true,
          },
          {
            lopnummer: '10/25',
            title: 'Yttrande över motion om öppettider i biblioteken',
            diarienummer: 'KFN 2024/0210',
          },
          {
            lopnummer: '11/25',
            title: 'Delegationsbeslut och anmälningsärenden',
            kind: 'information',
            handlaggare: 'hand-ali',
            forslagTillBeslut: 'Anmälan läggs till handlingarna.',
          },
        ],
      },
    ],
  });
}

/** What the agenda is built from: the meeting, two jäv, an övrig fråga, the justerare in turn and the justering date. */
export function sampleInput(committee: Committee = sampleCommittee()): AgendaInput {
  return {
    committee,
    meeting: committee.meetings[0],
    firstParagraph: 18,
    javDeclarations: [
      { lopnummer: '9/25', memberName: 'Jonas Öberg', party: 'V' },
      { lopnummer: '7/25', memberName: 'Anna Berg', party: 'C' },
    ],
    ovrigaFragor: [{ memberName: 'Per Åkesson', party: 'M', text: 'Hur går arbetet med den nya sporthallen?' }],
    justerareInTurn: { name: 'Anna Berg', party: 'C' },
    justering: { date: '2025-02-20', explanation: 'en vecka efter sammanträdet, inom 14 dagar enligt kommunallagen' },
  };
}

export function sampleAgenda(): Agenda {
  return buildAgenda(sampleInput());
}

/**
 * A made-up meeting used to check templates without touching a real one: every kind of item,
 * a sekretess ärende, jäv, an övrig fråga, optional fields both present and missing.
 */
import { buildAgenda, type Agenda } from '../domain/agenda';
import { committeeSchema } from '../domain/committee';

export function sampleAgenda(): Agenda {
  const committee = committeeSchema.parse({
    id: 'provnamnden',
    name: 'Provnämnden',
    shortName: 'PN',
    settings: { informationItems: 'first' },
    members: [
      { id: 'ordf', name: 'Karin Provsson', party: 'S', role: 'ordförande' },
      { id: 'led1', name: 'Olle Exempel', party: 'M', role: 'ledamot' },
      { id: 'sekr', name: 'Sara Sekreterare', role: 'sekreterare' },
      { id: 'hand', name: 'Hanna Handläggare', role: 'handläggare' },
    ],
    meetings: [
      {
        id: 'prov-1',
        date: '2025-03-13',
        start: '13:00',
        end: '16:00',
        place: 'Sammanträdesrummet',
        items: [
          { lopnummer: '1/25', title: 'Information från förvaltningen', kind: 'information', handlaggare: 'hand' },
          {
            lopnummer: '2/25',
            title: 'Budget för provverksamheten',
            diarienummer: 'PN 2025/1',
            handlaggare: 'hand',
            beslutsunderlag: ['Tjänsteskrivelse', 'Bilaga med siffror'],
            forslagTillBeslut: 'Nämnden antar budgeten.\nBeslutet skickas till kommunstyrelsen.',
          },
          { lopnummer: '3/25', title: 'Ansökan från en enskild', sekretess: true, forslagTillBeslut: 'Ansökan beviljas.' },
        ],
      },
    ],
  });
  return buildAgenda({
    committee,
    meeting: committee.meetings[0],
    firstParagraph: 10,
    javDeclarations: [{ lopnummer: '2/25', memberName: 'Olle Exempel', party: 'M' }],
    ovrigaFragor: [{ memberName: 'Olle Exempel', party: 'M', text: 'Hur går arbetet med lokalerna?' }],
    justerareInTurn: { name: 'Olle Exempel', party: 'M' },
    justering: { date: '2025-03-20', explanation: 'en vecka efter sammanträdet' },
  });
}

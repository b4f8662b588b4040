import {
  askDeadline,
  attendancePlan,
  ersattareOrder,
  mergedStands,
  nextErsattare,
  protocolAttendance,
  quorumOf,
  quorumWarnings,
  refsText,
  timedOutAsks,
  type AskView,
  type AttendanceView,
  type ForhinderView,
} from '../../src/domain/attendance';
import { genitive } from '../../src/domain/text';
import { committeeSchema, type Committee } from '../../src/domain/committee';
import type { AskStatus } from '../../src/domain/state';

// A committee of 9 ledamöter (S 3, M 2, SD, C, V, KD) and 6 ersättare, with the order
// kommunfullmäktige decided: each party's own first, then a partner party's.
function committee(order: Record<string, string[]> | null = ORDER): Committee {
  const m = (id: string, name: string, party: string, role: string) => ({ id, name, party, role });
  return committeeSchema.parse({
    id: 'kfn',
    name: 'Kultur- och fritidsnämnden',
    shortName: 'KFN',
    settings: { ...(order ? { ersattareOrder: order } : {}), ersattareAnswerHours: 24 },
    members: [
      m('karin', 'Karin Lundqvist', 'S', 'ordförande'),
      m('perolof', 'Per-Olof Wikström', 'M', 'vice ordförande'),
      m('amira', 'Amira Haddad', 'S', 'ledamot'),
      m('tomas', 'Tomas Engström', 'S', 'ledamot'),
      m('helena', 'Helena Sandberg', 'M', 'ledamot'),
      m('johan', 'Johan Sjöberg', 'SD', 'ledamot'),
      m('lena', 'Lena Forsberg', 'C', 'ledamot'),
      m('mikael', 'Mikael Öberg', 'V', 'ledamot'),
      m('sofia', 'Sofia Bergkvist', 'KD', 'ledamot'),
      m('nils', 'Nils Holmgren', 'S', 'ersättare'),
      m('sara', 'Sara Lind', 'S', 'ersättare'),
      m('ingrid', 'Ingrid Dahl', 'M', 'ersättare'),
      m('robin', 'Robin Lindgren', 'SD', 'ersättare'),
      m('anders', 'Anders Nyström', 'L', 'ersättare'),
      m('elin', 'Elin Hedlund', 'MP', 'ersättare'),
      { id: 'maria', name: 'Maria Ekström', role: 'sekreterare' },
    ],
    meetings: [
      {
        id: 'm1',
        date: '2027-01-21',
        start: '13:00',
        place: 'Tallen',
        items: [
          { lopnummer: '1/27', title: 'Information från förvaltningen', kind: 'information' },
          { lopnummer: '2/27', title: 'Budgetuppföljning helår 2026' },
          { lopnummer: '3/27', title: 'Internbudget 2027' },
          { lopnummer: '4/27', title: 'Föreningsbidrag 2027' },
        ],
      },
    ],
  });
}

const ORDER = { S: ['nils', 'sara', 'elin'], M: ['ingrid', 'anders'], SD: ['robin'], C: ['anders'], KD: ['anders'], V: ['elin'] };
const C = committee();
const MEETING = C.meetings[0];
const PARAGRAPHS = new Map([
  ['1/27', 6],
  ['2/27', 7],
  ['3/27', 8],
  ['4/27', 9],
]);

let n = 0;
const away = (memberId: string, ...lopnummer: string[]): ForhinderView => ({ id: `H-${memberId}`, memberId, lopnummer });
const ask = (memberId: string, ersattareId: string, status: AskStatus, lopnummer: string[] = []): AskView => ({
  id: `E${++n}`,
  forhinderId: `H-${memberId}`,
  memberId,
  ersattareId,
  lopnummer,
  status,
  deadline: '2027-01-20T12:00:00.000Z',
});
const jav = (memberId: string, lopnummer: string) => ({ memberId, lopnummer });
const view = (v: Partial<AttendanceView>): AttendanceView => ({ forhinder: [], asks: [], jav: [], ...v });

test('quorum is more than half', () => {
  expect([quorumOf(9), quorumOf(8), quorumOf(7), quorumOf(1)]).toEqual([5, 5, 4, 1]);
});

describe('quorum on a committee of 9, förhinder and jäv mixed', () => {
  // Rows: inledning, 1/27 (information), 2/27, 3/27, 4/27. Each cell: count/status.
  test.each<[string, AttendanceView, string[]]>([
    ['everyone there', view({}), ['9 ok', '9 ok', '9 ok', '9 ok', '9 ok']],
    [
      'four förhinder, nobody asked yet: still beslutsför with five',
      view({ forhinder: [away('amira'), away('helena'), away('johan'), away('lena')] }),
      ['5 ok', '5 ok', '5 ok', '5 ok', '5 ok'],
    ],
    [
      'four förhinder and one jäv: 2/27 falls to four, saved by proposals',
      view({ forhinder: [away('amira'), away('helena'), away('johan'), away('lena')], jav: [jav('tomas', '2/27')] }),
      ['5 ok', '5 ok', '4 risk', '5 ok', '5 ok'],
    ],
    [
      'three förhinder with ersättare who accepted, two jäv in one ärende',
      view({
        forhinder: [away('amira'), away('helena'), away('mikael')],
        asks: [ask('amira', 'nils', 'accepted'), ask('helena', 'ingrid', 'accepted'), ask('mikael', 'elin', 'accepted')],
        jav: [jav('tomas', '3/27'), jav('sofia', '3/27')],
      }),
      ['9 ok', '9 ok', '9 ok', '7 ok', '9 ok'],
    ],
    [
      'five förhinder, two asks pending: risk everywhere until they answer',
      view({
        forhinder: [away('amira'), away('tomas'), away('helena'), away('johan'), away('sofia')],
        asks: [ask('amira', 'nils', 'pending'), ask('helena', 'ingrid', 'pending')],
      }),
      ['4 risk', '4 risk', '4 risk', '4 risk', '4 risk'],
    ],
    [
      'förhinder for two ärenden only',
      view({ forhinder: [away('amira', '3/27', '4/27'), away('tomas', '3/27'), away('helena', '3/27'), away('johan', '3/27')], jav: [jav('lena', '3/27')] }),
      ['9 ok', '9 ok', '9 ok', '4 risk', '8 ok'],
    ],
    [
      'an ersättare who serves but is jävig in one ärende does not count there',
      view({ forhinder: [away('amira')], asks: [ask('amira', 'nils', 'accepted')], jav: [jav('nils', '4/27')] }),
      ['9 ok', '9 ok', '9 ok', '9 ok', '8 ok'],
    ],
    [
      'six away, every ersättare said no: not beslutsför',
      view({
        forhinder: [away('amira'), away('tomas'), away('karin'), away('helena'), away('perolof'), away('johan')],
        asks: [
          ask('amira', 'nils', 'declined'),
          ask('amira', 'sara', 'timedOut'),
          ask('amira', 'elin', 'declined'),
          ask('helena', 'ingrid', 'declined'),
          ask('helena', 'anders', 'declined'),
          ask('johan', 'robin', 'declined'),
        ],
      }),
      ['3 fails', '3 fails', '3 fails', '3 fails', '3 fails'],
    ],
  ])('%s', (_, v, expected) => {
    const plan = attendancePlan(C, MEETING, v);
    expect(plan.seats).toBe(9);
    expect(plan.needed).toBe(5);
    expect(plan.rows.map((r) => `${r.count} ${r.status}`)).toEqual(expected);
  });

  test('the proposals say who would serve in whose place, by § from the draft', () => {
    const v = view({ forhinder: [away('amira'), away('helena'), away('johan'), away('lena')], jav: [jav('tomas', '2/27')] });
    const plan = attendancePlan(C, MEETING, v, { paragraphs: PARAGRAPHS });
    expect(mergedStands(plan, (r) => r.proposals, PARAGRAPHS)).toEqual([
      'Nils Holmgren (S) tjänstgör i Amira Haddads ställe under hela sammanträdet',
      'Ingrid Dahl (M) tjänstgör i Helena Sandbergs ställe under hela sammanträdet',
      'Robin Lindgren (SD) tjänstgör i Johan Sjöbergs ställe under hela sammanträdet',
      'Anders Nyström (L) tjänstgör i Lena Forsbergs ställe under hela sammanträdet',
      'Sara Lind (S) tjänstgör i Tomas Engströms ställe under § 7',
    ]);
    expect(quorumWarnings(plan, PARAGRAPHS)).toEqual([
      '§ 7 (2/27): 4 av 9 ledamöter deltar, och minst 5 behövs för att nämnden ska vara beslutsför. Det räcker om en av Nils Holmgren (S), Ingrid Dahl (M), Robin Lindgren (SD), Anders Nyström (L) och Sara Lind (S) tjänstgör.',
    ]);
  });

  test('without a draft the proposal names the löpnummer, and an informationsärende gives no warning', () => {
    const v = view({ forhinder: [away('amira'), away('helena'), away('johan'), away('lena')], jav: [jav('tomas', '1/27'), jav('karin', '2/27'), jav('tomas', '2/27')] });
    const plan = attendancePlan(C, MEETING, v);
    expect(mergedStands(plan, (r) => r.proposals)).toContain('Sara Lind (S) tjänstgör i Tomas Engströms ställe under ärendena 1/27 och 2/27');
    expect(mergedStands(plan, (r) => r.proposals)).toContain('Elin Hedlund (MP) tjänstgör i Karin Lundqvists ställe under ärende 2/27');
    const warnings = quorumWarnings(plan);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Ärende 2\/27: 3 av 9/);
  });

  test('the attendance list in protocol form', () => {
    const v = view({
      forhinder: [away('amira'), away('lena', '3/27', '4/27')],
      asks: [ask('amira', 'nils', 'accepted')],
      jav: [jav('tomas', '3/27')],
    });
    const plan = attendancePlan(C, MEETING, v, { paragraphs: PARAGRAPHS });
    expect(protocolAttendance(C, v, plan, PARAGRAPHS)).toEqual({
      beslutande: [
        'Karin Lundqvist (S), ordförande',
        'Per-Olof Wikström (M), vice ordförande',
        'Tomas Engström (S)',
        'Helena Sandberg (M)',
        'Johan Sjöberg (SD)',
        'Lena Forsberg (C), utom §§ 8–9',
        'Mikael Öberg (V)',
        'Sofia Bergkvist (KD)',
      ],
      tjanstgorandeErsattare: ['Nils Holmgren (S) tjänstgör i Amira Haddads ställe under hela sammanträdet'],
      franvarande: ['Amira Haddad (S)'],
      jav: ['§ 8: Tomas Engström (S) anmäler jäv och deltar inte i handläggningen av ärendet.'],
      ovrigaNarvarande: ['Maria Ekström, sekreterare'],
    });
  });
});

describe('the next ersättare to ask', () => {
  test.each<[string, ForhinderView, Partial<AttendanceView>, string | undefined]>([
    ['the first in the party order', away('amira'), {}, 'nils'],
    ['after a decline, the next', away('amira'), { asks: [ask('amira', 'nils', 'declined')] }, 'sara'],
    ['after a time-out, the next', away('amira'), { asks: [ask('amira', 'nils', 'timedOut')] }, 'sara'],
    ['a partner party’s ersättare when the own are used', away('amira'), { asks: [ask('amira', 'nils', 'declined'), ask('amira', 'sara', 'declined')] }, 'elin'],
    ['nobody left', away('johan'), { asks: [ask('johan', 'robin', 'declined')] }, undefined],
    ['not one who serves someone else at the same time', away('tomas'), { forhinder: [away('amira')], asks: [ask('amira', 'nils', 'accepted')] }, 'sara'],
    ['not one who is asked for someone else at the same time', away('tomas'), { forhinder: [away('amira')], asks: [ask('amira', 'nils', 'pending')] }, 'sara'],
    ['one who serves someone else in other ärenden', away('tomas', '4/27'), { forhinder: [away('amira', '2/27')], asks: [ask('amira', 'nils', 'accepted', ['2/27'])] }, 'nils'],
    ['not one with förhinder of their own', away('amira'), { forhinder: [away('nils')] }, 'sara'],
    ['not one jävig in every ärende of the förhinder', away('amira', '3/27'), { jav: [jav('nils', '3/27')] }, 'sara'],
    ['one jävig in some of them', away('amira', '3/27', '4/27'), { jav: [jav('nils', '3/27')] }, 'nils'],
    ['one released when an earlier förhinder was withdrawn', away('amira'), { asks: [{ ...ask('amira', 'nils', 'released'), forhinderId: 'H-old' }] }, 'nils'],
    ['a party without ersättare', away('lena'), { asks: [ask('lena', 'anders', 'declined')] }, undefined],
  ])('%s', (_, f, v, expected) => {
    expect(nextErsattare(C, view({ ...v, forhinder: [f, ...(v.forhinder ?? [])] }), f)?.id).toBe(expected);
  });

  test('without a configured order: the party’s own ersättare in file order', () => {
    const c = committee(null);
    expect(ersattareOrder(c, 'S').map((m) => m.id)).toEqual(['nils', 'sara']);
    expect(ersattareOrder(c, 'C')).toEqual([]);
  });

  test('an ersättare reporting förhinder starts no chain', () => {
    expect(nextErsattare(C, view({}), away('nils'))).toBeUndefined();
  });
});

describe('time-outs', () => {
  test.each([
    ['2027-01-12T09:00:00+01:00', '2027-01-13T09:00:00.000+01:00', 'a weekday morning: 24 hours'],
    ['2027-01-12T22:30:00+01:00', '2027-01-14T08:00:00.000+01:00', 'asked at night: counted from 8.00'],
    ['2027-01-15T16:00:00+01:00', '2027-01-16T16:00:00.000+01:00', 'a Friday afternoon: runs into Saturday'],
    ['2027-01-21T10:00:00+01:00', '2027-01-21T13:00:00.000+01:00', 'the meeting day: never after the start'],
  ])('asked %s times out %s (%s)', (asked, expected) => {
    expect(askDeadline(C, MEETING, new Date(asked)).getTime()).toBe(new Date(expected).getTime());
  });

  test('only pending asks past their deadline', () => {
    const asks = [ask('amira', 'nils', 'pending'), ask('helena', 'ingrid', 'accepted'), { ...ask('johan', 'robin', 'pending'), deadline: '2027-01-20T14:00:00.000Z' }];
    expect(timedOutAsks(asks, new Date('2027-01-20T12:00:00.000Z')).map((a) => a.ersattareId)).toEqual(['nils']);
    expect(timedOutAsks(asks, new Date('2027-01-20T11:59:59.000Z'))).toEqual([]);
  });
});

test.each([
  [['2/27'], '§ 7'],
  [['2/27', '3/27', '4/27'], '§§ 7–9'],
  [['1/27', '3/27', '4/27'], '§§ 6 och 8–9'],
  [['5/27'], 'ärende 5/27'],
])('refs %j → %s', (lopnummer, text) => expect(refsText(lopnummer, PARAGRAPHS)).toBe(text));

test.each([
  ['Amira Haddad', 'Amira Haddads'],
  ['Anders', 'Anders'],
  ['Max Fox', 'Max Fox'],
])('genitive of %s', (name, g) => expect(genitive(name)).toBe(g));

import type { EventPayload } from '../../src/domain/records';
import { activeDeclaration, applyEvent, emptyState, sameQuestion, type CommitteeState } from '../../src/domain/state';

const apply = (s: CommitteeState, payload: EventPayload) =>
  applyEvent(s, { id: `e${s.version + 1}`, at: '2027-03-12T09:00:00.000Z', actor: { memberId: 'anna', via: 'slack' }, seq: s.version + 1, ...payload } as never);

describe('empty states share their empty collections, safely', () => {
  test('an entry recorded in one state is in that state only', () => {
    const a = emptyState();
    const b = emptyState();
    apply(a, { type: 'jav.declared', declarationId: 'J1', meetingId: 'm1', lopnummer: '1/27', memberId: 'anna', ground: 'partsjav' });
    apply(a, { type: 'javhint.sent', meetingId: 'm1', lopnummer: '1/27', memberId: 'anna', keys: ['k1'] });
    apply(a, { type: 'identity.linked', memberId: 'anna', platform: 'slack', platformUserId: 'U1' });
    expect(a.declarations.size).toBe(1);
    expect(a.javHintsSent.has('k1')).toBe(true);
    expect(a.linkedIdentities.get('slack:U1')).toBe('anna');
    for (const s of [b, emptyState()]) {
      expect(s.declarations.size).toBe(0);
      expect(s.javHintsSent.size).toBe(0);
      expect(s.linkedIdentities.size).toBe(0);
    }
  });

  test('writing to a new state other than through its events is refused, not shared', () => {
    const s = emptyState();
    expect(() => s.questions.set('q', {} as never)).toThrow(TypeError);
    expect(() => s.javHintsSent.add('k')).toThrow(TypeError);
    expect(emptyState().questions.size).toBe(0);
  });
});

describe('the standing declaration of a member in an ärende', () => {
  const declared = (id: string, memberId = 'anna', lopnummer = '1/27'): EventPayload => ({ type: 'jav.declared', declarationId: id, meetingId: 'm1', lopnummer, memberId, ground: 'partsjav' });
  const withdrawn = (id: string): EventPayload => ({ type: 'jav.withdrawn', declarationId: id });

  test.each<[string, EventPayload[], string | undefined]>([
    ['declared', [declared('J1')], 'J1'],
    ['declared and withdrawn', [declared('J1'), withdrawn('J1')], undefined],
    ['withdrawn and declared again', [declared('J1'), withdrawn('J1'), declared('J2')], 'J2'],
    ['another member only', [declared('J1', 'bo')], undefined],
    ['another ärende only', [declared('J1', 'anna', '2/27')], undefined],
    ['two standing (old records), the later withdrawn: the earlier stands', [declared('J1'), declared('J2'), withdrawn('J2')], 'J1'],
    ['two standing, the earlier withdrawn: the later stands', [declared('J1'), declared('J2'), withdrawn('J1')], 'J2'],
    ['three standing, the latest withdrawn: the one before it stands', [declared('J1'), declared('J2'), declared('J3'), withdrawn('J3')], 'J2'],
    ['three standing, the middle and then the latest withdrawn: the first stands', [declared('J1'), declared('J2'), declared('J3'), withdrawn('J2'), withdrawn('J3')], 'J1'],
    ['three standing, all withdrawn, latest first', [declared('J1'), declared('J2'), declared('J3'), withdrawn('J3'), withdrawn('J2'), withdrawn('J1')], undefined],
    ['two standing, the earlier withdrawn twice, then the later: none stands', [declared('J1'), declared('J2'), withdrawn('J1'), withdrawn('J1'), withdrawn('J2')], undefined],
    ['a withdrawn one declared again under its own id stands alone', [declared('J1'), declared('J1'), withdrawn('J1')], undefined],
    ['other keys are not disturbed', [declared('J1'), declared('J2', 'bo'), declared('J3'), withdrawn('J3'), withdrawn('J2')], 'J1'],
  ])('%s', (_label, events, expected) => {
    const s = emptyState();
    for (const e of events) apply(s, e);
    expect(activeDeclaration(s, 'm1', '1/27', 'anna')?.id).toBe(expected);
  });
});

describe('the same övrig fråga again: found by meeting, member and text, without a scan', () => {
  const announced = (id: string, text = 'Hur går det med badhuset?', memberId = 'anna', meetingId = 'm1'): EventPayload => ({ type: 'fraga.announced', questionId: id, meetingId, memberId, text, late: false });
  const withdrawn = (id: string): EventPayload => ({ type: 'fraga.withdrawn', questionId: id });
  const moved = (id: string, toMeetingId: string): EventPayload => ({ type: 'fraga.moved', questionId: id, fromMeetingId: 'm1', toMeetingId, late: false });

  test.each<[string, EventPayload[], string, string, string, string | undefined]>([
    ['announced', [announced('F1')], 'm1', 'anna', 'Hur går det med badhuset?', 'F1'],
    ['case, spacing and closing mark do not matter', [announced('F1')], 'm1', 'anna', '  hur går  det med BADHUSET ', 'F1'],
    ['another text', [announced('F1')], 'm1', 'anna', 'Hur går det med skolan?', undefined],
    ['another member', [announced('F1')], 'm1', 'bo', 'Hur går det med badhuset?', undefined],
    ['another meeting', [announced('F1')], 'm2', 'anna', 'Hur går det med badhuset?', undefined],
    ['withdrawn', [announced('F1'), withdrawn('F1')], 'm1', 'anna', 'Hur går det med badhuset?', undefined],
    ['withdrawn and announced again', [announced('F1'), withdrawn('F1'), announced('F2')], 'm1', 'anna', 'Hur går det med badhuset?', 'F2'],
    ['moved: found at the new meeting', [announced('F1'), moved('F1', 'm2')], 'm2', 'anna', 'Hur går det med badhuset?', 'F1'],
    ['moved: gone from the old meeting', [announced('F1'), moved('F1', 'm2')], 'm1', 'anna', 'Hur går det med badhuset?', undefined],
    ['two alike (old records), the first withdrawn: the index keeps the first until then', [announced('F1'), announced('F2'), withdrawn('F2')], 'm1', 'anna', 'Hur går det med badhuset?', 'F1'],
  ])('%s', (_label, events, meetingId, memberId, text, expected) => {
    const s = emptyState();
    for (const e of events) apply(s, e);
    expect(sameQuestion(s, meetingId, memberId, text)?.id).toBe(expected);
  });
});

test('once its anslag is recorded, a meeting\'s agenda draft keeps only the § of its ärenden', () => {
  const s = emptyState();
  const agenda = { heading: { committee: 'KFN' }, items: [{ type: 'opening', paragraph: 1 }, { type: 'arende', lopnummer: '7/27', paragraph: 2, title: 'Bidrag' }, { type: 'arende', lopnummer: '8/27', paragraph: null }] };
  apply(s, { type: 'agenda.drafted', meetingId: 'm1', version: 2, firstParagraph: 1, lastParagraph: 2, agenda });
  apply(s, { type: 'agenda.drafted', meetingId: 'm2', version: 1, firstParagraph: 3, lastParagraph: 4, agenda });
  apply(s, { type: 'justering.recorded', meetingId: 'm1', justerare: ['bo'], dueDate: '2027-03-20' });
  expect(s.agendaDrafts.get('m1')?.agenda).toBe(agenda);
  apply(s, { type: 'anslag.recorded', meetingId: 'm1', postedDate: '2027-03-21' });
  expect(s.agendaDrafts.get('m1')).toMatchObject({ version: 2, firstParagraph: 1, lastParagraph: 2, agenda: { items: [{ type: 'arende', lopnummer: '7/27', paragraph: 2 }] } });
  expect(Object.keys(s.agendaDrafts.get('m1')!.agenda)).toEqual(['items']);
  expect(s.agendaDrafts.get('m2')?.agenda).toBe(agenda);
});

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

describe('once its anslag is recorded, a meeting leaves the lookups; its records stay', () => {
  const justering = (meetingId: string): EventPayload => ({ type: 'justering.recorded', meetingId, justerare: ['bo'], dueDate: '2027-03-20' });
  const anslag = (meetingId: string): EventPayload => ({ type: 'anslag.recorded', meetingId, postedDate: '2027-03-21' });
  const declared = (id: string, meetingId: string): EventPayload => ({ type: 'jav.declared', declarationId: id, meetingId, lopnummer: '1/27', memberId: 'anna', ground: 'partsjav' });
  const announced = (id: string, meetingId: string): EventPayload => ({ type: 'fraga.announced', questionId: id, meetingId, memberId: 'anna', text: 'Hur går det?', late: false });
  const forhinder = (id: string, meetingId: string): EventPayload => ({ type: 'forhinder.reported', forhinderId: id, meetingId, memberId: 'anna', lopnummer: [] });
  const asked = (askId: string, forhinderId: string): EventPayload => ({ type: 'ersattare.asked', askId, forhinderId, ersattareId: 'cia', deadline: '2027-03-13T09:00:00.000Z' });
  const accepted = (askId: string): EventPayload => ({ type: 'ersattare.accepted', askId });
  /** m1 and m2 with a declaration (two for m1: one shadowed), a question and an ask each; m1's anslag recorded. */
  function twoMeetings(...after: EventPayload[]): CommitteeState {
    const s = emptyState();
    const events: EventPayload[] = [
      declared('J1', 'm1'), declared('J2', 'm1'), declared('J3', 'm2'),
      announced('F1', 'm1'), announced('F2', 'm2'),
      forhinder('H1', 'm1'), asked('A1', 'H1'), accepted('A1'), forhinder('H2', 'm2'), asked('A2', 'H2'),
      justering('m1'), anslag('m1'), ...after,
    ];
    for (const e of events) apply(s, e);
    return s;
  }

  test('the lookups hold the open meeting only; every record is still there', () => {
    const s = twoMeetings();
    expect([...s.activeJav.values()].map((d) => d.id)).toEqual(['J3']);
    expect(s.shadowedJav.size).toBe(0);
    expect([...s.questionsByText.values()].map((q) => q.id)).toEqual(['F2']);
    expect([...s.asksByForhinder.keys()]).toEqual(['H2']);
    expect([s.declarations.size, s.questions.size, s.forhinder.size, s.ersattareAsks.size]).toEqual([3, 2, 2, 2]);
    expect(activeDeclaration(s, 'm2', '1/27', 'anna')?.id).toBe('J3');
    expect(sameQuestion(s, 'm2', 'anna', 'hur går det')?.id).toBe('F2');
  });

  test.each<[string, EventPayload[], (s: CommitteeState) => unknown, unknown]>([
    ['a declaration recorded for the closed meeting is kept, not looked up', [declared('J4', 'm1')], (s) => [s.declarations.has('J4'), s.activeJav.size], [true, 1]],
    ['a declaration of the closed meeting withdrawn', [{ type: 'jav.withdrawn', declarationId: 'J2' }], (s) => [s.declarations.get('J2')?.withdrawnAt !== undefined, s.activeJav.size], [true, 1]],
    ['a question recorded for the closed meeting is kept, not looked up', [announced('F3', 'm1')], (s) => [s.questions.has('F3'), s.questionsByText.size], [true, 1]],
    ['a question moved from the closed meeting is found at the open one', [{ type: 'fraga.moved', questionId: 'F1', fromMeetingId: 'm1', toMeetingId: 'm3', late: false }], (s) => sameQuestion(s, 'm3', 'anna', 'Hur går det?')?.id, 'F1'],
    ['a förhinder of the closed meeting withdrawn still releases its asks', [{ type: 'forhinder.withdrawn', forhinderId: 'H1' }], (s) => s.ersattareAsks.get('A1')?.status, 'released'],
    ['an ask recorded for the closed meeting is released with its förhinder too', [asked('A3', 'H1'), { type: 'forhinder.withdrawn', forhinderId: 'H1' }], (s) => [s.ersattareAsks.get('A3')?.status, s.asksByForhinder.has('H1')], ['released', false]],
    ['a förhinder of the open meeting withdrawn releases its own asks only', [{ type: 'forhinder.withdrawn', forhinderId: 'H2' }], (s) => [s.ersattareAsks.get('A2')?.status, s.ersattareAsks.get('A1')?.status], ['released', 'accepted']],
  ])('%s', (_label, after, read, expected) => {
    expect(read(twoMeetings(...after))).toEqual(expected);
  });
});

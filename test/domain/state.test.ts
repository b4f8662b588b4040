import type { EventPayload } from '../../src/domain/records';
import { applyEvent, emptyState, type CommitteeState } from '../../src/domain/state';

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

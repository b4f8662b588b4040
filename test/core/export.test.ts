import { exportRows } from '../../src/core/export';
import { makeHarness, type Harness } from '../support/harness';

// The diarium export reads the records as the store hands them out: frozen, on the file store.
const AMIRA = 'amira.haddad';
const SECRETARY = 'maria.ekstrom';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

test('an övrig fråga moved to another meeting is exported, and the records are left as they were', async () => {
  await h.text(AMIRA, 'övrig fråga Hur går arbetet med det nya badhuset?');
  expect(await h.text(SECRETARY, 'övrig fråga flytta F1 till 2027-02-18')).toContain('Fråga F1 är flyttad');
  await h.text(SECRETARY, 'övrig fråga godkänn F1');
  const events = await h.store.readEvents('kfn', 0);
  expect(Object.isFrozen(events[0])).toBe(true);
  const rows = exportRows(h.committee, events);
  expect(rows.map((r) => [r.handelse, r.id, r.sammantrade])).toEqual([
    ['Övrig fråga anmäld', 'F1', '2027-01-21'],
    ['Övrig fråga flyttad', 'F1', '2027-02-18'],
    ['Övrig fråga godkänd', 'F1', '2027-02-18'],
  ]);
  expect(rows[1].text).toBe('Från 2027-01-21 till 2027-02-18');
  // The announcement itself still names the meeting it was announced to.
  expect((await h.store.readEvents('kfn', 0))[0]).toMatchObject({ type: 'fraga.announced', meetingId: 'kfn-2027-01-21' });
});

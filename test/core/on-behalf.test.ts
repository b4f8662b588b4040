/**
 * The secretary acting for a member ("för amira.haddad: jäv 17/27 part"): the record is the
 * member's, its actor the secretary; the member is told privately; the export shows both.
 */
import path from 'node:path';
import { exportRows } from '../../src/core/export';
import { makeHarness, type Harness } from '../support/harness';

const FILE = path.join(__dirname, '../fixtures/import/tu-tabell.yaml');
const SECRETARY = 'asa.linden';
const AMIRA = 'amira.haddad';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ file: FILE });
});
afterEach(async () => h.close());

test('jäv, förhinder and övrig fråga recorded for a member, with the secretary as actor; the member is told; the export shows both', async () => {
  const answer = await h.text(SECRETARY, 'för amira.haddad: jäv 17/27 part Min make äger fastigheten');
  expect(answer).toContain('För Amira Haddad (V): Jäv anmält i ärende 17/27');
  const state = await h.core.log.state(h.committee.id);
  expect([...state.declarations.values()].map((d) => [d.id, d.memberId, d.lopnummer])).toEqual([['J1', AMIRA, '17/27']]);
  // The member is told privately what was recorded in her name, and by whom.
  const told = h.recorder.to(AMIRA).join('\n');
  expect(told).toContain('Registrerat åt dig av sekreteraren: Jäv anmält i ärende 17/27');
  expect(told).toContain('Åsa Lindén (sekreterare) registrerade det här åt dig i terminalen');
  // The member sees it as her own, and can withdraw it herself.
  expect(await h.text(AMIRA, 'jäv lista')).toContain('J1');

  expect(await h.text(SECRETARY, 'för amira.haddad: förhinder 2027-02-11')).toContain('För Amira Haddad (V):');
  expect(await h.text(SECRETARY, 'för Amira.Haddad: övrig fråga Hur går arbetet med ledstråken?')).toContain('För Amira Haddad (V):');
  expect(await h.text(SECRETARY, 'för amira.haddad: jäv återkalla J1')).toContain('För Amira Haddad (V):');

  const events = await h.store.readEvents(h.committee.id, 0);
  const mine = events.filter((e) => ['jav.declared', 'forhinder.reported', 'fraga.announced', 'jav.withdrawn'].includes(e.type));
  expect(mine.map((e) => [e.type, e.actor])).toEqual([
    ['jav.declared', { memberId: SECRETARY, via: 'console' }],
    ['forhinder.reported', { memberId: SECRETARY, via: 'console' }],
    ['fraga.announced', { memberId: SECRETARY, via: 'console' }],
    ['jav.withdrawn', { memberId: SECRETARY, via: 'console' }],
  ]);
  const rows = exportRows(h.committee, events).filter((r) => r.handelse.startsWith('Jäv') || r.handelse.startsWith('Övrig'));
  expect(rows.map((r) => [r.handelse, r.ledamot, r.registreradAv, r.kanal])).toEqual([
    ['Jäv anmält', 'Amira Haddad (V)', 'Åsa Lindén', 'console'],
    ['Övrig fråga anmäld', 'Amira Haddad (V)', 'Åsa Lindén', 'console'],
    ['Jäv återkallat', 'Amira Haddad (V)', 'Åsa Lindén', 'console'],
  ]);
});

test('only the secretary, only these commands, only for ledamöter and ersättare; each refusal changes nothing', async () => {
  const cases: [string, string, string][] = [
    [AMIRA, 'för nils.oja: jäv 17/27 part', 'Bara sekreteraren kan registrera något åt en ledamot'],
    ['hanna.ek', 'för nils.oja: förhinder 2027-02-11', 'Bara sekreteraren kan registrera något åt en ledamot'],
    [SECRETARY, 'för nils.oja: dagordning', 'Åt en ledamot kan du anmäla och återkalla jäv, förhinder och övriga frågor'],
    [SECRETARY, 'för okänd.person: jäv 17/27 part', 'Det finns ingen ledamot med id "okänd.person"'],
    [SECRETARY, 'för orjan.kvist: jäv 17/27 part', 'det kan bara göras för ledamöter och ersättare'],
    [SECRETARY, 'för amira.haddad: jäv', 'Skriv hela kommandot, till exempel: för amira.haddad: jäv 7/25 part'],
    [SECRETARY, 'för amira.haddad: jäv 99/27 part', 'För Amira Haddad (V):'],
  ];
  for (const [who, text, answer] of cases) {
    expect(await h.text(who, text)).toContain(answer);
  }
  expect(await h.eventCount()).toBe(0);
  expect(h.recorder.sent).toEqual([]);
});

test("the secretary's help tells how", async () => {
  expect(await h.text(SECRETARY, 'hjälp')).toContain('för <ledamotens id>: <kommando>');
  expect(await h.text(AMIRA, 'hjälp')).not.toContain('för <ledamotens id>');
});

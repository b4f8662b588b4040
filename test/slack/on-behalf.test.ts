/**
 * The secretary acting for a member in Slack, with the same text as in the console and the
 * member named by a mention: the record is the member's, the actor the secretary via Slack.
 */
import { allText, SECRETARY, startHarness, type SlackHarness } from './harness';

let h: SlackHarness;
afterEach(async () => h?.close());

const dmsTo = (user: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.body.channel === `D${user.slice(1)}`).map((c) => allText(c.body)).join('\n');

test('the secretary acts for a member in Slack, naming her with a mention: recorded for her, by the secretary, through Slack', async () => {
  h = await startHarness();
  await h.slack.event({ type: 'message', channel_type: 'im', channel: `D${SECRETARY.slice(1)}`, user: SECRETARY, text: 'för <@U0BV9FWYA1P|amira>: jäv 3/27 part Min bror äger firman', ts: '1700000009.000001' }, 'Ev0FORAMIRA');
  await h.adapter.idle();
  expect(dmsTo(SECRETARY)).toContain('För Amira Haddad (S): Jäv anmält i ärende 3/27');
  const amira = dmsTo('U0BV9FWYA1P');
  expect(amira).toContain('Registrerat åt dig av sekreteraren: Jäv anmält i ärende 3/27');
  expect(amira).toContain('registrerade det här åt dig i Slack');
  const events = await h.store.readEvents(h.committee.id, 0);
  expect(events.map((e) => [e.type, e.type === 'jav.declared' ? e.memberId : '', e.actor])).toEqual([['jav.declared', 'amira.haddad', { memberId: 'maria.ekstrom', via: 'slack' }]]);
});

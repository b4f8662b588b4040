/**
 * A reminder from the scheduler, end to end in Slack: the secretary records the justering with a
 * slash command, the scheduler's tick sends the reminders as DMs through the Slack adapter, a
 * justerare presses the DM's "Justerat" button, and the member Slack cannot reach is reported to
 * the secretary with the adapter's Swedish reason.
 */
import { Scheduler } from '../../src/core/scheduler';
import { UNREACHABLE_REASONS } from '../../adapters/slack/slack-errors';
import { CHAIR, SECRETARY, allText, startHarness, type SlackHarness } from './harness';

const JOHAN = 'U0QGBB1AYWY'; // ledamot (SD), justerare
const dmOf = (user: string) => `D${user.slice(1)}`;

let h: SlackHarness;
let scheduler: Scheduler;
afterEach(async () => {
  await scheduler?.stop();
  await h?.close();
});

type Blocks = { elements?: { action_id: string; value: string; text: { text: string } }[] }[];

test('justering reminders arrive as DMs with a button that calls back into the core', async () => {
  // Friday morning after the meeting of torsdag 2027-01-21.
  h = await startHarness({ now: '2027-01-22T09:00:00+01:00' });
  // A budget no tick reaches: one tick takes the committee's every reminder (the budget is tested in test/core/scheduler.test.ts).
  scheduler = new Scheduler({ core: h.core, store: h.store, delivery: h.delivery, clock: h.clock, tickBudgetMs: 60_000 });

  const { responseUrl } = await h.slack.command(SECRETARY, '/namnd', 'justering kfn-2027-01-21 johan.sjoberg lena.forsberg senast 2027-02-04');
  const recorded = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
  expect(String(recorded.body.text)).toMatch(/Justeringen av protokollet från sammanträdet torsdag den 21 januari 2027/);
  await h.adapter.idle();
  h.fake.reset();
  // The ordförande's Slack account has been removed from the workspace.
  h.fake.failures.set('conversations.open', (body) => (body.users === CHAIR ? 'user_not_found' : undefined));

  const report = await scheduler.tick();
  expect(report.sent).toContain('kfn:kfn-2027-01-21:justering:johan.sjoberg:ready');
  expect(report.unreachable).toEqual(expect.arrayContaining(['kfn:kfn-2027-01-21:justering:karin.lundqvist:ready', 'kfn:kfn-2027-01-21:justering:lena.forsberg:ready']));

  // Johan gets the reminder in his DM with a Justerat button.
  const reminder = h.fake.callsOf('chat.postMessage').find((c) => c.body.channel === dmOf(JOHAN) && String(c.body.text).includes('klart för justering'));
  expect(reminder).toBeDefined();
  expect(allText(reminder!.body.blocks)).toMatch(/Justera det senast torsdag den 4 februari 2027/);
  const justerat = (reminder!.body.blocks as Blocks).flatMap((b) => b.elements ?? []).find((e) => e.text.text === 'Justerat');
  expect(justerat?.action_id).toMatch(/^justering\.sign#\d+$/);

  // The secretary is told who could not be reached, with Slack's reason in Swedish.
  const toSecretary = h.fake.callsOf('chat.postMessage').filter((c) => c.body.channel === dmOf(SECRETARY)).map((c) => allText(c.body));
  const told = toSecretary.find((t) => t.includes('kunde inte skickas'));
  expect(told).toBeDefined();
  expect(told).toContain('Karin Lundqvist (S)');
  expect(told).toContain(UNREACHABLE_REASONS.user_not_found);
  expect(told).toContain('Lena Forsberg (C)');

  // Johan presses the button in his DM; the answer comes in the same DM.
  h.fake.reset();
  expect((await h.slack.press(JOHAN, justerat!, { channelId: dmOf(JOHAN) })).status).toBe(200);
  const thanks = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.body.channel === dmOf(JOHAN)));
  expect(String(thanks.body.text)).toMatch(/Tack! Du har justerat protokollet från sammanträdet torsdag den 21 januari 2027/);
  expect(h.fake.responses).toHaveLength(0);

  // The next tick sends Johan nothing twice.
  h.fake.reset();
  const again = await scheduler.tick();
  expect(again.sent).not.toContain('kfn:kfn-2027-01-21:justering:johan.sjoberg:ready');
});

/**
 * A reminder from the scheduler, end to end in Teams: the secretary records the justering in
 * her personal chat, the scheduler's tick sends the reminders through the Teams adapter
 * (continueConversationAsync on the stored references), a justerare presses the card's button,
 * and the members Teams cannot reach are reported to the secretary with the adapter's reason.
 */
import { Scheduler } from '../../src/core/scheduler';
import { UNREACHABLE } from '../../adapters/teams/teams-adapter';
import { closeClientSockets, installActivity, postActivity, submitActivity, textActivity } from './fake-connector';
import { buttonData, openTeamsEnv, PEOPLE, visibleText, type TeamsEnv } from './env';

let env: TeamsEnv;
let scheduler: Scheduler;
const personalOf = (p: { aadObjectId: string }) => `a:personal-${p.aadObjectId}`;

beforeAll(async () => {
  // Friday morning after the meeting of torsdag 2027-01-21.
  env = await openTeamsEnv({ now: '2027-01-22T09:00:00+01:00' });
  // A budget no tick reaches: one tick takes the committee's every reminder (the budget is tested in test/core/scheduler.test.ts).
  scheduler = new Scheduler({ core: env.core, store: env.store, delivery: env.delivery, clock: env.clock, tickBudgetMs: 60_000 });
});

afterAll(async () => {
  await scheduler.stop();
  await env.close();
  closeClientSockets();
});

test('justering reminders reach the justerare in Teams; the unreachable ones are reported to the secretary', async () => {
  // Maria (secretary), Tomas (justerare) and Karin (ordförande) have the app; Lena (justerare) has not.
  for (const person of [PEOPLE.maria, PEOPLE.tomas, PEOPLE.karin]) {
    expect((await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: person, where: 'personal' }))).status).toBe(200);
  }
  await postActivity(
    env.botUrl,
    textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal', text: 'justering kfn-2027-01-21 tomas.engstrom lena.forsberg senast 2027-02-04' }),
  );
  expect(visibleText(env.fake.sent()[0].body)).toMatch(/Justeringen av protokollet från sammanträdet torsdag den 21 januari 2027/);
  env.fake.reset();
  // Karin has since removed the app: Teams refuses her conversation.
  env.fake.refuse((r) => r.conversationId === personalOf(PEOPLE.karin), { status: 403, code: 'BotNotInConversationRoster' });

  const report = await scheduler.tick();
  expect(report.sent).toContain('kfn:kfn-2027-01-21:justering:tomas.engstrom:ready');
  expect(report.unreachable).toEqual(expect.arrayContaining(['kfn:kfn-2027-01-21:justering:lena.forsberg:ready', 'kfn:kfn-2027-01-21:justering:karin.lundqvist:ready']));

  // Tomas gets the reminder as a card, in his personal chat, with a Justerat button.
  const toTomas = env.fake.sent().filter((s) => s.conversationId === personalOf(PEOPLE.tomas));
  const reminder = toTomas.find((s) => visibleText(s.body).includes('klart för justering'));
  expect(reminder).toBeDefined();
  expect(visibleText(reminder!.body)).toMatch(/Justera det senast torsdag den 4 februari 2027/);
  const justerat = buttonData(reminder!.body, 'Justerat');
  expect(justerat?.namndbot).toMatchObject({ kind: 'action', actionId: 'justering.sign' });

  // Maria is told who could not be reached and why, in the adapter's words.
  const toMaria = env.fake.sent().filter((s) => s.conversationId === personalOf(PEOPLE.maria)).map((s) => visibleText(s.body));
  const told = toMaria.find((t) => t.includes('kunde inte skickas'));
  expect(told).toBeDefined();
  expect(told).toContain(`Lena Forsberg (C)`);
  expect(told).toContain(`kan inte nås: teams: ${UNREACHABLE.notInstalled}`);
  expect(told).toContain(`kan inte nås: teams: ${UNREACHABLE.removed}`);

  // Tomas presses the button on the reminder card.
  env.fake.reset();
  await postActivity(
    env.botUrl,
    submitActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.tomas, where: 'personal', replyToId: reminder!.responseId!, data: justerat!, inputs: {} }),
  );
  expect(env.fake.sent().map((s) => visibleText(s.body))).toEqual([expect.stringMatching(/Tack! Du har justerat protokollet från sammanträdet torsdag den 21 januari 2027/)]);

  // The next tick sends Tomas nothing twice.
  env.fake.reset();
  const again = await scheduler.tick();
  expect(again.sent).not.toContain('kfn:kfn-2027-01-21:justering:tomas.engstrom:ready');
});

/**
 * Recording the meeting from Teams: `beslut` without the ärende comes as a card (the § as a
 * choice set, the outcome, the text), and submitting the card records the beslut.
 */
import { closeClientSockets, postActivity, submitActivity, textActivity } from './fake-connector';
import { cardOf, elements, formSubmitData, openTeamsEnv, PEOPLE, type TeamsEnv } from './env';

let env: TeamsEnv;
beforeAll(async () => {
  env = await openTeamsEnv();
});
afterAll(async () => {
  await env.close();
  closeClientSockets();
});

async function say(text: string) {
  const r = await postActivity(env.botUrl, textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal', text }));
  expect(r.status).toBe(200);
}

test('beslut: a card with the §§, the outcome and the text; submitting it records the beslut of § 9', async () => {
  await say('dagordning möte 2027-01-21');
  env.clock.set('2027-01-21T17:00:00+01:00');
  env.fake.reset();
  await say('beslut');
  const [formMessage] = env.fake.sent();
  const inputs = elements(cardOf(formMessage.body)).filter((e) => e.type?.startsWith('Input.'));
  expect(inputs.map((i) => [i.type, i.id])).toEqual([
    ['Input.ChoiceSet', 'item'],
    ['Input.ChoiceSet', 'kind'],
    ['Input.Text', 'text'],
  ]);
  expect(inputs[0].choices.map((c: { title: string }) => c.title)).toContain('§ 15 8/27 Sekretessärende');
  const data = formSubmitData(formMessage.body)!;
  expect(data.namndbot).toMatchObject({ kind: 'form', formId: 'protokoll.beslut', hidden: { committee: 'kfn', meeting: 'kfn-2027-01-21' } });
  env.fake.reset();
  await postActivity(
    env.botUrl,
    submitActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal', replyToId: formMessage.responseId!, data, inputs: { item: '§9', kind: 'enligt förslag' } }),
  );
  const state = await env.core.log.state('kfn');
  expect(state.minutes.get('kfn-2027-01-21')?.beslut.get('arende:2/27')).toEqual({ outcome: 'enligtForslag' });
}, 40_000);

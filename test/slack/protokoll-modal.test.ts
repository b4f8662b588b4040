/**
 * Recording the meeting from Slack: `/namnd beslut` without the ärende opens a modal (the § as a
 * select, the outcome as radio buttons, the text), and its submit records the beslut; a mistake
 * is answered on the field of the still open modal.
 */
import { SECRETARY, startHarness, type SlackHarness } from './harness';

let h: SlackHarness;
afterEach(async () => h?.close());

type View = { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: Record<string, unknown> }[] };

test('/namnd beslut opens the beslut modal; the submit records the beslut of § 9', async () => {
  h = await startHarness();
  await h.slack.command(SECRETARY, '/namnd', 'dagordning möte 2027-01-21');
  await h.adapter.idle();
  h.clock.set('2027-01-21T17:00:00+01:00');
  const { triggerId } = await h.slack.command(SECRETARY, '/namnd', 'beslut');
  const view = (await h.fake.waitFor(() => h.fake.callsOf('views.open').find((c) => c.body.trigger_id === triggerId))).body.view as View;
  expect(JSON.parse(view.private_metadata)).toMatchObject({ f: 'protokoll.beslut', h: { committee: 'kfn', meeting: 'kfn-2027-01-21' } });
  const item = view.blocks.find((b) => b.block_id === 'item')!.element!;
  expect(item.type).toBe('static_select');
  expect((item.options as { value: string; text: { text: string } }[]).map((o) => o.text.text)).toContain('§ 15 8/27 Sekretessärende');
  expect(view.blocks.find((b) => b.block_id === 'kind')?.element).toMatchObject({ type: 'radio_buttons' });

  const bad = await h.slack.submit(SECRETARY, view, {
    item: { type: 'static_select', selected_option: { value: '§9' } },
    kind: { type: 'radio_buttons', selected_option: { value: 'text' } },
    text: { type: 'plain_text_input', value: null },
  });
  expect(bad.json()).toMatchObject({ response_action: 'errors', errors: { text: expect.stringMatching(/^Skriv beslutet/) } });

  const ok = await h.slack.submit(SECRETARY, view, {
    item: { type: 'static_select', selected_option: { value: '§9' } },
    kind: { type: 'radio_buttons', selected_option: { value: 'enligt förslag' } },
    text: { type: 'plain_text_input', value: null },
  });
  expect(ok.status).toBe(200);
  await h.adapter.idle();
  const events = await h.store.readEvents('kfn', 0);
  expect(events.filter((e) => e.type === 'beslut.recorded')).toMatchObject([{ itemKey: 'arende:2/27', outcome: 'enligtForslag', actor: { via: 'slack' } }]);
}, 40_000);

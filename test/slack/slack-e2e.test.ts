/**
 * End to end: the real Bolt app on a free local port, the real core and FileStore, and a fake
 * Slack Web API that records every call. Requests are signed like Slack's.
 */
import { createServer } from 'node:http';
import { SlackAdapter } from '../../adapters/slack/slack-adapter';
import { UnreachableError } from '../../src/core/adapter';
import { message } from '../../src/core/message';
import { toAsker } from '../../src/core/outgoing';
import { AMIRA, CHAIR, SECRETARY, UNKNOWN, allText, startHarness, type SlackHarness } from './harness';
import { silentLogger } from '../../src/core/logger';
import { SIGNING_SECRET, SlackSender } from './slack-sender';

let h: SlackHarness;
afterEach(async () => {
  if (process.env.DUMP_LOGS) for (const l of h.logs) if (/"level":(40|50)/.test(l)) process.stderr.write(l);
  await h?.close();
});

type View = { type: string; callback_id: string; private_metadata: string; blocks: { type: string; block_id?: string; element?: Record<string, unknown> }[] };

async function openedModal(trigger: string): Promise<View> {
  const call = await h.fake.waitFor(() => h.fake.callsOf('views.open').find((c) => c.body.trigger_id === trigger));
  return call.body.view as View;
}

async function events() {
  return h.store.readEvents('kfn', 0);
}

describe('slash commands and modals', () => {
  test('jäv through the modal: /jav opens it, the submit closes it and the member gets a confirmation', async () => {
    h = await startHarness();
    const { answer, triggerId } = await h.slack.command(AMIRA, '/jav', '');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');

    const view = await openedModal(triggerId);
    expect(view).toMatchObject({ type: 'modal', callback_id: 'namndbot.form' });
    const item = view.blocks.find((b) => b.block_id === 'item');
    expect(item?.element).toMatchObject({ type: 'static_select' });
    expect((item?.element?.options as unknown[]).length).toBe(10); // the meeting's ärenden, 1/27–10/27
    expect(view.blocks.find((b) => b.block_id === 'ground')?.element).toMatchObject({ type: 'radio_buttons' });
    expect(view.blocks.find((b) => b.block_id === 'text')?.element).toMatchObject({ type: 'plain_text_input', multiline: true });
    expect(JSON.parse(view.private_metadata)).toMatchObject({ f: 'jav.declare', h: { committee: 'kfn', meeting: 'kfn-2027-01-21' }, c: 'C0NAMNDEN1' });

    const submit = await h.slack.submit(AMIRA, view, {
      item: { type: 'static_select', selected_option: { value: '5/27' } },
      ground: { type: 'radio_buttons', selected_option: { value: 'partsjav' } },
      text: { type: 'plain_text_input', value: 'Min make sitter i bibliotekets vänförening' },
    });
    expect(submit.status).toBe(200);
    expect(submit.text).toBe(''); // ack() closes the modal

    const posted = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => String(c.body.text).includes('Jäv anmält')));
    expect(posted.body.channel).toBe(`D${AMIRA.slice(1)}`);
    expect(h.fake.callsOf('conversations.open')[0].body.users).toBe(AMIRA);
    expect(String(posted.body.text)).toContain('Jäv anmält i ärende 5/27 Biblioteksplan 2027–2030');
    expect(allText(posted.body.blocks)).toContain('partsjäv/intressejäv');
    const stored = await events();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'jav.declared', lopnummer: '5/27', memberId: 'amira.haddad', ground: 'partsjav', actor: { via: 'slack' } });
  });

  test('a bad ärende in the modal is answered on the field (response_action errors)', async () => {
    h = await startHarness();
    const { triggerId } = await h.slack.command(AMIRA, '/namnd', 'jav');
    const view = await openedModal(triggerId);
    // The agenda changed after the modal opened: the chosen ärende is no longer there.
    const submit = await h.slack.submit(AMIRA, view, {
      item: { type: 'static_select', selected_option: { value: '99/27' } },
      ground: { type: 'radio_buttons', selected_option: { value: 'partsjav' } },
      text: { type: 'plain_text_input', value: null },
    });
    expect(submit.status).toBe(200);
    const body = submit.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(['item']);
    expect(body.errors.item).toMatch(/99\/27/);
    await h.adapter.idle();
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);
    expect(await events()).toHaveLength(0);
  });

  test('/namnd jav 5 part … with everything given needs no modal', async () => {
    h = await startHarness();
    const { answer, responseUrl } = await h.slack.command(AMIRA, '/namnd', 'jav 5 part Min make sitter i styrelsen');
    expect(answer.status).toBe(200);
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.body.text)).toContain('Jäv anmält i ärende 5/27');
    expect(h.fake.callsOf('views.open')).toHaveLength(0);
  });

  test('an övrig fråga with /ovrigfraga, answered privately, and withdrawn with its button', async () => {
    h = await startHarness();
    const { answer, responseUrl } = await h.slack.command(AMIRA, '/ovrigfraga', 'Hur går arbetet med det nya badhuset?');
    expect(answer.status).toBe(200);
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('Din övriga fråga F1 är anmäld till sammanträdet torsdag den 21 januari 2027.');
    expect(await events()).toMatchObject([{ type: 'fraga.announced', questionId: 'F1', text: 'Hur går arbetet med det nya badhuset?', memberId: 'amira.haddad' }]);

    // The button carries the core's action id with "#<index>" and its value.
    const blocks = reply.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id.startsWith('fraga.withdraw#'));
    expect(button).toBeDefined();
    const press = await h.slack.press(AMIRA, button!, { ephemeral: true });
    expect(press.status).toBe(200);
    const withdrawn = await h.fake.waitFor(() => h.fake.responses.find((r) => String(r.body.text).includes('återkallad')));
    expect(withdrawn.body.response_type).toBe('ephemeral');
    expect((await events()).map((e) => e.type)).toEqual(['fraga.announced', 'fraga.withdrawn']);
  });

  test('an unknown Slack user is told to ask the secretary', async () => {
    h = await startHarness();
    const { responseUrl } = await h.slack.command(UNKNOWN, '/namnd', 'hjälp');
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('Jag känner inte igen dig');
    expect(String(reply.body.text)).toContain('sekreterare');
    expect(String(reply.body.text)).toContain(UNKNOWN);
  });

  test('the secretary links a Slack user with /namnd koppla; the user is then known', async () => {
    h = await startHarness();
    const { responseUrl } = await h.slack.command(SECRETARY, '/namnd', `koppla <@${UNKNOWN}|nils> nils.holmgren`);
    const linked = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(String(linked.body.text)).toContain(`Kontot ${UNKNOWN} på Slack är nu kopplat till Nils Holmgren`);
    const who = await h.slack.command(UNKNOWN, '/namnd', 'vem är jag');
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => who.responseUrl.endsWith(r.id)));
    expect(String(reply.body.text)).toContain('Du är Nils Holmgren (S), ersättare');
  });

  test('a form whose trigger has expired comes as a message with a button that opens it', async () => {
    h = await startHarness();
    h.fake.failures.set('views.open', 'expired_trigger_id');
    const { responseUrl } = await h.slack.command(AMIRA, '/jav', '');
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    const blocks = reply.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id.startsWith('jav.declare#'));
    expect(button?.value).toBe('committee=kfn&meeting=kfn-2027-01-21');

    h.fake.failures.clear();
    await h.slack.press(AMIRA, button!, { ephemeral: true });
    // The first views.open was the refused one; the press brings a fresh trigger id.
    const opened = await h.fake.waitFor(() => h.fake.callsOf('views.open')[1]);
    expect(JSON.parse((opened.body.view as View).private_metadata)).toMatchObject({ f: 'jav.declare' });
  });

  test('a core slower than the submit budget: the modal says "working", then shows the answer', async () => {
    h = await startHarness({
      submitBudgetMs: 20,
      wrapCore: (core) => ({
        identify: core.identify.bind(core),
        adapterState: core.adapterState.bind(core),
        query: core.query.bind(core),
        handle: async (incoming) => {
          if (incoming.input.kind === 'form') await new Promise((r) => setTimeout(r, 150));
          return core.handle(incoming);
        },
      }),
    });
    const { triggerId } = await h.slack.command(AMIRA, '/jav', '');
    const view = await openedModal(triggerId);
    const submit = await h.slack.submit(AMIRA, view, {
      item: { type: 'static_select', selected_option: { value: '3/27' } },
      ground: { type: 'radio_buttons', selected_option: { value: 'ovrigt' } },
      text: { type: 'plain_text_input', value: null },
    });
    const body = submit.json() as { response_action: string; view: { blocks: unknown } };
    expect(body.response_action).toBe('update');
    expect(allText(body.view.blocks)).toContain('arbetar');
    const updated = await h.fake.waitFor(() => h.fake.callsOf('views.update')[0]);
    expect(updated.body.view_id).toBe('V0MODAL001');
    expect(allText(updated.body.view)).toContain('Jäv anmält i ärende 3/27');
    await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => String(c.body.text).includes('Jäv anmält')));
  });
});

test('the command is acknowledged before the core runs, however slow it is', async () => {
  h = await startHarness({
    wrapCore: (core) => ({
      identify: core.identify.bind(core),
        adapterState: core.adapterState.bind(core),
      query: core.query.bind(core),
      handle: async (incoming) => {
        await new Promise((r) => setTimeout(r, 1500));
        return core.handle(incoming);
      },
    }),
  });
  const started = performance.now();
  const { answer, responseUrl } = await h.slack.command(AMIRA, '/namnd', 'möten');
  expect(answer.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(500);
  const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
  expect(String(reply.body.text)).toContain('Kommande sammanträden');
});

test('mounted on a server of our own (listen: false): the same requests work through requestListener', async () => {
  h = await startHarness();
  const mounted = new SlackAdapter(
    { core: h.core, delivery: h.delivery, logger: silentLogger },
    { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, path: '/slack/events' },
    { clientOptions: { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 } }, listen: false },
  );
  await mounted.start();
  expect(mounted.port).toBeUndefined();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/slack/events')) return mounted.requestListener!(req, res);
    res.writeHead(200);
    res.end('health ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, h.fake);
    const { answer, responseUrl } = await sender.command(AMIRA, '/namnd', 'möten');
    expect(answer.status).toBe(200);
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(String(reply.body.text)).toContain('Kommande sammanträden');
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe('health ok');
  } finally {
    await mounted.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

describe('request verification', () => {
  test('a bad signature is refused with 401 and logged without the body', async () => {
    h = await startHarness();
    const { answer } = await h.slack.command(AMIRA, '/ovrigfraga', 'Hemlig fråga om grannens bygglov', {}, { secret: 'not-the-secret' });
    expect(answer.status).toBe(401);
    await h.adapter.idle();
    expect(h.fake.responses).toHaveLength(0);
    expect(await events()).toHaveLength(0);
    const log = h.logs.join('');
    expect(log).toContain('signature mismatch');
    expect(log).not.toContain('grannens');
    expect(log).not.toContain(SIGNING_SECRET);
  });

  test.each([
    ['6 minutes in the future', 401, 360],
    ['5 minutes 10 s in the future', 401, 310],
    ['4 minutes in the future', 200, 240],
    ['4 minutes ago', 200, -240],
    ['6 minutes ago', 401, -360],
  ])('a correctly signed request stamped %s gets %d: the window is 5 minutes both ways', async (_name, status, offsetSec) => {
    h = await startHarness();
    const { answer, responseUrl } = await h.slack.command(AMIRA, '/namnd', 'möten', {}, { timestamp: Math.floor(Date.now() / 1000) + offsetSec });
    expect(answer.status).toBe(status);
    await h.adapter.idle();
    if (status === 401) {
      expect(answer.text).toBe('');
      expect(h.fake.responses).toHaveLength(0);
    } else {
      const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
      expect(String(reply.body.text)).toContain('Kommande sammanträden');
    }
  });

  test('a stale timestamp is refused with 401', async () => {
    h = await startHarness();
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const { answer } = await h.slack.command(AMIRA, '/namnd', 'möten', {}, { timestamp: tenMinutesAgo });
    expect(answer.status).toBe(401);
    expect(h.logs.join('')).toContain('stale');
    expect(h.fake.responses).toHaveLength(0);
  });
});

describe('events', () => {
  const dm = (text: string) => ({ type: 'message', channel: `D${AMIRA.slice(1)}`, channel_type: 'im', user: AMIRA, text, ts: '1700000001.000100', event_ts: '1700000001.000100' });

  test('a retried event is processed once', async () => {
    h = await startHarness();
    const first = await h.slack.event(dm('övrig fråga Finns det parkering vid biblioteket?'), 'Ev0RETRY01');
    expect(first.status).toBe(200);
    await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage')[0]);
    const retry = await h.slack.event(dm('övrig fråga Finns det parkering vid biblioteket?'), 'Ev0RETRY01', 1);
    expect(retry.status).toBe(200);
    await h.adapter.idle();
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(h.fake.callsOf('chat.postMessage')[0].body.channel).toBe(`D${AMIRA.slice(1)}`);
    expect((await events()).filter((e) => e.type === 'fraga.announced')).toHaveLength(1);
    expect(h.logs.join('')).toContain('slack retried a delivery');
  });

  test('a DM with escaped characters reaches the core as typed', async () => {
    h = await startHarness();
    await h.slack.event(dm('övrig fråga Gäller taxan &amp; avgiften &lt;under 18&gt;?'), 'Ev0ESCAPE1');
    await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage')[0]);
    expect(await events()).toMatchObject([{ type: 'fraga.announced', text: 'Gäller taxan & avgiften <under 18>?' }]);
    // …and goes back out escaped, so it cannot become a mention or a link.
    expect(allText(h.fake.callsOf('chat.postMessage')[0].body.blocks)).toContain('Gäller taxan &amp; avgiften &lt;under 18&gt;?');
  });

  test('App Home: a member sees meetings and their own records, published once per event', async () => {
    h = await startHarness();
    await h.slack.command(AMIRA, '/namnd', 'jav 5 part');
    await h.fake.waitFor(() => h.fake.responses[0]);
    const opened = { type: 'app_home_opened', user: AMIRA, channel: `D${AMIRA.slice(1)}`, tab: 'home', event_ts: '1700000002.000100' };
    expect((await h.slack.event(opened, 'Ev0HOME001')).status).toBe(200);
    const published = await h.fake.waitFor(() => h.fake.callsOf('views.publish')[0]);
    expect(published.body.user_id).toBe(AMIRA);
    const view = published.body.view as { type: string; blocks: { type: string; elements?: { action_id?: string }[] }[] };
    expect(view.type).toBe('home');
    const text = allText(view.blocks);
    expect(text).toContain('Kultur- och fritidsnämnden');
    expect(text).toContain('Kommande sammanträden');
    expect(text).toContain('Dina jävsanmälningar (1)');
    expect(text).toContain('Du har inga övriga frågor');
    expect(text).not.toContain('Jäv till sammanträdet'); // the overview is the secretary's
    const actionIds = view.blocks.flatMap((b) => b.elements ?? []).map((e) => e.action_id);
    expect(actionIds).toEqual(expect.arrayContaining(['jav.declare#0', 'fraga.announce#1']));
    expect(view.blocks.length).toBeLessThanOrEqual(100);

    await h.slack.event(opened, 'Ev0HOME001', 1);
    await h.adapter.idle();
    expect(h.fake.callsOf('views.publish')).toHaveLength(1);
    expect(h.logs.join('')).toContain('duplicate app_home_opened ignored');
  });

  test('App Home is not redrawn at every click on the tab, but is after the person did something', async () => {
    h = await startHarness();
    const opened = { type: 'app_home_opened', user: AMIRA, tab: 'home' };
    await h.slack.event(opened, 'Ev0HOME101');
    await h.fake.waitFor(() => h.fake.callsOf('views.publish')[0]);
    await h.slack.event(opened, 'Ev0HOME102');
    await h.adapter.idle();
    expect(h.fake.callsOf('views.publish')).toHaveLength(1);
    await h.slack.command(AMIRA, '/ovrigfraga', 'Finns det laddplatser vid sporthallen?');
    await h.fake.waitFor(() => h.fake.responses[0]);
    await h.slack.event(opened, 'Ev0HOME103');
    const redrawn = await h.fake.waitFor(() => h.fake.callsOf('views.publish')[1]);
    expect(allText(redrawn.body.view)).toContain('Finns det laddplatser vid sporthallen?');
  });

  test('App Home: the secretary sees the dashboard; a member opens the jäv modal from it', async () => {
    h = await startHarness();
    await h.slack.command(AMIRA, '/ovrigfraga', 'Hur går det med badhuset?');
    await h.fake.waitFor(() => h.fake.responses[0]);
    await h.slack.event({ type: 'app_home_opened', user: SECRETARY, tab: 'home' }, 'Ev0HOME002');
    const published = await h.fake.waitFor(() => h.fake.callsOf('views.publish')[0]);
    const text = allText(published.body.view);
    expect(text).toContain('Jäv till sammanträdet torsdag den 21 januari 2027: inga anmälningar.');
    expect(text).toContain('Hur går det med badhuset?');
    expect(text).not.toContain('Anmäl jäv'); // the secretary does not declare jäv
    expect(text).toContain('Utkast till dagordning');
    expect(text).toContain('Påminnelser i Kultur- och fritidsnämnden'); // deadlines and who is reminded

    await h.slack.press(AMIRA, { action_id: 'jav.declare#0', value: 'committee=KFN' }, { home: true });
    const modal = await h.fake.waitFor(() => h.fake.callsOf('views.open')[0]);
    expect(JSON.parse((modal.body.view as View).private_metadata)).toMatchObject({ f: 'jav.declare', home: 1 });
    // The home is redrawn after the press.
    await h.fake.waitFor(() => h.fake.callsOf('views.publish').find((c) => c.body.user_id === AMIRA));
  });

  test('App Home: the secretary accepts a question with its button; the member is told by DM', async () => {
    h = await startHarness();
    await h.slack.command(AMIRA, '/ovrigfraga', 'Hur går det med badhuset?');
    await h.fake.waitFor(() => h.fake.responses[0]);
    await h.slack.event({ type: 'app_home_opened', user: SECRETARY, tab: 'home' }, 'Ev0HOME005');
    const published = await h.fake.waitFor(() => h.fake.callsOf('views.publish')[0]);
    const buttons = (published.body.view as { blocks: { elements?: { action_id: string; value: string; text: { text: string } }[] }[] }).blocks.flatMap((b) => b.elements ?? []);
    const accept = buttons.find((b) => b.text.text === 'Godkänn F1');
    expect(accept?.action_id).toMatch(/^fraga\.accept#\d+$/);
    await h.slack.press(SECRETARY, accept!, { home: true });
    const toMember = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.body.channel === `D${AMIRA.slice(1)}`));
    expect(String(toMember.body.text)).toContain('Din övriga fråga F1 tas upp');
    const toSecretary = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.body.channel === `D${SECRETARY.slice(1)}`));
    expect(String(toSecretary.body.text)).toContain('Fråga F1 är godkänd');
    expect((await events()).map((e) => e.type)).toEqual(['fraga.announced', 'fraga.accepted']);
    await h.fake.waitFor(() => h.fake.callsOf('views.publish').length >= 2);
  });

  test('App Home for someone unknown shows the core\'s answer', async () => {
    h = await startHarness();
    await h.slack.event({ type: 'app_home_opened', user: UNKNOWN, tab: 'home' }, 'Ev0HOME003');
    const published = await h.fake.waitFor(() => h.fake.callsOf('views.publish')[0]);
    expect(allText(published.body.view)).toContain('Jag känner inte igen dig');
  });

  test('the chair sees both own records and the overview', async () => {
    h = await startHarness();
    await h.slack.event({ type: 'app_home_opened', user: CHAIR, tab: 'home' }, 'Ev0HOME004');
    const text = allText((await h.fake.waitFor(() => h.fake.callsOf('views.publish')[0])).body.view);
    expect(text).toContain('Du har inga jävsanmälningar');
    expect(text).toContain('Jäv till sammanträdet');
  });
});

describe('sending privately', () => {
  test('a DM with a file: conversations.open, chat.postMessage and the external upload flow', async () => {
    h = await startHarness();
    const bytes = new TextEncoder().encode('Dagordning KFN 2027-01-21');
    await h.adapter.sendPrivate(SECRETARY, { text: 'Utkastet till dagordning är klart.', parts: [{ kind: 'file', name: 'dagordning.docx', mediaType: 'application/octet-stream', bytes }] });
    const dmChannel = `D${SECRETARY.slice(1)}`;
    expect(h.fake.callsOf('conversations.open')[0].body.users).toBe(SECRETARY);
    expect(h.fake.callsOf('chat.postMessage')[0].body).toMatchObject({ channel: dmChannel, text: 'Utkastet till dagordning är klart.' });
    expect(h.fake.callsOf('files.getUploadURLExternal')[0].body).toMatchObject({ filename: 'dagordning.docx', length: String(bytes.length) });
    expect(h.fake.uploads[0].bytes.toString('utf8')).toBe('Dagordning KFN 2027-01-21');
    expect(h.fake.callsOf('files.completeUploadExternal')[0].body).toMatchObject({ channel_id: dmChannel });
  });

  test.each([
    ['conversations.open', 'user_not_found', 'finns inte i arbetsytan'],
    ['conversations.open', 'cannot_dm_bot', 'bot'],
    ['chat.postMessage', 'account_inactive', 'avaktiverat'],
    ['conversations.open', 'not_allowed_token_type', 'bot-token'],
  ])('%s answering %s is UnreachableError with a Swedish reason', async (method, code, words) => {
    h = await startHarness();
    h.fake.failures.set(method, code);
    const sent = h.adapter.sendPrivate(AMIRA, message('Påminnelse'));
    await expect(sent).rejects.toBeInstanceOf(UnreachableError);
    await expect(sent).rejects.toMatchObject({ reason: expect.stringContaining(words) });
  });

  test('a passing failure is not UnreachableError (worth a retry)', async () => {
    h = await startHarness();
    h.fake.failures.set('chat.postMessage', 'internal_error');
    const sent = h.adapter.sendPrivate(AMIRA, message('Påminnelse'));
    await expect(sent).rejects.not.toBeInstanceOf(UnreachableError);
  });

  test('the core reaches a member through the adapter (a late question to the secretary)', async () => {
    h = await startHarness();
    h.clock.set('2027-01-20T10:00:00+01:00'); // after the 48-hour cutoff
    await h.slack.command(AMIRA, '/ovrigfraga', 'Kan vi prata om simhallen?');
    const dm = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.body.channel === `D${SECRETARY.slice(1)}`));
    expect(String(dm.body.text)).toContain('Sen övrig fråga F1');
  });
});

describe('the secretary generating an agenda', () => {
  test('/namnd dagordning in a channel: the preview to the secretary only, the documents (with sekretess) by DM', async () => {
    h = await startHarness();
    await h.slack.command(AMIRA, '/jav', '4 part Min dotter är ordförande i en av föreningarna');
    await h.fake.waitFor(() => h.fake.responses[0]);
    const { answer, responseUrl } = await h.slack.command(SECRETARY, '/namnd', 'dagordning');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(''); // acknowledged before the documents are built

    // The preview comes with the documents, which the render thread makes; its first start can take
    // seconds on a busy test machine.
    const preview = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id) && String(r.body.text).startsWith('Utkast 1')), 30_000);
    expect(preview.body.response_type).toBe('ephemeral');
    expect(String(preview.body.text)).toContain('Utkast 1 till kallelse och dagordning för sammanträdet torsdag den 21 januari 2027');
    // The channel-safe preview never names the sekretess ärende.
    expect(allText(preview.body)).not.toContain('fritidsstöd');

    const dm = `D${SECRETARY.slice(1)}`;
    const docs = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.body.channel === dm && String(c.body.text).startsWith('Dokumenten för version 1')));
    expect(allText(docs.body.blocks)).toContain('sekretess');
    await h.fake.waitFor(() => h.fake.callsOf('files.completeUploadExternal').length === 2);
    expect(h.fake.callsOf('files.getUploadURLExternal').map((c) => c.body.filename)).toEqual(['dagordning-2027-01-21-kfn-v1.docx', 'dagordning-2027-01-21-kfn-v1.md']);
    for (const c of h.fake.callsOf('files.completeUploadExternal')) expect(c.body.channel_id).toBe(dm);
    const docx = h.fake.uploads.find((u) => u.bytes.subarray(0, 2).toString('latin1') === 'PK');
    expect(docx).toBeDefined();
    // The channel only hears that the documents went to the DM.
    const notice = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id) && String(r.body.text).includes('direktmeddelande')));
    expect(notice.body.response_type).toBe('ephemeral');
    expect(h.fake.responses.every((r) => r.body.response_type !== 'in_channel')).toBe(true);
    expect((await events()).map((e) => e.type)).toEqual(['jav.declared', 'agenda.drafted']);
  });
});

describe('sekretess, rendered defensively', () => {
  test('an answer with sekretess asked in a channel goes to the DM; the channel only hears where', async () => {
    h = await startHarness({ wrapCore: (core) => ({ identify: core.identify.bind(core),
        adapterState: core.adapterState.bind(core), query: core.query.bind(core), handle: async () => [toAsker({ ...message('Ärende 8/27: Individärende – ansökan om fritidsstöd'), sekretess: true })] }) });
    const { responseUrl } = await h.slack.command(SECRETARY, '/namnd', 'ärenden');
    const dm = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage')[0]);
    expect(dm.body.channel).toBe(`D${SECRETARY.slice(1)}`);
    expect(String(dm.body.text)).toContain('fritidsstöd');
    const notice = await h.fake.waitFor(() => h.fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(notice.body.response_type).toBe('ephemeral');
    expect(allText(notice.body)).not.toContain('fritidsstöd');
  });
});

/**
 * End to end through the real CloudAdapter: activities are POSTed to /api/messages as the Bot
 * Connector would, and what the bot sends back is read from a fake Bot Connector given as the
 * activities' serviceUrl. Authentication is off here (dev mode); auth.test.ts covers it on.
 */
import { UnreachableError } from '../../src/core/adapter';
import { message, paragraph } from '../../src/core/message';
import { PRIVATE_FAILED_NOTE, UNREACHABLE } from '../../adapters/teams/teams-adapter';
import { REF } from '../../adapters/teams/references';
import { personalKey } from '../../src/core/adapter-state';
import {
  BOT,
  CHANNEL_ID,
  closeClientSockets,
  fileConsentActivity,
  installActivity,
  nextActivityId,
  postActivity,
  submitActivity,
  teamInstallActivity,
  textActivity,
} from './fake-connector';
import { buttonData, cardOf, elements, formSubmitData, openTeamsEnv, PEOPLE, visibleText, type TeamsEnv } from './env';

let env: TeamsEnv;

beforeAll(async () => {
  env = await openTeamsEnv();
});

afterAll(async () => {
  await env.close();
  closeClientSockets();
});

beforeEach(() => env.fake.reset());

async function say(person: (typeof PEOPLE)[keyof typeof PEOPLE], text: string, where: 'personal' | 'channel' = 'personal') {
  const r = await postActivity(env.botUrl, textActivity({ serviceUrl: env.serviceUrl, from: person, where, text }));
  expect(r.status).toBe(200);
}

const personalOf = (p: { aadObjectId: string }) => `a:personal-${p.aadObjectId}`;

describe('commands in personal chat', () => {
  test('jäv with missing arguments: a card form, then a card submit, then the confirmation', async () => {
    await say(PEOPLE.tomas, 'jäv');
    const [formMessage] = env.fake.sent();
    expect(formMessage.conversationId).toBe(personalOf(PEOPLE.tomas));
    const card = cardOf(formMessage.body)!;
    expect(card.version).toBe('1.5');
    const inputs = elements(card).filter((e) => e.type?.startsWith('Input.'));
    expect(inputs.map((i) => [i.type, i.id, i.style ?? i.isMultiline ?? null])).toEqual([
      ['Input.ChoiceSet', 'item', 'compact'],
      ['Input.ChoiceSet', 'ground', 'expanded'],
      ['Input.Text', 'text', true],
    ]);
    expect(inputs[0].choices.map((c: { value: string }) => c.value)).toContain('4/27');
    const data = formSubmitData(formMessage.body)!;
    expect(data.namndbot).toMatchObject({ kind: 'form', formId: 'jav.declare', hidden: { committee: 'kfn', meeting: 'kfn-2027-01-21' } });

    env.fake.reset();
    await postActivity(
      env.botUrl,
      submitActivity({
        serviceUrl: env.serviceUrl,
        from: PEOPLE.tomas,
        where: 'personal',
        replyToId: formMessage.responseId!,
        data,
        inputs: { item: '4/27', ground: 'partsjav', text: 'Min make sitter i en förenings styrelse' },
      }),
    );
    const [confirmation] = env.fake.sent();
    expect(visibleText(confirmation.body)).toMatch(/Jäv anmält i ärende 4\/27/);
    expect(visibleText(confirmation.body)).toMatch(/Grund: partsjäv/);
    expect(env.fake.updates()).toHaveLength(0);
    const state = await env.core.log.state('kfn');
    expect([...state.declarations.values()].some((d) => d.memberId === 'tomas.engstrom' && d.lopnummer === '4/27')).toBe(true);
  });

  test('a bad ärende submitted from the card comes back as the same card, updated, with the error in red', async () => {
    await say(PEOPLE.lena, 'jäv');
    const [formMessage] = env.fake.sent();
    const data = formSubmitData(formMessage.body)!;
    env.fake.reset();
    // A stale card (or a tampered payload) names an ärende that is not on the agenda.
    await postActivity(
      env.botUrl,
      submitActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.lena, where: 'personal', replyToId: formMessage.responseId!, data, inputs: { item: '99/27', ground: 'ovrigt' } }),
    );
    const [update] = env.fake.updates();
    expect(update).toBeDefined();
    expect(update.activityId).toBe(formMessage.responseId);
    const errors = elements(cardOf(update.body)).filter((e) => e.type === 'TextBlock' && e.color === 'Attention');
    expect(errors.map((e) => e.text).join(' ')).toMatch(/Det finns inget ärende "99\/27"/);
    // The ground the member chose is kept on the corrected card.
    const ground = elements(cardOf(update.body)).find((e) => e.id === 'ground');
    expect(ground?.value).toBe('ovrigt');
    expect(env.fake.sent()).toHaveLength(0);
  });

  test('a bad ärende typed on one line is answered in words', async () => {
    await say(PEOPLE.lena, 'jäv 99/27 part');
    const [reply] = env.fake.sent();
    expect(reply.body.text).toMatch(/Det finns inget ärende "99\/27"/);
  });

  test('an övrig fråga is recorded and confirmed, with a withdraw button', async () => {
    await say(PEOPLE.sofia, 'övrig fråga Hur går arbetet med det nya badhuset?');
    const [reply] = env.fake.sent();
    expect(visibleText(reply.body)).toMatch(/Din övriga fråga F\d+ är anmäld/);
    expect(visibleText(reply.body)).toMatch(/Hur går arbetet med det nya badhuset\?/);
    const withdraw = buttonData(reply.body, 'Återkalla');
    expect(withdraw?.namndbot).toMatchObject({ kind: 'action', actionId: 'fraga.withdraw' });

    // The button comes back as an action and withdraws the question.
    env.fake.reset();
    await postActivity(env.botUrl, submitActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.sofia, where: 'personal', replyToId: reply.responseId!, data: withdraw!, inputs: {} }));
    expect(visibleText(env.fake.sent()[0].body)).toMatch(/är återkallad/);
  });

  test('a message from an unknown user is answered with their id, and nothing is recorded', async () => {
    const before = (await env.core.log.state('kfn')).version;
    await say(PEOPLE.stranger, 'jäv 4/27 part');
    const [reply] = env.fake.sent();
    expect(reply.body.text).toMatch(/Jag känner inte igen dig/);
    expect(reply.body.text).toContain(PEOPLE.stranger.aadObjectId);
    expect((await env.core.log.state('kfn')).version).toBe(before);
  });

  test('Teams retrying the same activity gets one answer', async () => {
    const activity = textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.tomas, where: 'personal', text: 'hjälp' });
    await postActivity(env.botUrl, activity);
    await postActivity(env.botUrl, activity);
    expect(env.fake.sent()).toHaveLength(1);
  });
});

describe('commands in a channel', () => {
  test('with an @mention; the answer for the asker goes 1:1 (a new conversation), nothing to the channel', async () => {
    await say(PEOPLE.helena, 'övrig fråga Varför är simhallen stängd i juli?', 'channel');
    const [created] = env.fake.created();
    expect(created.body).toMatchObject({ isGroup: false, members: [{ id: PEOPLE.helena.id }], tenantId: expect.any(String) });
    const sent = env.fake.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(created.responseId);
    expect(visibleText(sent[0].body)).toMatch(/Varför är simhallen stängd i juli\?/);
    expect(sent.some((s) => s.conversationId?.startsWith(CHANNEL_ID))).toBe(false);
    // The new personal conversation is stored for later proactive messages.
    expect(await env.store.getValue(personalKey('teams', REF, PEOPLE.helena.aadObjectId))).toMatchObject({ conversation: { id: created.responseId }, serviceUrl: env.serviceUrl });
  });

  test('when the private reply is refused, the channel gets only a neutral note', async () => {
    env.fake.refuse((r) => r.method === 'POST' && r.path === '/v3/conversations', { status: 403, code: 'BotNotInConversationRoster' });
    await say(PEOPLE.ingrid, 'övrig fråga Hemlig fundering om lokalerna', 'channel');
    const sent = env.fake.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId?.startsWith(CHANNEL_ID)).toBe(true);
    expect(sent[0].body.text).toBe(PRIVATE_FAILED_NOTE);
    expect(JSON.stringify(sent[0].body)).not.toMatch(/Hemlig fundering/);
  });

  test('koppla @person: the mention becomes the person\'s AAD object id', async () => {
    const amira = { id: '29:amira', aadObjectId: 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5', name: 'Amira Haddad' };
    env.fake.members = [amira];
    const tag = `<at>${BOT.name}</at>`;
    const amiraTag = `<at>${amira.name}</at>`;
    const activity = {
      ...textActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'channel', text: '' }),
      text: `${tag} koppla ${amiraTag} amira.haddad`,
      entities: [
        { type: 'mention', text: tag, mentioned: BOT },
        { type: 'mention', text: amiraTag, mentioned: { id: amira.id, name: amira.name } },
      ],
    };
    await postActivity(env.botUrl, activity);
    const memberships = await env.core.identify('teams', amira.aadObjectId);
    expect(memberships.map((m) => m.member.id)).toEqual(['amira.haddad']);
  });
});

describe('proactive messages', () => {
  test('installing the app stores the whole conversation reference, serviceUrl included', async () => {
    const r = await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    expect(r.status).toBe(200);
    expect(await env.store.getValue(personalKey('teams', REF, PEOPLE.maria.aadObjectId))).toEqual({
      user: { id: PEOPLE.maria.id, name: PEOPLE.maria.name, aadObjectId: PEOPLE.maria.aadObjectId },
      bot: BOT,
      conversation: { id: personalOf(PEOPLE.maria), conversationType: 'personal', tenantId: expect.any(String) },
      channelId: 'msteams',
      locale: 'sv-SE',
      serviceUrl: env.serviceUrl,
    });
  });

  test('installing the app in a team makes every team member reachable; the first message opens their 1:1 chat', async () => {
    env.fake.members = [{ id: PEOPLE.karin.id, aadObjectId: PEOPLE.karin.aadObjectId, name: PEOPLE.karin.name }];
    const r = await postActivity(env.botUrl, teamInstallActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria }));
    expect(r.status).toBe(200);
    expect(env.fake.requests.some((q) => q.method === 'GET' && q.path.endsWith('/pagedmembers'))).toBe(true);
    env.fake.reset();
    await env.adapter.sendPrivate(PEOPLE.karin.aadObjectId, message('Påminnelse: justera protokollet senast fredag.'));
    const [created] = env.fake.created();
    expect(created.body.members).toEqual([{ id: PEOPLE.karin.id, name: '' }]);
    expect(env.fake.sent().map((s) => s.conversationId)).toEqual([created.responseId]);
    // From now on Karin's personal conversation is used directly.
    env.fake.reset();
    await env.adapter.sendPrivate(PEOPLE.karin.aadObjectId, message('Och en till.'));
    expect(env.fake.created()).toHaveLength(0);
    expect(env.fake.sent().map((s) => s.conversationId)).toEqual([created.responseId]);
  });

  test('sendPrivate uses the stored reference (continueConversationAsync)', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.reset();
    await env.adapter.sendPrivate(PEOPLE.maria.aadObjectId, message('Påminnelse: kallelsen ska ut i dag.', paragraph('Sammanträdet är torsdag den 21 januari 2027.')));
    const [sent] = env.fake.sent();
    expect(sent.conversationId).toBe(personalOf(PEOPLE.maria));
    expect(visibleText(sent.body)).toMatch(/kallelsen ska ut i dag/);
  });

  test('the core reaches a member through the delivery registry', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.reset();
    await expect(env.delivery.deliver([{ platform: 'teams', platformUserId: PEOPLE.maria.aadObjectId }], message('Hej'))).resolves.toBe('teams');
    expect(env.fake.sent()).toHaveLength(1);
  });

  test('403 BotNotInConversationRoster becomes UnreachableError with a Swedish reason for the secretary', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.refuse(() => true, { status: 403, code: 'BotNotInConversationRoster' });
    const err = await env.adapter.sendPrivate(PEOPLE.maria.aadObjectId, message('Påminnelse')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).reason).toBe(UNREACHABLE.removed);
    // Through the registry the secretary sees which platform said what.
    const viaDelivery = await env.delivery.deliver([{ platform: 'teams', platformUserId: PEOPLE.maria.aadObjectId }], message('Påminnelse')).catch((e: unknown) => e);
    expect(viaDelivery).toBeInstanceOf(UnreachableError);
    expect((viaDelivery as UnreachableError).reason).toBe(`teams: ${UNREACHABLE.removed}`);
  });

  test('404 ConversationNotFound is unreachable too', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.refuse(() => true, { status: 404, code: 'ConversationNotFound' });
    await expect(env.adapter.sendPrivate(PEOPLE.maria.aadObjectId, message('Påminnelse'))).rejects.toMatchObject({ name: 'UnreachableError', reason: UNREACHABLE.notFound });
  });

  test('a member the bot has never seen is unreachable without asking Teams', async () => {
    await expect(env.adapter.sendPrivate('99999999-0000-4000-8000-000000000000', message('Påminnelse'))).rejects.toMatchObject({
      name: 'UnreachableError',
      reason: UNREACHABLE.notInstalled,
    });
    expect(env.fake.requests).toHaveLength(0);
  });

  test('a throttled or failing connector is a passing error (retried later), not unreachable', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.refuse(() => true, { status: 429, code: 'Throttled' });
    const err = await env.adapter.sendPrivate(PEOPLE.maria.aadObjectId, message('Påminnelse')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UnreachableError);
  });
});

describe('the agenda for the secretary', () => {
  const consentCards = () => env.fake.sent().filter((s) => s.body.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.consent');

  test('dagordning in personal chat: the preview card, then both documents through file consent cards', async () => {
    await say(PEOPLE.maria, 'dagordning');
    const sent = env.fake.sent();
    expect(sent.every((s) => s.conversationId === personalOf(PEOPLE.maria))).toBe(true);
    const preview = visibleText(sent[0].body);
    expect(preview).toMatch(/Utkast \d+ till kallelse och dagordning för sammanträdet torsdag den 21 januari 2027/);
    expect(preview).toMatch(/Anmälan av jäv/);
    // The sekretess ärende is named only in the documents, never in the chat.
    expect(preview).not.toMatch(/fritidsstöd/);
    expect(consentCards().map((c) => c.body.attachments[0].name)).toEqual([expect.stringMatching(/\.docx$/), expect.stringMatching(/\.md$/)]);
  });

  test('dagordning asked in a channel: preview and documents go to the secretary 1:1, nothing to the channel', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.reset();
    await say(PEOPLE.maria, 'dagordning', 'channel');
    const sent = env.fake.sent();
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.every((s) => s.conversationId === personalOf(PEOPLE.maria))).toBe(true);
    expect(consentCards()).toHaveLength(2);
  });
});

describe('files', () => {
  test('a file goes through the consent card; accepting uploads the bytes and shows the file card', async () => {
    await postActivity(env.botUrl, installActivity({ serviceUrl: env.serviceUrl, from: PEOPLE.maria, where: 'personal' }));
    env.fake.reset();
    const bytes = new Uint8Array(Buffer.from('PK\u0003\u0004 ett utkast'));
    await env.adapter.sendPrivate(PEOPLE.maria.aadObjectId, {
      text: 'Utkast till dagordning',
      parts: [{ kind: 'file', name: 'dagordning-2027-01-21.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes }],
    });
    const consent = env.fake.sent().find((s) => s.body.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.consent');
    expect(consent?.body.attachments[0]).toMatchObject({ name: 'dagordning-2027-01-21.docx', content: { sizeInBytes: bytes.length } });

    env.fake.reset();
    const invoke = fileConsentActivity({
      serviceUrl: env.serviceUrl,
      from: PEOPLE.maria,
      where: 'personal',
      id: nextActivityId(),
      replyToId: consent!.responseId!,
      action: 'accept',
      context: consent!.body.attachments[0].content.acceptContext,
      uploadUrl: `${env.serviceUrl}upload/dagordning.docx`,
      name: 'dagordning-2027-01-21.docx',
    });
    const r = await postActivity(env.botUrl, invoke);
    expect(r.status).toBe(200);
    expect(env.fake.uploads).toHaveLength(1);
    expect(Buffer.compare(env.fake.uploads[0].bytes, Buffer.from(bytes))).toBe(0);
    expect(env.fake.uploads[0].headers['content-range']).toBe(`bytes 0-${bytes.length - 1}/${bytes.length}`);
    const info = env.fake.sent().find((s) => s.body.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.info');
    expect(info?.body.attachments[0]).toMatchObject({ name: 'dagordning-2027-01-21.docx', content: { fileType: 'docx' } });
    expect(env.fake.deleted().map((d) => d.activityId)).toEqual([consent!.responseId]);
  });
});

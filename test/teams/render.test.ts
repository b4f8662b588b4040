import { buttons, fields, formPart, header, list, message, paragraph, toPlainText, type Form, type Message } from '../../src/core/message';
import { outgoing, type Outgoing } from '../../src/core/outgoing';
import type { Place } from '../../src/core/incoming';
import { ADAPTIVE_CARD, MAX_CARD_BYTES, MAX_TEXT_CHARS, readSubmit, renderMessage, SUBMIT_KEY, type TeamsMessage } from '../../adapters/teams/render';
import { incomingOf, placeOf, routeOf } from '../../adapters/teams/incoming';
import { reasonFor, refusalCode, UNREACHABLE } from '../../adapters/teams/teams-adapter';
import { elements } from './env';

const cardOf = (m: TeamsMessage) => m.attachments![0].content as unknown as Record<string, any>;
const only = (m: Message) => {
  const out = renderMessage(m);
  expect(out).toHaveLength(1);
  return out[0];
};
const ofType = (m: TeamsMessage, type: string) => elements(cardOf(m)).filter((e) => e.type === type);

const JAV_FORM: Form = {
  id: 'jav.declare',
  title: 'Anmäl jäv',
  submitLabel: 'Anmäl jäv',
  hidden: { committee: 'kfn', meeting: 'kfn-2027-01-21' },
  fields: [
    { name: 'item', label: 'Ärende', kind: 'select', required: true, options: [{ value: '4/27', label: '4/27 Föreningsbidrag' }], error: 'Det finns inget ärende "99/27".' },
    {
      name: 'ground',
      label: 'Jävsgrund',
      kind: 'radio',
      required: true,
      value: 'ovrigt',
      options: [
        { value: 'partsjav', label: 'partsjäv', description: 'du är part' },
        { value: 'ovrigt', label: 'övrigt jäv' },
      ],
    },
    { name: 'text', label: 'Motivering', kind: 'textarea', required: false, maxLength: 1000, placeholder: 'Till exempel …' },
  ],
};

describe('renderMessage: one part at a time', () => {
  test('text only is a plain text message, no card', () => {
    expect(renderMessage(message('Hej'))).toEqual([{ type: 'message', text: 'Hej', textFormat: 'plain' }]);
  });

  test('with parts: an Adaptive Card 1.5 with the plain-text fallback, and the lead line as summary (not text, which Teams would show twice)', () => {
    const m = message('Lead', paragraph('Mer'));
    const out = only(m);
    expect(out.text).toBeUndefined();
    expect(out.summary).toBe('Lead');
    expect(out.attachments![0].contentType).toBe(ADAPTIVE_CARD);
    expect(cardOf(out)).toMatchObject({ type: 'AdaptiveCard', version: '1.5', fallbackText: toPlainText(m) });
  });

  const cases: [string, Message, Record<string, unknown>[]][] = [
    ['header', message('L', header('Rubrik')), [{ type: 'TextBlock', text: 'Rubrik', size: 'Medium', weight: 'Bolder' }]],
    ['paragraph', message('L', paragraph('Stycke')), [{ type: 'TextBlock', text: 'Stycke', wrap: true }]],
    ['fields as a FactSet', message('L', fields({ label: 'Id', value: 'J1' }, { label: 'Ärende', value: '4/27' })), [{ type: 'FactSet', facts: [{ title: 'Id', value: 'J1' }, { title: 'Ärende', value: '4/27' }] }]],
    ['a titled list', message('L', list(['a', 'b'], 'Titel')), [{ type: 'TextBlock', text: 'Titel', weight: 'Bolder' }, { type: 'TextBlock', text: '• a' }, { type: 'TextBlock', text: '• b' }]],
    ['a file is named in the card', message('L', { kind: 'file', name: 'utkast.docx', mediaType: 'x', bytes: new Uint8Array([1]) }), [{ type: 'TextBlock', text: 'Fil: utkast.docx' }]],
  ];
  test.each(cases)('%s', (_name, m, expected) => {
    const body = cardOf(only(m)).body as Record<string, unknown>[];
    expect(body[0]).toMatchObject({ type: 'TextBlock', text: 'L' });
    expect(body.slice(1)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  test('buttons are Action.Submit with their action id and value, styled, not submitting any form inputs', () => {
    const out = only(
      message(
        'L',
        buttons(
          { label: 'Godkänn', actionId: 'fraga.accept', value: 'committee=KFN&id=F2', command: 'övrig fråga godkänn F2', style: 'primary' },
          { label: 'Avslå', actionId: 'fraga.decline', value: 'committee=KFN&id=F2', command: 'x', style: 'danger' },
          { label: 'Flytta', actionId: 'fraga.move', value: 'committee=KFN&id=F2', command: 'x' },
        ),
      ),
    );
    const actions = ofType(out, 'Action.Submit');
    expect(actions.map((a) => [a.title, a.style, a.associatedInputs])).toEqual([
      ['Godkänn', 'positive', 'none'],
      ['Avslå', 'destructive', 'none'],
      ['Flytta', undefined, 'none'],
    ]);
    expect(readSubmit(actions[0].data)).toEqual({ kind: 'action', actionId: 'fraga.accept', value: 'committee=KFN&id=F2' });
  });

  test('more than five buttons go on several rows', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ label: `B${i}`, actionId: 'a', value: String(i), command: 'c' }));
    expect(ofType(only(message('L', buttons(...many))), 'ActionSet').map((s) => s.actions.length)).toEqual([5, 2]);
  });
});

describe('renderMessage: forms', () => {
  const out = only(message('Något behöver rättas.', formPart(JAV_FORM)));
  const inputs = elements(cardOf(out)).filter((e) => String(e.type).startsWith('Input.'));

  test.each([
    ['select → compact choice set with a placeholder', 'item', { type: 'Input.ChoiceSet', style: 'compact', placeholder: 'Välj …', isRequired: true, label: 'Ärende' }],
    ['radio → expanded choice set, descriptions in the choice titles, value kept', 'ground', { type: 'Input.ChoiceSet', style: 'expanded', value: 'ovrigt', choices: [{ title: 'partsjäv – du är part', value: 'partsjav' }, { title: 'övrigt jäv', value: 'ovrigt' }] }],
    ['textarea → multiline text with maxLength and placeholder, optional', 'text', { type: 'Input.Text', isMultiline: true, maxLength: 1000, placeholder: 'Till exempel …', isRequired: false }],
  ])('%s', (_name, id, expected) => {
    expect(inputs.find((i) => i.id === id)).toMatchObject(expected);
  });

  test('a field error is a red text block right under its input, and its errorMessage', () => {
    const items = elements(cardOf(out)).find((e) => e.type === 'Container')!.items as Record<string, unknown>[];
    const at = items.findIndex((i) => i.id === 'item');
    expect(items[at + 1]).toMatchObject({ type: 'TextBlock', color: 'Attention', text: 'Det finns inget ärende "99/27".' });
    expect(items[at]).toMatchObject({ errorMessage: 'Det finns inget ärende "99/27".' });
    expect(inputs.find((i) => i.id === 'ground')).toMatchObject({ errorMessage: 'Fyll i det här fältet.' });
  });

  test('the submit carries the form id and hidden values; Teams merges the inputs; readSubmit gives the core its form input', () => {
    const submit = ofType(out, 'Action.Submit')[0];
    expect(submit).toMatchObject({ title: 'Anmäl jäv', style: 'positive' });
    expect(submit.associatedInputs).toBeUndefined();
    const asTeamsSendsIt = { ...submit.data, item: '4/27', ground: 'partsjav', text: 'Min make', unrelated: 'x' };
    expect(readSubmit(asTeamsSendsIt)).toEqual({
      kind: 'form',
      formId: 'jav.declare',
      values: { committee: 'kfn', meeting: 'kfn-2027-01-21', item: '4/27', ground: 'partsjav', text: 'Min make' },
    });
  });

  test('date inputs take only YYYY-MM-DD values; text inputs are single-line', () => {
    const form: Form = {
      id: 'fraga.move',
      title: 'T',
      submitLabel: 'S',
      fields: [
        { name: 'meeting', label: 'Datum', kind: 'date', required: true, value: '2027-02-18' },
        { name: 'other', label: 'Datum 2', kind: 'date', required: false, value: '18 februari' },
        { name: 'id', label: 'Id', kind: 'text', required: false, maxLength: 10 },
      ],
    };
    const got = elements(cardOf(only(message('L', formPart(form))))).filter((e) => String(e.type).startsWith('Input.'));
    expect(got[0]).toMatchObject({ type: 'Input.Date', value: '2027-02-18' });
    expect(got[1].value).toBeUndefined();
    expect(got[1].errorMessage).toBeUndefined();
    expect(got[2]).toMatchObject({ type: 'Input.Text', maxLength: 10 });
    expect(got[2].isMultiline).toBeUndefined();
  });

  test('two forms in one message keep their input ids apart', () => {
    const second: Form = { ...JAV_FORM, id: 'fraga.announce', hidden: {} };
    const card = only(message('L', formPart(JAV_FORM), formPart(second)));
    const ids = elements(cardOf(card)).filter((e) => String(e.type).startsWith('Input.')).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const secondSubmit = ofType(card, 'Action.Submit')[1];
    expect(readSubmit({ ...secondSubmit.data, f1_item: '4/27', item: 'from the other form' })).toMatchObject({ formId: 'fraga.announce', values: { item: '4/27' } });
  });
});

describe('renderMessage: Teams size limits', () => {
  test('a long list is split over several cards, each under the limit, in order', () => {
    const items = Array.from({ length: 600 }, (_, i) => `F${i} Åsa Öberg (S): "En fråga om föreningsbidragen och lokalerna nummer ${i}"`);
    const out = renderMessage(message('Övriga frågor: 600.', list(items)));
    expect(out.length).toBeGreaterThan(1);
    for (const a of out) expect(Buffer.byteLength(JSON.stringify(cardOf(a)))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const texts = out.flatMap((a) => elements(cardOf(a)).filter((e) => e.type === 'TextBlock').map((e) => e.text as string));
    expect(texts.filter((t) => t.startsWith('• '))).toEqual(items.map((i) => `• ${i}`));
    expect(out[1].summary).toBe(`Övriga frågor: 600. (2/${out.length})`);
  });

  test('one huge paragraph is cut with a note', () => {
    const out = only(message('L', paragraph('ö'.repeat(40_000))));
    expect(Buffer.byteLength(JSON.stringify(cardOf(out)))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(ofType(out, 'TextBlock')[1].text).toMatch(/förkortat/);
  });

  test('a long plain text is split at line breaks', () => {
    const line = 'x'.repeat(99);
    const text = Array.from({ length: 500 }, () => line).join('\n');
    const out = renderMessage(message(text));
    expect(out.length).toBe(Math.ceil(text.length / MAX_TEXT_CHARS));
    expect(out.map((o) => o.text).join('\n')).toBe(text);
  });
});

describe('readSubmit ignores what is not ours', () => {
  test.each([
    ['undefined', undefined],
    ['a string', 'jäv'],
    ['an array', [1]],
    ['no namndbot key', { item: '4/27' }],
    ['unknown kind', { [SUBMIT_KEY]: { kind: 'other' } }],
    ['action without a value', { [SUBMIT_KEY]: { kind: 'action', actionId: 'x' } }],
    ['form without an id', { [SUBMIT_KEY]: { kind: 'form' } }],
  ])('%s', (_name, value) => {
    expect(readSubmit(value)).toBeUndefined();
  });

  test('non-string values from Teams are dropped, not passed on', () => {
    expect(readSubmit({ [SUBMIT_KEY]: { kind: 'form', formId: 'f', hidden: { a: 1 }, fields: { x: 'x', y: 'y' } }, x: { nested: true }, y: 'ok' })).toEqual({
      kind: 'form',
      formId: 'f',
      values: { y: 'ok' },
    });
  });
});

describe('incoming activities', () => {
  const base = {
    id: 'a1',
    from: { id: '29:u', aadObjectId: 'aad-1' },
    recipient: { id: '28:bot', name: 'Nämndbot' },
  };
  test.each([
    ['personal chat', { ...base, conversation: { id: 'a:1', conversationType: 'personal' }, text: 'hjälp' }, { kind: 'private' }, 'hjälp'],
    [
      'channel, @mention removed, channel id from channelData',
      {
        ...base,
        conversation: { id: '19:c@thread.tacv2;messageid=1', conversationType: 'channel', isGroup: true },
        channelData: { channel: { id: '19:c@thread.tacv2' } },
        text: '<at>Nämndbot</at>&nbsp;jäv 4/27 part',
        entities: [{ type: 'mention', text: '<at>Nämndbot</at>', mentioned: { id: '28:bot', name: 'Nämndbot' } }],
      },
      { kind: 'channel', channelId: '19:c@thread.tacv2' },
      'jäv 4/27 part',
    ],
    ['group chat', { ...base, conversation: { id: '19:g@thread.v2', conversationType: 'groupChat', isGroup: true }, text: 'hjälp' }, { kind: 'channel', channelId: '19:g@thread.v2' }, 'hjälp'],
  ])('%s', (_name, activity, place, text) => {
    expect(incomingOf(activity as never)).toEqual({ deliveryId: 'a1', platform: 'teams', platformUserId: 'aad-1', place, input: { kind: 'text', text } });
  });

  test('a card submit is read from value, not text', () => {
    const activity = { ...base, conversation: { id: 'a:1', conversationType: 'personal' }, value: { [SUBMIT_KEY]: { kind: 'action', actionId: 'jav.withdraw', value: 'id=J1' } } };
    expect(incomingOf(activity as never).input).toEqual({ kind: 'action', actionId: 'jav.withdraw', value: 'id=J1' });
    expect(placeOf(activity as never)).toEqual({ kind: 'private' });
  });

  test('someone without an AAD object id is still answered, by Teams id', () => {
    expect(incomingOf({ ...base, from: { id: '29:guest' }, conversation: { id: 'a:1', conversationType: 'personal' }, text: 'x' } as never).platformUserId).toBe('29:guest');
  });
});

describe('routeOf: where an answer may go', () => {
  const channel: Place = { kind: 'channel', channelId: 'c' };
  const priv: Place = { kind: 'private' };
  const m = message('x');
  // outgoing() refuses channel + sekretess; build the forbidden one by hand to test the second lock.
  const leak = { audience: { kind: 'channel' }, message: { ...m, sekretess: true } } as Outgoing;
  test.each([
    ['asker, in personal chat', priv, outgoing({ kind: 'asker' }, m), 'here'],
    ['channel audience, in personal chat', priv, outgoing({ kind: 'channel' }, m), 'here'],
    ['asker, in a channel → 1:1', channel, outgoing({ kind: 'asker' }, m), 'private'],
    ['channel audience, in a channel', channel, outgoing({ kind: 'channel' }, m), 'here'],
    ['sekretess with a channel audience, in a channel → 1:1, never the channel', channel, leak, 'private'],
    ['a named member is the core\'s to deliver', channel, outgoing({ kind: 'member', committeeId: 'kfn', memberId: 'x' }, m), 'member'],
  ])('%s', (_name, place, out, route) => {
    expect(routeOf(place, out)).toBe(route);
  });
});

describe('connector refusals', () => {
  test.each([
    [{ statusCode: 403, code: 'BotNotInConversationRoster' }, 'BotNotInConversationRoster', UNREACHABLE.removed],
    [{ statusCode: 403, code: 'ConversationBlockedByUser' }, 'ConversationBlockedByUser', UNREACHABLE.blocked],
    [{ statusCode: 404, code: 'ConversationNotFound' }, 'ConversationNotFound', UNREACHABLE.notFound],
    [{ statusCode: 403, body: '{"error":{"code":"TenantBlocked"}}' }, 'TenantBlocked', UNREACHABLE.refused('TenantBlocked')],
    [{ statusCode: 404 }, 'NotFound', UNREACHABLE.notFound],
  ])('%j', (err, code, reason) => {
    expect(refusalCode(err)).toBe(code);
    expect(reasonFor(code)).toBe(reason);
  });

  test.each([[{ statusCode: 429 }], [{ statusCode: 500 }], [new Error('ECONNRESET')], [undefined]])('%j is worth a retry', (err) => {
    expect(refusalCode(err)).toBeUndefined();
  });
});

/**
 * The Block Kit renderer: every message stays within Slack's limits, whatever the core says.
 */
import type { types } from '@slack/bolt';
import {
  FormTooLargeError,
  LIMITS,
  clip,
  decodeActionId,
  encodeActionId,
  escapeText,
  fieldErrors,
  fitEscaped,
  formModal,
  readModalContext,
  readSubmission,
  renderMessage,
  splitEscaped,
  type SlackMessage,
} from '../../adapters/slack/render';
import { fromSlackText } from '../../adapters/slack/slack-adapter';
import { parseText } from '../../src/core/parser';
import { COMMANDS } from '../../src/core/registry';
import { buttons, fields, header, list, message, paragraph, type Button, type Form, type Message } from '../../src/core/message';

type Block = types.KnownBlock;

/** Every limit the renderer promises, checked on its output. */
function checkLimits(out: SlackMessage[]): void {
  expect(out.length).toBeGreaterThan(0);
  for (const m of out) {
    expect(m.text.trim().length).toBeGreaterThan(0);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText + 20);
    expect(m.blocks.length).toBeGreaterThan(0);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const b of m.blocks) checkBlock(b);
  }
}

function checkBlock(b: Block): void {
  switch (b.type) {
    case 'section':
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      }
      expect(b.text || b.fields).toBeTruthy();
      break;
    case 'header':
      expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      expect(b.text.text.length).toBeGreaterThan(0);
      break;
    case 'actions':
      expect(b.elements.length).toBeLessThanOrEqual(LIMITS.buttonsPerBlock);
      for (const e of b.elements) {
        if (e.type !== 'button') continue;
        expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect((e.value ?? '').length).toBeLessThanOrEqual(LIMITS.buttonValue);
        expect((e.action_id ?? '').length).toBeLessThanOrEqual(LIMITS.actionId);
      }
      break;
    case 'context':
      for (const e of b.elements) if ('text' in e) expect(e.text.length).toBeLessThanOrEqual(LIMITS.contextText);
      break;
    default:
      break;
  }
  // No lone surrogates: a cut never splits an emoji.
  expect(JSON.stringify(b)).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i);
}

const allText = (out: SlackMessage[]) => JSON.stringify(out.map((m) => m.blocks));
const button = (i: number, over: Partial<Button> = {}): Button => ({ label: `Knapp ${i}`, actionId: 'jav.withdraw', value: `committee=KFN&id=J${i}`, command: `jäv återkalla J${i}`, ...over });
const long = (n: number, word = 'ordföranden ') => word.repeat(Math.ceil(n / word.length)).slice(0, n);

describe('renderMessage within limits', () => {
  const cases: [string, Message, (out: SlackMessage[]) => void][] = [
    ['a lead line alone', message('Du är Amira Haddad (S), ledamot.'), (out) => {
      expect(out).toHaveLength(1);
      expect(out[0].text).toBe('Du är Amira Haddad (S), ledamot.');
      expect(out[0].blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Du är Amira Haddad (S), ledamot.' } }]);
    }],
    ['mentions and links typed by a member are escaped', message('Fråga: <!channel> & <@U123|karin> <https://x.se|klicka>'), (out) => {
      expect(out[0].text).toBe('Fråga: &lt;!channel&gt; &amp; &lt;@U123|karin&gt; &lt;https://x.se|klicka&gt;');
      expect(allText(out)).not.toContain('<!channel>');
    }],
    ['a 7,000-character paragraph becomes three sections', message('Lång text', paragraph(long(7000))), (out) => {
      const sections = out[0].blocks.filter((b) => b.type === 'section');
      expect(sections).toHaveLength(4); // the lead and three pieces
    }],
    ['a long header is cut at 150 with an ellipsis', message('x', header(long(400, 'Rubrik '))), (out) => {
      const h = out[0].blocks.find((b) => b.type === 'header') as types.HeaderBlock;
      expect(h.text.text).toHaveLength(150);
      expect(h.text.text.endsWith('…')).toBe(true);
    }],
    ['23 short fields become sections of at most ten', message('x', fields(...Array.from({ length: 23 }, (_, i) => ({ label: `Fält ${i}`, value: `värde ${i}` })))), (out) => {
      const withFields = out[0].blocks.filter((b) => b.type === 'section' && b.fields) as types.SectionBlock[];
      expect(withFields.map((b) => b.fields!.length)).toEqual([10, 10, 3]);
      expect(withFields[0].fields![0].text).toBe('*Fält 0*\nvärde 0');
    }],
    ['a field with a long value reads as lines', message('x', fields({ label: 'Motivering', value: long(5000) }, { label: 'Id', value: 'J1' })), (out) => {
      expect(out[0].blocks.some((b) => b.type === 'section' && b.fields)).toBe(false);
      expect(allText(out)).toContain('*Motivering:* ');
      expect(allText(out)).toContain('*Id:* J1');
    }],
    ['400 list items split across sections and messages of at most 50 blocks', message('Alla övriga frågor', list(Array.from({ length: 400 }, (_, i) => `F${i} ${long(380, 'fråga ')}`), 'Övriga frågor')), (out) => {
      expect(out.length).toBeGreaterThan(1);
      expect(out[0].text).toBe('Alla övriga frågor');
      expect(out[1].text).toBe(`Alla övriga frågor (forts. 2/${out.length})`);
      const joined = out.flatMap((m) => m.blocks).map((b) => (b.type === 'section' && b.text ? b.text.text : '')).join('\n');
      for (const i of [0, 199, 399]) expect(joined).toContain(`• F${i} `);
      expect(joined).toContain('*Övriga frågor*');
    }],
    ['one list item longer than a section is split, not lost', message('x', list([long(7000, 'sekretessprövning ')])), (out) => {
      const pieces = out[0].blocks.filter((b) => b.type === 'section').slice(1) as types.SectionBlock[];
      expect(pieces.length).toBeGreaterThanOrEqual(3);
      expect(pieces.map((p) => p.text!.text.length).reduce((a, b) => a + b)).toBeGreaterThan(6900);
    }],
    ['30 buttons: two rows of 25 and 5, unique action ids, long labels cut', message('x', buttons(...Array.from({ length: 30 }, (_, i) => button(i, i === 3 ? { label: long(120, 'Återkalla ') } : {})))), (out) => {
      const rows = out[0].blocks.filter((b) => b.type === 'actions') as types.ActionsBlock[];
      expect(rows.map((r) => r.elements.length)).toEqual([25, 5]);
      const ids = rows.flatMap((r) => r.elements.map((e) => (e as types.Button).action_id));
      expect(new Set(ids).size).toBe(30);
      expect(ids[0]).toBe('jav.withdraw#0');
      expect(ids.map((id) => decodeActionId(id ?? '')).every((id) => id === 'jav.withdraw')).toBe(true);
      expect((rows[0].elements[3] as types.Button).text.text).toHaveLength(75);
    }],
    ['a button whose value Slack cannot carry becomes its text command', message('x', buttons(button(1, { value: long(2500, 'a') }))), (out) => {
      expect(out[0].blocks.some((b) => b.type === 'actions')).toBe(false);
      expect(allText(out)).toContain('skriv `jäv återkalla J1`');
    }],
    ['a button keeps its style and value', message('x', buttons(button(1, { style: 'danger' }))), (out) => {
      const row = out[0].blocks.find((b) => b.type === 'actions') as types.ActionsBlock;
      expect(row.elements[0]).toMatchObject({ type: 'button', style: 'danger', value: 'committee=KFN&id=J1', action_id: 'jav.withdraw#0' });
    }],
    ['a form in a message is a button that brings it up', message('Fyll i', { kind: 'form', form: { id: 'jav.declare', title: 'Anmäl jäv', submitLabel: 'Anmäl', fields: [], hidden: { committee: 'kfn', meeting: 'kfn-2027-01-21' } } }), (out) => {
      const row = out[0].blocks.find((b) => b.type === 'actions') as types.ActionsBlock;
      expect(row.elements[0]).toMatchObject({ action_id: 'jav.declare#0', value: 'committee=kfn&meeting=kfn-2027-01-21', text: { text: 'Anmäl jäv' } });
    }],
    ['a file is named', message('Utkast', { kind: 'file', name: 'dagordning <KFN>.docx', mediaType: 'x', bytes: new Uint8Array() }), (out) => {
      expect(allText(out)).toContain('📎 dagordning &lt;KFN&gt;.docx');
    }],
    ['sekretess is marked', { ...message('Ärende 8/27'), sekretess: true }, (out) => {
      expect(allText(out)).toContain('sekretess');
    }],
    ['no lead line: the fallback text comes from the parts', message('', paragraph('Inga anmälningar.')), (out) => {
      expect(out[0].text).toBe('Inga anmälningar.');
    }],
    ['emoji at a cut are not split', message('x', paragraph('😀'.repeat(4000)), paragraph(`a${'😀'.repeat(4000)}`), list([`a${'😀'.repeat(2000)}`])), (out) => {
      const texts = out.flatMap((m) => [m.text, ...m.blocks.flatMap((b) => (b.type === 'section' ? [(b as types.SectionBlock).text?.text ?? ''] : []))]);
      expect(texts.join('').length).toBeGreaterThan(3000);
      // A lone half of a surrogate pair: an emoji cut in two, which Slack shows as garbage or refuses.
      for (const t of texts) expect(t).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }],
    ['escaping that grows the text still fits', message('x', paragraph('&'.repeat(5000)), list(['<'.repeat(3000)])), (out) => {
      const texts = out.flatMap((m) => m.blocks).filter((b) => b.type === 'section').map((b) => (b as types.SectionBlock).text!.text);
      expect(texts.join('').replace(/&amp;/g, '').replace(/&lt;/g, '').replace(/[•\s]/g, '').replace(/^x/, '')).toBe('');
    }],
  ];
  test.each(cases)('%s', (_, m, check) => {
    const out = renderMessage(m);
    checkLimits(out);
    check(out);
  });
});

describe('text helpers', () => {
  test.each([
    ['a<b>&c', 'a&lt;b&gt;&amp;c'],
    ['', ''],
    ['<@U1|x>', '&lt;@U1|x&gt;'],
  ])('escapeText(%j)', (raw, escaped) => expect(escapeText(raw)).toBe(escaped));

  test.each([
    ['koppla <@U123ABC|nils> nils.holmgren', 'koppla @U123ABC nils.holmgren'],
    ['koppla <@W0ENTERPRISE> nils', 'koppla @W0ENTERPRISE nils'],
    ['a &lt;@U1|x&gt; &amp; b', 'a <@U1|x> & b'],
    ['fråga: 3 &lt; 5', 'fråga: 3 < 5'],
  ])('fromSlackText(%j): mentions in the neutral form, typed text as typed', (slack, core) => expect(fromSlackText(slack)).toBe(core));

  test('a Slack mention reaches the core as the platform id it names', () => {
    const r = parseText(fromSlackText('koppla <@U123ABC|amira> amira.haddad'), COMMANDS);
    expect(r).toEqual({ ok: true, command: { name: 'identity.link', args: { id: 'U123ABC', member: 'amira.haddad' }, fromForm: false } });
  });

  test.each([
    ['short', 10, 'short'],
    ['abcdefghij', 5, 'abcd…'],
    ['ab😀cd', 4, 'ab…'],
  ])('clip(%j, %d)', (s, max, want) => expect(clip(s, max)).toBe(want));

  test('fitEscaped never cuts inside an entity', () => {
    const out = fitEscaped('a'.repeat(8) + '&&&&', 12);
    expect(out.length).toBeLessThanOrEqual(12);
    expect(out).toMatch(/^a+(&amp;)*…$/);
  });

  test('splitEscaped prefers line breaks and keeps everything', () => {
    const raw = `${'rad ett '.repeat(200)}\n${'rad två '.repeat(200)}`;
    const pieces = splitEscaped(raw, 2000);
    expect(pieces.every((p) => p.length <= 2000)).toBe(true);
    expect(pieces.join(' ').replace(/\s+/g, ' ').trim()).toBe(raw.replace(/\s+/g, ' ').trim());
  });

  test.each([
    ['jav.withdraw', 3],
    ['fraga.accept', 0],
    ['a#b', 12],
  ])('action id %s round-trips with index %d', (id, i) => {
    expect(decodeActionId(encodeActionId(id, i))).toBe(id);
  });
});

describe('forms as modals', () => {
  const javForm: Form = {
    id: 'jav.declare',
    title: 'Anmäl jäv',
    submitLabel: 'Anmäl jäv',
    hidden: { committee: 'kfn', meeting: 'kfn-2027-01-21' },
    fields: [
      { name: 'item', label: 'Ärende (sammanträdet torsdag den 21 januari 2027)', kind: 'select', required: true, options: [{ value: '1/27', label: '1/27 Information från förvaltningen' }, { value: '5/27', label: '5/27 Biblioteksplan 2027–2030' }], value: '5/27' },
      {
        name: 'ground',
        label: 'Jävsgrund',
        kind: 'radio',
        required: true,
        options: [
          { value: 'partsjav', label: 'partsjäv/intressejäv', description: 'du eller en närstående är part i ärendet eller kan påverkas av beslutet i inte oväsentlig mån' },
          { value: 'tillsynsjav', label: 'tillsynsjäv', description: 'ärendet gäller tillsyn över en verksamhet som du är knuten till' },
        ],
      },
      { name: 'text', label: 'Motivering', kind: 'textarea', required: false, maxLength: 1000, placeholder: 'Till exempel: min make sitter i föreningens styrelse' },
    ],
  };
  const lead = message('Fyll i jävsgrund för att anmäla jäv.', { kind: 'form', form: javForm }, paragraph('Du kan också skriva allt på en rad.'));

  test('fields become inputs of the right kinds, with the form carried in private_metadata', () => {
    const view = formModal(lead, javForm, { channelId: 'C1', responseUrl: 'https://hooks.slack.com/x' });
    expect(view).toMatchObject({ type: 'modal', callback_id: 'namndbot.form', title: { text: 'Anmäl jäv' }, submit: { text: 'Anmäl jäv' }, close: { text: 'Avbryt' } });
    const inputs = view.blocks.filter((b) => b.type === 'input') as types.InputBlock[];
    expect(inputs.map((b) => [b.block_id, b.element.type, b.optional])).toEqual([
      ['item', 'static_select', false],
      ['ground', 'radio_buttons', false],
      ['text', 'plain_text_input', true],
    ]);
    expect(inputs[0].element).toMatchObject({ initial_option: { value: '5/27' } });
    const radio = inputs[1].element as types.RadioButtons;
    for (const o of radio.options) expect((o.description?.text ?? '').length).toBeLessThanOrEqual(75);
    // Cut descriptions are given in full in the hint.
    expect(inputs[1].hint?.text).toContain('kan påverkas av beslutet i inte oväsentlig mån');
    expect(inputs[2].element).toMatchObject({ multiline: true, max_length: 1000 });
    expect(view.blocks.some((b) => b.type === 'context')).toBe(true);
    expect(readModalContext(view.private_metadata)).toEqual({ formId: 'jav.declare', hidden: { committee: 'kfn', meeting: 'kfn-2027-01-21' }, channelId: 'C1', responseUrl: 'https://hooks.slack.com/x' });
    // On the wire, one-letter keys: private_metadata holds 3000 characters.
    expect(JSON.parse(view.private_metadata!)).toEqual({ v: 1, f: 'jav.declare', h: { committee: 'kfn', meeting: 'kfn-2027-01-21' }, c: 'C1', r: 'https://hooks.slack.com/x' });
  });

  test('a field error from the core is shown under the field when the modal opens', () => {
    const form: Form = { ...javForm, fields: javForm.fields.map((f) => (f.name === 'text' ? { ...f, error: 'Motiveringen är 1200 tecken lång; skriv högst 1000.' } : f)) };
    const view = formModal(lead, form, {});
    const i = view.blocks.findIndex((b) => b.type === 'input' && b.block_id === 'text');
    expect(JSON.stringify(view.blocks[i + 1])).toContain('skriv högst 1000');
  });

  test.each([
    ['a select with more than 100 options is typed instead', { kind: 'select' as const, options: Array.from({ length: 150 }, (_, i) => ({ value: `${i}/27`, label: `Ärende ${i}` })) }, 'plain_text_input'],
    ['a radio with more than 10 options is a menu', { kind: 'radio' as const, options: Array.from({ length: 12 }, (_, i) => ({ value: `v${i}`, label: `Val ${i}` })) }, 'static_select'],
    ['a date is a date picker', { kind: 'date' as const, value: '2027-02-18' }, 'datepicker'],
    ['a text is one line', { kind: 'text' as const }, 'plain_text_input'],
  ])('%s', (_, over, elementType) => {
    const form: Form = { id: 'x', title: 'Titel', submitLabel: 'Skicka', fields: [{ name: 'f', label: 'Fält', required: true, ...over }] };
    const view = formModal(message('x'), form, {});
    const input = view.blocks.find((b) => b.type === 'input') as types.InputBlock;
    expect(input.element.type).toBe(elementType);
    if (elementType === 'datepicker') expect(input.element).toMatchObject({ initial_date: '2027-02-18' });
    if (elementType === 'plain_text_input') expect((input.element as types.PlainTextInput).multiline).toBe(false);
  });

  test('long titles and option texts are cut to Slack\'s sizes', () => {
    const form: Form = { id: 'x', title: 'Anmäl övrig fråga till sammanträdet', submitLabel: 'Skicka in anmälan om övrig fråga', fields: [{ name: 'f', label: 'Fält', kind: 'select', required: true, options: [{ value: 'a', label: long(200) }] }] };
    const view = formModal(message('x'), form, {});
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit!.text.length).toBeLessThanOrEqual(24);
    const input = view.blocks.find((b) => b.type === 'input') as types.InputBlock;
    expect((input.element as types.StaticSelect).options![0].text.text.length).toBe(75);
  });

  test('option values too long for Slack are stood in for and read back', () => {
    const value = `meeting-${'x'.repeat(100)}`;
    const form: Form = { id: 'fraga.announce', title: 'T', submitLabel: 'S', hidden: { committee: 'kfn' }, fields: [{ name: 'meeting', label: 'Möte', kind: 'select', required: true, options: [{ value: 'short', label: 'a' }, { value, label: 'b' }] }] };
    const view = formModal(message('x'), form, {});
    const input = view.blocks.find((b) => b.type === 'input') as types.InputBlock;
    const chosen = (input.element as types.StaticSelect).options![1].value!;
    expect(chosen.length).toBeLessThanOrEqual(75);
    const meta = readModalContext(view.private_metadata)!;
    expect(readSubmission({ meeting: { v: { type: 'static_select', selected_option: { value: chosen } } } }, meta)).toEqual({ committee: 'kfn', meeting: value });
  });

  test('a form that does not fit private_metadata is refused (the caller sends it as a message)', () => {
    const form: Form = { id: 'x', title: 'T', submitLabel: 'S', hidden: { big: 'x'.repeat(3100) }, fields: [] };
    expect(() => formModal(message('x'), form, {})).toThrow(FormTooLargeError);
  });

  test('readSubmission: values by field name, empty ones left out, hidden values kept', () => {
    const meta = readModalContext(formModal(lead, javForm, {}).private_metadata)!;
    const values = readSubmission(
      {
        item: { v: { type: 'static_select', selected_option: { value: '5/27' } } },
        ground: { v: { type: 'radio_buttons', selected_option: null } },
        text: { v: { type: 'plain_text_input', value: '' } },
        when: { v: { type: 'datepicker', selected_date: '2027-02-18' } },
      },
      meta,
    );
    expect(values).toEqual({ committee: 'kfn', meeting: 'kfn-2027-01-21', item: '5/27', when: '2027-02-18' });
  });

  test('fieldErrors: only when every error is on a shown field', () => {
    const withError: Form = { ...javForm, fields: javForm.fields.map((f) => (f.name === 'item' ? { ...f, error: 'Det finns inget ärende 99/27.' } : f)) };
    expect(fieldErrors(withError, new Set(['item', 'ground', 'text']))).toEqual({ item: 'Det finns inget ärende 99/27.' });
    expect(fieldErrors(withError, new Set(['ground']))).toBeUndefined();
    expect(fieldErrors(javForm, new Set(['item']))).toBeUndefined();
  });

  test('readModalContext ignores what is not ours', () => {
    expect(readModalContext('')).toBeUndefined();
    expect(readModalContext('not json')).toBeUndefined();
    expect(readModalContext('{"v":2,"f":"x","h":{}}')).toBeUndefined();
  });
});

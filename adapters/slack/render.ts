/**
 * The neutral message model as Block Kit, within Slack's limits.
 *
 * Messages: at most 50 blocks each (longer ones become several messages), section text ≤ 3000,
 * header ≤ 150, fields ≤ 10 a section and ≤ 2000 each, buttons ≤ 25 a block with text ≤ 75 and
 * value ≤ 2000. Modals: ≤ 100 blocks, title and buttons ≤ 24, private_metadata ≤ 3000, options
 * ≤ 75 characters. Every message has a top-level `text` for notifications and screen readers.
 *
 * Text from the core is escaped (&, <, >) so that nothing a member typed can become a mention
 * (<!channel>) or a link. Nothing here decides what may be shown: that is the core's job.
 */
import type { types } from '@slack/bolt';
import { toPlainText, type Button, type Form, type FormField, type Message, type Part } from '../../src/core/message';

type KnownBlock = types.KnownBlock;
type ActionsBlock = types.ActionsBlock;
type InputBlock = types.InputBlock;
type ModalView = types.ModalView;
type PlainTextOption = types.PlainTextOption;

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextText: 2000,
  buttonsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Notifications show little; Slack cuts `text` at 40,000 but a lead line is never that long. */
  fallbackText: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  plainTextInput: 3000,
  optionText: 75,
  /** Newer docs say 150; older say 75. The stricter one is safe. */
  optionValue: 75,
  optionDescription: 75,
  selectOptions: 100,
  radioOptions: 10,
} as const;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

// ---- text --------------------------------------------------------------------------------

/** Slack's three control characters in mrkdwn. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapedWidth = (ch: string) => (ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : 1);
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** How many leading characters of `raw` fit in `max` once escaped (never splitting a surrogate pair). */
function fittingPrefix(raw: string, max: number): number {
  let n = 0;
  let len = 0;
  while (n < raw.length) {
    const w = escapedWidth(raw[n]);
    if (len + w > max) break;
    len += w;
    n++;
  }
  if (n > 0 && n < raw.length && isHighSurrogate(raw.charCodeAt(n - 1))) n--;
  return n;
}

/** Plain text (plain_text objects are not escaped) cut to `max` with an ellipsis. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let n = max - 1;
  if (isHighSurrogate(s.charCodeAt(n - 1))) n--;
  return `${s.slice(0, n)}…`;
}

/** Escaped text cut to `max` with an ellipsis, at a word boundary when one is near. */
export function fitEscaped(raw: string, max: number): string {
  const escaped = escapeText(raw);
  if (escaped.length <= max) return escaped;
  const n = fittingPrefix(raw, max - 1);
  const space = raw.lastIndexOf(' ', n);
  const cut = space > n * 0.7 ? space : n;
  return `${escapeText(raw.slice(0, cut).trimEnd())}…`;
}

/** Escaped text split into pieces of at most `max`, at line breaks or spaces where possible. */
export function splitEscaped(raw: string, max: number): string[] {
  const out: string[] = [];
  let rest = raw;
  while (rest.length > 0) {
    if (escapeText(rest).length <= max) {
      out.push(escapeText(rest));
      break;
    }
    const n = Math.max(1, fittingPrefix(rest, max));
    const window = rest.slice(0, n);
    let cut = window.lastIndexOf('\n');
    if (cut < n / 2) cut = window.lastIndexOf(' ');
    if (cut < n / 2) cut = n;
    out.push(escapeText(rest.slice(0, cut)));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  return out;
}

/** Joins escaped lines into as few texts of at most `max` as possible. Each line must fit. */
function packLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      out.push(current);
      current = line;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

const mrkdwnSection = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

function textSections(raw: string): KnownBlock[] {
  if (raw.trim() === '') return [];
  return splitEscaped(raw, LIMITS.sectionText).map(mrkdwnSection);
}

// ---- action ids --------------------------------------------------------------------------

/**
 * Slack wants action ids unique within a block (and they must survive a message with the same
 * button twice), so the core's action id gets "#<index>". `decodeActionId` strips it back.
 */
export function encodeActionId(actionId: string, index: number): string {
  return `${actionId}#${index}`;
}
export function decodeActionId(slackActionId: string): string {
  const hash = slackActionId.lastIndexOf('#');
  return hash > 0 ? slackActionId.slice(0, hash) : slackActionId;
}

/** The adapter's own button that re-draws App Home. Not a core command. */
export const HOME_REFRESH_ACTION = 'namndbot.home.refresh';

// ---- messages ----------------------------------------------------------------------------

export interface RenderOptions {
  /** Leave the lead text out (App Home shows it as a heading of its own). */
  skipLead?: boolean;
  /** Numbers button action ids; share one across messages composed into one view. */
  counter?: { next: number };
}

/** One Message as blocks, without the per-message block limit (callers split or cap). */
export function renderBlocks(m: Message, options: RenderOptions = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const counter = options.counter ?? { next: 0 };
  if (!options.skipLead) blocks.push(...textSections(m.text));
  if (m.sekretess) blocks.push(context('🔒 Innehåller uppgifter som omfattas av sekretess. Dela inte vidare.'));
  for (const part of m.parts) blocks.push(...renderPart(part, counter));
  return blocks;
}

function renderPart(part: Part, counter: { next: number }): KnownBlock[] {
  switch (part.kind) {
    case 'header': {
      const text = part.text.trim();
      return text ? [{ type: 'header', text: { type: 'plain_text', text: clip(text, LIMITS.headerText), emoji: true } }] : [];
    }
    case 'text':
      return textSections(part.text);
    case 'fields':
      return renderFields(part.fields);
    case 'list':
      return renderList(part.items, part.title);
    case 'buttons':
      return renderButtons(part.buttons, counter);
    case 'form': {
      // A form cannot live in a message: a button brings it up as a modal (the core answers the
      // press with the same form, and the press carries the trigger id a modal needs).
      const value = new URLSearchParams(part.form.hidden ?? {}).toString();
      if (value.length > LIMITS.buttonValue) return [context(fitEscaped(`${part.form.title}: skriv kommandot i stället.`, LIMITS.contextText))];
      return [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: encodeActionId(part.form.id, counter.next++), text: { type: 'plain_text', text: clip(part.form.title, LIMITS.buttonText) }, value, style: 'primary' },
          ],
        },
      ];
    }
    case 'file':
      return [context(`📎 ${fitEscaped(part.name, LIMITS.contextText - 3)}`)];
  }
}

/** Short pairs as two columns; anything long reads better as lines. */
function renderFields(fields: { label: string; value: string }[]): KnownBlock[] {
  if (fields.length === 0) return [];
  const short = fields.every((f) => f.label.length <= 60 && f.value.length <= 120 && !f.value.includes('\n'));
  if (short) {
    const blocks: KnownBlock[] = [];
    for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
      blocks.push({
        type: 'section',
        fields: fields.slice(i, i + LIMITS.fieldsPerSection).map((f) => ({ type: 'mrkdwn', text: `*${escapeText(f.label)}*\n${escapeText(f.value)}` })),
      });
    }
    return blocks;
  }
  const lines: string[] = [];
  for (const f of fields) {
    const label = `*${fitEscaped(f.label, 200)}:* `;
    const pieces = splitEscaped(f.value, LIMITS.sectionText - label.length);
    lines.push(`${label}${pieces[0] ?? ''}`, ...pieces.slice(1));
  }
  return packLines(lines, LIMITS.sectionText).map(mrkdwnSection);
}

function renderList(items: string[], title?: string): KnownBlock[] {
  const lines: string[] = [];
  if (title) lines.push(`*${fitEscaped(title, 1000)}*`);
  for (const item of items) {
    const pieces = splitEscaped(item, LIMITS.sectionText - 2);
    lines.push(`• ${pieces[0] ?? ''}`, ...pieces.slice(1).map((p) => `  ${p}`));
  }
  return packLines(lines, LIMITS.sectionText).map(mrkdwnSection);
}

function renderButtons(buttons: Button[], counter: { next: number }): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const fallback: string[] = [];
  let row: ActionsBlock['elements'] = [];
  for (const b of buttons) {
    const actionId = encodeActionId(b.actionId, counter.next++);
    if (b.value.length > LIMITS.buttonValue || actionId.length > LIMITS.actionId) {
      // Slack cannot carry it; the text command does the same thing.
      fallback.push(`${escapeText(b.label)}: skriv \`${escapeText(b.command)}\``);
      continue;
    }
    row.push({
      type: 'button',
      action_id: actionId,
      text: { type: 'plain_text', text: clip(b.label, LIMITS.buttonText) },
      value: b.value,
      ...(b.style ? { style: b.style } : {}),
    });
    if (row.length === LIMITS.buttonsPerBlock) {
      blocks.push({ type: 'actions', elements: row });
      row = [];
    }
  }
  if (row.length) blocks.push({ type: 'actions', elements: row });
  for (const text of packLines(fallback.map((f) => fitEscaped(f, LIMITS.contextText)), LIMITS.contextText)) blocks.push(context(text));
  return blocks;
}

/** A message as one or more Slack messages of at most 50 blocks, each with its fallback text. */
export function renderMessage(m: Message): SlackMessage[] {
  const blocks = renderBlocks(m);
  // The lead line is meant to stand alone; without one, the plain-text rendering stands in.
  const text = fitEscaped(m.text.trim() || toPlainText(m).trim() || 'Nämndbot', LIMITS.fallbackText);
  if (blocks.length === 0) return [{ text, blocks: [mrkdwnSection(text)] }];
  const chunks: KnownBlock[][] = [];
  for (let i = 0; i < blocks.length; i += LIMITS.blocksPerMessage) chunks.push(blocks.slice(i, i + LIMITS.blocksPerMessage));
  return chunks.map((b, i) => ({ text: i === 0 ? text : `${text} (forts. ${i + 1}/${chunks.length})`, blocks: b }));
}

/** Caps a composed view at `max` blocks, saying so in the last one. */
export function capBlocks(blocks: KnownBlock[], max: number, note: string): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), context(escapeText(note))];
}

// ---- forms as modals -----------------------------------------------------------------------

export const FORM_CALLBACK_ID = 'namndbot.form';
/** Every input's element has this action id; the block id is the field name. */
const FIELD_ACTION = 'v';

/** Where a modal was opened from: carried through Slack and back with the form. */
export interface ModalOrigin {
  /** The channel the form was asked for in, so the submit runs in the same place. */
  channelId?: string;
  /** The response_url of the interaction that opened the form (a reply to the channel goes there). */
  responseUrl?: string;
  /** Opened from App Home: redraw it after the submit. */
  fromHome?: boolean;
}

/** What a modal carries through Slack and back, in private_metadata. */
export interface ModalContext extends ModalOrigin {
  /** The form id (a command name in the core). */
  formId: string;
  /** The form's hidden values. */
  hidden: Record<string, string>;
  /** Option values too long for Slack, by field name and the short value that stands for them. */
  longValues?: Record<string, Record<string, string>>;
}

/** ModalContext as it travels: one-letter keys, because private_metadata holds 3000 characters. */
interface WireContext {
  v: 1;
  f: string;
  h: Record<string, string>;
  c?: string;
  r?: string;
  home?: 1;
  o?: Record<string, Record<string, string>>;
}

function toWire(m: ModalContext): WireContext {
  return {
    v: 1,
    f: m.formId,
    h: m.hidden,
    ...(m.channelId ? { c: m.channelId } : {}),
    ...(m.responseUrl ? { r: m.responseUrl } : {}),
    ...(m.fromHome ? { home: 1 as const } : {}),
    ...(m.longValues ? { o: m.longValues } : {}),
  };
}

export class FormTooLargeError extends Error {
  constructor() {
    super('form does not fit in a Slack modal');
    this.name = 'FormTooLargeError';
  }
}

/** A modal's private_metadata read back; undefined when it is not ours. */
export function readModalContext(raw: string | undefined): ModalContext | undefined {
  if (!raw) return undefined;
  try {
    const m = JSON.parse(raw) as Partial<WireContext>;
    if (m && m.v === 1 && typeof m.f === 'string' && m.h && typeof m.h === 'object') {
      return { formId: m.f, hidden: m.h, ...(m.c ? { channelId: m.c } : {}), ...(m.r ? { responseUrl: m.r } : {}), ...(m.home ? { fromHome: true } : {}), ...(m.o ? { longValues: m.o } : {}) };
    }
  } catch {
    // not ours
  }
  return undefined;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/**
 * A modal built from the core's form. `message` is the reply the form came in: its lead text
 * and other parts (explanations) are shown above and below the fields.
 */
export function formModal(message: Message, form: Form, origin: ModalOrigin): ModalView {
  const carried: ModalContext = { formId: form.id, hidden: { ...(form.hidden ?? {}) }, ...origin };
  const blocks: KnownBlock[] = [...textSections(message.text)];
  for (const field of form.fields) {
    const { block, long } = inputBlock(field);
    blocks.push(block);
    if (long) (carried.longValues ??= {})[field.name] = long;
    if (field.error) blocks.push(context(`⚠️ ${fitEscaped(field.error, LIMITS.contextText - 3)}`));
  }
  const rest: Message = { text: '', parts: message.parts.filter((p) => p.kind === 'text' || p.kind === 'list' || p.kind === 'fields' || p.kind === 'header') };
  for (const b of renderBlocks(rest, { skipLead: true })) {
    // Explanations under the fields read as small print.
    const small = b.type === 'section' && b.text && b.text.text.length <= LIMITS.contextText;
    blocks.push(small && b.type === 'section' && b.text ? context(b.text.text) : b);
  }

  let metadata = JSON.stringify(toWire(carried));
  if (metadata.length > LIMITS.privateMetadata && carried.responseUrl) {
    // The response_url is a convenience; a channel reply falls back to a private one without it.
    delete carried.responseUrl;
    metadata = JSON.stringify(toWire(carried));
  }
  if (metadata.length > LIMITS.privateMetadata || blocks.length > LIMITS.blocksPerView) throw new FormTooLargeError();
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: plain(clip(form.title, LIMITS.modalTitle)),
    submit: plain(clip(form.submitLabel, LIMITS.modalButton)),
    close: plain('Avbryt'),
    private_metadata: metadata,
    blocks,
  };
}

/** A small modal that says the core is still working (a submit slower than Slack's 3 seconds). */
export function workingModal(title: string): ModalView {
  return {
    type: 'modal',
    callback_id: 'namndbot.working',
    title: plain(clip(title, LIMITS.modalTitle)),
    close: plain('Stäng'),
    blocks: [mrkdwnSection('⏳ Nämndbot arbetar med det du skickade. Svaret kommer här och som ett direktmeddelande.')],
  };
}

/** A modal showing the outcome of a submit that was finished after the modal was acknowledged. */
export function doneModal(title: string, m: Message): ModalView {
  const blocks = capBlocks(renderBlocks({ ...m, parts: m.parts.filter((p) => p.kind !== 'buttons' && p.kind !== 'form') }), LIMITS.blocksPerView, 'Hela svaret finns i ditt direktmeddelande.');
  return { type: 'modal', callback_id: 'namndbot.done', title: plain(clip(title, LIMITS.modalTitle)), close: plain('Stäng'), blocks };
}

function option(o: { value: string; label: string; description?: string }, value: string): PlainTextOption {
  return {
    text: plain(clip(o.label, LIMITS.optionText)),
    value,
    ...(o.description ? { description: plain(clip(o.description, LIMITS.optionDescription)) } : {}),
  };
}

function inputBlock(field: FormField): { block: KnownBlock; long?: Record<string, string> } {
  const base = {
    type: 'input' as const,
    block_id: field.name,
    optional: !field.required,
    label: plain(clip(field.label, LIMITS.inputLabel)),
  };
  const options = field.options ?? [];
  const long: Record<string, string> = {};
  const slackValue = (value: string, i: number) => {
    if (value.length <= LIMITS.optionValue) return value;
    long[`#${i}`] = value;
    return `#${i}`;
  };
  const opts = options.map((o, i) => option(o, slackValue(o.value, i)));
  const initial = field.value !== undefined ? opts[options.findIndex((o) => o.value === field.value)] : undefined;
  const placeholder = field.placeholder ? { placeholder: plain(clip(field.placeholder, LIMITS.placeholder)) } : {};
  const longOrNone = Object.keys(long).length ? long : undefined;

  if (field.kind === 'radio' && options.length > 0 && options.length <= LIMITS.radioOptions) {
    // Radio descriptions are cut at 75 characters; the hint then carries them in full.
    const cut = options.some((o) => (o.description?.length ?? 0) > LIMITS.optionDescription);
    const hint = cut ? { hint: plain(clip(options.map((o) => `${o.label}: ${o.description ?? ''}`).join('\n'), LIMITS.inputHint)) } : {};
    const block: InputBlock = { ...base, ...hint, element: { type: 'radio_buttons', action_id: FIELD_ACTION, options: opts, ...(initial ? { initial_option: initial } : {}) } };
    return { block, long: longOrNone };
  }
  if ((field.kind === 'select' || field.kind === 'radio') && options.length > 0 && options.length <= LIMITS.selectOptions) {
    const block: InputBlock = {
      ...base,
      element: { type: 'static_select', action_id: FIELD_ACTION, options: opts, ...(initial ? { initial_option: initial } : {}), ...placeholder },
    };
    return { block, long: longOrNone };
  }
  if (field.kind === 'date') {
    const ok = field.value && /^\d{4}-\d{2}-\d{2}$/.test(field.value);
    return { block: { ...base, element: { type: 'datepicker', action_id: FIELD_ACTION, ...(ok ? { initial_date: field.value } : {}), ...placeholder } } };
  }
  // text, textarea, and a list too long for a menu (the core matches what is typed).
  const tooMany = options.length > LIMITS.selectOptions;
  const hint = tooMany ? { hint: plain(clip(`Skriv till exempel ${options.slice(0, 3).map((o) => o.value).join(', ')}.`, LIMITS.inputHint)) } : {};
  const block: InputBlock = {
    ...base,
    ...hint,
    element: {
      type: 'plain_text_input',
      action_id: FIELD_ACTION,
      multiline: field.kind === 'textarea',
      ...(field.maxLength ? { max_length: Math.min(field.maxLength, LIMITS.plainTextInput) } : {}),
      ...(field.value ? { initial_value: field.value } : {}),
      ...placeholder,
    },
  };
  return { block };
}

interface SlackStateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
}

/** The submitted values by field name, with the form's hidden values. */
export function readSubmission(state: Record<string, Record<string, SlackStateValue>>, modal: ModalContext): Record<string, string> {
  const values: Record<string, string> = { ...modal.hidden };
  for (const [blockId, actions] of Object.entries(state)) {
    const v = actions[FIELD_ACTION] ?? Object.values(actions)[0];
    if (!v) continue;
    let raw: string | null | undefined;
    if (v.selected_option !== undefined) raw = v.selected_option?.value;
    else if (v.selected_date !== undefined) raw = v.selected_date;
    else raw = v.value;
    if (raw === null || raw === undefined || raw === '') continue;
    values[blockId] = modal.longValues?.[blockId]?.[raw] ?? raw;
  }
  return values;
}

/**
 * The field errors of a form as `response_action: errors` wants them, or undefined when one of
 * them is on a field the open modal does not show (then the modal is redrawn instead).
 */
export function fieldErrors(form: Form, shownBlockIds: ReadonlySet<string>): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const f of form.fields) {
    if (!f.error) continue;
    if (!shownBlockIds.has(f.name)) return undefined;
    errors[f.name] = clip(f.error, 1000);
  }
  return Object.keys(errors).length ? errors : undefined;
}

export function formOf(m: Message): Form | undefined {
  const part = m.parts.find((p) => p.kind === 'form');
  return part && part.kind === 'form' ? part.form : undefined;
}

/**
 * The core's message model as Teams messages: Adaptive Cards 1.5 (the newest version Teams
 * renders on every client), and back again: a card's Action.Submit payload as core Input.
 *
 * Pure: no botbuilder, no I/O, so every rule here is table-tested.
 *
 * Why these choices:
 * - Text only (no parts) goes as a plain text message: nothing to structure, and plain text is
 *   what notifications and screen readers handle best.
 * - With parts, the message is one card (or several when it is large). The plain-text rendering
 *   (`toPlainText`) is the card's `fallbackText`, shown by clients that cannot render cards,
 *   and `summary` is the lead line for notifications. It is NOT put in `activity.text`: Teams
 *   shows `text` above the card, so everything would appear twice.
 * - Teams refuses messages over about 28 KB. A large message is split into several cards at
 *   element boundaries; a single over-long text is cut with a note.
 * - Files cannot ride inside a card. The card names the file; the adapter sends it with a
 *   file consent card (see README.md).
 */
import { toPlainText, type Button, type Form, type FormField, type Message, type Part } from '../../src/core/message';
import type { Input } from '../../src/core/incoming';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.5';
/** Serialized card size we stay under; Teams' limit for a whole activity is about 28 KB. */
export const MAX_CARD_BYTES = 24_000;
/** The card's fallback text is for clients without cards; Teams renders the card itself. */
const MAX_FALLBACK_BYTES = 2_000;
/** Longest plain text message we send in one activity. */
export const MAX_TEXT_CHARS = 20_000;
/** Teams shows at most this many actions in one row before it hides the rest. */
export const MAX_ACTIONS_PER_ROW = 5;
/** The key under which our own data travels in Action.Submit payloads. */
export const SUBMIT_KEY = 'namndbot';
const CUT_NOTE = ' … (förkortat; hela texten är för lång för Teams)';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  fallbackText: string;
  msteams: { width: 'Full' };
}

/** A Teams message activity, as far as this renderer fills it in. */
export interface TeamsMessage {
  type: 'message';
  text?: string;
  textFormat?: 'plain';
  summary?: string;
  attachments?: { contentType: string; content: AdaptiveCard }[];
}

export type SubmitData =
  | { kind: 'form'; formId: string; hidden: Record<string, string>; fields: Record<string, string> }
  | { kind: 'action'; actionId: string; value: string };

/** Renders a message as one or more Teams activities, in order. */
export function renderMessage(m: Message): TeamsMessage[] {
  if (m.parts.length === 0) return splitText(m.text).map((text) => ({ type: 'message', text, textFormat: 'plain' }));
  const body: CardElement[] = [textBlock(m.text, { weight: 'Bolder' })];
  let formIndex = 0;
  for (const part of m.parts) body.push(...renderPart(part, () => formIndex++));
  return splitBody(body).map((chunk, i, all) => ({
    type: 'message',
    summary: cut(all.length > 1 ? `${m.text} (${i + 1}/${all.length})` : m.text, 200),
    attachments: [{ contentType: ADAPTIVE_CARD, content: card(chunk, i === 0 ? toPlainText(m) : m.text) }],
  }));
}

function card(body: CardElement[], fallbackText: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    fallbackText: cutBytes(fallbackText, MAX_FALLBACK_BYTES),
    msteams: { width: 'Full' },
  };
}

function renderPart(part: Part, nextFormIndex: () => number): CardElement[] {
  switch (part.kind) {
    case 'header':
      return [textBlock(part.text, { size: 'Medium', weight: 'Bolder', spacing: 'Medium' })];
    case 'text':
      return [textBlock(part.text)];
    case 'fields':
      return part.fields.length ? [{ type: 'FactSet', facts: part.fields.map((f) => ({ title: f.label, value: f.value })) }] : [];
    case 'list':
      return [
        ...(part.title ? [textBlock(part.title, { weight: 'Bolder', spacing: 'Medium' })] : []),
        ...part.items.map((item) => textBlock(`• ${item}`, { spacing: 'None' })),
      ];
    case 'buttons':
      return actionRows(part.buttons.map(buttonAction));
    case 'form':
      return [renderForm(part.form, nextFormIndex())];
    case 'file':
      return [textBlock(`Fil: ${part.name}`, { weight: 'Bolder' })];
  }
}

function textBlock(text: string, extra: Record<string, string> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

function actionRows(actions: CardElement[]): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < actions.length; i += MAX_ACTIONS_PER_ROW) rows.push({ type: 'ActionSet', actions: actions.slice(i, i + MAX_ACTIONS_PER_ROW) });
  return rows;
}

function buttonAction(b: Button): CardElement {
  const data: Record<string, SubmitData> = { [SUBMIT_KEY]: { kind: 'action', actionId: b.actionId, value: b.value } };
  return {
    type: 'Action.Submit',
    title: b.label,
    data,
    // A button next to a form must not submit (or validate) the form's fields.
    associatedInputs: 'none',
    ...(b.style === 'primary' ? { style: 'positive' } : b.style === 'danger' ? { style: 'destructive' } : {}),
  };
}

/** Input ids are the field names; a second form in the same card gets a prefix so ids stay unique. */
function inputId(field: FormField, formIndex: number): string {
  return formIndex === 0 ? field.name : `f${formIndex}_${field.name}`;
}

function renderForm(form: Form, formIndex: number): CardElement {
  const items: CardElement[] = [textBlock(form.title, { size: 'Medium', weight: 'Bolder' })];
  const fields: Record<string, string> = {};
  for (const field of form.fields) {
    const id = inputId(field, formIndex);
    fields[id] = field.name;
    items.push(renderInput(field, id));
    // Adaptive Cards show errorMessage only for the client's own checks, so the core's error
    // for this field is a red line right under it.
    if (field.error) items.push({ ...textBlock(field.error, { color: 'Attention', size: 'Small', spacing: 'None' }) });
  }
  const data: Record<string, SubmitData> = { [SUBMIT_KEY]: { kind: 'form', formId: form.id, hidden: { ...(form.hidden ?? {}) }, fields } };
  items.push({ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: form.submitLabel, style: 'positive', data }] });
  return { type: 'Container', items };
}

function renderInput(field: FormField, id: string): CardElement {
  const common: CardElement = {
    id,
    label: field.label,
    isRequired: field.required,
    ...(field.required || field.error ? { errorMessage: field.error ?? 'Fyll i det här fältet.' } : {}),
  };
  switch (field.kind) {
    case 'select':
    case 'radio':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: field.kind === 'select' ? 'compact' : 'expanded',
        wrap: true,
        choices: (field.options ?? []).map((o) => ({
          title: field.kind === 'radio' && o.description ? `${o.label} – ${o.description}` : o.label,
          value: o.value,
        })),
        ...(field.kind === 'select' ? { placeholder: field.placeholder ?? 'Välj …' } : {}),
        ...(field.value !== undefined ? { value: field.value } : {}),
      };
    case 'text':
    case 'textarea':
      return {
        type: 'Input.Text',
        ...common,
        ...(field.kind === 'textarea' ? { isMultiline: true } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(field.value !== undefined ? { value: field.value } : {}),
      };
    case 'date':
      return {
        type: 'Input.Date',
        ...common,
        // Input.Date only takes YYYY-MM-DD; anything else would make the card invalid.
        ...(field.value && /^\d{4}-\d{2}-\d{2}$/.test(field.value) ? { value: field.value } : {}),
      };
  }
}

// ---- size limits ------------------------------------------------------------------------

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x), 'utf8');

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Cut to at most `max` UTF-8 bytes, on a character boundary. */
function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let size = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (size + b > max - 3) break;
    out += ch;
    size += b;
  }
  return `${out}…`;
}

/** Plain text split at line breaks into pieces Teams accepts. */
function splitText(text: string): string[] {
  if (text.length <= MAX_TEXT_CHARS) return [text];
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const piece = line.length > MAX_TEXT_CHARS ? line.slice(0, MAX_TEXT_CHARS - CUT_NOTE.length) + CUT_NOTE : line;
    if (current && current.length + 1 + piece.length > MAX_TEXT_CHARS) {
      out.push(current);
      current = piece;
    } else current = current ? `${current}\n${piece}` : piece;
  }
  if (current) out.push(current);
  return out;
}

/** Keeps each card under MAX_CARD_BYTES, splitting between elements (and within fact sets). */
let bodyBudget: number | undefined;
/** What a card's body may take: the limit less the card around it (escapes can double the fallback). */
function budgetForBody(): number {
  bodyBudget ??= MAX_CARD_BYTES - bytes(card([], 'x'.repeat(2 * MAX_FALLBACK_BYTES)));
  return bodyBudget;
}

function splitBody(body: CardElement[]): CardElement[][] {
  const budget = budgetForBody();
  // The common case: it all fits, and one measurement says so.
  if (bytes(body) <= budget) return [body];
  const chunks: CardElement[][] = [];
  let current: CardElement[] = [];
  let size = 0;
  for (const element of body.flatMap((e) => fitElement(e, budget))) {
    const s = bytes(element) + 1;
    if (current.length && size + s > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(element);
    size += s;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** One element made to fit a card: long text cut, large fact sets split. */
function fitElement(element: CardElement, budget: number): CardElement[] {
  if (bytes(element) <= budget) return [element];
  if (element.type === 'TextBlock' && typeof element.text === 'string') {
    // Bytes, not characters: Swedish letters take two. Halve until it fits.
    let text = element.text;
    while (bytes({ ...element, text: text + CUT_NOTE }) > budget) text = text.slice(0, Math.floor(text.length / 2));
    return [{ ...element, text: text + CUT_NOTE }];
  }
  if (element.type === 'FactSet' && Array.isArray(element.facts) && element.facts.length > 1) {
    const half = Math.ceil(element.facts.length / 2);
    return [...fitElement({ ...element, facts: element.facts.slice(0, half) }, budget), ...fitElement({ ...element, facts: element.facts.slice(half) }, budget)];
  }
  // A form or a single fact too large for Teams: nothing sensible to split; send as is.
  return [element];
}

// ---- submits back to core Input ---------------------------------------------------------

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads an Action.Submit payload (a message activity's `value`): our data under SUBMIT_KEY,
 * and, for a form, the input values Teams merges in beside it. Undefined for anything else.
 */
export function readSubmit(value: unknown): Input | undefined {
  if (!isRecord(value) || !isRecord(value[SUBMIT_KEY])) return undefined;
  const data = value[SUBMIT_KEY];
  if (data.kind === 'action' && typeof data.actionId === 'string' && typeof data.value === 'string') {
    return { kind: 'action', actionId: data.actionId, value: data.value };
  }
  if (data.kind === 'form' && typeof data.formId === 'string') {
    const values: Record<string, string> = {};
    if (isRecord(data.hidden)) for (const [k, v] of Object.entries(data.hidden)) if (typeof v === 'string') values[k] = v;
    if (isRecord(data.fields)) {
      for (const [id, name] of Object.entries(data.fields)) {
        const v = value[id];
        if (typeof name === 'string' && typeof v === 'string') values[name] = v;
      }
    }
    return { kind: 'form', formId: data.formId, values };
  }
  return undefined;
}

/** The id of the form a message carries, if any: a reply with the same form replaces the card. */
export function formIdOf(m: Message): string | undefined {
  const part = m.parts.find((p) => p.kind === 'form');
  return part && part.kind === 'form' ? part.form.id : undefined;
}

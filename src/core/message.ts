/**
 * The neutral message model: what the core says, before any platform renders it.
 *
 * A message is a line of text plus structured parts. Every adapter renders the parts natively
 * (Block Kit, Adaptive Cards, terminal text) and falls back to `toPlainText` for anything it
 * cannot show. Platform limits (Slack's 50 blocks, text lengths) are the renderer's business;
 * the model stays simple.
 *
 * Parts:
 * - header: a title line.
 * - text: a paragraph.
 * - fields: label/value pairs.
 * - list: bullet lines, optionally titled.
 * - buttons: each with an action id and value that come back as `{ kind: 'action' }` input, and
 *   the text command that does the same, for platforms (and people) without buttons.
 * - form: fields to fill in; submitted back as `{ kind: 'form' }` input. A field may carry the
 *   error from the previous submit.
 * - file: a document for the receiver (name, media type, bytes).
 *
 * `sekretess` marks a message that carries sekretess content. `outgoing.ts` refuses to address
 * such a message to anything but one member privately.
 */

export interface Message {
  /** The lead line, always meaningful on its own (notifications, previews). */
  text: string;
  parts: Part[];
  sekretess?: boolean;
}

export type Part = HeaderPart | TextPart | FieldsPart | ListPart | ButtonsPart | FormPart | FilePart;

export interface HeaderPart {
  kind: 'header';
  text: string;
}
export interface TextPart {
  kind: 'text';
  text: string;
}
export interface Field {
  label: string;
  value: string;
}
export interface FieldsPart {
  kind: 'fields';
  fields: Field[];
}
export interface ListPart {
  kind: 'list';
  title?: string;
  items: string[];
}
export interface Button {
  label: string;
  actionId: string;
  value: string;
  /** The text command that does the same thing. */
  command: string;
  style?: 'primary' | 'danger';
}
export interface ButtonsPart {
  kind: 'buttons';
  buttons: Button[];
}

export type FormFieldKind = 'text' | 'textarea' | 'select' | 'radio' | 'date';
export interface FormOption {
  value: string;
  label: string;
  /** A longer explanation, where the platform can show one (radio descriptions). */
  description?: string;
}
export interface FormField {
  name: string;
  label: string;
  kind: FormFieldKind;
  required: boolean;
  options?: FormOption[];
  /** Pre-filled value. */
  value?: string;
  placeholder?: string;
  maxLength?: number;
  /** What was wrong with this field on the last submit. */
  error?: string;
}
export interface Form {
  /** Names the command the form completes, e.g. "jav.declare". Comes back with the submit. */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Values the form carries unseen (the meeting id, say). */
  hidden?: Record<string, string>;
}
export interface FormPart {
  kind: 'form';
  form: Form;
}
export interface FilePart {
  kind: 'file';
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** A small builder so handlers read as what they say. */
export function message(text: string, ...parts: Part[]): Message {
  return { text, parts };
}
export const header = (text: string): HeaderPart => ({ kind: 'header', text });
export const paragraph = (text: string): TextPart => ({ kind: 'text', text });
export const fields = (...f: Field[]): FieldsPart => ({ kind: 'fields', fields: f });
export const list = (items: string[], title?: string): ListPart => ({ kind: 'list', items, ...(title ? { title } : {}) });
export const buttons = (...b: Button[]): ButtonsPart => ({ kind: 'buttons', buttons: b });
export const formPart = (form: Form): FormPart => ({ kind: 'form', form });

/**
 * The plain-text rendering of a message: the fallback every adapter can use, and what the
 * console prints. Files are named, not inlined.
 */
export function toPlainText(m: Message): string {
  const out: string[] = [m.text];
  for (const part of m.parts) {
    switch (part.kind) {
      case 'header':
        out.push('', part.text.toUpperCase());
        break;
      case 'text':
        out.push(part.text);
        break;
      case 'fields':
        out.push(...part.fields.map((f) => `${f.label}: ${f.value}`));
        break;
      case 'list':
        if (part.title) out.push(part.title);
        out.push(...part.items.map((i) => `  • ${i}`));
        break;
      case 'buttons':
        out.push(...part.buttons.map((b) => `  [${b.label}] skriv: ${b.command}`));
        break;
      case 'form':
        out.push(formAsText(part.form));
        break;
      case 'file':
        out.push(`Fil: ${part.name}`);
        break;
    }
  }
  return out.join('\n');
}

function formAsText(form: Form): string {
  const lines = [`${form.title}:`];
  for (const f of form.fields) {
    const need = f.required ? '' : ' (frivilligt)';
    lines.push(`  ${f.label}${need}${f.error ? ` — ${f.error}` : ''}`);
    if (f.options) lines.push(...f.options.map((o) => `      ${o.value}: ${o.label}`));
  }
  return lines.join('\n');
}

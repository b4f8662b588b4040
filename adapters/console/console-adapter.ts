/**
 * The console adapter: Nämndbot in a terminal, the embedded default.
 *
 * You act as a member of the committee (`--as <id>`, or `/som <id>` while running). Every
 * line is a command in the same language as in Slack and Teams. On a terminal it prompts and
 * walks you through forms field by field; when stdin is not a terminal it reads one command per
 * line, prints the replies and exits at end of input, so the whole bot can be scripted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatAdapter } from '../../src/core/adapter';
import type { Core } from '../../src/core/core';
import { toPlainText, type Form, type Message } from '../../src/core/message';
import type { Outgoing } from '../../src/core/outgoing';
import { isCommandText } from '../../src/core/registry';
import { findMember, memberLabel, type Member } from '../../src/domain/committee';
import { normalizeForMatch, normalizeWord } from '../../src/domain/text';
import { boundedLines } from './bounded-lines';

export interface ConsoleAdapterOptions {
  core: Core;
  input: Readable;
  output: Writable;
  /** The member id to act as first. */
  as: string;
  /** Prompt and ask for form fields one by one (a person at a terminal). */
  interactive: boolean;
  /** Where files the bot sends (agenda drafts) are written. */
  filesDir: string;
}

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  private current: string;
  private lineNo = 0;
  private readonly session = randomUUID().slice(0, 8);
  private rl: readline.Interface | undefined;
  private finished: Promise<void> = Promise.resolve();
  /** /avsluta, a signal or closed output: no new line is taken; the one in flight is answered. */
  private stopping = false;

  constructor(private readonly options: ConsoleAdapterOptions) {
    this.current = options.as;
  }

  /** Resolves when input has ended and every line has been answered. */
  get done(): Promise<void> {
    return this.finished;
  }

  async start(): Promise<void> {
    const { input, output, interactive } = this.options;
    // A terminal's own line editing bounds what a person types; piped input is bounded here.
    const lines = interactive ? input : boundedLines(input);
    const rl = readline.createInterface({ input: lines, output: interactive ? output : undefined, terminal: interactive });
    this.rl = rl;
    if (interactive) {
      this.print(`Nämndbot i terminalen. Du är ${this.who()}. Skriv hjälp, eller /som <id> för att byta person, /vilka för att se alla, /avsluta för att sluta.`);
      rl.setPrompt(this.prompt());
      rl.prompt();
    }
    // Ctrl+C at the prompt: end as /avsluta does.
    rl.on('SIGINT', () => void this.finish());
    this.finished = (async () => {
      for await (const line of rl) {
        if (this.stopping) break;
        await this.onLine(line);
        if (interactive) {
          rl.setPrompt(this.prompt());
          rl.prompt();
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  /**
   * Takes no more lines and resolves once the line in flight has been answered (SIGTERM,
   * /avsluta, the output closed): a command that was stored is always answered before the end.
   */
  finish(): Promise<void> {
    this.stopping = true;
    this.rl?.close();
    return this.finished;
  }

  async sendPrivate(platformUserId: string, message: Message): Promise<void> {
    const member = this.memberById(platformUserId);
    await this.show(message, `── Privat meddelande till ${member ? memberLabel(member) : platformUserId} ──`);
  }

  private async onLine(raw: string): Promise<void> {
    const line = raw.trim();
    if (line === '' && this.options.interactive) return;
    const local = /^\/(som|as|vilka|who|avsluta|quit|exit)\b\s*(.*)$/i.exec(line);
    if (local) return this.localCommand(local[1].toLowerCase(), local[2].trim());
    const replies = await this.options.core.handle({
      deliveryId: `console-${this.session}-${++this.lineNo}`,
      platform: 'console',
      platformUserId: this.current,
      place: { kind: 'private' },
      input: { kind: 'text', text: raw },
    });
    await this.render(replies);
  }

  private async render(replies: Outgoing[]): Promise<void> {
    for (const reply of replies) {
      const form = reply.message.parts.find((p) => p.kind === 'form');
      if (form && form.kind === 'form' && this.options.interactive) {
        this.print(reply.message.text);
        const answered = await this.askForm(form.form);
        if (answered.kind === 'cancelled') {
          this.print('Avbrutet. Inget sparades.');
          continue;
        }
        if (answered.kind === 'command') {
          // The person moved on: what they typed is a command, not an answer to the form.
          this.print(`Formuläret är avbrutet; jag läser "${answered.text}" som ett nytt kommando.`);
          await this.onLine(answered.text);
          continue;
        }
        const next = await this.options.core.handle({
          deliveryId: `console-${this.session}-${++this.lineNo}`,
          platform: 'console',
          platformUserId: this.current,
          place: { kind: 'private' },
          input: { kind: 'form', formId: form.form.id, values: answered.values },
        });
        await this.render(next);
        continue;
      }
      await this.show(reply.message);
    }
  }

  /**
   * Asks for each form field in turn. "avbryt" (or an empty answer to a required field) cancels;
   * an answer to a choice that is none of its options but a command ends the form and runs the
   * command.
   */
  private async askForm(form: Form): Promise<FormAnswer> {
    const values: Record<string, string> = { ...(form.hidden ?? {}) };
    this.print('Svara på en fråga i taget. Skriv avbryt för att avbryta.');
    for (const field of form.fields) {
      if (field.error) this.print(`  ${field.label}: ${field.error}`);
      if (field.options) field.options.forEach((o, i) => this.print(`  ${i + 1}. ${o.label}`));
      const suffix = field.required ? '' : ' (frivilligt, Enter hoppar över)';
      const preset = field.value ? ` [${field.value}]` : '';
      const answer = (await this.question(`${field.label}${suffix}${preset}: `)).trim();
      if (CANCEL_WORDS.includes(normalizeWord(answer))) return { kind: 'cancelled' };
      if (answer === '') {
        if (!field.value && field.required) return { kind: 'cancelled' };
        if (field.value) values[field.name] = field.value;
        continue;
      }
      const option = field.options ? optionValue(field.options, answer) : answer;
      if (option === undefined && isCommandText(answer)) return { kind: 'command', text: answer };
      // Not an option ("part" for partsjäv): the core reads it, and says so on the form if it cannot.
      values[field.name] = option ?? answer;
    }
    return { kind: 'values', values };
  }

  private question(q: string): Promise<string> {
    return new Promise((resolve) => this.rl!.question(q, resolve));
  }

  private async localCommand(cmd: string, arg: string): Promise<void> {
    if (cmd === 'avsluta' || cmd === 'quit' || cmd === 'exit') {
      this.stopping = true;
      this.rl?.close();
      return;
    }
    if (cmd === 'vilka' || cmd === 'who') {
      for (const c of this.options.core.committees.values()) {
        this.print(`${c.name} (${c.shortName}):`);
        for (const m of c.members) this.print(`  ${m.identities.console ?? '-'}  ${memberLabel(m)}, ${m.role}`);
      }
      return;
    }
    if (!arg) return this.print('Skriv vem du vill vara: /som <id>. /vilka visar alla.');
    const member = this.memberById(arg);
    if (!member) return this.print(`Ingen med id "${arg}". /vilka visar alla.`);
    this.current = member.identities.console ?? arg;
    this.print(`Du är nu ${this.who()}.`);
  }

  private memberById(consoleId: string): Member | undefined {
    for (const c of this.options.core.committees.values()) {
      const m = c.members.find((x) => x.identities.console === consoleId) ?? findMember(c, consoleId);
      if (m) return m;
    }
    return undefined;
  }

  private who(): string {
    const m = this.memberById(this.current);
    return m ? `${memberLabel(m)}, ${m.role}` : this.current;
  }

  private prompt(): string {
    return `${this.current}> `;
  }

  private async show(message: Message, heading?: string): Promise<void> {
    const lines = heading ? [heading, toPlainText(message)] : [toPlainText(message)];
    for (const part of message.parts) {
      if (part.kind !== 'file') continue;
      await mkdir(this.options.filesDir, { recursive: true });
      const file = path.join(this.options.filesDir, path.basename(part.name));
      await writeFile(file, part.bytes);
      lines.push(`Sparad: ${file}`);
    }
    this.print(lines.join('\n'));
  }

  private print(text: string): void {
    this.options.output.write(`${text}\n${this.options.interactive ? '' : '\n'}`);
  }
}

type FormAnswer = { kind: 'values'; values: Record<string, string> } | { kind: 'cancelled' } | { kind: 'command'; text: string };

const CANCEL_WORDS = ['avbryt', 'cancel'];

/** The option an answer picks: its number, its value or its label (case and diacritics aside). */
function optionValue(options: { value: string; label: string }[], answer: string): string | undefined {
  const n = Number(answer);
  if (Number.isInteger(n) && n >= 1 && n <= options.length) return options[n - 1].value;
  const said = normalizeForMatch(answer);
  return options.find((o) => normalizeForMatch(o.value) === said || normalizeForMatch(o.label) === said)?.value;
}

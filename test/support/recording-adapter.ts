/**
 * The test double for adapters: records what the core sends privately to members, and can be
 * told to refuse. The core's tests talk to the core through it.
 */
import { UnreachableError, type ChatAdapter } from '../../src/core/adapter';
import { toPlainText, type Message } from '../../src/core/message';
import type { Platform } from '../../src/domain/committee';

export class RecordingAdapter implements ChatAdapter {
  readonly sent: { to: string; message: Message; text: string }[] = [];
  /** Platform user ids this adapter pretends it cannot reach. */
  readonly unreachable = new Set<string>();
  /** How many of the next sends fail with a passing error. */
  failNext = 0;

  constructor(readonly platform: Platform = 'console') {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async sendPrivate(platformUserId: string, message: Message): Promise<void> {
    if (this.unreachable.has(platformUserId)) throw new UnreachableError('appen är inte installerad för personen');
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('temporary failure');
    }
    this.sent.push({ to: platformUserId, message, text: toPlainText(message) });
  }

  to(platformUserId: string): string[] {
    return this.sent.filter((s) => s.to === platformUserId).map((s) => s.text);
  }
}

/**
 * The adapter seam, seen from the core: what every chat platform adapter offers.
 *
 * An adapter translates and nothing more. Inbound, it verifies the platform's request, builds
 * an `Incoming` and calls `Core.handle`, then renders the returned `Outgoing`s natively (with
 * `toPlainText` as the fallback). Outbound, it delivers a message privately to one person when
 * the core or the scheduler asks (`sendPrivate`): a Slack DM, a Teams proactive message, a line
 * on the console. What it must remember between requests (Teams conversation references, once-
 * marks for deliveries the core never sees) it keeps through `Core.adapterState(platform)`
 * (adapter-state.ts), never the Store itself.
 */
import type { Platform } from '../domain/committee';
import type { Message } from './message';

export interface ChatAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Sends a message privately to a person, by their id on this platform. Rejects with
   * `UnreachableError` when the platform says the person cannot be reached (not installed,
   * blocked); other rejections are passing failures worth a retry.
   */
  sendPrivate(platformUserId: string, message: Message): Promise<void>;
}

/** The platform refused to deliver to this person; retrying will not help until someone acts. */
export class UnreachableError extends Error {
  constructor(
    /** Swedish, for the secretary: why, and what to do. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'UnreachableError';
  }
}

/**
 * Outgoing: a message from the core together with who may see it.
 *
 * Sekretess is enforced here and nowhere else: a message that carries sekretess content can
 * only go to one person privately. `outgoing()` is the only way the core builds an Outgoing,
 * so a channel audience for such a message cannot be constructed. Adapters deliver what they
 * are given and never decide what may be shown.
 */
import type { Message } from './message';

export type Audience =
  /** The person who asked, privately (a Slack ephemeral or DM, a Teams 1:1 reply, the console). */
  | { kind: 'asker' }
  /** The channel the request came from, readable by everyone in it. */
  | { kind: 'channel' }
  /** A named member, privately, wherever they can be reached (a proactive message). */
  | { kind: 'member'; committeeId: string; memberId: string };

export interface Outgoing {
  readonly audience: Audience;
  readonly message: Message;
}

export class SekretessLeakError extends Error {
  constructor() {
    super('a message with sekretess content may only be sent privately');
    this.name = 'SekretessLeakError';
  }
}

export function outgoing(audience: Audience, message: Message): Outgoing {
  if (message.sekretess && audience.kind === 'channel') throw new SekretessLeakError();
  return Object.freeze({ audience, message });
}

export const toAsker = (message: Message): Outgoing => outgoing({ kind: 'asker' }, message);
export const toMember = (committeeId: string, memberId: string, message: Message): Outgoing =>
  outgoing({ kind: 'member', committeeId, memberId }, message);

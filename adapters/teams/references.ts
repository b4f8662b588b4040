/**
 * Where Teams members can be reached, kept through the core's adapter-state port
 * (src/core/adapter-state.ts) so proactive messages work after a restart and from any bot process.
 *
 * - kind `ref`, per AAD object id: the member's PERSONAL conversation with the bot, the whole
 *   ConversationReference as Teams gave it (serviceUrl included: it differs per region and may
 *   change). Only personal conversations are stored here, so a private message can never land
 *   in a channel.
 * - kind `member`, per AAD object id: what is needed to open a personal conversation with someone
 *   seen only in a team (the app installed in the team, or a message in a channel): their
 *   Teams user id, the tenant and the serviceUrl.
 *
 * Writes are skipped when nothing changed (kept in memory), so a busy chat does not rewrite
 * the same reference on every message.
 */
import type { ConversationReference } from 'botbuilder';
import type { AdapterState } from '../../src/core/adapter-state';

export interface MemberAddress {
  /** The Teams user id ("29:…"), not the AAD object id. */
  userId: string;
  tenantId?: string;
  serviceUrl: string;
  /** The bot's own Teams id ("28:…") as Teams gave it, for opening the conversation. */
  botId?: string;
}

/** The kinds of value kept per person. */
export const REF = 'ref';
export const MEMBER = 'member';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export class ReferenceBook {
  private readonly written = new Map<string, string>();

  constructor(private readonly state: AdapterState) {}

  async rememberPersonal(aadObjectId: string, ref: Partial<ConversationReference>): Promise<void> {
    // The activity id is per message; without it the reference is the same for every message.
    const { activityId: _ignored, ...stable } = ref;
    await this.write(REF, aadObjectId, stable);
  }

  async rememberMember(aadObjectId: string, address: MemberAddress): Promise<void> {
    await this.write(MEMBER, aadObjectId, address);
  }

  async personal(aadObjectId: string): Promise<Partial<ConversationReference> | undefined> {
    const v = await this.state.personal(REF, aadObjectId);
    if (!isRecord(v) || typeof v.serviceUrl !== 'string' || !isRecord(v.conversation) || typeof v.conversation.id !== 'string') return undefined;
    return v as Partial<ConversationReference>;
  }

  async member(aadObjectId: string): Promise<MemberAddress | undefined> {
    const v = await this.state.personal(MEMBER, aadObjectId);
    if (!isRecord(v) || typeof v.userId !== 'string' || typeof v.serviceUrl !== 'string') return undefined;
    return {
      userId: v.userId,
      serviceUrl: v.serviceUrl,
      ...(typeof v.tenantId === 'string' ? { tenantId: v.tenantId } : {}),
      ...(typeof v.botId === 'string' ? { botId: v.botId } : {}),
    };
  }

  private async write(kind: string, aadObjectId: string, value: unknown): Promise<void> {
    const key = `${kind}:${aadObjectId}`;
    const json = JSON.stringify(value);
    if (this.written.get(key) === json) return;
    await this.state.keepPersonal(kind, aadObjectId, value);
    this.written.set(key, json);
  }
}

/**
 * Reaching a member privately, on whichever platform knows them.
 *
 * The core (for a declined question) and the scheduler (for reminders) address members, not
 * platform users. This picks the member's identities in order (the platforms in the order of
 * `PLATFORMS`, the ones from the committee file, then those the secretary linked) and tries each platform that has a
 * running adapter until one delivers.
 */
import type { Platform, PlatformIdentity } from '../domain/committee';
import { UnreachableError, type ChatAdapter } from './adapter';
import type { Message } from './message';

export type { PlatformIdentity };

export class AdapterDelivery {
  private readonly adapters = new Map<Platform, ChatAdapter>();

  register(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  platforms(): Platform[] {
    return [...this.adapters.keys()];
  }

  /**
   * Tries each identity with a running adapter. Resolves when one delivered. Rejects with
   * `UnreachableError` (reasons joined, in Swedish) when every platform refused or none can
   * reach the member; with the last passing error when a platform failed in a way worth a retry.
   */
  async deliver(identities: PlatformIdentity[], message: Message): Promise<Platform> {
    const reasons: string[] = [];
    let passing: unknown;
    for (const { platform, platformUserId } of identities) {
      const adapter = this.adapters.get(platform);
      if (!adapter) continue;
      try {
        await adapter.sendPrivate(platformUserId, message);
        return platform;
      } catch (err) {
        if (err instanceof UnreachableError) reasons.push(`${platform}: ${err.reason}`);
        else passing = err;
      }
    }
    if (passing !== undefined) throw passing;
    throw new UnreachableError(reasons.length ? reasons.join('; ') : 'ledamoten har inget konto på någon av de plattformar som Nämndbot är igång på');
  }
}

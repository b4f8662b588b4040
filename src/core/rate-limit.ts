/**
 * A per-person command rate limit: a token bucket per platform identity, in memory. One person
 * flooding the bot (or a stuck script) is slowed down politely; everyone else is unaffected.
 */
import type { Clock } from '../domain/clock';

export interface RateLimitOptions {
  /** Commands a person may send in a burst. */
  burst: number;
  /** Commands per minute a person may keep sending. */
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 20, perMinute: 30 };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
  ) {}

  /** Takes a token for `key`; false when the person has to wait. */
  take(key: string): boolean {
    const now = this.clock.now().getTime();
    const refillPerMs = this.options.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    b.tokens = Math.min(this.options.burst, b.tokens + (now - b.at) * refillPerMs);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    this.buckets.set(key, b);
    // Forget full buckets now and then, so the map does not grow with every person ever seen.
    if (this.buckets.size > 10_000) for (const [k, v] of this.buckets) if (v.tokens >= this.options.burst) this.buckets.delete(k);
    return allowed;
  }
}

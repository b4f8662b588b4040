/**
 * The adapter-state port: the little an adapter keeps between requests, restarts and processes,
 * offered by the core (`Core.adapterState(platform)`) so that no adapter holds the Store.
 *
 * - Values about one person on the adapter's platform, by a kind the adapter names and the
 *   person's platform id (Teams: `ref`, their personal conversation; `member`, the address to
 *   open one). Stored as `<platform>:<kind>:<platformUserId>`, so retention deletes those of
 *   people in no committee and the member export lists them, on any platform, without knowing
 *   what the adapter keeps.
 * - Once-marks for deliveries the core never sees (Slack's app_home_opened, which only redraws
 *   the Home tab): `<platform>:event:<deliveryId>`.
 *
 * A kind holds no colon; it and the platform name the value, the id is the rest of the key.
 */
import type { Platform } from '../domain/committee';
import type { Store } from '../store/store';

export interface AdapterState {
  /** The value of `kind` kept about a person; undefined when there is none. */
  personal(kind: string, platformUserId: string): Promise<unknown | undefined>;
  /** Keeps a value about a person (JSON). */
  keepPersonal(kind: string, platformUserId: string, value: unknown): Promise<void>;
  /** True the first time a delivery is seen within `ttlMs`; false while its mark lives. */
  markOnce(deliveryId: string, ttlMs: number): Promise<boolean>;
  /** Forgets a delivery's mark, so that one whose handling failed is handled when it comes again. */
  unmark(deliveryId: string): Promise<void>;
}

/** The Store key of a personal adapter value. */
export const personalKey = (platform: Platform, kind: string, platformUserId: string): string => `${platform}:${kind}:${platformUserId}`;

/** A personal adapter value's key read back; undefined for a key of another shape. */
export function readPersonalKey(key: string): { platform: string; kind: string; platformUserId: string } | undefined {
  const m = /^([^:]+):([^:]+):(.+)$/.exec(key);
  return m && m[2] !== 'event' ? { platform: m[1]!, kind: m[2]!, platformUserId: m[3]! } : undefined;
}

export function adapterState(store: Pick<Store, 'getValue' | 'setValue' | 'markOnce' | 'unmark'>, platform: Platform): AdapterState {
  const eventKey = (deliveryId: string) => `${platform}:event:${deliveryId}`;
  return {
    personal: (kind, id) => store.getValue(personalKey(platform, kind, id)),
    keepPersonal: (kind, id, value) => store.setValue(personalKey(platform, kind, id), value),
    markOnce: (deliveryId, ttlMs) => store.markOnce(eventKey(deliveryId), ttlMs),
    unmark: (deliveryId) => store.unmark(eventKey(deliveryId)),
  };
}

/**
 * Incoming: what an adapter hands the core for one thing a person did.
 *
 * The adapter verifies the platform's request, identifies the sender by platform identity and
 * translates the payload into one of three inputs. It never parses commands or decides rights:
 * that is the core's job.
 */
import type { Platform } from '../domain/committee';

export type Input =
  /**
   * A typed command: "jäv 5 part", "hjälp". The text is as the person typed it, with the
   * platform's escapes undone, and a mention of a person written the one neutral way the core
   * reads: `@<platformUserId>` ("koppla @U123ABC nils.holmgren"). The adapter rewrites its
   * platform's own mention syntax (Slack's `<@U123ABC|nils>`) into that; the core knows no other.
   */
  | { kind: 'text'; text: string }
  /** A button press: the action id and value the core put on the button. */
  | { kind: 'action'; actionId: string; value: string }
  /** A submitted form: the form's id and the values by field name (hidden values included). */
  | { kind: 'form'; formId: string; values: Record<string, string> }
  /**
   * A file sent to the bot (a Slack file share, a Teams attachment): the adapter fetches the
   * bytes and hands them over as they are, with the text written with it ("import möte
   * 2025-02-13"). The core reads it; it is an ärendelista import.
   */
  | { kind: 'file'; name: string; bytes: Uint8Array; text?: string };

export type Place =
  /** A private chat with the bot (Slack DM or App Home, Teams personal chat, the console). */
  | { kind: 'private' }
  /** A shared channel that others can read. */
  | { kind: 'channel'; channelId: string };

export interface Incoming {
  /**
   * The platform's id for this delivery (Slack event id or trigger, Teams activity id, a
   * console line number). A delivery seen twice is processed once.
   */
  deliveryId: string;
  platform: Platform;
  /** The sender's id on that platform (Slack user id, Teams AAD object id, console member id). */
  platformUserId: string;
  place: Place;
  input: Input;
}

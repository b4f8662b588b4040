/**
 * A Teams activity as the core's Incoming, and where the core's answers may go.
 *
 * Pure apart from botbuilder's static mention helper, so tests can feed it raw activities.
 */
import { TurnContext, type Activity, type Mention } from 'botbuilder';
import type { Incoming, Input, Place } from '../../src/core/incoming';
import type { Outgoing } from '../../src/core/outgoing';
import { readSubmit } from './render';

/** Personal chat is private; a channel or a group chat is read by others. */
export function placeOf(activity: Partial<Activity>): Place {
  const type = activity.conversation?.conversationType;
  if (type === 'personal' || (type === undefined && !activity.conversation?.isGroup)) return { kind: 'private' };
  const channelData = activity.channelData as { channel?: { id?: unknown } } | undefined;
  const channelId = typeof channelData?.channel?.id === 'string' ? channelData.channel.id : (activity.conversation?.id ?? '').split(';')[0];
  return { kind: 'channel', channelId: channelId || 'okänd' };
}

/** A file the person attached in Teams (personal chat): its name and where to fetch it. */
export interface SentFile {
  name: string;
  url: string;
}

export const TEAMS_FILE_DOWNLOAD = 'application/vnd.microsoft.teams.file.download.info';

/**
 * The files attached to a message: Teams' file download info (a pre-authorised `downloadUrl`),
 * or a plain attachment with a `contentUrl` and a name. Cards, the message's own HTML copy and
 * inline images without a name are not files.
 */
export function sentFiles(activity: Partial<Activity>): SentFile[] {
  const out: SentFile[] = [];
  for (const a of activity.attachments ?? []) {
    if (a.contentType === TEAMS_FILE_DOWNLOAD) {
      const url = (a.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
      if (typeof url === 'string' && a.name) out.push({ name: a.name, url });
    } else if (a.contentUrl && a.name && !a.contentType.startsWith('application/vnd.microsoft.card') && a.contentType !== 'text/html') {
      out.push({ name: a.name, url: a.contentUrl });
    }
  }
  return out;
}

/** A download URL the adapter fetches: https, or http on this machine (development and tests). */
export function fetchableUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

/** Other people @mentioned in a message: Teams user id and the display text to replace. */
export function otherMentions(activity: Partial<Activity>): { userId: string; text: string; name: string }[] {
  const out: { userId: string; text: string; name: string }[] = [];
  for (const e of activity.entities ?? []) {
    if (e.type !== 'mention') continue;
    const m = e as unknown as Mention;
    if (!m.mentioned?.id || m.mentioned.id === activity.recipient?.id || typeof m.text !== 'string') continue;
    out.push({ userId: m.mentioned.id, text: m.text, name: m.mentioned.name ?? '' });
  }
  return out;
}

/**
 * The input a message activity carries: a card submit (`value`) or typed text with the bot's
 * @mention removed. `mentionIds` maps a mentioned person's tag text to the id the core should
 * see (their AAD object id), for commands that name someone ("koppla @Amira amira.haddad").
 */
export function inputOf(activity: Partial<Activity>, mentionIds: ReadonlyMap<string, string> = new Map()): Input {
  const submitted = readSubmit(activity.value);
  if (submitted) return submitted;
  // removeRecipientMention edits activity.text in place; work on a copy.
  const copy = { ...activity, text: activity.text ?? '' } as Activity;
  let text = copy.recipient ? TurnContext.removeRecipientMention(copy) ?? '' : copy.text;
  for (const { text: tag, name } of otherMentions(activity)) text = text.split(tag).join(mentionIds.get(tag) ?? name);
  // Teams may leave non-breaking spaces around where the mention was.
  text = text.replace(/&nbsp;|\u00a0/g, ' ').trim();
  return { kind: 'text', text };
}

export function incomingOf(activity: Partial<Activity>, mentionIds?: ReadonlyMap<string, string>): Incoming {
  return {
    deliveryId: activity.id ?? '',
    platform: 'teams',
    // The committee file names Teams users by AAD object id; fall back to the Teams id so an
    // unknown sender is still answered (with the id the secretary needs to link them).
    platformUserId: activity.from?.aadObjectId ?? activity.from?.id ?? '',
    place: placeOf(activity),
    input: inputOf(activity, mentionIds),
  };
}

export type Route = 'here' | 'private' | 'member';

/**
 * Where one of the core's answers goes, given where the question was asked. In a channel only
 * a channel-audience message without sekretess is posted there; everything for the asker goes
 * to them 1:1. The core already refuses channel + sekretess; this is the second lock.
 */
export function routeOf(place: Place, out: Outgoing): Route {
  if (out.audience.kind === 'member') return 'member';
  if (place.kind === 'private') return 'here';
  return out.audience.kind === 'channel' && !out.message.sekretess ? 'here' : 'private';
}

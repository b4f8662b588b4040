/**
 * Finding the meeting and the ärende a member means: "nästa", "2027-01-21", "14/27", "14",
 * "§ 21", or a word of the title. Pure; the answers are Swedish and say what to do.
 */
import type { Committee, Item, Meeting } from '../domain/committee';
import { normalizeForMatch, normalizeWord, titleWords } from '../domain/text';
import { formatDateLong, stockholmInstant } from '../domain/time';

export type Found<T> = { ok: true; value: T } | { ok: false; reason: string; candidates?: T[] };

/** A meeting counts as held once its end time (or the end of its day) has passed. */
export function isHeld(meeting: Meeting, now: Date): boolean {
  return now.getTime() > stockholmInstant(meeting.date, meeting.end ?? '23:59').getTime();
}

/**
 * A meeting has begun once its start time has passed, or on its day when it has no time. The
 * justerare are chosen at the meeting, so they can be registered from then on, before it ends.
 */
export function hasBegun(meeting: Meeting, now: Date): boolean {
  return now.getTime() >= stockholmInstant(meeting.date, meeting.start).getTime();
}

export function meetingStart(meeting: Meeting): Date {
  return stockholmInstant(meeting.date, meeting.start);
}

const byDate = new WeakMap<Committee, readonly Meeting[]>();

/** The committee's meetings in date order (kept per committee: committee files do not change while running). */
export function meetingsByDate(committee: Committee): readonly Meeting[] {
  let sorted = byDate.get(committee);
  if (!sorted) {
    sorted = Object.freeze([...committee.meetings].sort((a, b) => (a.date + (a.start ?? "")).localeCompare(b.date + (b.start ?? ""))));
    byDate.set(committee, sorted);
  }
  return sorted;
}

export function upcomingMeetings(committee: Committee, now: Date): Meeting[] {
  return meetingsByDate(committee).filter((m) => !isHeld(m, now));
}

export function meetingName(m: Meeting): string {
  return `sammanträdet ${formatDateLong(m.date)}`;
}

/** The meeting a member means, or the next one when they named none. */
export function findMeeting(committee: Committee, ref: string | undefined, now: Date): Found<Meeting> {
  if (ref === undefined || ['nasta', 'next'].includes(normalizeWord(ref))) {
    const next = upcomingMeetings(committee, now)[0];
    return next ? { ok: true, value: next } : { ok: false, reason: 'Det finns inget kommande sammanträde inlagt. Fråga sekreteraren.' };
  }
  const r = normalizeWord(ref);
  const m = committee.meetings.find((x) => x.id === r || x.date === r);
  if (m) return { ok: true, value: m };
  const upcoming = upcomingMeetings(committee, now).map((x) => x.date);
  const hint = upcoming.length ? ` Kommande sammanträden: ${upcoming.join(', ')}.` : '';
  return { ok: false, reason: `Jag hittar inget sammanträde "${ref}". Skriv datumet som ÅÅÅÅ-MM-DD.${hint}` };
}

/**
 * The upcoming meeting that holds a full löpnummer ("14/27"), when exactly one does: so that
 * "jäv 14/27 …" and "förhinder 14/27" find an ärende on a later meeting without naming it.
 */
export function upcomingMeetingWithItem(committee: Committee, ref: string | undefined, now: Date): Meeting | undefined {
  if (ref === undefined || !/^\d{1,4}\/\d{2,4}$/.test(ref)) return undefined;
  const holders = upcomingMeetings(committee, now).filter((m) => m.items.some((i) => i.lopnummer === ref));
  return holders.length === 1 ? holders[0] : undefined;
}

function itemNotFound(meeting: Meeting, ref: string): Found<Item> {
  return {
    ok: false,
    reason: `Det finns inget ärende "${ref}" på ${meetingName(meeting)}. Skriv löpnumret (till exempel ${meeting.items[0]?.lopnummer ?? '14/27'}) eller ett ord ur rubriken; "ärenden" visar listan.`,
  };
}

/** What an ärende is called where others may read: never a sekretess title. */
export function itemLabel(item: Item, showSekretessTitle = false): string {
  if (item.sekretess && !showSekretessTitle) return `${item.lopnummer} Sekretessärende`;
  return `${item.lopnummer} ${item.title}`;
}

/**
 * The ärende a member means on a meeting: a löpnummer ("14/27" or "14"), a § number when the
 * meeting has them ("§ 21", given in `paragraphs`), or a word that starts a word of exactly one
 * title that is not sekretess. An ambiguous word returns the candidates.
 */
export function findItem(meeting: Meeting, ref: string, paragraphs?: ReadonlyMap<number, string>): Found<Item> {
  const raw = normalizeForMatch(ref).replace(/\s+/g, '');
  const paragraph = /^(§|par|paragraf)(\d{1,4})$/.exec(raw);
  if (paragraph) {
    const lopnummer = paragraphs?.get(Number(paragraph[2]));
    const item = lopnummer ? meeting.items.find((i) => i.lopnummer === lopnummer) : undefined;
    if (item) return { ok: true, value: item };
    return {
      ok: false,
      reason: paragraphs?.size
        ? `§ ${paragraph[2]} är inget ärende på ${meetingName(meeting)}. Skriv löpnumret i stället; "ärenden" visar listan.`
        : `Paragrafnumren är inte satta ännu för ${meetingName(meeting)}. Skriv löpnumret i stället; "ärenden" visar listan.`,
    };
  }
  if (/^\d{1,4}(\/\d{2,4})?$/.test(raw)) {
    const exact = meeting.items.find((i) => i.lopnummer === raw);
    if (exact) return { ok: true, value: exact };
    const byNumber = meeting.items.filter((i) => i.lopnummer.split('/')[0] === raw);
    if (byNumber.length === 1) return { ok: true, value: byNumber[0] };
    if (byNumber.length > 1) return ambiguous(ref, byNumber);
    return itemNotFound(meeting, ref);
  }
  const word = normalizeWord(ref);
  if (word.length < 3) return itemNotFound(meeting, ref);
  // A sekretess ärende is found by löpnummer (or §) only: if a title word found it, a member
  // could learn the words of its title by trying them.
  const matches = meeting.items.filter((i) => !i.sekretess && titleWords(i.title).some((w) => w.startsWith(word)));
  if (matches.length === 1) return { ok: true, value: matches[0] };
  if (matches.length > 1) return ambiguous(ref, matches);
  return itemNotFound(meeting, ref);
}

function ambiguous(ref: string, candidates: Item[]): Found<Item> {
  return {
    ok: false,
    reason: `"${ref}" passar flera ärenden. Skriv löpnumret för det du menar:`,
    candidates,
  };
}

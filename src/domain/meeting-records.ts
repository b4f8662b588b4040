/**
 * Meetings and ärenden as records on top of the committee file.
 *
 * The committee file is the starting point; the secretary's chat edits (add a meeting, add,
 * retitle, move and remove ärenden, mark sekretess) and imported ärendelistor are records
 * (`meeting.added`, `item.*`, `items.imported`). The state keeps them in order
 * (`CommitteeState.meetingEdits`), and `committeeView` lays them over the file: the one view of
 * the committee that every reader (agenda, reminders, jäv, export) is given, so they never
 * disagree about which ärenden exist. Pure.
 */
import type { Committee, Item, Meeting } from './committee';
import type { EventPayload } from './records';

export type MeetingEdit = Extract<
  EventPayload,
  { type: 'meeting.added' | 'item.added' | 'item.retitled' | 'item.moved' | 'item.removed' | 'item.sekretess' | 'items.imported' }
>;

export const MEETING_EDIT_TYPES: readonly MeetingEdit['type'][] = [
  'meeting.added',
  'item.added',
  'item.retitled',
  'item.moved',
  'item.removed',
  'item.sekretess',
  'items.imported',
];

export function isMeetingEdit(e: { type: string }): e is MeetingEdit {
  return (MEETING_EDIT_TYPES as readonly string[]).includes(e.type);
}

/** The edit with only its payload (what the state keeps of it). */
export function editPayload(e: MeetingEdit): MeetingEdit {
  const { id: _id, at: _at, actor: _actor, seq: _seq, ...payload } = e as MeetingEdit & { id?: string; at?: string; actor?: unknown; seq?: number };
  return payload as MeetingEdit;
}

const views = new WeakMap<readonly MeetingEdit[], { base: Committee; view: Committee }>();

/**
 * The committee as it stands: the file's meetings with the recorded edits applied in order.
 * Without edits it is the file's committee itself. Kept per list of edits (the state replaces
 * the list when an edit is added), so readers share one view until the next edit.
 */
export function committeeView(committee: Committee, edits: readonly MeetingEdit[]): Committee {
  if (edits.length === 0) return committee;
  const cached = views.get(edits);
  if (cached && cached.base === committee) return cached.view;
  const meetings: Meeting[] = committee.meetings.map((m) => ({ ...m, items: [...m.items] }));
  for (const e of edits) applyEdit(meetings, e);
  const view: Committee = Object.freeze({ ...committee, meetings: Object.freeze(meetings) as Meeting[] });
  views.set(edits, { base: committee, view });
  return view;
}

function applyEdit(meetings: Meeting[], e: MeetingEdit): void {
  if (e.type === 'meeting.added') {
    if (meetings.some((m) => m.id === e.meetingId)) return;
    meetings.push({ id: e.meetingId, date: e.date, ...(e.start ? { start: e.start } : {}), ...(e.end ? { end: e.end } : {}), place: e.place, items: [] });
    return;
  }
  const meeting = meetings.find((m) => m.id === e.meetingId);
  // An edit whose meeting or ärende has since left the committee file changes nothing.
  if (!meeting) return;
  const at = (lopnummer: string) => meeting.items.findIndex((i) => i.lopnummer === lopnummer);
  const insert = (item: Item, before: string | undefined) => {
    const i = before === undefined ? -1 : at(before);
    if (i < 0) meeting.items.push(item);
    else meeting.items.splice(i, 0, item);
  };
  switch (e.type) {
    case 'item.added':
      if (at(e.item.lopnummer) < 0) insert(e.item, e.before);
      break;
    case 'item.retitled': {
      const i = at(e.lopnummer);
      if (i >= 0) meeting.items[i] = { ...meeting.items[i]!, title: e.title };
      break;
    }
    case 'item.moved': {
      const i = at(e.lopnummer);
      if (i < 0 || e.before === e.lopnummer) break;
      const [item] = meeting.items.splice(i, 1);
      insert(item!, e.before);
      break;
    }
    case 'item.removed': {
      const i = at(e.lopnummer);
      if (i >= 0) meeting.items.splice(i, 1);
      break;
    }
    case 'item.sekretess': {
      const i = at(e.lopnummer);
      if (i >= 0) meeting.items[i] = { ...meeting.items[i]!, sekretess: e.sekretess };
      break;
    }
    case 'items.imported':
      meeting.items = [...e.items];
      break;
  }
}

/** What an import or an edit changes in a meeting's ärenden: for the preview and the agenda diff. */
export interface ItemsDiff {
  added: Item[];
  removed: Item[];
  /** Löpnummer whose title changed: from, to. */
  retitled: { lopnummer: string; from: string; to: string }[];
  /** Löpnummer whose place among the ärenden changed. */
  moved: string[];
  /** Löpnummer whose other details (dnr, typ, förslag, sekretess, handläggare) changed. */
  changed: string[];
}

/** The difference between two lists of ärenden, matched by löpnummer. */
export function diffItems(before: readonly Item[], after: readonly Item[]): ItemsDiff {
  const was = new Map(before.map((i) => [i.lopnummer, i]));
  const now = new Map(after.map((i) => [i.lopnummer, i]));
  const added = after.filter((i) => !was.has(i.lopnummer));
  const removed = before.filter((i) => !now.has(i.lopnummer));
  const retitled: ItemsDiff['retitled'] = [];
  const changed: string[] = [];
  for (const item of after) {
    const old = was.get(item.lopnummer);
    if (!old) continue;
    if (old.title !== item.title) retitled.push({ lopnummer: item.lopnummer, from: old.title, to: item.title });
    const { title: _a, ...restOld } = old;
    const { title: _b, ...restNew } = item;
    if (stableJson(restOld) !== stableJson(restNew)) changed.push(item.lopnummer);
  }
  // Moved: kept ärenden whose order among the kept ones changed (the longest run kept in order stays).
  const keptBefore = before.filter((i) => now.has(i.lopnummer)).map((i) => i.lopnummer);
  const keptAfter = after.filter((i) => was.has(i.lopnummer)).map((i) => i.lopnummer);
  const stay = new Set(longestCommonSubsequence(keptBefore, keptAfter));
  const moved = keptAfter.filter((l) => !stay.has(l));
  return { added, removed, retitled, moved, changed };
}

export function isEmptyDiff(d: ItemsDiff): boolean {
  return d.added.length + d.removed.length + d.retitled.length + d.moved.length + d.changed.length === 0;
}

function stableJson(o: object): string {
  const clean = Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0) && v !== false)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return JSON.stringify(clean);
}

function longestCommonSubsequence(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

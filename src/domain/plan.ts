/**
 * The reminder plan: every reminder a committee's state calls for, derived purely from the
 * committee file, the recorded events and the time. Nothing is scheduled or stored: a changed
 * justering date or an early signature simply gives a different plan, and the scheduler sends
 * what is due and not yet done (`state.remindersDone`).
 *
 * Kinds, and who gets them:
 * - `justering`: each justerare and the ordförande who has not signed; when the protocol is
 *   ready, and at working-day offsets before the last day (default two days before and that
 *   morning).
 * - `justering.overdue`: the secretary and the ordförande, the first working day after the last
 *   day, while someone has not signed.
 * - `anslag`: the secretary, once everyone has signed, each working day until the anslag is
 *   recorded, and once more when it is late.
 * - `kallelse`: the secretary, before the last day for the kallelse.
 * - `kallelse.members`: every elected member, once the kallelse is out: check the agenda for
 *   jäv, announce övriga frågor before the cut-off.
 * - `tjansteskrivelse`: each handläggare with ärenden on the meeting, before their last day.
 *
 * A reminder's id says what it is for (committee, meeting, kind, recipient, offset and, when the
 * offset counts from a deadline, that deadline), so planning the same state twice gives the same
 * ids and a moved deadline gives new ones. Reminders of one series (same meeting, kind and
 * recipient) replace each other: when several fell due while the bot was down, only the latest
 * is sent.
 *
 * Reminders go out on working days within office hours, or on the deadline's own day within
 * office hours (`nextSendableInstant`). Everything is computed on the Stockholm wall clock, so
 * summer time never moves a reminder.
 *
 * The domain does not know the core's message model: each reminder carries its Swedish title,
 * explanation lines and the commands it suggests, and the core turns that into a Message.
 *
 * The planner runs for thousands of committees per scheduler tick, so what depends only on dates
 * (a meeting's deadlines and reminder instants) is computed once per distinct date and kept.
 */
import { addWorkingDays, nextWorkingDay, swedishCalendar, type WorkingDayCalendar } from './calendar';
import { ELECTED_ROLES, findMember, memberLabel, personIds, type Committee, type Item, type Meeting, type Member } from './committee';
import { anslagDue, justeringDue, kallelseDue, ovrigaFragorCutoff, proposedJustering, tjansteskrivelseDue, type Deadline, type InstantDeadline, type JusteringRuleSetting } from './deadlines';
import { DEFAULT_OFFICE_HOURS, isSendable, nextSendableInstant, type OfficeHours } from './office-hours';
import type { CommitteeState, JusteringState } from './state';
import { memo } from './memo';
import * as time from './time';
import { count, joinSv } from './text';

export const REMINDER_KINDS = ['justering', 'justering.overdue', 'anslag', 'kallelse', 'kallelse.members', 'tjansteskrivelse'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * - pending: not due yet, or due but waiting for office hours (`sendAt`);
 * - due: send now;
 * - stale: fell due but can no longer go out by its last day: to be dropped and logged;
 * - superseded: a later reminder of the same series is due too; only that one is sent.
 */
export type ReminderStatus = 'pending' | 'due' | 'stale' | 'superseded';

/** A command the reminder suggests: a button where the platform has them, the text elsewhere. */
export interface SuggestedCommand {
  /** The command's stable name (its form and button id in the core). */
  name: string;
  label: string;
  /** Arguments as a button carries them (meeting, date …). */
  args: Record<string, string>;
  /** The same as a typed command. */
  text: string;
  primary?: boolean;
}

export interface PlannedReminder {
  /** Stable: committee, meeting, kind, recipient, offset (and the deadline the offset counts from). */
  id: string;
  /** Reminders of one series replace each other: committee, meeting, kind, recipient. */
  series: string;
  committeeId: string;
  meetingId: string;
  kind: ReminderKind;
  /** Which reminder of the series: "ready", "wd2@2027-02-04", "out@2027-01-14", "overdue@…". */
  offset: string;
  recipientId: string;
  /** The planned instant: on a working day (or the deadline's day) within office hours. */
  due: Date;
  /** When it would go out, seen from `now`: `due`, or the next sendable instant after a downtime. */
  sendAt: Date;
  /** The day the reminder is about, YYYY-MM-DD in Stockholm. */
  deadline: string;
  /** After this Stockholm day sending no longer helps; absent when it matters until done. */
  staleAfter?: string;
  status: ReminderStatus;
  /** Swedish: the lead line of the message. */
  title: string;
  /** Swedish: what is due, when, why, and what to do. */
  lines: string[];
  /** Swedish: a titled list (the handläggare's ärenden), if any. */
  list?: { title: string; items: string[] };
  commands: SuggestedCommand[];
  /** Swedish, short: why this reminder exists ("två arbetsdagar före sista dagen för justering"). */
  reason: string;
}

export interface ReminderSettings {
  officeHours: OfficeHours;
  /** From the committee's settings, repeated here so the cached schedules are keyed by them. */
  kallelseDaysBefore: number;
  ovrigaFragorCutoffHours: number;
  justeringWhenReady: boolean;
  justeringDays: number[];
  kallelseDays: number[];
  tjansteskrivelseWorkingDays: number;
  tjansteskrivelseDays: number[];
}

export const DEFAULT_REMINDER_SETTINGS: Omit<ReminderSettings, 'kallelseDaysBefore' | 'ovrigaFragorCutoffHours'> = {
  officeHours: DEFAULT_OFFICE_HOURS,
  justeringWhenReady: true,
  justeringDays: [2, 0],
  kallelseDays: [2, 0],
  tjansteskrivelseWorkingDays: 10,
  tjansteskrivelseDays: [3, 0],
};

/** Reminders whose last day is further back than this are history: not planned, not dropped. */
export const LOOKBACK_DAYS = 7;

export interface PlanInput {
  committee: Committee;
  state: CommitteeState;
  now: Date;
  /** Which days reminders may go out on. Default: the Swedish working-day calendar. */
  calendar?: Pick<WorkingDayCalendar, 'isWorkingDay'>;
  /** Overrides the committee's office hours. */
  officeHours?: OfficeHours;
  /** Only reminders due at or before this instant. Default: all. */
  until?: Date;
}

export interface Plan {
  reminders: PlannedReminder[];
  /** The earliest instant after `until` at which something falls due or may be sent; absent if none. */
  next?: Date;
}

/** Every reminder the state calls for, sorted by when it goes out. */
export function planReminders(input: PlanInput): PlannedReminder[] {
  return planWindow(input).reminders;
}

// ---------------------------------------------------------------------------------------------
// Settings

const settingsCache = new WeakMap<Committee, { settings: ReminderSettings; key: string }>();

function resolved(committee: Committee): { settings: ReminderSettings; key: string } {
  let r = settingsCache.get(committee);
  if (!r) {
    const s = committee.settings;
    const settings: ReminderSettings = {
      officeHours: s.officeHours ?? DEFAULT_REMINDER_SETTINGS.officeHours,
      kallelseDaysBefore: s.kallelseDaysBefore,
      ovrigaFragorCutoffHours: s.ovrigaFragorCutoffHours,
      justeringWhenReady: s.justeringReminderWhenReady ?? DEFAULT_REMINDER_SETTINGS.justeringWhenReady,
      justeringDays: uniqueDesc(s.justeringReminderDays ?? DEFAULT_REMINDER_SETTINGS.justeringDays),
      kallelseDays: uniqueDesc(s.kallelseReminderDays ?? DEFAULT_REMINDER_SETTINGS.kallelseDays),
      tjansteskrivelseWorkingDays: s.tjansteskrivelseWorkingDays ?? DEFAULT_REMINDER_SETTINGS.tjansteskrivelseWorkingDays,
      tjansteskrivelseDays: uniqueDesc(s.tjansteskrivelseReminderDays ?? DEFAULT_REMINDER_SETTINGS.tjansteskrivelseDays),
    };
    r = shared(settings);
    settingsCache.set(committee, r);
  }
  return r;
}

/** Committees with the same settings share them and their key: one of each, not one per committee. */
const settingsByKey = new Map<string, { settings: ReminderSettings; key: string }>();
function shared(settings: ReminderSettings): { settings: ReminderSettings; key: string } {
  const key = JSON.stringify(settings);
  const known = settingsByKey.get(key);
  if (known) return known;
  const r = { settings, key };
  if (settingsByKey.size < MAX_SCHEDULES) settingsByKey.set(key, r);
  return r;
}

/** The committee's reminder settings with the defaults filled in. */
export function reminderSettings(committee: Committee): ReminderSettings {
  return resolved(committee).settings;
}

function withHours(r: { settings: ReminderSettings; key: string }, hours: OfficeHours | undefined): { settings: ReminderSettings; key: string } {
  if (!hours || (hours.start === r.settings.officeHours.start && hours.end === r.settings.officeHours.end)) return r;
  return shared({ ...r.settings, officeHours: hours });
}

function uniqueDesc(days: number[]): number[] {
  return [...new Set(days)].sort((a, b) => b - a);
}

/** "när protokollet är klart, två arbetsdagar före och på morgonen sista dagen" */
export function describeJusteringReminders(settings: ReminderSettings): string {
  const parts = [
    ...(settings.justeringWhenReady ? ['när protokollet är klart'] : []),
    ...settings.justeringDays.map((n) => (n === 0 ? 'på morgonen sista dagen' : `${arbetsdagar(n)} före`)),
  ];
  return joinSv(parts);
}

// ---------------------------------------------------------------------------------------------
// Small cached helpers: each is called per reminder per tick with few distinct arguments.

// time.ts remembers formatting, date shifts and Stockholm instants.
const dateLong = time.formatDateLong;
const addDays = time.addCalendarDays;
const wall = (date: string, clock: string) => time.stockholmInstant(date, clock).getTime();
const dateOfIso = memo((iso: string) => time.stockholmDate(new Date(iso)));
const daysOfInstants = new Map<number, string>();
/** The Stockholm date of an instant. Few distinct instants occur (now, and the slots), so they are kept. */
function dayOf(ms: number): string {
  let day = daysOfInstants.get(ms);
  if (day === undefined) {
    if (daysOfInstants.size >= 20_000) daysOfInstants.clear();
    day = time.stockholmDate(new Date(ms));
    daysOfInstants.set(ms, day);
  }
  return day;
}

function arbetsdagar(n: number): string {
  const words = ['noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio'];
  return `${words[n] ?? n} ${n === 1 ? 'arbetsdag' : 'arbetsdagar'}`;
}

function meetingText(meeting: Meeting): string {
  return `sammanträdet ${dateLong(meeting.date)}`;
}

function itemText(item: Item): string {
  // Reminders are private, but a sekretess title never needs to be in one.
  return `${item.lopnummer} ${item.sekretess ? 'Sekretessärende' : item.title}`;
}

// ---------------------------------------------------------------------------------------------
// Date-only schedules, cached per calendar, office hours and date.

interface Slot {
  offset: string;
  ms: number;
}

interface Schedules {
  /** "now|deadline" → when a reminder due now may go out. A tick asks this for every committee with one `now`. */
  sendAt: Map<string, number>;
  before: Map<string, BeforeSchedule>;
  justering: Map<string, JusteringSchedule>;
  anslag: Map<string, AnslagSchedule>;
}

interface BeforeSchedule {
  kallelse: Deadline;
  kallelseSlots: Slot[];
  membersSlot?: Slot;
  cutoff: InstantDeadline;
  tjanst: Deadline;
  tjanstSlots: Slot[];
  /** Earliest slot of all, to skip a meeting quickly when nothing is due yet. */
  firstMs: number;
}

interface JusteringSchedule {
  deadline: Deadline;
  legal: string;
  slots: Slot[];
  overdue: Slot;
}

interface AnslagSchedule {
  justeratDate: string;
  deadline: Deadline;
  slots: Slot[];
}

const schedulesByCalendar = new WeakMap<object, Map<string, Schedules>>();
const MAX_SCHEDULES = 20_000;

function schedulesFor(calendar: object, settingsKey: string): Schedules {
  let byKey = schedulesByCalendar.get(calendar);
  if (!byKey) {
    byKey = new Map();
    schedulesByCalendar.set(calendar, byKey);
  }
  let s = byKey.get(settingsKey);
  if (!s) {
    s = { sendAt: new Map(), before: new Map(), justering: new Map(), anslag: new Map() };
    byKey.set(settingsKey, s);
  }
  return s;
}

type Cal = Pick<WorkingDayCalendar, 'isWorkingDay'>;

/** The first instant at or after the start of office hours on `day` that may be used for a reminder about `deadline`. */
function slotAt(day: string, hours: OfficeHours, cal: Cal, deadline: string): number {
  return nextSendableInstant(new Date(wall(day, hours.start)), cal, hours, deadline).getTime();
}

/** Working days before `day` (0: the day itself). */
function workingDaysBefore(day: string, n: number): string {
  return n === 0 ? day : addWorkingDays(day, -n);
}


/** End of the Stockholm day: a slot at or after this is too late for a reminder about `day`. */
function endOf(day: string): number {
  return wall(addDays(day, 1), '00:00');
}

function beforeSchedule(meeting: Meeting, settings: ReminderSettings, cal: Cal): BeforeSchedule {
  const hours = settings.officeHours;
  const kallelse = kallelseDue(meeting.date, settings.kallelseDaysBefore);
  // Remind towards the day we propose (a working day), never later than the reglemente's day.
  const kallelseDay = kallelse.proposedDate ?? kallelse.date;
  const kallelseSlots = slotsBefore(kallelseDay, kallelse.date, settings.kallelseDays, hours, cal);
  // Members hear of it the first working day after the kallelse must be out: it is out by then.
  const outDay = nextWorkingDay(kallelse.date);
  const membersMs = outDay <= meeting.date ? slotAt(outDay, hours, cal, meeting.date) : undefined;
  const membersSlot = membersMs !== undefined && membersMs < endOf(meeting.date) ? { offset: `out@${kallelse.date}`, ms: membersMs } : undefined;
  const cutoff = ovrigaFragorCutoff(meeting.date, meeting.start, settings.ovrigaFragorCutoffHours);
  const tjanst = tjansteskrivelseDue(meeting.date, settings.tjansteskrivelseWorkingDays);
  const tjanstSlots = slotsBefore(tjanst.date, tjanst.date, settings.tjansteskrivelseDays, hours, cal);
  const firstMs = Math.min(...kallelseSlots.map((s) => s.ms), ...tjanstSlots.map((s) => s.ms), membersSlot?.ms ?? Infinity);
  return { kallelse, kallelseSlots, membersSlot, cutoff, tjanst, tjanstSlots, firstMs };
}

/** Slots `days` working days before `day`, for a deadline on `deadline`; in time order, none after the deadline's day. */
function slotsBefore(day: string, deadline: string, days: number[], hours: OfficeHours, cal: Cal): Slot[] {
  const end = endOf(deadline);
  const slots: Slot[] = [];
  for (const n of days) {
    const ms = slotAt(workingDaysBefore(day, n), hours, cal, deadline);
    if (ms < end && !slots.some((s) => s.ms === ms)) slots.push({ offset: `wd${n}@${deadline}`, ms });
  }
  return slots.sort((a, b) => a.ms - b.ms);
}

function justeringSchedule(meeting: Meeting, j: JusteringState, settings: ReminderSettings, cal: Cal): JusteringSchedule {
  const hours = settings.officeHours;
  const legal = justeringDue(meeting.date).date;
  // A due date equal to the legal limit is the law's, not a decision of the committee.
  const deadline = j.dueDate === legal ? justeringDue(meeting.date) : justeringDue(meeting.date, j.dueDate);
  const due = j.dueDate;
  const recordedMs = Date.parse(j.recordedAt);
  const readyMs = Math.max(recordedMs, j.readyDate ? wall(j.readyDate, hours.start) : 0);
  const readySlotMs = nextSendableInstant(new Date(readyMs), cal, hours, due).getTime();
  const end = endOf(due);
  const slots: Slot[] = [];
  if (settings.justeringWhenReady && readySlotMs < end) slots.push({ offset: 'ready', ms: readySlotMs });
  for (const n of settings.justeringDays) {
    let ms = slotAt(workingDaysBefore(due, n), hours, cal, due);
    // Never before the protocol is ready: the ready reminder covers that time, or, without one, this one moves there.
    if (ms < readySlotMs) {
      if (settings.justeringWhenReady) continue;
      ms = readySlotMs;
    }
    if (ms < end && !slots.some((s) => s.ms === ms)) slots.push({ offset: `wd${n}@${due}`, ms });
  }
  slots.sort((a, b) => a.ms - b.ms);
  const overdue = { offset: `overdue@${due}`, ms: slotAt(nextWorkingDay(due), hours, cal, due) };
  return { deadline, legal, slots, overdue };
}

function anslagSchedule(lastSigned: string, settings: ReminderSettings, cal: Cal): AnslagSchedule {
  const hours = settings.officeHours;
  const justeratDate = dateOfIso(lastSigned);
  const deadline = anslagDue(justeratDate);
  const last = deadline.date;
  const signedMs = nextSendableInstant(new Date(lastSigned), cal, hours, last).getTime();
  const slots: Slot[] = [{ offset: 'signed', ms: signedMs }];
  for (let d = addDays(justeratDate, 1); d <= last; d = addDays(d, 1)) {
    if (!cal.isWorkingDay(d) && d !== last) continue;
    const ms = slotAt(d, hours, cal, last);
    if (ms > slots[slots.length - 1].ms) slots.push({ offset: `day@${d}`, ms });
  }
  const overdueMs = slotAt(nextWorkingDay(last), hours, cal, last);
  if (overdueMs > slots[slots.length - 1].ms) slots.push({ offset: `overdue@${last}`, ms: overdueMs });
  return { justeratDate, deadline, slots };
}

// ---------------------------------------------------------------------------------------------
// The plan

interface People {
  committee: Committee;
  secretaries: Member[];
  chairs: Member[];
  elected: Member[];
}

const peopleCache = new WeakMap<Committee, People>();
function peopleOf(c: Committee): People {
  let p = peopleCache.get(c);
  if (!p) {
    p = {
      committee: c,
      secretaries: c.members.filter((m) => m.role === 'sekreterare'),
      chairs: c.members.filter((m) => m.role === 'ordförande'),
      elected: c.members.filter((m) => ELECTED_ROLES.includes(m.role)),
    };
    peopleCache.set(c, p);
  }
  return p;
}

/** What every reminder of one call shares. Kept by each reminder for writing its text later. */
interface Ctx {
  committee: Committee;
  people: People;
  state: CommitteeState;
  settings: ReminderSettings;
  schedules: Schedules;
  cal: Cal;
  nowMs: number;
  untilMs: number;
  oldest: string;
  out: PlannedReminder[];
  next: number;
}

/** One series: a meeting, a kind, a recipient, and what its text needs. */
interface SeriesBase {
  meeting: Meeting;
  kind: ReminderKind;
  recipientId: string;
  deadline: string;
  staleAfter?: string;
  /** Writes the Swedish text; a top-level function, so planning allocates no closures. */
  write: Writer;
  before?: BeforeSchedule;
  justering?: { s: JusteringSchedule; j: JusteringState };
  anslag?: AnslagSchedule;
  items?: Item[];
}

type Content = Pick<PlannedReminder, 'title' | 'lines' | 'commands' | 'reason'> & { list?: PlannedReminder['list'] };
type Writer = (ctx: Ctx, base: SeriesBase, slot: Slot, sendAtMs: number) => Content;

/** When a reminder about `deadline` that is due now may go out: now, or the next sendable instant. */
function sendAtFor(ctx: Ctx, deadline: string): number {
  const key = `${ctx.nowMs}|${deadline}`;
  let ms = ctx.schedules.sendAt.get(key);
  if (ms === undefined) {
    const now = new Date(ctx.nowMs);
    const hours = ctx.settings.officeHours;
    ms = isSendable(now, ctx.cal, hours, deadline) ? ctx.nowMs : nextSendableInstant(now, ctx.cal, hours, deadline).getTime();
    if (ctx.schedules.sendAt.size >= MAX_SCHEDULES) ctx.schedules.sendAt.clear();
    ctx.schedules.sendAt.set(key, ms);
  }
  return ms;
}

/** Keeps `ms` as the plan's `next` if it is the earliest instant after the window seen so far. */
function keepEarliestNext(ctx: Ctx, ms: number): void {
  if (ms < ctx.next) ctx.next = ms;
}

/**
 * Adds the reminders of one series that fall in the window. Slots at or before the latest one
 * already done are history; of those due now, only the latest is sent.
 */
function emit(ctx: Ctx, base: SeriesBase, slots: readonly Slot[]): void {
  if (slots.length === 0 || (base.staleAfter !== undefined && base.staleAfter < ctx.oldest)) return;
  // Nothing of a series that starts after the window can be due or done yet: skip it before any string is built.
  if (slots[0].ms > ctx.untilMs) return keepEarliestNext(ctx, slots[0].ms);
  const series = `${ctx.committee.id}:${base.meeting.id}:${base.kind}:${base.recipientId}`;
  const done = ctx.state.remindersDone.offsets(series);
  let first = 0;
  if (done.length) {
    for (let i = slots.length - 1; i >= 0; i--) {
      if (done.includes(slots[i].offset)) {
        first = i + 1;
        break;
      }
    }
  }
  if (first === slots.length) return;
  let lastDue = -1;
  for (let i = first; i < slots.length && slots[i].ms <= ctx.nowMs; i++) lastDue = i;
  for (let i = first; i < slots.length; i++) {
    const slot = slots[i];
    if (slot.ms > ctx.untilMs) return keepEarliestNext(ctx, slot.ms);
    let status: ReminderStatus;
    let sendAtMs = slot.ms;
    if (slot.ms > ctx.nowMs) status = 'pending';
    else if (i < lastDue) status = 'superseded';
    else {
      sendAtMs = sendAtFor(ctx, base.deadline);
      if (base.staleAfter !== undefined && dayOf(sendAtMs) > base.staleAfter) status = 'stale';
      else if (sendAtMs > ctx.nowMs) {
        status = 'pending';
        keepEarliestNext(ctx, sendAtMs);
      } else status = 'due';
    }
    ctx.out.push(new Reminder(`${series}:${slot.offset}`, series, ctx, base, slot, sendAtMs, status));
  }
}

/**
 * A planned reminder whose Swedish content is written on first read: a tick plans many
 * reminders and sends a few, so the text of the rest is never needed.
 */
class Reminder implements PlannedReminder {
  readonly committeeId: string;
  readonly meetingId: string;
  readonly kind: ReminderKind;
  readonly offset: string;
  readonly recipientId: string;
  readonly due: Date;
  readonly sendAt: Date;
  readonly deadline: string;
  readonly staleAfter?: string;
  #content: Content | undefined;
  readonly #ctx: Ctx;
  readonly #base: SeriesBase;
  readonly #slot: Slot;

  constructor(
    readonly id: string,
    readonly series: string,
    ctx: Ctx,
    base: SeriesBase,
    slot: Slot,
    sendAtMs: number,
    readonly status: ReminderStatus,
  ) {
    this.committeeId = ctx.committee.id;
    this.meetingId = base.meeting.id;
    this.kind = base.kind;
    this.offset = slot.offset;
    this.recipientId = base.recipientId;
    this.due = new Date(slot.ms);
    this.sendAt = new Date(sendAtMs);
    this.deadline = base.deadline;
    if (base.staleAfter !== undefined) this.staleAfter = base.staleAfter;
    this.#ctx = ctx;
    this.#base = base;
    this.#slot = slot;
  }

  #get(): Content {
    return (this.#content ??= this.#base.write(this.#ctx, this.#base, this.#slot, this.sendAt.getTime()));
  }
  get title(): string {
    return this.#get().title;
  }
  get lines(): string[] {
    return this.#get().lines;
  }
  get list(): PlannedReminder['list'] {
    return this.#get().list;
  }
  get commands(): SuggestedCommand[] {
    return this.#get().commands;
  }
  get reason(): string {
    return this.#get().reason;
  }
}

/** The plan for a window: reminders due at or before `until`, and when the next one falls due. */
export function planWindow(input: PlanInput): Plan {
  const { committee, state } = input;
  const cal = input.calendar ?? swedishCalendar;
  const c = committeeEntry(committee, cal, input.officeHours);
  const nowMs = input.now.getTime();
  const ctx: Ctx = {
    committee,
    people: c.people,
    state,
    settings: c.settings,
    schedules: c.schedules,
    cal,
    nowMs,
    untilMs: input.until ? input.until.getTime() : Infinity,
    oldest: addDays(dayOf(nowMs), -LOOKBACK_DAYS),
    out: [],
    next: Infinity,
  };
  const meetings = committee.meetings;
  for (let i = 0; i < meetings.length; i++) {
    const meeting = meetings[i];
    const j = state.justering.size ? state.justering.get(meeting.id) : undefined;
    // Once the anslag is recorded the meeting is closed: nothing more is planned for it (and its
    // done reminders are forgotten, see state.ts).
    if (j?.anslagPostedDate) continue;
    if (meeting.date >= ctx.oldest) {
      const b = (c.before[i] ??= beforeScheduleOf(ctx.schedules, meeting, c.settings, cal));
      if (b.firstMs <= ctx.untilMs) planBefore(ctx, meeting, b);
      else keepEarliestNext(ctx, b.firstMs);
    }
    if (j) planAfter(ctx, meeting, j);
  }

  ctx.out.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { reminders: ctx.out, ...(ctx.next < Infinity ? { next: new Date(ctx.next) } : {}) };
}

/** What planning a committee needs besides its state, kept per committee (its file does not change while running). */
interface CommitteeEntry {
  settings: ReminderSettings;
  people: People;
  schedules: Schedules;
  /** Meeting index → its schedule before the meeting. */
  before: (BeforeSchedule | undefined)[];
}

const defaultEntries = new WeakMap<Committee, CommitteeEntry>();

function committeeEntry(committee: Committee, cal: Cal, hours: OfficeHours | undefined): CommitteeEntry {
  const plain = cal === swedishCalendar && hours === undefined;
  const cached = plain ? defaultEntries.get(committee) : undefined;
  if (cached) return cached;
  const r = withHours(resolved(committee), hours);
  const entry: CommitteeEntry = { settings: r.settings, people: peopleOf(committee), schedules: schedulesFor(cal, r.key), before: [] };
  if (plain) defaultEntries.set(committee, entry);
  return entry;
}

function beforeScheduleOf(schedules: Schedules, meeting: Meeting, settings: ReminderSettings, cal: Cal): BeforeSchedule {
  const key = `${meeting.date}|${meeting.start}`;
  let b = schedules.before.get(key);
  if (b === undefined) {
    if (schedules.before.size >= MAX_SCHEDULES) schedules.before.clear();
    b = beforeSchedule(meeting, settings, cal);
    schedules.before.set(key, b);
  }
  return b;
}

function label(people: People, id: string): string {
  const m = findMember(people.committee, id);
  return m ? memberLabel(m) : id;
}

/** The n of an offset "wd2@…". */
function offsetDays(slot: Slot): number {
  return Number(slot.offset.slice(2, slot.offset.indexOf('@')));
}

const itemsCommand = (meeting: Meeting): SuggestedCommand => ({ name: 'items', label: 'Visa ärendena', args: { meeting: meeting.id }, text: `ärenden möte ${meeting.date}` });

// ---- before the meeting ----

function planBefore(ctx: Ctx, meeting: Meeting, b: BeforeSchedule): void {
  const people = ctx.people;
  // The secretary, before the last day for the kallelse.
  for (const sec of people.secretaries) {
    emit(ctx, { meeting, kind: 'kallelse', recipientId: sec.id, deadline: b.kallelse.date, staleAfter: b.kallelse.date, write: writeKallelse, before: b }, b.kallelseSlots);
  }
  // Every elected member, once the kallelse is out.
  const out = b.membersSlot;
  if (out && out.ms > ctx.untilMs) keepEarliestNext(ctx, out.ms);
  else if (out && meeting.date >= ctx.oldest) {
    const slots = [out];
    for (const m of people.elected) {
      emit(ctx, { meeting, kind: 'kallelse.members', recipientId: m.id, deadline: meeting.date, staleAfter: meeting.date, write: writeMembers, before: b }, slots);
    }
  }
  // Each handläggare with ärenden on the meeting, before their last day.
  const tj = b.tjanstSlots;
  if (tj.length && tj[0].ms > ctx.untilMs) keepEarliestNext(ctx, tj[0].ms);
  else if (tj.length && b.tjanst.date >= ctx.oldest) {
    const byOfficer = new Map<string, Item[]>();
    for (const item of meeting.items) {
      for (const officer of personIds(item.handlaggare)) {
        const list = byOfficer.get(officer);
        if (list) list.push(item);
        else byOfficer.set(officer, [item]);
      }
    }
    for (const [officer, items] of byOfficer) {
      emit(ctx, { meeting, kind: 'tjansteskrivelse', recipientId: officer, deadline: b.tjanst.date, staleAfter: b.tjanst.date, write: writeTjanst, before: b, items }, tj);
    }
  }
}

function writeKallelse(_ctx: Ctx, base: SeriesBase, slot: Slot, sendAt: number): Content {
  const { meeting } = base;
  const kallelse = base.before!.kallelse;
  const day = kallelse.proposedDate ?? kallelse.date;
  const n = offsetDays(slot);
  return {
    title:
      dayOf(sendAt) === day
        ? `I dag är sista dagen att skicka kallelsen till ${meetingText(meeting)}.`
        : `Påminnelse: kallelsen till ${meetingText(meeting)} ska gå ut senast ${dateLong(day)}.`,
    lines: [kallelse.explanation, ...(kallelse.warning ? [kallelse.warning] : []), `${count(meeting.items.length, 'ärende är inlagt', 'ärenden är inlagda')} för sammanträdet.`],
    commands: [itemsCommand(meeting)],
    reason: n === 0 ? 'sista dagen för kallelsen' : `${arbetsdagar(n)} före sista dagen för kallelsen`,
  };
}

function writeMembers(_ctx: Ctx, base: SeriesBase, _slot: Slot, sendAt: number): Content {
  const { meeting } = base;
  const cutoff = base.before!.cutoff;
  return {
    title: `Kallelsen till ${meetingText(meeting)}${meeting.start ? ` ${time.formatClock(meeting.start)}` : ''} har gått ut. Titta igenom ärendena.`,
    lines: [
      `Plats: ${meeting.place}.`,
      'Är du jävig i något ärende, anmäl det innan sammanträdet.',
      sendAt < cutoff.instant.getTime()
        ? `Övriga frågor anmäler du senast ${dateLong(cutoff.date)} ${time.formatClock(cutoff.clock)}.`
        : 'Sista tiden för att anmäla övriga frågor har passerat; en fråga som anmäls nu markeras som sen.',
    ],
    commands: [
      itemsCommand(meeting),
      { name: 'jav.declare', label: 'Anmäl jäv', args: { meeting: meeting.id }, text: 'jäv <ärende> <grund>' },
      { name: 'fraga.announce', label: 'Anmäl övrig fråga', args: { meeting: meeting.id }, text: `övrig fråga möte ${meeting.date} <frågan>` },
    ],
    reason: 'kallelsen har gått ut',
  };
}

function writeTjanst(_ctx: Ctx, base: SeriesBase, slot: Slot, sendAt: number): Content {
  const { meeting } = base;
  const tjanst = base.before!.tjanst;
  const items = base.items ?? [];
  const n = offsetDays(slot);
  return {
    title:
      dayOf(sendAt) === tjanst.date
        ? `I dag är sista dagen för tjänsteskrivelser till ${meetingText(meeting)}.`
        : `Påminnelse: tjänsteskrivelserna till ${meetingText(meeting)} ska vara klara senast ${dateLong(tjanst.date)}.`,
    lines: [tjanst.explanation],
    list: { title: items.length === 1 ? 'Ditt ärende:' : 'Dina ärenden:', items: items.map(itemText) },
    commands: [itemsCommand(meeting)],
    reason: n === 0 ? 'handläggarnas sista dag' : `${arbetsdagar(n)} före handläggarnas sista dag`,
  };
}

// ---- after the meeting ----

function isChair(people: People, id: string): boolean {
  for (const c of people.chairs) if (c.id === id) return true;
  return false;
}

function planAfter(ctx: Ctx, meeting: Meeting, j: JusteringState): void {
  const people = ctx.people;
  let unsigned = 0;
  for (const id of j.justerare) if (!j.signedAt[id]) unsigned++;
  for (const c of people.chairs) if (!j.signedAt[c.id] && !j.justerare.includes(c.id)) unsigned++;

  if (unsigned > 0) {
    const key = `${meeting.date}|${j.dueDate}|${j.recordedAt}|${j.readyDate ?? ''}`;
    let s = ctx.schedules.justering.get(key);
    if (s === undefined) {
      if (ctx.schedules.justering.size >= MAX_SCHEDULES) ctx.schedules.justering.clear();
      s = justeringSchedule(meeting, j, ctx.settings, ctx.cal);
      ctx.schedules.justering.set(key, s);
    }
    const justering = { s, j };
    const due = j.dueDate;
    for (const id of j.justerare) {
      if (!j.signedAt[id]) emit(ctx, { meeting, kind: 'justering', recipientId: id, deadline: due, staleAfter: due, write: writeJustering, justering }, s.slots);
    }
    for (const c of people.chairs) {
      if (!j.signedAt[c.id] && !j.justerare.includes(c.id)) emit(ctx, { meeting, kind: 'justering', recipientId: c.id, deadline: due, staleAfter: due, write: writeJustering, justering }, s.slots);
    }
    // Escalation to the secretary and the ordförande once the day has passed.
    const overdue = [s.overdue];
    for (const m of people.secretaries) emit(ctx, { meeting, kind: 'justering.overdue', recipientId: m.id, deadline: due, write: writeOverdue, justering }, overdue);
    for (const m of people.chairs) emit(ctx, { meeting, kind: 'justering.overdue', recipientId: m.id, deadline: due, write: writeOverdue, justering }, overdue);
    return;
  }

  // Everyone has signed: the secretary posts the anslag.
  let lastSigned = '';
  for (const id of j.justerare) if (j.signedAt[id] > lastSigned) lastSigned = j.signedAt[id];
  for (const c of people.chairs) if (j.signedAt[c.id] > lastSigned) lastSigned = j.signedAt[c.id];
  if (!lastSigned) return;
  let a = ctx.schedules.anslag.get(lastSigned);
  if (a === undefined) {
    if (ctx.schedules.anslag.size >= MAX_SCHEDULES) ctx.schedules.anslag.clear();
    a = anslagSchedule(lastSigned, ctx.settings, ctx.cal);
    ctx.schedules.anslag.set(lastSigned, a);
  }
  for (const sec of people.secretaries) emit(ctx, { meeting, kind: 'anslag', recipientId: sec.id, deadline: a.deadline.date, write: writeAnslag, anslag: a }, a.slots);
}

function signCommand(meeting: Meeting): SuggestedCommand {
  return { name: 'justering.sign', label: 'Justerat', args: { meeting: meeting.id }, text: `justerat ${meeting.date}`, primary: true };
}

/** Everyone who signs and has not: the justerare, then the ordförande. */
function unsignedOf(people: People, j: JusteringState): string[] {
  const ids = j.justerare.filter((id) => !j.signedAt[id]);
  for (const c of people.chairs) if (!j.signedAt[c.id] && !ids.includes(c.id) && !j.justerare.includes(c.id)) ids.push(c.id);
  return ids;
}

function writeJustering(ctx: Ctx, base: SeriesBase, slot: Slot, sendAt: number): Content {
  const { meeting, recipientId: id } = base;
  const { s, j } = base.justering!;
  const people = ctx.people;
  const due = j.dueDate;
  const justerare = j.justerare.filter((x) => !isChair(people, x));
  const others = justerare.filter((x) => x !== id).map((x) => label(people, x));
  const n = slot.offset === 'ready' ? -1 : offsetDays(slot);
  return {
    title:
      slot.offset === 'ready'
        ? `Protokollet från ${meetingText(meeting)} är klart för justering. Justera det senast ${dateLong(due)}.`
        : dayOf(sendAt) === due
          ? `I dag är sista dagen att justera protokollet från ${meetingText(meeting)}.`
          : `Påminnelse: justera protokollet från ${meetingText(meeting)} senast ${dateLong(due)}.`,
    lines: [
      isChair(people, id)
        ? `Som ordförande justerar du protokollet${justerare.length ? ` tillsammans med ${joinSv(justerare.map((x) => label(people, x)))}` : ''}.`
        : `Du är utsedd att justera protokollet${others.length ? ` tillsammans med ${joinSv(others)} och ordföranden` : ' tillsammans med ordföranden'}.`,
      s.deadline.explanation,
      ...(s.deadline.warning ? [s.deadline.warning] : []),
      'När du har justerat, tryck på Justerat eller skriv kommandot nedan.',
    ],
    commands: [signCommand(meeting)],
    reason: n === -1 ? 'protokollet är klart för justering' : n === 0 ? 'sista dagen för justering' : `${arbetsdagar(n)} före sista dagen för justering`,
  };
}

function writeOverdue(ctx: Ctx, base: SeriesBase): Content {
  const { meeting, recipientId } = base;
  const { s, j } = base.justering!;
  const people = ctx.people;
  const unsigned = unsignedOf(people, j);
  const m = findMember(people.committee, recipientId);
  const isSecretary = m?.role === 'sekreterare';
  const chairUnsigned = unsigned.includes(recipientId);
  const due = j.dueDate;
  return {
    title: `Protokollet från ${meetingText(meeting)} skulle ha justerats senast ${dateLong(due)} men är inte justerat.`,
    lines: [
      `Har inte justerat: ${joinSv(unsigned.map((x) => label(people, x)))}.`,
      due < s.legal
        ? `Enligt kommunallagen ska protokollet vara justerat senast ${dateLong(s.legal)}.`
        : `Enligt kommunallagen skulle protokollet ha justerats senast ${dateLong(s.legal)}.`,
      isSecretary
        ? `Kontakta ${unsigned.length === 1 ? 'den som inte har justerat' : 'dem som inte har justerat'}. Ett nytt datum lägger du in med: justering ${meeting.date} ${j.justerare.join(' ')} senast <datum>.`
        : chairUnsigned
          ? 'När du har justerat, tryck på Justerat eller skriv kommandot nedan.'
          : 'Sekreteraren har också fått besked.',
    ],
    commands: chairUnsigned ? [signCommand(meeting)] : isSecretary ? [{ name: 'reminders.list', label: 'Visa påminnelser', args: {}, text: 'påminnelser' }] : [],
    reason: 'justeringen är försenad',
  };
}

function writeAnslag(_ctx: Ctx, base: SeriesBase, slot: Slot): Content {
  const { meeting } = base;
  const a = base.anslag!;
  const last = a.deadline.date;
  const overdue = slot.offset.startsWith('overdue');
  return {
    title:
      slot.offset === 'signed'
        ? `Protokollet från ${meetingText(meeting)} är justerat av alla. Anslå det på anslagstavlan senast ${dateLong(last)}.`
        : overdue
          ? `Anslaget om protokollet från ${meetingText(meeting)} skulle ha satts upp senast ${dateLong(last)} och är inte registrerat.`
          : `Påminnelse: anslå protokollet från ${meetingText(meeting)} senast ${dateLong(last)}.`,
    lines: [
      `Protokollet justerades ${dateLong(a.justeratDate)}. ${a.deadline.explanation}`,
      ...(a.deadline.warning && !overdue ? [a.deadline.warning] : []),
      `När anslaget sitter uppe, tryck på knappen eller skriv: anslaget <datum> ${meeting.date}. Då får du sista dag för överklagande.`,
    ],
    commands: [{ name: 'anslag.record', label: 'Anslaget uppsatt i dag', args: { meeting: meeting.id, date: 'idag' }, text: `anslaget idag ${meeting.date}`, primary: true }],
    reason: overdue ? 'anslaget är försenat' : 'alla har justerat men anslaget är inte registrerat',
  };
}

// ---------------------------------------------------------------------------------------------
// For the secretary's replies: the justering date to propose when none is given.

/**
 * The justering date to use when the secretary gives none: the committee's decided date from
 * the committee file when it holds, else the committee's rule (settings.justering), else the
 * legal limit. With a warning and a safer date when that day is not a working day.
 */
export function defaultJusteringDate(meeting: Meeting, committee?: Committee): Deadline {
  return proposedJustering(meeting.date, meeting.justeringDate, committee && justeringRule(committee));
}

/** The committee's justering rule as the deadline rules take it; the schema makes sure each rule has its value. */
export function justeringRule(committee: Committee): JusteringRuleSetting | undefined {
  const j = committee.settings.justering;
  if (!j) return undefined;
  if (j.rule === 'workingDays' && j.workingDays !== undefined) return { rule: 'workingDays', workingDays: j.workingDays };
  if (j.rule === 'weekday' && j.weekday !== undefined) return { rule: 'weekday', weekday: j.weekday };
  if (j.rule === 'nextWorkingDay') return { rule: 'nextWorkingDay' };
  return { rule: 'legalMaximum' };
}


/**
 * Attendance and quorum: who takes part in each ärende, who asks which ersättare next, which
 * asks have timed out, and the attendance list in protocol form. Pure.
 *
 * The rules (domain.md):
 * - The ledamöter (ordförande and vice ordförande included) hold the seats. An ärende can be
 *   decided only when more than half of them take part (quorum).
 * - A ledamot with förhinder, or with declared jäv in an ärende, does not take part in it. An
 *   ersättare who stepped in for the ledamot does, unless the ersättare is jävig there too.
 * - An ersättare steps in between ärenden, never during one, so everything is counted per ärende,
 *   with the opening §§ (justerare, dagordning) as one row of their own.
 * - Ersättare are called in the order kommunfullmäktige decided, per party
 *   (`settings.ersattareOrder`); without one, the party's own ersättare in the committee file's order.
 */
import { swedishCalendar, type WorkingDayCalendar } from './calendar';
import { memberLabel, type Committee, type Item, type Meeting, type Member } from './committee';
import { javProtocolSentence } from './jav';
import { DEFAULT_OFFICE_HOURS, nextSendableInstant } from './office-hours';
import type { AskStatus, CommitteeState } from './state';
import { stockholmInstant } from './time';
import { capitalize, genitive, joinSv } from './text';

export const SEAT_ROLES: readonly Member['role'][] = ['ordförande', 'vice ordförande', 'ledamot'];
export const DEFAULT_ANSWER_HOURS = 24;

// ---------------------------------------------------------------------------------------------
// The view: what the rules read, taken from the state or written by hand in tests.

export interface ForhinderView {
  id: string;
  memberId: string;
  /** Empty: the whole meeting. */
  lopnummer: readonly string[];
}

export interface AskView {
  id: string;
  forhinderId: string;
  /** The member whose place the ersättare would take. */
  memberId: string;
  ersattareId: string;
  lopnummer: readonly string[];
  status: AskStatus;
  deadline: string;
}

export interface JavView {
  memberId: string;
  lopnummer: string;
}

export interface AttendanceView {
  /** Standing förhinder only. */
  forhinder: ForhinderView[];
  /** Every ask for the meeting, answered or not. */
  asks: AskView[];
  /** Standing jäv declarations only. */
  jav: JavView[];
}

/** Copies, so a handler may update the view as it decides without touching the state. */
export function attendanceView(state: CommitteeState, meetingId: string): AttendanceView {
  return {
    forhinder: [...state.forhinder.values()].filter((f) => f.meetingId === meetingId && !f.withdrawnAt).map((f) => ({ id: f.id, memberId: f.memberId, lopnummer: [...f.lopnummer] })),
    asks: [...state.ersattareAsks.values()]
      .filter((a) => a.meetingId === meetingId)
      .map((a) => ({ id: a.id, forhinderId: a.forhinderId, memberId: a.memberId, ersattareId: a.ersattareId, lopnummer: [...a.lopnummer], status: a.status, deadline: a.deadline })),
    jav: [...state.declarations.values()].filter((d) => d.meetingId === meetingId && !d.withdrawnAt).map((d) => ({ memberId: d.memberId, lopnummer: d.lopnummer })),
  };
}

/** The § of each ärende in the meeting's latest agenda draft, if there is one. */
export function draftParagraphs(state: CommitteeState, meetingId: string): Map<string, number> {
  const out = new Map<string, number>();
  const items = state.agendaDrafts.get(meetingId)?.agenda.items;
  if (!Array.isArray(items)) return out;
  for (const i of items as unknown[]) {
    const it = i as { type?: unknown; lopnummer?: unknown; paragraph?: unknown };
    if (it.type === 'arende' && typeof it.lopnummer === 'string' && typeof it.paragraph === 'number') out.set(it.lopnummer, it.paragraph);
  }
  return out;
}

/** The same, the other way round: § number → löpnummer, for reading "§ 21". */
export function paragraphNumbers(state: CommitteeState, meetingId: string): Map<number, string> {
  return new Map([...draftParagraphs(state, meetingId)].map(([lopnummer, paragraph]) => [paragraph, lopnummer]));
}

/** Whether a scope (empty: whole meeting) covers an ärende; `null` is the opening §§. */
export function covers(scope: readonly string[], lopnummer: string | null): boolean {
  return scope.length === 0 || (lopnummer !== null && scope.includes(lopnummer));
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.length === 0 || b.length === 0 || a.some((x) => b.includes(x));
}

export function seatHolders(committee: Committee): Member[] {
  return committee.members.filter((m) => SEAT_ROLES.includes(m.role));
}

/** More than half of the seats. */
export function quorumOf(seats: number): number {
  return Math.floor(seats / 2) + 1;
}

/** The ersättare to call for a member of `party`, in order. */
export function ersattareOrder(committee: Committee, party: string | undefined): Member[] {
  const configured = party ? committee.settings.ersattareOrder?.[party] : undefined;
  if (configured) return configured.map((id) => committee.members.find((m) => m.id === id)).filter((m): m is Member => m?.role === 'ersättare');
  return committee.members.filter((m) => m.role === 'ersättare' && m.party !== undefined && m.party === party);
}

const OPEN: readonly AskStatus[] = ['pending', 'accepted'];
const SAID_NO: readonly AskStatus[] = ['declined', 'timedOut'];

/**
 * Who to ask next for a förhinder: the first in the member's party order who has not been asked
 * for it, has not said no (or let an ask time out) for the same part of the meeting, is not asked
 * or serving for someone else there, has no förhinder there, and is not jävig in all of it.
 */
export function nextErsattare(committee: Committee, view: AttendanceView, f: ForhinderView): Member | undefined {
  const member = committee.members.find((m) => m.id === f.memberId);
  if (!member || !SEAT_ROLES.includes(member.role)) return undefined;
  return ersattareOrder(committee, member.party).find((c) => {
    if (c.id === member.id) return false;
    const theirs = view.asks.filter((a) => a.ersattareId === c.id);
    if (theirs.some((a) => a.forhinderId === f.id)) return false;
    if (theirs.some((a) => SAID_NO.includes(a.status) && overlaps(a.lopnummer, f.lopnummer))) return false;
    if (theirs.some((a) => OPEN.includes(a.status) && overlaps(a.lopnummer, f.lopnummer))) return false;
    if (view.forhinder.some((o) => o.memberId === c.id && overlaps(o.lopnummer, f.lopnummer))) return false;
    if (f.lopnummer.length > 0 && f.lopnummer.every((l) => view.jav.some((j) => j.memberId === c.id && j.lopnummer === l))) return false;
    return true;
  });
}

/** Asks still unanswered at `now` whose time is up. */
export function timedOutAsks<T extends Pick<AskView, 'status' | 'deadline'>>(asks: Iterable<T>, now: Date): T[] {
  return [...asks].filter((a) => a.status === 'pending' && Date.parse(a.deadline) <= now.getTime());
}

/**
 * When an ask made at `askedAt` times out: the committee's answer time counted from the first
 * office hour (an ask made at night gets its full time), but never later than the meeting's start.
 */
export function askDeadline(committee: Committee, meeting: Meeting, askedAt: Date, calendar: Pick<WorkingDayCalendar, 'isWorkingDay'> = swedishCalendar): Date {
  const hours = committee.settings.ersattareAnswerHours ?? DEFAULT_ANSWER_HOURS;
  const from = nextSendableInstant(askedAt, calendar, committee.settings.officeHours ?? DEFAULT_OFFICE_HOURS, meeting.date);
  const start = stockholmInstant(meeting.date, meeting.start);
  return new Date(Math.min(from.getTime() + hours * 3600_000, start.getTime()));
}

// ---------------------------------------------------------------------------------------------
// The plan: per ärende, who takes part and whether the nämnd is beslutsför.

export interface Stand {
  ersattare: Member;
  forMember: Member;
}

export interface PendingStand extends Stand {
  askId: string;
  deadline: string;
}

export type QuorumStatus = 'ok' | 'risk' | 'fails';

export interface RowAttendance {
  /** "inledning" for the opening §§, else the löpnummer. */
  key: string;
  /** Null for the opening §§. */
  lopnummer: string | null;
  item: Item | null;
  /** The ärende's § in the latest draft, else null. */
  paragraph: number | null;
  /** Decisions are taken here: beslutsärenden and the opening; informationsärenden are not. */
  decides: boolean;
  participants: Member[];
  serving: Stand[];
  missing: { member: Member; reason: 'förhinder' | 'jäv' }[];
  pending: PendingStand[];
  proposals: Stand[];
  /** Ledamöter and ersättare who take part, as things stand. */
  count: number;
  /** `count` if every pending ask is accepted and every proposal followed. */
  possible: number;
  /**
   * ok: more than half take part; risk: half or fewer, but enough if the pending and proposed
   * ersättare serve; fails: not even then.
   */
  status: QuorumStatus;
}

export interface AttendancePlan {
  seats: number;
  needed: number;
  rows: RowAttendance[];
  /** Förhinder for which nobody could be found. */
  exhausted: { forhinderId: string; member: Member }[];
}

export interface PlanOptions {
  /** Förhinder ids whose chain has run out (`Forhinder.exhaustedAt`). */
  exhausted?: ReadonlySet<string>;
  paragraphs?: ReadonlyMap<string, number>;
}

export function attendancePlan(committee: Committee, meeting: Meeting, view: AttendanceView, options: PlanOptions = {}): AttendancePlan {
  const seats = seatHolders(committee);
  const needed = quorumOf(seats.length);
  const byId = new Map(committee.members.map((m) => [m.id, m]));
  const javIn = (memberId: string, lopnummer: string | null) => lopnummer !== null && view.jav.some((j) => j.memberId === memberId && j.lopnummer === lopnummer);
  const awayIn = (memberId: string, lopnummer: string | null) => view.forhinder.some((f) => f.memberId === memberId && covers(f.lopnummer, lopnummer));
  const activeForhinder = new Set(view.forhinder.map((f) => f.id));
  const saidNo = (ersattareId: string, lopnummer: string | null) =>
    view.asks.some((a) => a.ersattareId === ersattareId && SAID_NO.includes(a.status) && covers(a.lopnummer, lopnummer));

  const rows: RowAttendance[] = [];
  const stickTo = new Map<string, Member>();
  const rowFor = (item: Item | null): RowAttendance => {
    const lopnummer = item?.lopnummer ?? null;
    const participants: Member[] = [];
    const serving: Stand[] = [];
    const missing: RowAttendance['missing'] = [];
    const pending: PendingStand[] = [];
    const vacant: Member[] = [];
    const taken = new Set<string>();
    // Asks for standing förhinder that cover this row.
    const asksHere = view.asks.filter((a) => activeForhinder.has(a.forhinderId) && covers(a.lopnummer, lopnummer));
    for (const a of asksHere) if (OPEN.includes(a.status)) taken.add(a.ersattareId);

    for (const seat of seats) {
      const away = awayIn(seat.id, lopnummer);
      if (!away && !javIn(seat.id, lopnummer)) {
        participants.push(seat);
        continue;
      }
      missing.push({ member: seat, reason: away ? 'förhinder' : 'jäv' });
      const mine = asksHere.filter((a) => a.memberId === seat.id);
      const accepted = mine.find((a) => a.status === 'accepted');
      const ers = accepted && byId.get(accepted.ersattareId);
      if (ers && !javIn(ers.id, lopnummer) && !awayIn(ers.id, lopnummer)) {
        serving.push({ ersattare: ers, forMember: seat });
        continue;
      }
      const ask = mine.find((a) => a.status === 'pending');
      const asked = ask && byId.get(ask.ersattareId);
      if (ask && asked && !javIn(asked.id, lopnummer)) {
        pending.push({ ersattare: asked, forMember: seat, askId: ask.id, deadline: ask.deadline });
        continue;
      }
      vacant.push(seat);
    }

    // Förhinder seats first (they span the meeting), then jäv seats; a seat keeps the ersättare
    // proposed for it in the rows before, so nobody is moved about between ärenden.
    const proposals: Stand[] = [];
    const need = (m: Member) => (awayIn(m.id, lopnummer) ? 0 : stickTo.has(m.id) ? 1 : 2);
    const byNeed = [...vacant].sort((a, b) => need(a) - need(b));
    const free = (c: Member) => !taken.has(c.id) && !javIn(c.id, lopnummer) && !awayIn(c.id, lopnummer) && !saidNo(c.id, lopnummer);
    for (const seat of byNeed) {
      const before = stickTo.get(seat.id);
      const candidate = before && free(before) ? before : ersattareOrder(committee, seat.party).find(free);
      if (!candidate) continue;
      taken.add(candidate.id);
      stickTo.set(seat.id, candidate);
      proposals.push({ ersattare: candidate, forMember: seat });
    }

    const count = participants.length + serving.length;
    const possible = count + pending.length + proposals.length;
    return {
      key: lopnummer ?? 'inledning',
      lopnummer,
      item,
      paragraph: lopnummer !== null ? options.paragraphs?.get(lopnummer) ?? null : null,
      decides: item === null || item.kind === 'beslut',
      participants,
      serving,
      missing,
      pending,
      proposals,
      count,
      possible,
      status: count >= needed ? 'ok' : possible >= needed ? 'risk' : 'fails',
    };
  };

  rows.push(rowFor(null));
  for (const item of meeting.items) rows.push(rowFor(item));

  const exhausted = view.forhinder
    .filter((f) => options.exhausted?.has(f.id) && !view.asks.some((a) => a.forhinderId === f.id && OPEN.includes(a.status)))
    .map((f) => ({ forhinderId: f.id, member: byId.get(f.memberId) }))
    .filter((x): x is { forhinderId: string; member: Member } => x.member !== undefined);
  return { seats: seats.length, needed, rows, exhausted };
}

// ---------------------------------------------------------------------------------------------
// Swedish wording.

/** "§ 12", "§§ 12–14", "§§ 12, 14 och 16–17"; or by löpnummer when some ärende has no §. */
export function refsText(lopnummer: readonly string[], paragraphs?: ReadonlyMap<string, number>): string {
  const nums = lopnummer.map((l) => paragraphs?.get(l));
  if (lopnummer.length > 0 && nums.every((n): n is number => n !== undefined)) {
    const sorted = [...new Set(nums)].sort((a, b) => a - b);
    const ranges: string[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      ranges.push(j === i ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
      i = j + 1;
    }
    return `${sorted.length === 1 ? '§' : '§§'} ${joinSv(ranges)}`;
  }
  return lopnummer.length === 1 ? `ärende ${lopnummer[0]}` : `ärendena ${joinSv([...lopnummer])}`;
}

/** "Nils Holmgren (S) tjänstgör i Amira Haddads ställe under § 12" (or the whole meeting). */
export function standSentence(s: Stand, lopnummer: readonly string[] | 'hela', paragraphs?: ReadonlyMap<string, number>): string {
  const where = lopnummer === 'hela' ? 'under hela sammanträdet' : `under ${refsText(lopnummer, paragraphs)}`;
  return `${memberLabel(s.ersattare)} tjänstgör i ${genitive(s.forMember.name)} ställe ${where}`;
}

/**
 * Stands (serving or proposed) merged over the rows they appear in: one sentence per ersättare
 * and member, naming the §§, or "hela sammanträdet" when it is every row.
 */
export function mergedStands(plan: AttendancePlan, pick: (row: RowAttendance) => readonly Stand[], paragraphs?: ReadonlyMap<string, number>): string[] {
  const groups = new Map<string, { stand: Stand; rows: RowAttendance[] }>();
  for (const row of plan.rows) {
    for (const s of pick(row)) {
      const k = `${s.ersattare.id}>${s.forMember.id}`;
      const g = groups.get(k) ?? { stand: s, rows: [] };
      g.rows.push(row);
      groups.set(k, g);
    }
  }
  return [...groups.values()].map(({ stand, rows }) => {
    const lopnummer = rows.map((r) => r.lopnummer).filter((l): l is string => l !== null);
    return standSentence(stand, rows.length === plan.rows.length ? 'hela' : lopnummer.length ? lopnummer : 'hela', paragraphs);
  });
}

export interface ProtocolAttendance {
  /** Ledamöter who take part, with their role, and the §§ they miss for förhinder. */
  beslutande: string[];
  tjanstgorandeErsattare: string[];
  franvarande: string[];
  /** "§ 25: Tomas Engström (S) anmäler jäv och deltar inte i handläggningen av ärendet." */
  jav: string[];
  ovrigaNarvarande: string[];
}

/** The attendance list as the protocol writes it, from what is confirmed (no proposals). */
export function protocolAttendance(committee: Committee, view: AttendanceView, plan: AttendancePlan, paragraphs?: ReadonlyMap<string, number>): ProtocolAttendance {
  const beslutande: string[] = [];
  const franvarande: string[] = [];
  for (const seat of seatHolders(committee)) {
    const away = plan.rows.filter((r) => r.missing.some((m) => m.member.id === seat.id && m.reason === 'förhinder'));
    const role = seat.role === 'ledamot' ? '' : `, ${seat.role}`;
    if (away.length === plan.rows.length) {
      franvarande.push(`${memberLabel(seat)}${role}`);
      continue;
    }
    const missed = away.map((r) => r.lopnummer).filter((l): l is string => l !== null);
    beslutande.push(`${memberLabel(seat)}${role}${missed.length ? `, utom ${refsText(missed, paragraphs)}` : ''}`);
  }
  // Every standing declaration, in agenda order: a seat holder's, or an ersättare's who may serve.
  const jav: string[] = [];
  for (const row of plan.rows) {
    if (row.lopnummer === null) continue;
    for (const d of view.jav.filter((j) => j.lopnummer === row.lopnummer)) {
      const m = committee.members.find((x) => x.id === d.memberId);
      if (m) jav.push(`${capitalize(refsText([row.lopnummer], paragraphs))}: ${javProtocolSentence(m)}`);
    }
  }
  return {
    beslutande,
    tjanstgorandeErsattare: mergedStands(plan, (r) => r.serving, paragraphs),
    franvarande,
    jav,
    ovrigaNarvarande: committee.members.filter((m) => m.role === 'sekreterare').map((m) => `${m.name}, sekreterare`),
  };
}

/** Swedish warnings for the secretary: every deciding row at risk, with what would save it. */
export function quorumWarnings(plan: AttendancePlan, paragraphs?: ReadonlyMap<string, number>, label: (row: RowAttendance) => string = (r) => rowName(r, paragraphs)): string[] {
  const out: string[] = [];
  for (const row of plan.rows) {
    if (!row.decides || row.status === 'ok') continue;
    const head = `${capitalize(label(row))}: ${row.count} av ${plan.seats} ledamöter deltar, och minst ${plan.needed} behövs för att nämnden ska vara beslutsför.`;
    if (row.status === 'risk') {
      // Say how many are needed when fewer than all the named would do ("en av …").
      const missing = Math.max(1, plan.needed - row.count);
      const help = [...row.pending.map((p) => `${memberLabel(p.ersattare)} (tillfrågad)`), ...row.proposals.map((p) => memberLabel(p.ersattare))];
      const some = help.length > missing ? `${NUMBER_WORDS[missing] ?? missing} av ` : '';
      out.push(`${head} Det räcker om ${some}${joinSv(help)} tjänstgör.`);
    } else {
      out.push(`${head} Det finns inte tillräckligt många lediga ersättare; kontakta ordföranden.`);
    }
  }
  return out;
}

const NUMBER_WORDS = ['noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio'];

/** "inledningen" or "§ 25 (7/27)" or "ärende 7/27". */
export function rowName(row: RowAttendance, paragraphs?: ReadonlyMap<string, number>): string {
  if (row.lopnummer === null) return 'inledningen (val av justerare, dagordning)';
  const p = paragraphs?.get(row.lopnummer);
  return p !== undefined ? `§ ${p} (${row.lopnummer})` : `ärende ${row.lopnummer}`;
}


/**
 * The reminders a committee has had sent or dropped, as its state keeps them.
 *
 * A reminder id is "committee:meeting:kind:recipient:offset" (src/domain/plan.ts); everything
 * before the last colon is its series. The ids are kept by series, each with the offsets done,
 * which is what the planner asks ("which of this series' reminders are done?") and far smaller
 * than a set of ids plus an index: a scheduler holds this for every committee it serves. Offsets
 * ("ready", "wd2@2027-03-24") repeat across committees and are shared.
 *
 * A meeting's entries can be forgotten (`forgetMeeting`) once nothing more is planned for it:
 * the state fold does so when its anslag is recorded, so the state stays the size of the
 * meetings still open however many years of records a committee has.
 */

/** Offsets seen, shared by every committee's entries; bounded, as it serves memory only. */
const sharedOffsets = new Map<string, string>();
const MAX_SHARED_OFFSETS = 50_000;

function shared(offset: string): string {
  const known = sharedOffsets.get(offset);
  if (known !== undefined) return known;
  // A copy of its own: a slice would keep the whole id it was cut from alive.
  const own = copyOf(offset);
  if (sharedOffsets.size < MAX_SHARED_OFFSETS) sharedOffsets.set(own, own);
  return own;
}

/**
 * A string of its own, not a slice of a longer one (V8 keeps the longer one alive for a slice).
 * Kept for every series, so the ids read from the store can be let go.
 */
function copyOf(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function split(id: string): [series: string, offset: string] {
  const colon = id.lastIndexOf(':');
  return colon < 0 ? [id, ''] : [id.slice(0, colon), id.slice(colon + 1)];
}

/** The meeting of a series or reminder id: its second part. */
export function meetingOfReminder(id: string): string | undefined {
  const a = id.indexOf(':');
  const b = a < 0 ? -1 : id.indexOf(':', a + 1);
  return b < 0 ? undefined : id.slice(a + 1, b);
}

export class DoneReminders {
  /**
   * The series with something done, in code-unit order, found by halving; `done[i]` holds the
   * offsets of `series[i]`: one offset as itself, more as an array, in the order recorded.
   * Two plain arrays of exactly their length rather than a Map: in bench/scheduler.ts (6,000
   * committees, 24 series each at the end) the Maps' hash tables took 6.9 MB of the heap and
   * the arrays take 2.7 MB; the bot process's peak RSS went from 245-246 MB to 229-238 MB (two
   * and four runs). A committee keeps tens of series, a few hundred at most (its open meetings ×
   * kinds × recipients), so copying the arrays on an insert is cheap; inserts are rare (a
   * reminder sent or dropped), lookups are what the planner does.
   */
  private series: string[] = [];
  private done: (string | string[])[] = [];
  private count = 0;

  add(id: string): void {
    const [series, offset] = split(id);
    const at = this.find(series);
    if (at < 0) {
      const to = -at - 1;
      this.series = inserted(this.series, to, copyOf(series));
      this.done = inserted(this.done, to, shared(offset));
    } else {
      const done = this.done[at]!;
      if (typeof done === 'string') {
        if (done === offset) return;
        this.done[at] = [done, shared(offset)];
      } else {
        if (done.includes(offset)) return;
        done.push(shared(offset));
      }
    }
    this.count++;
  }

  has(id: string): boolean {
    const [series, offset] = split(id);
    const at = this.find(series);
    if (at < 0) return false;
    const done = this.done[at]!;
    return typeof done === 'string' ? done === offset : done.includes(offset);
  }

  /** The offsets done in a series (committee:meeting:kind:recipient), in the order recorded. */
  offsets(series: string): readonly string[] {
    const at = this.find(series);
    if (at < 0) return NONE;
    const done = this.done[at]!;
    return typeof done === 'string' ? [done] : done;
  }

  /** Forgets every reminder of a meeting. */
  forgetMeeting(meetingId: string): void {
    const keep: number[] = [];
    for (let i = 0; i < this.series.length; i++) {
      if (meetingOfReminder(this.series[i]!) !== meetingId) keep.push(i);
      else {
        const done = this.done[i]!;
        this.count -= typeof done === 'string' ? 1 : done.length;
      }
    }
    if (keep.length === this.series.length) return;
    // New arrays of the size left: splicing out would keep the backing store as large as it was.
    this.series = keep.map((i) => this.series[i]!);
    this.done = keep.map((i) => this.done[i]!);
  }

  get size(): number {
    return this.count;
  }

  /** Every id, series by series. */
  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.series.length; i++) {
      const done = this.done[i]!;
      for (const offset of typeof done === 'string' ? [done] : done) yield `${this.series[i]}:${offset}`;
    }
  }

  /** The index of `series`, or, when absent, -(the index it would go in) - 1. */
  private find(series: string): number {
    let lo = 0;
    let hi = this.series.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.series[mid]!;
      if (s < series) lo = mid + 1;
      else if (s > series) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }
}

/**
 * `list` with `value` at `index`, as a new array of exactly that length: `splice` grows the
 * array by half as much again, and those spare slots are kept for every committee.
 */
function inserted<T>(list: readonly T[], index: number, value: T): T[] {
  const out = new Array<T>(list.length + 1);
  for (let i = 0; i < index; i++) out[i] = list[i]!;
  out[index] = value;
  for (let i = index; i < list.length; i++) out[i + 1] = list[i]!;
  return out;
}

const NONE: readonly string[] = Object.freeze([]);

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
  /** Series → the offsets done, in the order recorded: one offset as itself, more as an array. */
  private readonly bySeries = new Map<string, string | string[]>();
  private count = 0;

  add(id: string): void {
    const [series, offset] = split(id);
    const done = this.bySeries.get(series);
    if (done === undefined) this.bySeries.set(copyOf(series), shared(offset));
    else if (typeof done === 'string') {
      if (done === offset) return;
      this.bySeries.set(series, [done, shared(offset)]);
    } else {
      if (done.includes(offset)) return;
      done.push(shared(offset));
    }
    this.count++;
  }

  has(id: string): boolean {
    const [series, offset] = split(id);
    const done = this.bySeries.get(series);
    return typeof done === 'string' ? done === offset : (done?.includes(offset) ?? false);
  }

  /** The offsets done in a series (committee:meeting:kind:recipient), in the order recorded. */
  offsets(series: string): readonly string[] {
    const done = this.bySeries.get(series);
    return done === undefined ? NONE : typeof done === 'string' ? [done] : done;
  }

  /** Forgets every reminder of a meeting. */
  forgetMeeting(meetingId: string): void {
    for (const [series, done] of this.bySeries) {
      if (meetingOfReminder(series) !== meetingId) continue;
      this.bySeries.delete(series);
      this.count -= typeof done === 'string' ? 1 : done.length;
    }
  }

  get size(): number {
    return this.count;
  }

  /** Every id, series by series. */
  *keys(): IterableIterator<string> {
    for (const series of this.bySeries.keys()) for (const offset of this.offsets(series)) yield `${series}:${offset}`;
  }
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The time-driven step of the ersättare chain: asks nobody answered in time are recorded as timed
 * out, and the next ersättare in turn is asked. The scheduler calls this on each tick:
 *
 *   await processErsattareTimeouts(core, now);          (or processCommitteeTimeouts per committee)
 *
 * Which asks are due is a pure function of the state and the time (`dueTimeouts`). Each time-out
 * is decided on the committee's current state by the committee log (`core.log.execute`), so two processes ticking at
 * once record it once, and only the one that recorded it sends the messages. A time-out that
 * falls outside office hours waits for the next office hour, so nobody is asked at night or on a
 * holiday, unless the meeting is that day.
 */
import { swedishCalendar, type WorkingDayCalendar } from '../domain/calendar';
import { timedOutAsks } from '../domain/attendance';
import type { Committee } from '../domain/committee';
import { committeeView } from '../domain/meeting-records';
import { DEFAULT_OFFICE_HOURS, isSendable } from '../domain/office-hours';
import type { Actor } from '../domain/records';
import type { CommitteeState, ErsattareAsk } from '../domain/state';
import type { Core } from './core';
import { decideTimeout } from './handlers/forhinder';
import { silentLogger, type Logger } from './logger';

const SYSTEM: Actor = { via: 'system' };

/** Asks to time out now: past their deadline, and now is a time the next one may be asked. */
export function dueTimeouts(committee: Committee, state: CommitteeState, now: Date, calendar: Pick<WorkingDayCalendar, 'isWorkingDay'> = swedishCalendar): ErsattareAsk[] {
  const hours = committee.settings.officeHours ?? DEFAULT_OFFICE_HOURS;
  return timedOutAsks(state.ersattareAsks.values(), now).filter((a) => {
    const meeting = committee.meetings.find((m) => m.id === a.meetingId);
    return meeting !== undefined && isSendable(now, calendar, hours, meeting.date);
  });
}

export interface TimeoutReport {
  /** Ask ids recorded as timed out by this call. */
  timedOut: string[];
}

type TimeoutOptions = { calendar?: Pick<WorkingDayCalendar, 'isWorkingDay'>; logger?: Logger };

/** Records every due time-out and asks the next ersättare; never throws for one committee's failure. */
export async function processErsattareTimeouts(core: Core, now: Date, options: TimeoutOptions = {}): Promise<TimeoutReport> {
  const report: TimeoutReport = { timedOut: [] };
  for (const committee of core.committees.values()) await processCommitteeTimeouts(core, committee, now, options, report);
  return report;
}

/**
 * The same for one committee (the scheduler calls it in its pass over the committees). Costs
 * one look at the state when no ask is pending; `state` may be given when the caller has it.
 */
export async function processCommitteeTimeouts(
  core: Core,
  committee: Committee,
  now: Date,
  options: TimeoutOptions = {},
  report: TimeoutReport = { timedOut: [] },
  state?: CommitteeState,
): Promise<TimeoutReport> {
  const logger = options.logger ?? silentLogger;
  try {
    const current = state ?? (await core.log.state(committee.id));
    const due = dueTimeouts(committeeView(committee, current.meetingEdits), current, now, options.calendar);
    for (const ask of due) {
      const decision = await core.log.execute(committee.id, SYSTEM, (s) => decideTimeout(committeeView(committee, s.meetingEdits), s, ask.id, now));
      if (decision.events.length === 0) continue;
      report.timedOut.push(ask.id);
      logger.info({ committeeId: committee.id, askId: ask.id }, 'ersättare ask timed out');
      for (const o of decision.replies) {
        if (o.audience.kind === 'member') await core.deliverTo(o.audience.committeeId, o.audience.memberId, o.message);
      }
    }
  } catch (err) {
    logger.error({ committeeId: committee.id, err: err instanceof Error ? err.name : 'error' }, 'ersättare time-outs failed for committee');
  }
  return report;
}

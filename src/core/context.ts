/**
 * What a command handler is given and what it returns.
 *
 * A handler is a pure function of the command and this context: it reads the committee and
 * its current state and returns a Decision (events to record and replies to send). The core
 * appends the events conditionally on `state.version`; if another process got there first, the
 * core refreshes the state and runs the handler again. So handlers never write anything
 * themselves, and never see a half-applied change.
 */
import type { Committee, Member } from '../domain/committee';
import type { EventPayload, Via } from '../domain/records';
import type { CommitteeState } from '../domain/state';
import type { Place } from './incoming';
import type { Outgoing } from './outgoing';
import type { ParsedCommand } from './parser';

export interface HandlerContext {
  committee: Committee;
  /** The member who asked, already resolved and authorized for the command. */
  member: Member;
  state: CommitteeState;
  now: Date;
  via: Via;
  place: Place;
}

export interface Decision {
  events: EventPayload[];
  replies: Outgoing[];
}

export type Handler = (command: ParsedCommand, ctx: HandlerContext) => Decision;

export const reply = (...replies: Outgoing[]): Decision => ({ events: [], replies });
export const record = (events: EventPayload[], ...replies: Outgoing[]): Decision => ({ events, replies });

/** The next readable id in a series: J1, J2 … for declarations, F1, F2 … for questions. */
export function nextId(prefix: string, existing: ReadonlyMap<string, unknown>): string {
  return `${prefix}${existing.size + 1}`;
}

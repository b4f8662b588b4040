/**
 * What a command handler is given and what it returns.
 *
 * A handler is a pure function of the command and this context: it reads the committee and
 * its current state and returns a Decision (events to record and replies to send). The core
 * appends the events conditionally on `state.version`; if another process got there first, the
 * core refreshes the state and runs the handler again. So handlers never write anything
 * themselves, and never see a half-applied change.
 */
import type { Agenda } from '../domain/agenda';
import type { Protokoll } from '../domain/protokoll';
import type { Committee, Member } from '../domain/committee';
import type { EventPayload, Via } from '../domain/records';
import type { CommitteeState } from '../domain/state';
import type { Place } from './incoming';
import type { Outgoing } from './outgoing';
import type { CommandSpec } from './commands';
import type { ParsedCommand } from './parser';

/**
 * Turns an agenda, and a protokoll, into their documents. The entry provides it (src/templates);
 * the core only calls it. Without `renderProtokoll` the protokoll draft comes without files.
 */
export interface AgendaRenderer {
  render(agenda: Agenda, committee: Committee): Promise<{ markdown: string; docx: Uint8Array; baseName: string }>;
  renderProtokoll?(protokoll: Protokoll, committee: Committee): Promise<{ markdown: string; docx: Uint8Array; baseName: string }>;
}

export interface HandlerContext {
  committee: Committee;
  /** The member who asked, already resolved and authorized for the command. */
  member: Member;
  state: CommitteeState;
  now: Date;
  via: Via;
  place: Place;
  /** Every command there is, for `hjälp`. */
  commands: readonly CommandDef[];
  /** Absent when the entry wired none (some tests): agenda files are then not made. */
  renderer?: AgendaRenderer;
  /** What the command's `prepare` read before deciding (a file sent to the bot). */
  prepared?: unknown;
  /** The asker's staged work for a command with `staging` (an import awaiting confirmation), as stored. */
  staged?: unknown;
}

export interface Decision {
  events: EventPayload[];
  replies: Outgoing[];
  /**
   * Slow work that needs no state and must not run unless the events were recorded (rendering
   * documents). The core runs it after the append is durable and sends what it returns too.
   */
  after?: () => Promise<Outgoing[]>;
  /**
   * For a command with `staging`: the asker's staged work to keep (a value) or drop (null). The
   * core writes it once the decision's events are durable (or, recording nothing, before the
   * answer goes out). Nothing staged is a record: it is work the asker has not confirmed.
   */
  stage?: unknown;
}

export type Handler = (command: ParsedCommand, ctx: HandlerContext) => Decision;

/** A command and the handler that carries it out. Features export these; `registry.ts` lists them. */
export interface CommandDef extends CommandSpec {
  handle: Handler;
  /** Slow reading the handler needs done first (a file sent to the bot); its result is `ctx.prepared`. */
  prepare?: (command: ParsedCommand) => Promise<unknown>;
  /** The name of the asker's staged work this command reads and keeps (`ctx.staged`, `Decision.stage`). */
  staging?: string;
}

export const reply = (...replies: Outgoing[]): Decision => ({ events: [], replies });
export const record = (events: EventPayload[], ...replies: Outgoing[]): Decision => ({ events, replies });

/** The next readable id in a series: J1, J2 … for declarations, F1, F2 … for questions. */
export function nextId(prefix: string, existing: ReadonlyMap<string, unknown>): string {
  return `${prefix}${existing.size + 1}`;
}

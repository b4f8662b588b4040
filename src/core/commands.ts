/**
 * The command language: what a command is (its words in Swedish, English and ASCII, how its
 * arguments are read, who may use it, how `hjälp` explains it) and the role groups.
 *
 * Each feature declares its own commands next to its handlers (`handlers/*.ts`, as
 * `CommandDef`s), and `registry.ts` lists the features. The parser, `hjälp` and authorization all
 * read the same definitions, so a command cannot exist without help text and rights.
 */
import type { Role } from '../domain/committee';

export const EVERYONE: readonly Role[] = ['ordförande', 'vice ordförande', 'ledamot', 'ersättare', 'sekreterare', 'handläggare'];
export const ELECTED: readonly Role[] = ['ordförande', 'vice ordförande', 'ledamot', 'ersättare'];
export const SECRETARY: readonly Role[] = ['sekreterare'];
export const SECRETARY_AND_CHAIR: readonly Role[] = ['sekreterare', 'ordförande'];

/**
 * How the words after the command are read, slot by slot, in order:
 * - meeting: a meeting id or date (a leading "till" or "möte" is skipped);
 * - item: an ärende reference ("14/27", "14", "§ 21", a title word);
 * - ground: a jäv ground word;
 * - id: a record id ("J3", "F2") or a platform user (a Slack mention is unwrapped);
 * - member: a member id from the committee file;
 * - date: a date;
 * - text: everything that is left.
 * Any command may also start with "möte <datum>".
 */
export type ArgSlot = 'meeting' | 'item' | 'ground' | 'id' | 'member' | 'date' | 'text';

export interface CommandSpec {
  /** Stable name: the form id and button action id of the command. */
  name: string;
  /** The words that start the command, normalised (lower case, no diacritics). Multi-word allowed. */
  words: readonly string[];
  /** Sub-command words that follow the main words, normalised; empty for the main form. */
  sub: readonly string[];
  args: readonly ArgSlot[];
  roles: readonly Role[];
  /** How it is written, in Swedish. */
  usage: string;
  example: string;
  summary: string;
}

export const JAV_WORDS = ['jav', 'conflict', 'jaev'];
export const FRAGA_WORDS = ['ovrig fraga', 'ovrigfraga', 'ovrig', 'question', 'fraga'];
export const LIST_WORDS = ['lista', 'mina', 'list', 'visa'];
export const WITHDRAW_WORDS = ['aterkalla', 'withdraw', 'ta bort', 'stryk'];

/** A command's stable name (`CommandSpec.name`): what forms and buttons carry. */
export type CommandName = string;

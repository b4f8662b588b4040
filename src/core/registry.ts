/**
 * Every command Nämndbot understands, feature by feature. A new feature adds its list here.
 * The order matters only for `hjälp`, which shows the commands in this order.
 */
import type { CommandDef } from './context';
import { parseText } from './parser';
import { agendaCommands } from './handlers/agenda';
import { forhinderCommands } from './handlers/forhinder';
import { fragaCommands } from './handlers/fragor';
import { identityCommands } from './handlers/identity';
import { infoCommands } from './handlers/info';
import { interestCommands } from './handlers/interests';
import { javCommands } from './handlers/jav';
import { justeringCommands } from './handlers/justering';
import { importCommands } from './handlers/import';
import { meetingCommands } from './handlers/meetings';
import { narvaroCommands } from './handlers/narvaro';
import { protokollCommands } from './handlers/protokoll';

export const COMMANDS: readonly CommandDef[] = [
  ...infoCommands,
  ...javCommands,
  ...interestCommands,
  ...forhinderCommands,
  ...fragaCommands,
  ...meetingCommands,
  ...importCommands,
  ...agendaCommands,
  ...narvaroCommands,
  ...protokollCommands,
  ...justeringCommands,
  ...identityCommands,
];

export function commandNamed(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Whether a line is one of the commands (for a console form: the person moved on to a new command). */
export function isCommandText(text: string): boolean {
  return parseText(text, COMMANDS).ok;
}

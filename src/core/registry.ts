/**
 * Every command Nämndbot understands, feature by feature. A new feature adds its list here.
 * The order matters only for `hjälp`, which shows the commands in this order.
 */
import type { CommandDef } from './context';
import { agendaCommands } from './handlers/agenda';
import { fragaCommands } from './handlers/fragor';
import { identityCommands } from './handlers/identity';
import { infoCommands } from './handlers/info';
import { javCommands } from './handlers/jav';
import { justeringCommands } from './handlers/justering';

export const COMMANDS: readonly CommandDef[] = [...infoCommands, ...javCommands, ...fragaCommands, ...agendaCommands, ...justeringCommands, ...identityCommands];

export function commandNamed(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}

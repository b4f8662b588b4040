/**
 * `namndbot import <fil> [--meeting <id|datum>] [--committee <id>] [--ja]`: the same import as
 * sending the file to the bot. It prints what would change and records it only when confirmed:
 * by answering "ja" in a terminal, or with --ja in a script.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { confirmImport, importFile } from '../../src/core/handlers/import';
import type { HandlerContext } from '../../src/core/context';
import { toPlainText, type Message } from '../../src/core/message';
import { COMMANDS } from '../../src/core/registry';
import { committeeView } from '../../src/domain/meeting-records';
import type { CommitteeState } from '../../src/domain/state';
import { readArendelista } from '../../src/import/arendelista';
import type { App } from '../app';

export interface ImportOptions {
  file: string | undefined;
  meeting?: string;
  committee?: string;
  /** Record without asking. */
  yes: boolean;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

/** The message without its buttons: on the command line the question is asked instead. */
function cliText(m: Message): string {
  return toPlainText({ ...m, parts: m.parts.filter((p) => p.kind !== 'buttons') });
}

export async function runImport(app: App, options: ImportOptions): Promise<number> {
  if (!options.file) {
    options.stderr.write('Skriv vilken fil: namndbot import <fil> [--meeting <datum>] [--ja]\n');
    return 2;
  }
  const committee = options.committee ? app.committees.find((c) => c.id === options.committee || c.shortName.toLowerCase() === options.committee!.toLowerCase()) : app.committees[0];
  if (!committee) {
    options.stderr.write(`Ingen nämnd heter "${options.committee}". Nämnder: ${app.committees.map((c) => c.id).join(', ')}.\n`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(options.file));
  } catch {
    options.stderr.write(`Filen ${options.file} går inte att läsa. Kontrollera namnet och sökvägen.\n`);
    return 2;
  }
  const name = path.basename(options.file);
  const read = await readArendelista(name, bytes);
  const secretary = committee.members.find((m) => m.role === 'sekreterare')!;
  const command = { name: 'import', args: options.meeting ? { meeting: options.meeting } : {}, fromForm: false, file: { name, bytes } };
  const context = (state: CommitteeState): HandlerContext => ({
    committee: committeeView(committee, state.meetingEdits),
    member: secretary,
    state,
    now: app.clock.now(),
    via: 'cli',
    place: { kind: 'private' },
    commands: COMMANDS,
    prepared: read,
  });
  const preview = importFile(command, context(await app.core.log.state(committee.id)));
  for (const r of preview.replies) options.stdout.write(`${cliText(r.message)}\n`);
  if (preview.stage === undefined || preview.stage === null) return read.ok && preview.stage === null ? 0 : 1;

  if (!options.yes) {
    if (!options.stdin.isTTY) {
      options.stdout.write('Inget har sparats. Kör igen med --ja för att spara importen.\n');
      return 1;
    }
    const rl = createInterface({ input: options.stdin, output: options.stdout });
    const answer = (await rl.question('Spara importen? Skriv ja för att spara: ')).trim().toLowerCase();
    rl.close();
    if (answer !== 'ja' && answer !== 'j') {
      options.stdout.write('Inget har sparats.\n');
      return 1;
    }
  }
  const staged = preview.stage;
  const decision = await app.core.log.execute(committee.id, { via: 'cli' }, (state) => confirmImport({ name: 'import.confirm', args: {}, fromForm: false }, { ...context(state), staged }));
  for (const r of decision.replies) options.stdout.write(`${cliText(r.message)}\n`);
  return decision.events.length ? 0 : 1;
}

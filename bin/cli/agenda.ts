/**
 * `namndbot agenda --meeting <id|datum> [--out <dir>]`: the same draft as the chat command
 * `dagordning`, recorded as a new version, with the Word and Markdown files written to a folder.
 * `namndbot templates check`: every template checked without a meeting.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { draftAgenda } from '../../src/core/handlers/agenda';
import { toPlainText } from '../../src/core/message';
import type { Outgoing } from '../../src/core/outgoing';
import { COMMANDS } from '../../src/core/registry';
import { committeeView } from '../../src/domain/meeting-records';
import { checkTemplates, DEFAULT_TEMPLATES_DIR, templateAgendaRenderer } from '../../src/templates';
import type { App } from '../app';

export async function runAgenda(app: App, options: { meeting?: string; committee?: string; outDir: string; stdout: Writable; stderr: Writable }): Promise<number> {
  const committee = options.committee ? app.committees.find((c) => c.id === options.committee || c.shortName.toLowerCase() === options.committee!.toLowerCase()) : app.committees[0];
  if (!committee) {
    options.stderr.write(`Ingen nämnd heter "${options.committee}". Nämnder: ${app.committees.map((c) => c.id).join(', ')}.\n`);
    return 2;
  }
  const secretary = committee.members.find((m) => m.role === 'sekreterare')!;
  const decision = await app.core.log.execute(committee.id, { via: 'cli' }, (state) =>
    draftAgenda(
      { name: 'agenda.draft', args: options.meeting ? { meeting: options.meeting } : {}, fromForm: false },
      { committee: committeeView(committee, state.meetingEdits), member: secretary, state, now: app.clock.now(), via: 'cli', place: { kind: 'private' }, commands: COMMANDS, renderer: templateAgendaRenderer },
    ),
  );
  for (const reply of decision.replies) options.stdout.write(`${toPlainText(reply.message)}\n`);
  // An unchanged draft records nothing but still has its documents to write; a refusal has none.
  if (!decision.after) return 1;
  await writeFileParts(await decision.after(), options.outDir, options.stdout);
  return 0;
}

/** Writes the files the replies carry into `outDir`, saying each. */
export async function writeFileParts(outs: readonly Outgoing[], outDir: string, stdout: Writable): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const out of outs) {
    for (const part of out.message.parts) {
      if (part.kind !== 'file') continue;
      const file = path.join(outDir, part.name);
      await writeFile(file, part.bytes);
      stdout.write(`Sparad: ${file}\n`);
    }
  }
}

export async function runTemplatesCheck(app: App, options: { stdout: Writable }): Promise<number> {
  const dirs = [DEFAULT_TEMPLATES_DIR, ...new Set(app.committees.flatMap((c) => (c.settings.templates ? [c.settings.templates] : [])))];
  let problems = 0;
  for (const dir of dirs) {
    const found = await checkTemplates(dir);
    problems += found.length;
    options.stdout.write(found.length ? `${dir}:\n${found.map((p) => `  - ${p.message}`).join('\n')}\n` : `${dir}: alla mallar är i ordning.\n`);
  }
  return problems ? 1 : 0;
}

/**
 * `namndbot protokoll --meeting <id|datum> [--committee <id>] [--out <dir>]`: the same draft as the
 * chat command `protokoll möte <datum>`, from what was recorded during the meeting, recorded as a
 * new version, with its Word and Markdown files (and the public version's, when a § is left out of
 * it) written to a folder.
 */
import type { Writable } from 'node:stream';
import { draftProtokoll } from '../../src/core/handlers/protokoll';
import { toPlainText } from '../../src/core/message';
import { COMMANDS } from '../../src/core/registry';
import { committeeView } from '../../src/domain/meeting-records';
import { templateAgendaRenderer, TemplateError } from '../../src/templates';
import type { App } from '../app';
import { writeFileParts } from './agenda';

export async function runProtokoll(app: App, options: { meeting?: string; committee?: string; outDir: string; stdout: Writable; stderr: Writable }): Promise<number> {
  const committee = options.committee ? app.committees.find((c) => c.id === options.committee || c.shortName.toLowerCase() === options.committee!.toLowerCase()) : app.committees[0];
  if (!committee) {
    options.stderr.write(`Ingen nämnd heter "${options.committee}". Nämnder: ${app.committees.map((c) => c.id).join(', ')}.\n`);
    return 2;
  }
  if (!options.meeting) {
    options.stderr.write(`Ange sammanträdet: namndbot protokoll --meeting ÅÅÅÅ-MM-DD (sammanträden i ${committee.name}: ${committee.meetings.map((m) => m.date).join(', ') || 'inga'}).\n`);
    return 2;
  }
  const secretary = committee.members.find((m) => m.role === 'sekreterare')!;
  const decision = await app.core.log.execute(committee.id, { via: 'cli' }, (state) =>
    draftProtokoll(
      { name: 'protokoll.draft', args: { meeting: options.meeting }, fromForm: false },
      { committee: committeeView(committee, state.meetingEdits), member: secretary, state, now: app.clock.now(), via: 'cli', place: { kind: 'private' }, commands: COMMANDS, renderer: templateAgendaRenderer },
    ),
  );
  // A refusal (no such meeting) has no documents: said on stderr, and the exit code says so. An
  // unchanged draft records nothing but still has its documents to write.
  if (!decision.after) {
    for (const reply of decision.replies) options.stderr.write(`${toPlainText(reply.message)}\n`);
    return 1;
  }
  for (const reply of decision.replies) options.stdout.write(`${toPlainText(reply.message)}\n`);
  let outs;
  try {
    outs = await decision.after();
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    options.stderr.write(`Dokumenten kunde inte skapas: ${err.message}\n`);
    return 1;
  }
  await writeFileParts(outs, options.outDir, options.stdout);
  return 0;
}

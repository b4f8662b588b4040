/**
 * `namndbot templates check`: every template in a directory is parsed and filled in with a
 * made-up meeting (`sample.ts`; its protokoll for the protokoll's templates), privately and
 * channel safe, without touching a real meeting.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { channelSafeAgenda } from '../domain/agenda';
import { docxProblems, problem, TemplateError, uniqueProblems, type TemplateProblem } from './errors';
import { renderDocxBuffer } from './docx';
import { DEFAULT_TEMPLATES_DIR, listTemplates, readBounded } from './files';
import { TEMPLATE_LIMITS } from './limits';
import { loadLiquidSet, parseProblems, renderFromSet, renderLiquidString } from './markdown';
import { protokollView, sampleProtokoll } from './protokoll';
import { channelSafeProtokoll } from '../domain/protokoll';
import { sampleAgenda } from './sample';
import { templateView } from './view';

function asProblems(err: unknown, file: string): TemplateProblem[] {
  if (err instanceof TemplateError) return err.problems;
  return docxProblems(err, file);
}

/**
 * Problems with the templates in `dir` (default: the repository's templates), as Swedish
 * sentences; empty when all is well. Files whose names start with "_" are partials: parsed, but
 * only filled in through the templates that use them.
 */
export async function checkTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateProblem[]> {
  const abs = path.resolve(dir);
  try {
    if (!(await fs.stat(abs)).isDirectory()) return [problem(abs, 'är ingen katalog.')];
  } catch {
    return [problem(abs, 'mallkatalogen finns inte.')];
  }
  const agenda = sampleAgenda();
  const views = [templateView(agenda, { includeWarnings: true }), templateView(channelSafeAgenda(agenda))];
  const problems: TemplateProblem[] = [];

  // The protokoll's templates render another view (protokoll.ts): checked with its sample below.
  const agendaOnly = (f: { path: string }) => !path.basename(f.path).startsWith('protokoll.');
  const liquidFiles = (await listTemplates(abs, '.liquid')).filter(agendaOnly);
  if (liquidFiles.length > 0) {
    try {
      // Partials of the default directory stay available to a committee's own templates.
      const dirs = abs === DEFAULT_TEMPLATES_DIR ? [abs] : [abs, DEFAULT_TEMPLATES_DIR];
      const set = await loadLiquidSet(dirs);
      for (const f of liquidFiles) {
        const name = path.basename(f.path);
        const parsed = parseProblems(set, name);
        problems.push(...parsed);
        if (parsed.length > 0 || name.startsWith('_')) continue;
        for (const view of views) {
          try {
            await renderFromSet(set, name, view);
          } catch (err) {
            problems.push(...asProblems(err, name));
          }
        }
      }
    } catch (err) {
      problems.push(...asProblems(err, abs));
    }
  }

  for (const f of (await listTemplates(abs, '.docx')).filter(agendaOnly)) {
    const name = path.basename(f.path);
    try {
      const bytes = await readBounded(f, TEMPLATE_LIMITS.docxBytes);
      for (const view of views) renderDocxBuffer(bytes, view, name);
    } catch (err) {
      problems.push(...asProblems(err, name));
    }
  }
  problems.push(...(await protokollProblems(abs)));
  return uniqueProblems(problems);
}

/** The protokoll's templates in `dir`, filled in with the sample meeting's protokoll, full and public. */
async function protokollProblems(dir: string): Promise<TemplateProblem[]> {
  const sample = sampleProtokoll();
  const views = [protokollView(sample), protokollView(channelSafeProtokoll(sample))];
  const problems: TemplateProblem[] = [];
  const mine = (f: { path: string }) => path.basename(f.path).startsWith('protokoll.');
  for (const f of [...(await listTemplates(dir, '.liquid')), ...(await listTemplates(dir, '.docx'))].filter(mine)) {
    const name = path.basename(f.path);
    try {
      if (name.endsWith('.docx')) {
        const bytes = await readBounded(f, TEMPLATE_LIMITS.docxBytes);
        for (const view of views) renderDocxBuffer(bytes, view, name);
      } else {
        const source = (await readBounded(f, TEMPLATE_LIMITS.liquidBytes)).toString('utf8');
        for (const view of views) await renderLiquidString(source, view, name);
      }
    } catch (err) {
      problems.push(...asProblems(err, name));
    }
  }
  return problems;
}

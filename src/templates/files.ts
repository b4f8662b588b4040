/**
 * Where templates come from: a committee's own directory first (its letterhead, its wording),
 * then the defaults in the repository's `templates/`. Files are read with a size bound before
 * any engine sees them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { problem, TemplateError } from './errors';

/** The defaults shipped in the repository (at the top, also when this file runs compiled from .build/src/templates). */
export const DEFAULT_TEMPLATES_DIR = path.resolve(__dirname, ...(path.basename(path.resolve(__dirname, '..', '..')) === '.build' ? ['..'] : []), '..', '..', 'templates');
export const MARKDOWN_TEMPLATE = 'dagordning.md.liquid';
export const DOCX_TEMPLATE = 'kallelse.docx';

/** The directories to look in, in order of preference. */
export function templateDirs(committeeDir?: string): string[] {
  const dirs = [DEFAULT_TEMPLATES_DIR];
  if (committeeDir) {
    const own = path.resolve(committeeDir);
    if (own !== DEFAULT_TEMPLATES_DIR) dirs.unshift(own);
  }
  return dirs;
}

/** A template name is a plain file name: no directories, so no way out of the template directory. */
export function assertPlainName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || name.includes('..')) {
    throw new TemplateError([problem(name, 'ett mallnamn får bara vara ett filnamn, utan katalog.')]);
  }
}

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

async function statFile(file: string): Promise<FoundFile | undefined> {
  try {
    const stats = await fs.stat(file);
    return stats.isFile() ? { path: file, size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** The first directory that has `name`. */
export async function findTemplate(name: string, committeeDir?: string): Promise<FoundFile> {
  assertPlainName(name);
  const dirs = templateDirs(committeeDir);
  for (const dir of dirs) {
    const found = await statFile(path.join(dir, name));
    if (found) return found;
  }
  throw new TemplateError([problem(name, `mallen finns inte i ${dirs.join(' eller ')}.`)]);
}

/** The files in `dir` whose names end with `ext`; empty when the directory is missing. */
export async function listTemplates(dir: string, ext: string): Promise<FoundFile[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const found = await Promise.all(names.filter((n) => n.endsWith(ext)).sort().map((n) => statFile(path.join(dir, n))));
  return found.filter((f): f is FoundFile => f !== undefined);
}

/** Read a file, refusing it when it is larger than `maxBytes` (checked before and while reading). */
export async function readBounded(file: FoundFile, maxBytes: number): Promise<Buffer> {
  if (file.size > maxBytes) {
    throw new TemplateError([problem(file.path, `filen är för stor (${file.size} byte, högst ${maxBytes}).`)]);
  }
  const handle = await fs.open(file.path, 'r');
  try {
    // One byte of room past the stat size: a file that grew since stat is caught, never read whole.
    const buf = Buffer.allocUnsafe(file.size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > file.size) {
        throw new TemplateError([problem(file.path, 'filen ändrades medan den lästes. Försök igen.')]);
      }
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}

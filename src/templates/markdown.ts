/**
 * Markdown (and any text) from LiquidJS templates, configured to run no code and read no files.
 *
 * - Templates are read by us, size-bounded, and handed to LiquidJS from memory. `include`,
 *   `render` and `layout` see only the other .liquid files of the template directories, through
 *   an in-memory file system that has no notion of paths, so "../" or "/etc/passwd" find nothing.
 * - `ownPropertyOnly` hides prototypes ("constructor", "__proto__"); `strictVariables` and
 *   `strictFilters` turn a misspelt field or filter into an error instead of a silent blank.
 * - `parseLimit`, `renderLimit` and `memoryLimit` bound work; the output is bounded after
 *   rendering. One range or one filter result may hold at most `liquidLargestAllocation`
 *   elements or characters: LiquidJS charges a range to the memory limit before building it, and
 *   that charge is refused, so `(1..48000000)` fails at once instead of building a 1 GB array.
 *   (Rendering also runs in a thread of its own, `thread.ts`, so a slow template never
 *   holds up the answers to chat platforms.)
 * - Every value a template writes out (`{{ … }}`) is escaped for Markdown and HTML
 *   (`escapeMarkdown`): an övrig fråga or a title cannot add a link, an image, a heading or an
 *   HTML tag to the draft. The template's own text is not escaped; `| raw` writes a value as is.
 */
import path from 'node:path';
import { Context, Liquid, type FS, type Template } from 'liquidjs';
import type { Agenda } from '../domain/agenda';
import { liquidProblems, problem, TemplateError, type TemplateProblem } from './errors';
import { listTemplates, MARKDOWN_TEMPLATE, readBounded, templateDirs, assertPlainName, type FoundFile } from './files';
import { TEMPLATE_LIMITS } from './limits';
import { templateView, type ViewOptions } from './view';

/**
 * A value as literal text in Markdown: the characters that make inline syntax (emphasis, code,
 * links, images, tables, strikethrough), HTML tags and entities get a backslash, and so does what
 * starts a block (heading, quote, list, setext line, numbered list) at the start of a line.
 * Parentheses and the rest stay readable, since a link needs a "]" first.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\\`*_[\]<>&|~]/g, '\\$&')
    .replace(/^([ \t]*)([#>+=-])/gm, '$1\\$2')
    // A numbered list needs a space or the line's end after "1." ("kl. 9.00" is not one).
    .replace(/^([ \t]*\d{1,9})([.)])(?=[ \t]|$)/gm, '$1\\$2');
}

/** A file system over a fixed set of named templates; anything else does not exist. */
function memoryFs(files: ReadonlyMap<string, string>): FS {
  const read = (name: string): string => {
    const content = files.get(name);
    if (content === undefined) throw new Error(`ENOENT: Failed to lookup "${name}"`);
    return content;
  };
  return {
    exists: async (name) => files.has(name),
    existsSync: (name) => files.has(name),
    readFile: async (name) => read(name),
    readFileSync: read,
    // Only plain names resolve; a path with a directory part maps to a name that is never present.
    resolve: (_dir, file, ext) => {
      const name = file.endsWith(ext) ? file : file + ext;
      return /[\\/]/.test(name) ? `\u0000${name}` : name;
    },
    contains: async () => true,
    containsSync: () => true,
    sep: '/',
    dirname: () => '.',
  };
}

/** A LiquidJS engine with the limits above; `partials` are the templates `include`/`render` may use. */
export function createLiquid(partials: ReadonlyMap<string, string> = new Map()): Liquid {
  return new Liquid({
    fs: memoryFs(partials),
    root: ['.'],
    partials: ['.'],
    layouts: ['.'],
    relativeReference: false,
    extname: '.liquid',
    cache: true,
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: true,
    // "" and 0 are false, as in docxtemplater, so {% if item.diarienummer %} means "is there one".
    jsTruthy: true,
    outputEscape: escapeMarkdown,
    parseLimit: TEMPLATE_LIMITS.liquidParseChars,
    renderLimit: TEMPLATE_LIMITS.liquidRenderMs,
    memoryLimit: TEMPLATE_LIMITS.liquidMemory,
  });
}

interface LiquidSet {
  key: string;
  liquid: Liquid;
  sources: Map<string, string>;
  parsed: Map<string, Template[] | TemplateError>;
}

const setCache = new Map<string, LiquidSet>();

/** All .liquid files of the directories, later directories overridden by earlier ones. */
export async function loadLiquidSet(dirs: string[]): Promise<LiquidSet> {
  const byName = new Map<string, FoundFile>();
  for (const dir of [...dirs].reverse()) {
    for (const f of await listTemplates(dir, '.liquid')) byName.set(path.basename(f.path), f);
  }
  const key = JSON.stringify([...byName.values()].map((f) => [f.path, f.size, f.mtimeMs]));
  const cacheKey = dirs.join('\u0000');
  const cached = setCache.get(cacheKey);
  if (cached && cached.key === key) return cached;

  if (byName.size > TEMPLATE_LIMITS.liquidFiles) {
    throw new TemplateError([problem(dirs[0], `mallkatalogen har för många .liquid-filer (${byName.size}, högst ${TEMPLATE_LIMITS.liquidFiles}).`)]);
  }
  const sources = new Map<string, string>();
  for (const [name, f] of byName) sources.set(name, (await readBounded(f, TEMPLATE_LIMITS.liquidBytes)).toString('utf8'));
  const set: LiquidSet = { key, liquid: createLiquid(sources), sources, parsed: new Map() };
  setCache.set(cacheKey, set);
  return set;
}

function parseCached(set: LiquidSet, name: string): Template[] {
  let parsed = set.parsed.get(name);
  if (!parsed) {
    const source = set.sources.get(name);
    if (source === undefined) {
      parsed = new TemplateError([problem(name, 'mallen finns inte i mallkatalogen.')]);
    } else {
      try {
        parsed = set.liquid.parse(source, name);
      } catch (err) {
        parsed = new TemplateError(liquidProblems(err, name));
      }
    }
    set.parsed.set(name, parsed);
  }
  if (parsed instanceof TemplateError) throw parsed;
  return parsed;
}

/** Parse problems of one template of a set; empty when it parses. */
export function parseProblems(set: LiquidSet, name: string): TemplateProblem[] {
  try {
    parseCached(set, name);
    return [];
  } catch (err) {
    if (err instanceof TemplateError) return err.problems;
    throw err;
  }
}

/** A render context whose memory limit also refuses any one allocation above `liquidLargestAllocation`. */
function boundedContext(liquid: Liquid, data: object): Context {
  const ctx = new Context(data, liquid.options, { sync: true }, { liquid });
  const limit = ctx.memoryLimit;
  const use = limit.use.bind(limit);
  limit.use = (count: number) => {
    if (+count > TEMPLATE_LIMITS.liquidLargestAllocation) throw new Error('largest allocation limit exceeded');
    use(count);
  };
  return ctx;
}

async function renderParsed(liquid: Liquid, templates: Template[], data: object, name: string): Promise<string> {
  let out: unknown;
  try {
    // Synchronous: templates do no I/O (partials come from memory), and sync rendering is faster.
    out = liquid.renderSync(templates, boundedContext(liquid, data));
  } catch (err) {
    throw new TemplateError(liquidProblems(err, name));
  }
  const text = String(out);
  if (text.length > TEMPLATE_LIMITS.markdownChars) {
    throw new TemplateError([problem(name, `mallen gav för lång text (${text.length} tecken, högst ${TEMPLATE_LIMITS.markdownChars}).`)]);
  }
  return text;
}

/** Render one template of a loaded set against template data. */
export async function renderFromSet(set: LiquidSet, name: string, data: object): Promise<string> {
  return renderParsed(set.liquid, parseCached(set, name), data, name);
}

/**
 * Render a template given as text, with the same engine and limits. For tests and for checking
 * a template before it is saved. `partials` are the only other templates it may include.
 */
export async function renderLiquidString(
  source: string,
  data: object,
  name = 'mall.liquid',
  partials: ReadonlyMap<string, string> = new Map(),
): Promise<string> {
  if (Buffer.byteLength(source, 'utf8') > TEMPLATE_LIMITS.liquidBytes) {
    throw new TemplateError([problem(name, `mallen är för stor (högst ${TEMPLATE_LIMITS.liquidBytes} byte).`)]);
  }
  const liquid = createLiquid(partials);
  let templates: Template[];
  try {
    templates = liquid.parse(source, name);
  } catch (err) {
    throw new TemplateError(liquidProblems(err, name));
  }
  return renderParsed(liquid, templates, data, name);
}

export interface RenderOptions extends ViewOptions {
  /** The committee's own template directory; missing templates fall back to the defaults. */
  templatesDir?: string;
  /** Which Markdown template, default "dagordning.md.liquid". */
  template?: string;
}

/** The agenda as Markdown. Pass `channelSafeAgenda(agenda)` for anything posted to a channel. */
export async function renderMarkdown(agenda: Agenda, options: RenderOptions = {}): Promise<string> {
  const name = options.template ?? MARKDOWN_TEMPLATE;
  assertPlainName(name);
  const set = await loadLiquidSet(templateDirs(options.templatesDir));
  return renderFromSet(set, name, templateView(agenda, options));
}

/**
 * Word documents from .docx templates with docxtemplater and its default parser.
 *
 * The default parser only looks up a tag's name among the data's own properties: no expressions,
 * no prototype access, nothing runs. The data is plain JSON, so no function in it is ever called.
 * docxtemplater is synchronous and cannot be interrupted, so the render time is bounded from
 * inside: the data is wrapped so that every lookup checks a deadline and aborts once it is passed.
 * Every lookup of a field is how any work gets done, so a template that loops too long stops.
 */
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import type { Agenda } from '../domain/agenda';
import { docxProblems, fieldsHint, problem, RenderTimeLimitError, TemplateError } from './errors';
import { DOCX_TEMPLATE, findTemplate, readBounded } from './files';
import { TEMPLATE_LIMITS } from './limits';
import type { RenderOptions } from './markdown';
import { templateView } from './view';

/** Open a .docx after checking its size, entry count and uncompressed size (zip bombs). */
export function openDocxZip(bytes: Uint8Array, file: string): PizZip {
  if (bytes.length > TEMPLATE_LIMITS.docxBytes) {
    throw new TemplateError([problem(file, `filen är för stor (${bytes.length} byte, högst ${TEMPLATE_LIMITS.docxBytes}).`)]);
  }
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch (err) {
    throw new TemplateError([problem(file, `filen är inte ett Word-dokument (.docx) (${(err as Error).message}).`)]);
  }
  const entries = Object.values(zip.files);
  if (entries.length > TEMPLATE_LIMITS.docxEntries) {
    throw new TemplateError([problem(file, `dokumentet har för många delar (${entries.length}, högst ${TEMPLATE_LIMITS.docxEntries}).`)]);
  }
  // pizzip reads sizes from the central directory without inflating anything.
  const uncompressed = entries.reduce((sum, e) => sum + ((e as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
  if (uncompressed > TEMPLATE_LIMITS.docxUncompressedBytes) {
    throw new TemplateError([problem(file, `dokumentet är för stort uppackat (${uncompressed} byte, högst ${TEMPLATE_LIMITS.docxUncompressedBytes}).`)]);
  }
  if (!zip.file('word/document.xml')) {
    throw new TemplateError([problem(file, 'filen är inte ett Word-dokument (word/document.xml saknas).')]);
  }
  return zip;
}

/** Wrap data so that every property read checks the deadline; once passed, every read throws. */
function withDeadline<T extends object>(data: T, limitMs: number): T {
  const deadline = performance.now() + limitMs;
  let reads = 0;
  let expired = false;
  const check = () => {
    if (expired || ((++reads & 127) === 0 && performance.now() > deadline)) {
      expired = true;
      throw new RenderTimeLimitError(limitMs);
    }
  };
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          check();
          return wrap(Reflect.get(target, key, receiver));
        },
        getOwnPropertyDescriptor(target, key) {
          check();
          return Reflect.getOwnPropertyDescriptor(target, key);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };
  return wrap(data) as T;
}

interface NullPart {
  value?: string;
  module?: string;
  inverted?: boolean;
}

function tagOf(part: NullPart): string {
  const v = part.value ?? '';
  if (part.module === 'loop') return part.inverted ? `{^${v}}` : `{#${v}}`;
  if (part.module === 'rawxml') return `{@${v}}`;
  return `{${v}}`;
}

/**
 * Fill in a .docx template. `data` must be plain JSON (the template view). Throws TemplateError
 * with Swedish problems for a broken template, an unknown field or a render that runs too long.
 */
export function renderDocxBuffer(bytes: Uint8Array, data: object, file = DOCX_TEMPLATE): Buffer {
  const zip = openDocxZip(bytes, file);
  const unknown = new Set<string>();
  let doc: Docxtemplater;
  try {
    doc = new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      // Errors are returned to the caller as Swedish problems, not logged to the console.
      errorLogging: false,
      // Every field of the view is always present, so a missing value is a misspelt tag.
      nullGetter: (part: NullPart) => {
        unknown.add(tagOf(part));
        return '';
      },
    });
  } catch (err) {
    throw new TemplateError(docxProblems(err, file));
  }
  try {
    doc.render(withDeadline(data, TEMPLATE_LIMITS.docxRenderMs));
  } catch (err) {
    throw new TemplateError(docxProblems(err, file));
  }
  if (unknown.size > 0) {
    throw new TemplateError(
      [...unknown].map((tag) => problem(file, `fältet ${tag} finns inte. ${fieldsHint(file)}`, { tag })),
    );
  }
  const out = doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
  if (out.length > TEMPLATE_LIMITS.docxOutputBytes) {
    throw new TemplateError([problem(file, `dokumentet blev för stort (${out.length} byte, högst ${TEMPLATE_LIMITS.docxOutputBytes}).`)]);
  }
  return out;
}

const bytesCache = new Map<string, { size: number; mtimeMs: number; bytes: Buffer }>();

/** The template's bytes, read once per change of the file. */
export async function loadDocxTemplate(name: string, templatesDir?: string): Promise<{ path: string; bytes: Buffer }> {
  const found = await findTemplate(name, templatesDir);
  const cached = bytesCache.get(found.path);
  if (cached && cached.size === found.size && cached.mtimeMs === found.mtimeMs) return { path: found.path, bytes: cached.bytes };
  const bytes = await readBounded(found, TEMPLATE_LIMITS.docxBytes);
  bytesCache.set(found.path, { size: found.size, mtimeMs: found.mtimeMs, bytes });
  return { path: found.path, bytes };
}

export interface DocxRenderOptions extends Omit<RenderOptions, 'template'> {
  /** Which Word template, default "kallelse.docx". */
  template?: string;
}

/** The agenda as a Word document. Pass `channelSafeAgenda(agenda)` for anything posted to a channel. */
export async function renderDocx(agenda: Agenda, options: DocxRenderOptions = {}): Promise<Buffer> {
  const name = options.template ?? DOCX_TEMPLATE;
  const { bytes } = await loadDocxTemplate(name, options.templatesDir);
  return renderDocxBuffer(bytes, templateView(agenda, options), name);
}

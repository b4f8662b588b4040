/**
 * Rendering the agenda through templates a secretary can edit: Markdown via LiquidJS, Word via
 * docxtemplater, both bounded in size and time, with Swedish errors for broken templates.
 */
import { type Agenda } from '../domain/agenda';
export { renderProtokoll, protokollView, PROTOKOLL_DOCX_TEMPLATE, PROTOKOLL_MARKDOWN_TEMPLATE } from './protokoll';
export { protokollBaseName } from './renderer';
import { renderDocx, type DocxRenderOptions } from './docx';
import { renderMarkdown } from './markdown';
import { draftBaseName, type AgendaDraftFiles } from './renderer';

export { checkTemplates } from './check';
export { renderDocx, renderDocxBuffer, loadDocxTemplate, openDocxZip, type DocxRenderOptions } from './docx';
export { TemplateError, type TemplateProblem } from './errors';
export { DEFAULT_TEMPLATES_DIR, DOCX_TEMPLATE, MARKDOWN_TEMPLATE, templateDirs } from './files';
export { TEMPLATE_LIMITS } from './limits';
export { createLiquid, renderLiquidString, renderMarkdown, type RenderOptions } from './markdown';
export { sampleAgenda } from './sample';
export { RenderThread } from './thread';
export { templateAgendaRenderer, type AgendaDraftFiles } from './renderer';
export { templateView, type TemplateItem, type TemplateView, type ViewOptions } from './view';

export interface AgendaDraftOptions {
  /** The committee's own template directory; missing templates fall back to the defaults. */
  templatesDir?: string;
  /** Include the secretary's warnings in the Markdown (for the preview, not for the file). */
  includeWarnings?: boolean;
  markdownTemplate?: string;
  docxTemplate?: string;
}


/**
 * The Markdown and the Word document of one draft. Sekretess is the caller's choice: pass the
 * agenda from `buildAgenda` only for the file sent privately to the secretary, and
 * `channelSafeAgenda(agenda)` for anything else.
 */
export async function renderAgendaDraft(agenda: Agenda, options: AgendaDraftOptions = {}): Promise<AgendaDraftFiles> {
  const docxOptions: DocxRenderOptions = { templatesDir: options.templatesDir, template: options.docxTemplate };
  const [markdown, docx] = await Promise.all([
    renderMarkdown(agenda, { templatesDir: options.templatesDir, includeWarnings: options.includeWarnings, template: options.markdownTemplate }),
    renderDocx(agenda, docxOptions),
  ]);
  return { markdown, docx, baseName: draftBaseName(agenda) };
}

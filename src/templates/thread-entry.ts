/**
 * The render thread's side (see thread.ts): renders one agenda or protokoll draft per message and
 * posts the files back, or the template problems. Nothing here shares memory with the bot.
 */
import { parentPort } from 'node:worker_threads';
import { renderDocx } from './docx';
import { TemplateError } from './errors';
import { DOCX_TEMPLATE, MARKDOWN_TEMPLATE } from './files';
import { renderMarkdown } from './markdown';
import { renderProtokoll } from './protokoll';
import type { ThreadJob, ThreadReply } from './thread';

const port = parentPort;
if (!port) throw new Error('thread-entry.ts runs only as the render thread');

port.on('message', (job: ThreadJob) => {
  void render(job).then((reply) => port.postMessage(reply));
});

async function render(job: ThreadJob): Promise<ThreadReply> {
  try {
    // One after the other, saying which, so that a thread stopped for time or memory names the template.
    const step = (template: string) => port!.postMessage({ id: job.id, step: template } satisfies ThreadReply);
    if ('protokoll' in job) {
      const files = await renderProtokoll(job.protokoll, { templatesDir: job.options.templatesDir, onStep: step });
      return { id: job.id, files: { markdown: files.markdown, docx: files.docx } };
    }
    port!.postMessage({ id: job.id, step: job.options.markdownTemplate ?? MARKDOWN_TEMPLATE } satisfies ThreadReply);
    const markdown = await renderMarkdown(job.agenda, { templatesDir: job.options.templatesDir, includeWarnings: job.options.includeWarnings, template: job.options.markdownTemplate });
    port!.postMessage({ id: job.id, step: job.options.docxTemplate ?? DOCX_TEMPLATE } satisfies ThreadReply);
    const docx = await renderDocx(job.agenda, { templatesDir: job.options.templatesDir, template: job.options.docxTemplate });
    return { id: job.id, files: { markdown, docx } };
  } catch (err) {
    if (err instanceof TemplateError) return { id: job.id, problems: err.problems };
    return { id: job.id, failure: err instanceof Error ? err.name : 'Error' };
  }
}

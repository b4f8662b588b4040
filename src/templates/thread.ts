/**
 * Rendering agenda and protokoll drafts in a thread of their own, so that a slow or greedy template never holds
 * up the bot: LiquidJS and docxtemplater render synchronously, and while they run nothing else
 * in the process does (no Slack or Teams request is acknowledged; Slack waits 3 seconds).
 *
 * One worker thread, started at the first draft and reused; it has a heap limit of its own
 * (`TEMPLATE_LIMITS.threadHeapMb`) and a wall-clock limit per draft once it has begun (`threadMs`), beyond the
 * templates' own limits. A thread that runs out of either is stopped and the draft refused with a
 * Swedish message naming the template; the next draft starts a new thread. A thread idle for a
 * while is stopped to give its memory back, and it never keeps the process alive.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Agenda } from '../domain/agenda';
import type { Protokoll } from '../domain/protokoll';
import { problem, TemplateError, type TemplateProblem } from './errors';
import { MARKDOWN_TEMPLATE } from './files';
import { TEMPLATE_LIMITS } from './limits';

export interface ThreadOptions {
  templatesDir?: string;
  includeWarnings?: boolean;
  markdownTemplate?: string;
  docxTemplate?: string;
}

export interface ThreadLimits {
  /** The thread's heap, in MB. */
  heapMb: number;
  /** Milliseconds for one draft once the thread has begun it. */
  timeoutMs: number;
  /** Milliseconds an idle thread is kept. */
  idleMs: number;
}

/** One draft: an agenda, or a protokoll (whose templates are protokoll.docx and protokoll.md.liquid). */
export type ThreadJob = { id: number; options: ThreadOptions } & ({ agenda: Agenda } | { protokoll: Protokoll });

/** What the thread posts: the template it starts on, then the files, the problems or a failure's name. */
export type ThreadReply =
  | { id: number; step: string }
  | { id: number; files: { markdown: string; docx: Uint8Array } }
  | { id: number; problems: TemplateProblem[] }
  | { id: number; failure: string };

// The thread loads the entry the way the process was loaded: compiled JavaScript (`npm start`,
// .build/), or TypeScript through tsx's require hook, which `--require tsx/cjs` passes on to the
// thread and which is registered here when the process loaded TypeScript some other way (ts-jest).
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts') && !require.extensions['.ts']) require(workerData.tsx).register();
require(workerData.entry);
`;
/** thread-entry.ts, or thread-entry.js when this file runs compiled. */
const ENTRY = path.join(__dirname, `thread-entry${path.extname(__filename)}`);

export class RenderThread {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private jobs = 0;

  constructor(private readonly limits: ThreadLimits = { heapMb: TEMPLATE_LIMITS.threadHeapMb, timeoutMs: TEMPLATE_LIMITS.threadMs, idleMs: TEMPLATE_LIMITS.threadIdleMs }) {}

  /** The Markdown and Word files of one draft; drafts are rendered one at a time. */
  render(agenda: Agenda, options: ThreadOptions = {}): Promise<{ markdown: string; docx: Uint8Array }> {
    return this.enqueue({ agenda }, options);
  }

  /** The Word and Markdown files of one protokoll draft, in the same queue. */
  renderProtokoll(protokoll: Protokoll, options: Pick<ThreadOptions, 'templatesDir'> = {}): Promise<{ markdown: string; docx: Uint8Array }> {
    return this.enqueue({ protokoll }, options);
  }

  private enqueue(draft: { agenda: Agenda } | { protokoll: Protokoll }, options: ThreadOptions): Promise<{ markdown: string; docx: Uint8Array }> {
    const run = this.queue.then(() => this.run(draft, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the thread (it is started again when needed). */
  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { tsx: ENTRY.endsWith('.ts') ? require.resolve('tsx/cjs/api') : undefined, entry: ENTRY },
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    // A thread that ends between drafts is simply started again at the next one.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  private run(draft: { agenda: Agenda } | { protokoll: Protokoll }, options: ThreadOptions): Promise<{ markdown: string; docx: Uint8Array }> {
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    const id = ++this.jobs;
    // The template being rendered, once the thread has begun.
    let step: string | undefined;
    return new Promise((resolve, reject) => {
      const done = (outcome: () => void, keep: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (keep) {
          this.idleTimer = setTimeout(() => void this.stop(), this.limits.idleMs);
          this.idleTimer.unref();
        } else {
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }
        outcome();
      };
      const refuse = (what: string) => done(() => reject(new TemplateError([problem(step ?? options.markdownTemplate ?? MARKDOWN_TEMPLATE, what)])), false);
      const onMessage = (reply: ThreadReply) => {
        if (reply.id !== id) return;
        if ('step' in reply) {
          if (step === undefined) {
            clearTimeout(timer);
            timer = setTimeout(renderTimeout, this.limits.timeoutMs);
          }
          step = reply.step;
        } else if ('files' in reply) done(() => resolve({ markdown: reply.files.markdown, docx: reply.files.docx }), true);
        else if ('problems' in reply) done(() => reject(new TemplateError(reply.problems)), true);
        else done(() => reject(Object.assign(new Error('rendering failed in the render thread'), { name: reply.failure })), true);
      };
      const onError = (err: Error & { code?: string }) => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          refuse(`mallen behövde mer minne än ${this.limits.heapMb} MB och stoppades. Kontrollera loopar inuti loopar och stora intervall.`);
        } else done(() => reject(err), false);
      };
      const onExit = () => done(() => reject(new Error('the render thread stopped')), false);
      // The time limit counts from the start of the rendering; a thread that does not even start is a fault of its own.
      const renderTimeout = () => refuse(`mallen tog längre tid än ${this.limits.timeoutMs} ms att fylla i och stoppades. Kontrollera loopar inuti loopar.`);
      let timer = setTimeout(() => done(() => reject(new Error('the render thread did not start')), false), TEMPLATE_LIMITS.threadStartMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, options, ...draft } satisfies ThreadJob);
    });
  }
}

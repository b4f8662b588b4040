/**
 * Limits for templates a secretary (or a committee's IT department) can change. They keep a
 * mistaken or hostile template from exhausting memory or time; a real agenda of 300 ärenden is
 * far inside them.
 */
export const TEMPLATE_LIMITS = {
  /** Largest .liquid file read, in bytes. */
  liquidBytes: 256 * 1024,
  /** Most .liquid files (main templates and partials) loaded from one directory. */
  liquidFiles: 32,
  /** LiquidJS parseLimit: characters parsed in one parse() call. */
  liquidParseChars: 256 * 1024,
  /** LiquidJS renderLimit: milliseconds for one render. */
  liquidRenderMs: 2000,
  /** LiquidJS memoryLimit: characters/elements allocated by filters and ranges in one render. */
  liquidMemory: 50_000_000,
  /** Most elements of one range, or characters of one filter result (a 300-ärende agenda needs some thousands). */
  liquidLargestAllocation: 100_000,
  /** Largest Markdown output, in characters. */
  markdownChars: 5_000_000,
  /** Largest .docx template file, in bytes (a letterhead logo fits). */
  docxBytes: 10 * 1024 * 1024,
  /** Most entries in a .docx zip. */
  docxEntries: 1000,
  /** Sum of uncompressed entry sizes: guards against zip bombs. */
  docxUncompressedBytes: 60 * 1024 * 1024,
  /** Milliseconds for filling in a .docx (checked on every data lookup). */
  docxRenderMs: 2000,
  /** Largest generated .docx, in bytes. */
  docxOutputBytes: 50 * 1024 * 1024,
  /** Heap of the render thread, in MB: a template that needs more is stopped, the bot goes on. */
  threadHeapMb: 256,
  /** Milliseconds for one draft in the render thread; a backstop to the limits above. */
  threadMs: 10_000,
  /** Milliseconds for the render thread to start (load its code) and begin a draft. */
  threadStartMs: 60_000,
  /** Milliseconds an idle render thread is kept before it is stopped (it starts again when needed). */
  threadIdleMs: 5 * 60_000,
} as const;

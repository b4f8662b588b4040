/**
 * Input for the console's readline with every line cut to a bounded length. readline gathers a
 * whole line in memory before it hands it on, so a 600 MB line (a file piped in by mistake)
 * would take the process down. What passes is still far longer than the core accepts, so a cut
 * line is refused by the core like any too-long text, in Swedish, and nothing is recorded; the
 * rest of that line is dropped, never read as further commands.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';

/** Well past the core's limit on a message (4,000 characters, at most 4 bytes each). */
export const MAX_CONSOLE_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

export function boundedLines(input: Readable, maxLineBytes = MAX_CONSOLE_LINE_BYTES): Readable {
  let lineBytes = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const keep: Buffer[] = [];
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, start);
        const end = newline === -1 ? chunk.length : newline;
        const room = Math.max(0, maxLineBytes - lineBytes);
        const take = Math.min(room, end - start);
        if (take > 0) keep.push(chunk.subarray(start, start + take));
        lineBytes += end - start;
        if (newline === -1) break;
        keep.push(chunk.subarray(newline, newline + 1));
        lineBytes = 0;
        start = newline + 1;
      }
      done(null, keep.length ? Buffer.concat(keep) : undefined);
    },
  });
  input.on('error', (err) => bounded.destroy(err));
  return input.pipe(bounded);
}

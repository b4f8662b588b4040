/**
 * A child process for the file store crash test: opens the store and writes until it is killed,
 * printing a line to stdout after each write's promise resolved (stdout to a pipe is synchronous
 * on Linux, so a printed line means an acknowledged write).
 *
 *   node -r tsx/cjs test/support/file-store-writer.ts <dataDir> <serial|concurrent> <tag>
 *
 * Lines: "ready", "ack <seq,seq,…> <batchId>", "mark <key>", "unmarked <key>", "value <key> <v>".
 */
import type { NewEvent } from '../../src/domain/records';
import { FileStore } from '../../src/store/file-store';

export const CRASH_STREAM = 'kfn';

/** Event k of batch `batchId` (of `size` events): the test rebuilds it to check the content. */
export function crashEvent(batchId: string, k: number, size: number): NewEvent {
  return {
    id: `${batchId}-${k}`,
    at: '2025-03-04T09:15:00.000Z',
    actor: { memberId: 'anna', via: 'cli' },
    type: 'fraga.announced',
    questionId: `${batchId}-${k}`,
    meetingId: 'm1',
    memberId: 'anna',
    text: `batch ${batchId} event ${k + 1} of ${size} ${'å'.repeat(k * 10)}`,
    late: k % 2 === 1,
  };
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const [dataDir, mode, tag] = process.argv.slice(2);
  if (!dataDir || !tag || (mode !== 'serial' && mode !== 'concurrent')) throw new Error('usage: <dataDir> <serial|concurrent> <tag>');
  const store = await FileStore.open({ dataDir });
  out('ready');
  let n = 0;
  let valueVersion = 0;

  const writeOne = async (): Promise<void> => {
    const i = n++;
    const batchId = `${tag}-${i}`;
    const size = 1 + (i % 3);
    const events = Array.from({ length: size }, (_, k) => crashEvent(batchId, k, size));
    const stored = await store.append(CRASH_STREAM, events);
    out(`ack ${stored.map((e) => e.seq).join(',')} ${batchId}`);
    if (i % 5 === 0) {
      const key = `mark-${batchId}`;
      if (await store.markOnce(key, 3_600_000)) out(`mark ${key}`);
      if (i % 10 === 0) {
        await store.unmark(key);
        out(`unmarked ${key}`);
      }
    }
    if (i % 7 === 0) {
      // The version is taken when setValue is called: calls reach the log in that order.
      const v = ++valueVersion;
      await store.setValue(`value-${tag}`, { v });
      out(`value value-${tag} ${v}`);
    }
  };

  const worker = async (): Promise<never> => {
    for (;;) await writeOne();
  };
  await Promise.all(Array.from({ length: mode === 'serial' ? 1 : 16 }, worker));
}

// Only when run as a script: the crash test imports crashEvent from here.
if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

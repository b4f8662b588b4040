/**
 * kill -9 at a random moment must never lose an acknowledged write nor leave the store
 * unreadable. A child process writes and prints what was acknowledged; we SIGKILL it, reopen
 * the data directory here and check.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStore } from '../../src/store/file-store';
import { CRASH_STREAM, crashEvent } from '../support/file-store-writer';

const REPO = path.resolve(__dirname, '../..');
const WRITER = path.join(REPO, 'test/support/file-store-writer.ts');

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts the writer and kills it `killAfterMs` after it said "ready" (or after spawn, if `early`). */
function runAndKill(dataDir: string, mode: 'serial' | 'concurrent', tag: string, killAfterMs: number, early: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', WRITER, dataDir, mode, tag], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const kill = () => setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    if (early) kill();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!early && !stdout.includes('ready\n') && (stdout + chunk).includes('ready\n')) kill();
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close': the child is reaped and its pipes drained, so its pid is dead and the output complete.
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

describe('FileStore survives kill -9', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-crash-'));
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write, in order, through rounds of SIGKILL', async () => {
    /** seq -> batch id, for every acknowledged append of every round. */
    const acked = new Map<number, string>();
    const rounds: { mode: 'serial' | 'concurrent'; early: boolean; ms: number }[] = [
      { mode: 'concurrent', early: false, ms: 120 },
      { mode: 'serial', early: false, ms: 150 },
      { mode: 'concurrent', early: true, ms: 0 }, // before or while opening
      { mode: 'concurrent', early: false, ms: 0 },
      { mode: 'serial', early: false, ms: 5 },
    ];
    // And some at random moments.
    for (let i = 0; i < 5; i++) {
      const early = Math.random() < 0.2;
      rounds.push({ mode: i % 2 ? 'serial' : 'concurrent', early, ms: Math.floor(Math.random() * (early ? 700 : 300)) });
    }

    for (const [r, round] of rounds.entries()) {
      const tag = `r${r}`;
      const run = await runAndKill(dataDir, round.mode, tag, round.ms, round.early);
      const where = `round ${r} (${JSON.stringify(round)}), stderr: ${run.stderr}`;
      // It must have died by our signal, not by an error of its own.
      expect({ signal: run.signal, where }).toEqual({ signal: 'SIGKILL', where });

      const lines = run.stdout.split('\n').slice(0, -1); // a last line without '\n' may be cut
      const batches = new Map<string, number[]>();
      const marks = new Set<string>();
      const unmarked = new Set<string>();
      let value: number | undefined;
      for (const line of lines) {
        const [what, a, b] = line.split(' ');
        if (what === 'ack') {
          const seqs = a!.split(',').map(Number);
          batches.set(b!, seqs);
          for (const seq of seqs) {
            expect(acked.has(seq)).toBe(false);
            acked.set(seq, b!);
          }
        } else if (what === 'mark') marks.add(a!);
        else if (what === 'unmarked') unmarked.add(a!);
        else if (what === 'value') value = Math.max(value ?? 0, Number(b));
      }

      const store = await FileStore.open({ dataDir });
      try {
        const events = await store.readEvents(CRASH_STREAM, 0);
        // Contiguous 1..n.
        events.forEach((e, i) => expect(e.seq).toBe(i + 1));
        // Every acknowledged append is there, with its content, at the seqs it was given.
        for (const [seq, batchId] of acked) {
          const e = events[seq - 1];
          expect(e).toBeDefined();
          const size = 1 + (Number(batchId.split('-')[1]) % 3);
          const k = Number(e!.id.slice(batchId.length + 1));
          expect(e).toEqual({ ...crashEvent(batchId, k, size), seq });
        }
        // Every append is whole: a batch is all there, at consecutive seqs, or not at all.
        const seen = new Map<string, number[]>();
        for (const e of events) {
          const batchId = e.id.slice(0, e.id.lastIndexOf('-'));
          seen.set(batchId, [...(seen.get(batchId) ?? []), e.seq]);
        }
        for (const [batchId, seqs] of seen) {
          const size = 1 + (Number(batchId.split('-')[1]) % 3);
          expect({ batchId, n: seqs.length }).toEqual({ batchId, n: size });
          expect(seqs.every((s, i) => s === seqs[0]! + i)).toBe(true);
        }
        expect(events.filter((e) => e.id.startsWith(`${tag}-`)).length).toBeGreaterThanOrEqual(
          [...batches.values()].reduce((n, s) => n + s.length, 0),
        );

        // Acknowledged marks live; acknowledged unmarks are gone. The writer unmarks every
        // tenth batch's mark, so such a mark without an acknowledged unmark may be either.
        for (const key of marks) {
          if (Number(key.split('-')[2]) % 10 === 0) continue;
          expect({ key, again: await store.markOnce(key, 3_600_000) }).toEqual({ key, again: false });
        }
        for (const key of unmarked) expect({ key, again: await store.markOnce(key, 1000) }).toEqual({ key, again: true });
        // The value is the last acknowledged one or a later one.
        if (value !== undefined) {
          const stored = (await store.getValue(`value-${tag}`)) as { v: number };
          expect(stored.v).toBeGreaterThanOrEqual(value);
        }

        // And the store takes new writes.
        const next = await store.append(CRASH_STREAM, [crashEvent(`after${r}-0`, 0, 1)], events.length);
        expect(next[0]!.seq).toBe(events.length + 1);
        acked.set(events.length + 1, `after${r}-0`);
      } finally {
        await store.close();
      }
    }
    // The rounds did write something (else this test proves nothing).
    expect(acked.size).toBeGreaterThan(100);
  }, 30_000);
});

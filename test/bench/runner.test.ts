/**
 * `npm run bench` runs each benchmark in a process of its own (bench/runner.ts): a benchmark
 * starts on nothing the ones before it left, and one that fails or crashes is reported while
 * the others still run.
 */
import path from 'node:path';
import { runInOwnProcesses, type BenchEntry } from '../../bench/runner';

const FIXTURES = path.join(__dirname, 'fixtures', 'benches.ts');
const entry = (exportName: string): BenchEntry => ({ module: FIXTURES, exportName });
const REGISTRY: Record<string, BenchEntry> = {
  first: entry('benchCounting'),
  second: entry('benchCounting'),
  throws: entry('benchThrows'),
  stray: entry('benchWithStrayError'),
  crashes: entry('benchCrashes'),
  timer: entry('benchLeavesTimer'),
  missing: entry('benchThatIsNotThere'),
};
/** The children load TypeScript as `npm run bench` does, through tsx. */
const TSX = ['--require', 'tsx/cjs'];
/** Far more than a fixture's process needs; a process that hangs is stopped and the test fails instead of waiting. */
const TIMEOUT_MS = 20_000;

async function run(names: string[]): Promise<{ failed: string[]; sections: Record<string, string> }> {
  let text = '';
  const failed = await runInOwnProcesses(names, REGISTRY, { execArgv: TSX, timeoutMs: TIMEOUT_MS, write: (t) => (text += t) });
  const sections: Record<string, string> = {};
  for (const part of text.split(/^== /m).slice(1)) {
    const [heading, ...body] = part.split('\n');
    sections[heading!.replace(/ ==$/, '')] = body.join('\n').trim();
  }
  return { failed, sections };
}

describe('runInOwnProcesses', () => {
  it('runs every benchmark in a fresh process of its own', async () => {
    const { failed, sections } = await run(['first', 'second']);
    expect(failed).toEqual([]);
    const pids = ['first', 'second'].map((name) => {
      const match = /^process (\d+), benchmarks run in it: (\d+)$/.exec(sections[name]!);
      expect(match).not.toBeNull();
      // The second benchmark did not inherit the first one's process.
      expect(match![2]).toBe('1');
      return Number(match![1]);
    });
    expect(new Set([...pids, process.pid]).size).toBe(3);
  }, 60_000);

  it('reports a failure, a stray error and a crash under their names, and goes on with the next', async () => {
    const { failed, sections } = await run(['throws', 'stray', 'crashes', 'missing', 'timer']);
    expect(failed).toEqual(['throws', 'stray', 'crashes', 'missing']);
    expect(sections.throws).toMatch(/^MÄTNINGEN AVBRÖTS: Error: the fixture benchmark failed/);
    expect(sections.stray).toMatch(/^figures of the benchmark with a stray error\n\s*FEL UNDER MÄTNINGEN: Error: a stray rejection/);
    expect(sections.crashes).toMatch(/^MÄTNINGEN AVBRÖTS: mätningens process slutade med kod 3 utan att redovisa något; den skrev:\nhalfway$/);
    expect(sections.missing).toMatch(/^MÄTNINGEN AVBRÖTS: Error: .*benches\.ts exports no function benchThatIsNotThere/);
    // A timer left running does not keep the run waiting for its process.
    expect(sections.timer).toBe('figures of the benchmark that left a timer');
  }, 60_000);
});

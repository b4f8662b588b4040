/**
 * Runs benchmarks for `npm run bench` (bench/run.ts), each in a Node process of its own.
 *
 * Benchmarks used to run one after another in one process. Each then started on what those
 * before it had left: their heap, their loaded modules, their compiled code, their open handles.
 * The Slack bench's ratio was 1.38–1.42 at the end of a whole run and 1.12–1.25 when run alone.
 * A process of its own gives every benchmark the same start, whichever ran before it, and a
 * benchmark that crashes its process cannot take the others with it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

/** A benchmark: prints nothing itself, returns the lines of its report. */
export type Bench = () => Promise<string[]>;

/** Where a benchmark lives: a module (absolute path) and the function it exports. */
export interface BenchEntry {
  module: string;
  exportName: string;
}

/** This file's entry for the child process: `node <options> runner.ts <module> <export>`. */
const CHILD = __filename;

/**
 * Runs one benchmark in this process and returns its report. An error that escapes the
 * benchmark's own promise (a socket's, a timer's) fails the benchmark and is reported with it.
 */
export async function runHere(entry: BenchEntry): Promise<{ lines: string[]; failed: boolean }> {
  const stray: unknown[] = [];
  const collect = (err: unknown) => void stray.push(err);
  process.on('unhandledRejection', collect);
  process.on('uncaughtException', collect);
  let lines: string[];
  let failed = false;
  try {
    // require, not import(): the benchmarks are CommonJS, and tsx's require hook is the one
    // every way of starting the run has (`tsx`, `--import tsx`, `--require tsx/cjs`).
    const bench = (require(entry.module) as Record<string, unknown>)[entry.exportName];
    if (typeof bench !== 'function') throw new Error(`${entry.module} exports no function ${entry.exportName}`);
    lines = await (bench as Bench)();
  } catch (err) {
    lines = [`  MÄTNINGEN AVBRÖTS: ${errorText(err)}`];
    failed = true;
  }
  // Whatever went wrong in the background meanwhile surfaces by the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', collect);
  process.off('uncaughtException', collect);
  if (stray.length) {
    lines.push(...stray.map((err) => `  FEL UNDER MÄTNINGEN: ${errorText(err)}`));
    failed = true;
  }
  return { lines, failed };
}

export interface RunOptions {
  /** Node's options for each benchmark's process (default: this process's, which carry tsx's loader and any setting being tried). */
  execArgv?: readonly string[];
  /** Where the reports go (default: standard output). */
  write?: (text: string) => void;
  /** A benchmark's process still running after this long is stopped and reported (default: an hour; a whole run takes about 20 minutes). */
  timeoutMs?: number;
}

/**
 * Runs the named benchmarks one after another, each in a process of its own, and writes each
 * report under a heading `== name ==` as it finishes. Resolves with the names that failed:
 * an error in the benchmark, or a process that ended without a report.
 */
export async function runInOwnProcesses(names: readonly string[], registry: Readonly<Record<string, BenchEntry>>, options: RunOptions = {}): Promise<string[]> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const failed: string[] = [];
  for (const name of names) {
    const { lines, failed: benchFailed } = await runInChild(registry[name]!, options.execArgv ?? process.execArgv, options.timeoutMs ?? 60 * 60_000);
    if (benchFailed) failed.push(name);
    write(`\n== ${name} ==\n${lines.join('\n')}\n`);
  }
  return failed;
}

/** The report line a child writes, as JSON, so that nothing else it prints can be taken for it. */
const REPORT = 'bench-report ';

function runInChild(entry: BenchEntry, execArgv: readonly string[], timeoutMs: number): Promise<{ lines: string[]; failed: boolean }> {
  return new Promise((resolve) => {
    // Standard error goes straight through (a benchmark's own warnings and progress).
    const child = spawn(process.execPath, [...execArgv, CHILD, entry.module, entry.exportName], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => clearTimeout(timer));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => resolve({ lines: [`  MÄTNINGEN AVBRÖTS: ${errorText(err)}`], failed: true }));
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(REPORT));
      const how = timedOut ? `stoppades efter ${Math.round(timeoutMs / 1000)} s` : `slutade med ${signal ? `signalen ${signal}` : `kod ${code}`}`;
      if (line) {
        const report = JSON.parse(line.slice(REPORT.length)) as { lines: string[]; failed: boolean };
        if (code === 0) resolve(report);
        else resolve({ lines: [...report.lines, `  FEL EFTER MÄTNINGEN: mätningens process ${how}`], failed: true });
      } else {
        resolve({ lines: [`  MÄTNINGEN AVBRÖTS: mätningens process ${how} utan att redovisa något${out.trim() ? `; den skrev:\n${out.trimEnd().slice(-2000)}` : ''}`], failed: true });
      }
    });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

if (require.main === module) {
  const [moduleFile, exportName] = process.argv.slice(2);
  void runHere({ module: moduleFile!, exportName: exportName! }).then((report) => {
    // A benchmark that left a handle open (a timer, a socket) must not keep the run waiting.
    process.stdout.write(`${REPORT}${JSON.stringify(report)}\n`, () => process.exit(0));
  });
}

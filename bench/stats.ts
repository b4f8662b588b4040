/**
 * Small helpers the benchmarks share: percentiles, medians, rates, peak memory, a measured process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
/** Compiled benches go here, beside .build/src/, which their `../src` imports then load. */
const COMPILED = path.join(ROOT, '.build', 'bench');

/**
 * A bench file compiled to JavaScript (with this file, which it imports), for a measured process
 * that runs as `npm start` runs the bot after its prestart build: the bot's compiled files and
 * no compiler in the process (tsx carries one, about 20 MB and its own garbage). Builds the bot
 * first if its build is stale. Returns the compiled file's path.
 */
export function compiledBench(benchFile: string): string {
  const built = spawnSync(process.execPath, ['bin/build.js'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bin/build.js failed: ${built.stderr}`);
  // The build's own compiler, with the build's settings, one file at a time.
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({ entryPoints: [benchFile, __filename], outdir: COMPILED, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' });
  return path.join(COMPILED, `${path.basename(benchFile, '.ts')}.js`);
}

/** The p-th percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('sv-SE').padStart(8);
}

/** What `sampleRss` saw at the peak: `process.memoryUsage()`, and the part of the RSS mapped from files. */
export interface RssAtPeak extends NodeJS.MemoryUsage {
  /**
   * Bytes of the RSS mapped from files (Linux's RssFile: the node program and its ICU data), which
   * no change to Nämndbot's code makes smaller; undefined where /proc is not there or not asked for.
   */
  fileMapped?: number;
}

/** The file-mapped part of this process's RSS in bytes (Linux), or undefined. */
function fileMappedRss(): number | undefined {
  try {
    const kb = /^RssFile:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return kb ? Number(kb[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the resident set size every 20 ms until stopped; `stop` returns the peak in bytes, and
 * `atPeak` what `process.memoryUsage()` said at that sample (how much of the peak was V8's heap).
 * With `fileMapped`, each new peak also reads /proc/self/status for the part mapped from files
 * (a file read per new peak: left out where the sampling itself must not add work, as in the core bench).
 */
export function sampleRss(options: { fileMapped?: boolean } = {}): { stop(): number; atPeak(): RssAtPeak } {
  let peak: RssAtPeak = process.memoryUsage();
  const sample = () => {
    const now: RssAtPeak = process.memoryUsage();
    if (now.rss > peak.rss) {
      if (options.fileMapped) now.fileMapped = fileMappedRss();
      peak = now;
    }
  };
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak.rss;
    },
    atPeak: () => peak,
  };
}

/** The median of the figures (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Options that load code (tsx's loader, a preload), with the argument each takes. */
const LOADING_OPTIONS = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader', '--eval', '-e', '--print', '-p']);

/**
 * The options this bench process was given for Node and V8 itself (`node --optimize-for-size
 * --import tsx bench/run.ts`: `--optimize-for-size`), without those that load code: what a
 * measured process of its own runs with too, so that a setting can be tried on the bot with one
 * command. `npm run bench` gives none.
 */
export function runtimeOptions(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (LOADING_OPTIONS.has(arg)) i++;
    else if (!LOADING_OPTIONS.has(arg.split('=')[0]!)) out.push(arg);
  }
  return out;
}

/** A heap limit given to Node: `--max-old-space-size=1024` (also written with underscores). */
const HEAP_LIMIT = /^--max[-_]old[-_]space[-_]size\b/;

/** The arguments `npm start` gives node (package.json's start script), without the final `start`. */
export function startArguments(startScript = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start): string[] {
  const words = startScript.trim().split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.lastIndexOf('start'));
}

/**
 * The options `npm start` gives Node and V8, without its heap limit: a measured bot process runs
 * with them, as a start does, and its memory is judged for a heap Node sizes itself (issue 18).
 */
export function startNodeOptions(startScript?: string): string[] {
  return startArguments(startScript).filter((arg) => arg.startsWith('-') && !HEAP_LIMIT.test(arg));
}

/** Whether the options hold a heap limit. */
export function limitsHeap(options: readonly string[]): boolean {
  return options.some((o) => HEAP_LIMIT.test(o));
}

/**
 * Runs `node <startNodeOptions()> <runtimeOptions()> <nodeOptions> <script> <args>` in the
 * project folder and resolves with the JSON the process writes on its line starting "figures ":
 * how the benches measure a process of its own. The bench's own options come after npm start's,
 * so that a setting tried on the benches wins (V8 takes the last of a flag given twice).
 */
export function figuresOfProcess<T>(nodeOptions: string[], script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...startNodeOptions(), ...runtimeOptions(), ...nodeOptions, script, ...args], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('figures '));
      if (code !== 0 || !line) reject(new Error(`the measured process ended with code ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line.slice('figures '.length)) as T);
    });
  });
}

/** Writes a process's figures for `figuresOfProcess`. */
export function writeFigures(figures: unknown): void {
  process.stdout.write(`figures ${JSON.stringify(figures)}\n`);
}

/** The p-th percentile of unsorted figures. */
export function percentileOf(xs: readonly number[], p: number): number {
  return percentile([...xs].sort((a, b) => a - b), p);
}

let fullGc: (() => void) | undefined;

/**
 * A full garbage collection, now. Between two measured runs in one process, so that a run does
 * not pay for the garbage the run before it left (the benches that alternate two subjects in one
 * process would otherwise charge one subject's garbage to the other).
 */
export function collectGarbage(): void {
  if (!fullGc) {
    // Node's gc() without --expose-gc on the command line: the flag set at run time, the function
    // taken from a fresh context, where V8 installs it.
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
    fullGc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void;
  }
  fullGc();
}

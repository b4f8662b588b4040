#!/usr/bin/env node
/**
 * Compiles the bot's TypeScript (src/, adapters/, bin/) to JavaScript under .build/, which
 * `npm start` and `npm run namndbot` run: no compiler in the process, so a start only loads the
 * program. Runs before those (prestart, prenamndbot) and after `npm install` (prepare); it
 * rebuilds only when a source file is newer than the last build (a few milliseconds otherwise).
 *
 *   node bin/build.js            build if stale
 *   node bin/build.js --force    build anyway
 *
 * Plain JavaScript, so that it runs before anything is compiled. esbuild strips the types file
 * by file (the project is isolatedModules); type checking stays with `npm test` (tsc --noEmit).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.build');
const SOURCES = ['src', 'adapters', 'bin'];
/** Written last: a build cut off halfway is not taken for a finished one. */
const STAMP = path.join(OUT, '.built');

/** Every .ts file under the source folders, and the newest change among them (files and folders: a deleted file changes its folder). */
function sources() {
  const files = [];
  let newest = 0;
  const walk = (dir) => {
    newest = Math.max(newest, fs.statSync(dir).mtimeMs);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        files.push(p);
        newest = Math.max(newest, fs.statSync(p).mtimeMs);
      }
    }
  };
  for (const dir of SOURCES) walk(path.join(ROOT, dir));
  // This script and the settings it builds with count as sources too.
  for (const f of [__filename, path.join(ROOT, 'package.json'), path.join(ROOT, 'tsconfig.json')]) newest = Math.max(newest, fs.statSync(f).mtimeMs);
  return { files, newest };
}

/**
 * Builds if stale. Safe beside running bots and other builds (npm start and a tool started at
 * once): one build at a time (a lock file), and every output file is replaced whole (written
 * aside, then renamed), so a bot loading a module meanwhile reads the old file or the new one.
 */
function build(force) {
  const stale = () => {
    const { files, newest } = sources();
    const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : -1;
    return force || built < newest ? files : undefined;
  };
  if (!stale()) return false;
  fs.mkdirSync(OUT, { recursive: true });
  const unlock = lock();
  try {
    // Another process may have built it while this one waited.
    const files = stale();
    if (!files) return false;
    const result = require('esbuild').buildSync({
      entryPoints: files,
      outdir: OUT,
      outbase: ROOT,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // import() becomes require(), as tsc compiles it for CommonJS: loaded when reached, resolved as the static imports are.
      supported: { 'dynamic-import': false },
      logLevel: 'warning',
      write: false,
    });
    const written = new Set();
    for (const f of result.outputFiles) {
      written.add(f.path);
      if (fs.existsSync(f.path) && Buffer.compare(fs.readFileSync(f.path), f.contents) === 0) continue;
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      const tmp = `${f.path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, f.contents);
      fs.renameSync(tmp, f.path);
    }
    // A source removed must not live on as its old output.
    for (const f of fs.readdirSync(OUT, { recursive: true })) {
      const p = path.join(OUT, String(f));
      if (p.endsWith('.js') && !written.has(p) && fs.statSync(p).isFile()) fs.rmSync(p);
    }
    fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
    return true;
  } finally {
    unlock();
  }
}

/** Waits (at most a minute) for the build lock; a lock left by a build that died is taken over after that. */
function lock() {
  const file = path.join(OUT, '.lock');
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() > until) {
        fs.rmSync(file, { force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

if (require.main === module) {
  try {
    build(process.argv.includes('--force'));
  } catch (err) {
    process.stderr.write(`Nämndbot kunde inte byggas: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

module.exports = { build, OUT };

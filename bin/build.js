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

function build(force) {
  const { files, newest } = sources();
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : -1;
  if (!force && built >= newest) return false;
  // From scratch: a source removed must not live on as its old output.
  fs.rmSync(OUT, { recursive: true, force: true });
  require('esbuild').buildSync({
    entryPoints: files,
    outdir: OUT,
    outbase: ROOT,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() becomes require(), as tsc compiles it for CommonJS: loaded when reached, resolved as the static imports are.
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return true;
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

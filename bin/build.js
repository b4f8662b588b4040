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
 *
 * The libraries a start loads (VENDOR) are bundled too, each into one file of its own at
 * .build/node_modules/<name>/index.js. The compiled files require them by name as before, and
 * Node's lookup finds .build/node_modules before the project's node_modules, so a start reads one
 * file per library instead of hundreds (Bolt alone is over 400) and each still loads only when
 * first required. Rebuilt when the installed packages change (package-lock.json).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.build');
const SOURCES = ['src', 'adapters', 'bin'];
/** Written last: a build cut off halfway is not taken for a finished one. */
const STAMP = path.join(OUT, '.built');
/**
 * Libraries bundled one file each (see above): those a start loads, in the console or in server
 * mode. Only libraries whose code needs no file of its own at run time (no worker script, no
 * data read by path, no require of a computed name on the paths used), checked in esbuild's log.
 * Left as installed: pino (its transports run worker scripts by path), botbuilder (optional
 * requires by computed name), and what loads only in the render thread or a tool.
 */
const VENDOR = ['@slack/bolt', 'zod', 'yaml', 'date-holidays', 'prom-client', '@date-fns/tz', 'ioredis'];
/**
 * Inside a library's bundle, modules that only some setups use, loaded when first used instead of
 * with the library: Bolt's Socket Mode client (with undici, its HTTP client) serves only
 * SLACK_MODE=socket, and express only Bolt's ExpressReceiver, which Nämndbot does not use. Bolt
 * requires both as it loads, which was over half of its start.
 */
const LAZY = { '@slack/bolt': ['@slack/socket-mode', 'express'] };
/**
 * Libraries whose bundle is made from a module of ours in place of the installed entry point. The
 * calendar asks date-holidays for Sweden only, and the installed module holds every country's
 * rules: 10 MB of heap once loaded, and 160 ms at the first date a process works out, 140 of
 * them loading. Its bundle is date-holidays' own class over its own data (data/holidays.json,
 * from which the package builds that module), cut to Sweden: the same parser, rules and names,
 * 6.6 MB and about 110 ms.
 * test/docs/build.test.ts checks that it gives the installed module's Swedish holidays.
 */
const STAND_INS = { 'date-holidays': swedishHolidays };
const VENDOR_DIR = path.join(OUT, 'node_modules');
const VENDOR_STAMP = path.join(VENDOR_DIR, '.built');

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

/** The newest change to what the library bundles are made of: the installed packages and this script. */
function installed() {
  let newest = 0;
  // npm writes node_modules/.package-lock.json at every install; package-lock.json may be older.
  for (const f of [__filename, path.join(ROOT, 'package.json'), path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'node_modules', '.package-lock.json')]) {
    if (fs.existsSync(f)) newest = Math.max(newest, fs.statSync(f).mtimeMs);
  }
  return newest;
}

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -1);

/**
 * A stand-in for the installed module `name` (as `from` resolves it) in a bundle written to
 * `outfile`: the same export names, each a getter that loads the installed module at first use
 * (by a path relative to the bundle, so the clone can move); a module that is a function is
 * stood in for by a function that calls it.
 */
function lazyModule(name, from, outfile) {
  const nodeModules = path.join(ROOT, 'node_modules');
  let file = require.resolve(name, { paths: [from] });
  // Inside the clone's node_modules by its own path, even where that folder is a link.
  const real = fs.realpathSync(nodeModules);
  if (file.startsWith(real + path.sep)) file = path.join(nodeModules, path.relative(real, file));
  const target = path.relative(path.dirname(outfile), file).split(path.sep).join('/');
  const installed = require(file);
  return [
    `// Stands in for ${name}, loaded from ${target} when first used (bin/build.js, LAZY).`,
    'let loaded;',
    `const load = () => (loaded ??= require('node:module').createRequire(__filename)(${JSON.stringify(target)}));`,
    typeof installed === 'function' ? 'module.exports = function (...args) { return new.target ? Reflect.construct(load(), args, new.target) : load().apply(this, args); };' : '',
    `Object.defineProperty(module.exports, '__esModule', { value: ${Boolean(installed.__esModule)} });`,
    `for (const key of ${JSON.stringify(Object.keys(installed).filter((k) => k !== '__esModule'))}) Object.defineProperty(module.exports, key, { enumerable: true, get: () => load()[key] });`,
  ].join('\n');
}

/** date-holidays with Sweden's rules alone (STAND_INS): its class, on its parser, over its data cut to SE. */
function swedishHolidays() {
  const dir = path.dirname(require.resolve('date-holidays/package.json', { paths: [ROOT] }));
  const data = JSON.parse(fs.readFileSync(path.join(dir, 'data', 'holidays.json'), 'utf8'));
  if (!data.holidays || !data.holidays.SE || !data.names) throw new Error(`no SE rules in ${path.join(dir, 'data', 'holidays.json')}`);
  const sweden = { version: data.version, license: data.license, holidays: { SE: data.holidays.SE }, names: data.names };
  // The parser date-holidays was installed with, by its path, wherever npm put it.
  const parser = require.resolve('date-holidays-parser', { paths: [dir] });
  return [
    `// date-holidays ${JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version} for SE only (bin/build.js, STAND_INS).`,
    `const HolidaysParser = require(${JSON.stringify(parser)});`,
    `const data = ${JSON.stringify(sweden)};`,
    'class Holidays extends (HolidaysParser.default ?? HolidaysParser) {',
    '  constructor(country, state, region, opts) {',
    '    super(data, country, state, region, opts);',
    '  }',
    '}',
    'module.exports = Holidays;',
  ].join('\n');
}

/** One bundle per library in VENDOR, as esbuild output files. */
function bundleVendor(esbuild) {
  return VENDOR.flatMap((name) => {
    const outfile = path.join(VENDOR_DIR, name, 'index.js');
    // The stand-ins (LAZY) are written to a folder of their own and put in place of the modules.
    const alias = {};
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'namndbot-build-'));
    for (const lazy of LAZY[name] ?? []) {
      const file = path.join(dir, `${lazy.replace(/[@/]/g, '_')}.js`);
      fs.writeFileSync(file, lazyModule(lazy, path.dirname(require.resolve(name, { paths: [ROOT] })), outfile));
      alias[lazy] = file;
    }
    if (STAND_INS[name]) {
      const file = path.join(dir, `${name.replace(/[@/]/g, '_')}.js`);
      fs.writeFileSync(file, STAND_INS[name]());
      alias[name] = file;
    }
    try {
      return esbuild.buildSync({
        stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT, loader: 'js' },
        bundle: true,
        alias,
        outfile,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        logLevel: 'warning',
        write: false,
      }).outputFiles;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Builds if stale. Safe beside running bots and other builds (npm start and a tool started at
 * once): one build at a time (a lock file), and every output file is replaced whole (written
 * aside, then renamed), so a bot loading a module meanwhile reads the old file or the new one.
 */
function build(force) {
  const stale = () => {
    const { files, newest } = sources();
    const vendor = force || mtime(VENDOR_STAMP) < installed();
    return force || vendor || mtime(STAMP) < newest ? { files, vendor } : undefined;
  };
  if (!stale()) return false;
  fs.mkdirSync(OUT, { recursive: true });
  const unlock = lock();
  try {
    // Another process may have built it while this one waited.
    const todo = stale();
    if (!todo) return false;
    const { files, vendor } = todo;
    const esbuild = require('esbuild');
    const result = esbuild.buildSync({
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
    const outputs = [...result.outputFiles, ...(vendor ? bundleVendor(esbuild) : [])];
    const written = new Set();
    for (const f of outputs) {
      written.add(f.path);
      if (fs.existsSync(f.path) && Buffer.compare(fs.readFileSync(f.path), f.contents) === 0) continue;
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      const tmp = `${f.path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, f.contents);
      fs.renameSync(tmp, f.path);
    }
    // A source removed (or a library no longer bundled) must not live on as its old output.
    for (const f of fs.readdirSync(OUT, { recursive: true })) {
      const p = path.join(OUT, String(f));
      const bundled = p.startsWith(VENDOR_DIR + path.sep);
      if (p.endsWith('.js') && (vendor || !bundled) && !written.has(p) && fs.statSync(p).isFile()) fs.rmSync(p);
    }
    if (vendor) fs.writeFileSync(VENDOR_STAMP, `${new Date().toISOString()}\n`);
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

module.exports = { build, OUT, VENDOR };

#!/usr/bin/env node
/**
 * The `namndbot` command of package.json's "bin": `npx namndbot <command>` in a clone (after
 * `npm ci`), `namndbot <command>` after a global install. It runs the compiled JavaScript in
 * .build/ (built first when a source is newer, see build.js), in this process (no loader thread,
 * no child process: signals reach the bot itself), resolved from this package, so it works from
 * any folder. Where .build/ cannot be written (a read-only install), tsx compiles the TypeScript
 * as it is required instead. Everything else is bin/main.ts.
 */
'use strict';
const path = require('node:path');
const { build, OUT } = require('./build');

let compiled = false;
try {
  build(false);
  compiled = true;
} catch {
  // Not writable, or esbuild missing: run the TypeScript itself.
}
if (compiled) {
  require(path.join(OUT, 'bin', 'main.js'));
} else {
  require('tsx/cjs');
  require('./main.ts');
}

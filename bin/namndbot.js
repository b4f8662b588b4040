#!/usr/bin/env node
/**
 * The `namndbot` command of package.json's "bin": `npx namndbot <command>` in a clone (after
 * `npm ci`), `namndbot <command>` after a global install. tsx compiles the TypeScript as it is
 * required, in this process (no loader thread, no child process: signals reach the bot itself),
 * resolved from this package, so it works from any folder. Everything else is bin/main.ts.
 */
'use strict';
require('tsx/cjs');
require('./main.ts');

/**
 * The `namndbot` command the docs use (issue 19.1): package.json's bin, run as `npx namndbot` in
 * the clone and as `namndbot` through a link on the PATH, from another folder, as a global install
 * puts it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanEnv, ROOT } from '../ops/support';
import { runProcess } from '../support/cli';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };

const sh = (command: string, cwd: string, env: NodeJS.ProcessEnv) => runProcess('/bin/sh', ['-c', command], { cwd, env });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('package.json names an executable node script as the namndbot command', () => {
  const file = path.join(ROOT, pkg.bin?.namndbot ?? 'saknas');
  expect(pkg.bin).toEqual({ namndbot: 'bin/namndbot.js' });
  expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  expect(() => accessSync(file, constants.X_OK)).not.toThrow();
});

test('npx namndbot config check works in the clone and answers in Swedish', async () => {
  const r = await sh('npx namndbot config check', ROOT, cleanEnv({ NAMNDBOT_DATA_DIR: path.join(dir, 'data') }));
  expect(r.stderr).not.toMatch(/could not determine executable/);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Inställningar (värde och varifrån det kommer; hemligheter visas inte):');
  expect(r.stdout).toContain('Konfigurationen är giltig.');
}, 60_000);

test('namndbot on the PATH (a link, as a global install makes it) works from any folder', async () => {
  const binDir = path.join(dir, 'global-bin');
  await sh(`mkdir -p '${binDir}'`, dir, process.env);
  await symlink(path.join(ROOT, pkg.bin!.namndbot!), path.join(binDir, 'namndbot'));
  const env = cleanEnv({ PATH: `${binDir}:${process.env.PATH}`, NAMNDBOT_COMMITTEES: path.join(ROOT, 'examples/kfn.yaml'), NAMNDBOT_DATA_DIR: path.join(dir, 'data') });
  const help = await sh('namndbot hjälp', dir, env);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('namndbot reminders [--at <tidpunkt>] [--committee <id>]');
  const check = await sh('namndbot config check', dir, env);
  expect(check.code).toBe(0);
  expect(check.stdout).toContain('Nämnd: Kultur- och fritidsnämnden (kfn)');
}, 60_000);

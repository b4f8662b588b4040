/**
 * The options a bench passes on to the bot process it measures (bench/stats.ts `runtimeOptions`):
 * Node's and V8's own settings go on, whatever loads code (tsx's loader, a preload, a script) does not.
 */
import { spawnSync } from 'node:child_process';
import { limitsHeap, runtimeOptions, startArguments, startNodeOptions } from '../../bench/stats';

describe('runtimeOptions', () => {
  it.each([
    // `npm run bench` (the tsx command): only tsx's loader, so the bot runs without options.
    [['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///p/node_modules/tsx/dist/loader.mjs'], []],
    // `node --optimize-for-size --import tsx bench/run.ts scheduler`
    [['--optimize-for-size', '--import', 'tsx'], ['--optimize-for-size']],
    [['--heap-growing-percent=20', '--max-semi-space-size=4', '--import', 'tsx'], ['--heap-growing-percent=20', '--max-semi-space-size=4']],
    [['--max-old-space-size=1024', '-r', 'tsx/cjs'], ['--max-old-space-size=1024']],
    // Loading options written with "=" take no separate argument.
    [['--require=tsx/cjs', '--expose-gc', '--import=tsx'], ['--expose-gc']],
    [['--eval', '0', '--trace-gc'], ['--trace-gc']],
    [[], []],
  ])('%j → %j', (execArgv, expected) => {
    expect(runtimeOptions(execArgv)).toEqual(expected);
  });
});

describe('startNodeOptions', () => {
  it.each([
    // npm start's heap limit is left out (the memory targets are for a heap Node sizes itself); its other settings go on.
    ['node --max-old-space-size=1024 --heap-growing-percent=10 .build/bin/main.js start', ['--heap-growing-percent=10']],
    ['node --max_old_space_size=1024 .build/bin/main.js start', []],
    ['node .build/bin/main.js start', []],
  ])('%s → %j', (script, expected) => {
    expect(startNodeOptions(script)).toEqual(expected);
  });

  it('reads the start script of package.json, which Node accepts as written', () => {
    const args = startArguments();
    expect(args[args.length - 1]).toBe('.build/bin/main.js');
    // The settings npm start gives the bot are ones this Node knows: an unknown one stops the start.
    const run = spawnSync(process.execPath, [...args.slice(0, -1), '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(limitsHeap(args)).toBe(true);
    expect(startNodeOptions()).toEqual(args.filter((a) => a.startsWith('-') && !a.startsWith('--max-old-space-size')));
  });
});

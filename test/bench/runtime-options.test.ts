/**
 * The options a bench passes on to the bot process it measures (bench/stats.ts `runtimeOptions`):
 * Node's and V8's own settings go on, whatever loads code (tsx's loader, a preload, a script) does not.
 */
import { runtimeOptions } from '../../bench/stats';

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

/**
 * `npm run bench`: every benchmark in turn, printing its figures. `npm run bench -- core agenda`
 * runs only the named ones. One benchmark's error is reported with its figures and the others
 * still run; the exit code is 1 if any failed.
 */
type Bench = () => Promise<string[]>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  start: async () => (await import('./start')).benchStart,
  core: async () => (await import('./core')).benchCore,
  agenda: async () => (await import('./agenda')).benchAgenda,
  protokoll: async () => (await import('./protokoll')).benchProtokoll,
  scheduler: async () => (await import('./scheduler')).benchScheduler,
  redis: async () => (await import('./redis')).benchRedis,
  slack: async () => (await import('./slack')).benchSlack,
  teams: async () => (await import('./teams')).benchTeams,
  ops: async () => (await import('./ops')).benchOps,
  history: async () => (await import('./history')).benchHistory,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) {
    process.stderr.write(`Okänd mätning "${unknown.join('", "')}". Finns: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  // An error that escapes a benchmark's own promise (a socket's, a timer's) fails that benchmark,
  // not the run: it is reported, and the next benchmark runs.
  let stray: unknown[] = [];
  const collect = (err: unknown) => void stray.push(err);
  process.on('unhandledRejection', collect);
  process.on('uncaughtException', collect);
  const failed: string[] = [];
  for (const name of names) {
    stray = [];
    let lines: string[];
    try {
      lines = await (await BENCHES[name]!())();
    } catch (err) {
      lines = [`  MÄTNINGEN AVBRÖTS: ${errorText(err)}`];
    }
    // Whatever went wrong in the background meanwhile surfaces by the next turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (stray.length) lines.push(...stray.map((err) => `  FEL UNDER MÄTNINGEN: ${errorText(err)}`));
    if (lines.some((l) => l.startsWith('  MÄTNINGEN AVBRÖTS') || l.startsWith('  FEL UNDER MÄTNINGEN'))) failed.push(name);
    process.stdout.write(`\n== ${name} ==\n${lines.join('\n')}\n`);
  }
  if (failed.length) {
    process.stdout.write(`\nMätningar med fel: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

void main();

/**
 * `npm run bench`: every benchmark in turn, printing its figures. `npm run bench -- core agenda`
 * runs only the named ones.
 */
type Bench = () => Promise<string[]>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  core: async () => (await import('./core')).benchCore,
  agenda: async () => (await import('./agenda')).benchAgenda,
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
  for (const name of names) {
    const load = BENCHES[name];
    if (!load) {
      process.stderr.write(`Okänd mätning "${name}". Finns: ${Object.keys(BENCHES).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    const lines = await (await load())();
    process.stdout.write(`\n== ${name} ==\n${lines.join('\n')}\n`);
  }
}

void main();

/**
 * `npm run bench`: every benchmark in turn, printing its figures. `npm run bench -- core agenda`
 * runs only the named ones. Each runs in a Node process of its own (bench/runner.ts), with the
 * options this one was given. One benchmark's error or crash is reported with its figures and
 * the others still run; the exit code is 1 if any failed.
 */
import path from 'node:path';
import { runInOwnProcesses, type BenchEntry } from './runner';

const bench = (file: string, exportName: string): BenchEntry => ({ module: path.join(__dirname, file), exportName });

const BENCHES: Record<string, BenchEntry> = {
  start: bench('start.ts', 'benchStart'),
  core: bench('core.ts', 'benchCore'),
  agenda: bench('agenda.ts', 'benchAgenda'),
  protokoll: bench('protokoll.ts', 'benchProtokoll'),
  scheduler: bench('scheduler.ts', 'benchScheduler'),
  redis: bench('redis.ts', 'benchRedis'),
  slack: bench('slack.ts', 'benchSlack'),
  teams: bench('teams.ts', 'benchTeams'),
  ops: bench('ops.ts', 'benchOps'),
  history: bench('history.ts', 'benchHistory'),
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
  const failed = await runInOwnProcesses(names, BENCHES);
  if (failed.length) {
    process.stdout.write(`\nMätningar med fel: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

void main();

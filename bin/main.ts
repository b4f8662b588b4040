/**
 * Start here. The entry: `namndbot <command>` (`npm start`, `npm run namndbot -- <command>`).
 * Reads settings, opens the Store (app.ts), starts the adapters (run-server.ts, or the console)
 * or runs a command-line tool (cli/), and stops cleanly. Nothing imports this file. What only one
 * mode or command needs (a platform's SDK, a tool's libraries) is loaded when that one runs.
 *
 *   namndbot [start] [--as <id>] [--now <ISO>]   the bot (the console when no platform is configured)
 *            [--set-aside-damaged]               damaged data lines moved aside (any command that opens the store)
 *   namndbot export [--out <dir>]                 records for the diarium, as CSV and JSON
 *   namndbot protokoll --meeting <id|date> [--out <dir>]  the protokoll draft, Word and Markdown
 *   namndbot reminders [--at <ISO>]               what the scheduler would send then (nothing is sent)
 *   namndbot calendar [--out <file.ics>]          meetings and deadlines as an ICS file
 *   namndbot config check                         the whole configuration checked, every setting listed
 *   namndbot member export <id> [--out <file>]    everything stored about one person, as JSON
 *   namndbot retention [--dry-run] [--days <n>]   one retention pass (gallring) now
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { ConfigError } from '../src/config/committee-file';
import { SettingsError } from '../src/config/settings';
import { parseTypedInstant } from '../src/domain/time';
import { DamagedDataFileError, DataDirLockedError, DataDirUnusableError } from '../src/store/file-store';
import { RedisConfigError } from '../src/store/redis-config';
import { StoreUnavailableError } from '../src/store/store';
import { openApp } from './app';
import type { ServerMode } from './run-server';
// The platforms' settings only: their SDKs (a second and more) load when a platform is configured.
import { readSlackSettings } from '../adapters/slack/settings';
import { readTeamsSettings, teamsRequested } from '../adapters/teams/settings';
import { runConsole } from '../adapters/console/run';

const USAGE = `Användning:
  namndbot [start] [--as <id>] [--now <tidpunkt>]   starta boten (i terminalen om ingen chattplattform är inställd)
           [--set-aside-damaged]                     flytta skadade rader i datakatalogen till egna filer under damaged/ och behåll resten
  namndbot export [--out <mapp>]                    skriv ut handlingarna (jäv, övriga frågor, beslut) som CSV och JSON
  namndbot agenda [--meeting <id|datum>] [--committee <id>] [--out <mapp>]
                                                     bygg ett utkast till kallelse och dagordning (Word och Markdown)
  namndbot protokoll --meeting <id|datum> [--committee <id>] [--out <mapp>]
                                                     bygg ett utkast till protokoll av det som registrerats under mötet (Word och Markdown)
  namndbot import <fil> [--meeting <id|datum>] [--committee <id>] [--ja]
                                                     läs en ärendelista (Excel, CSV eller mötesbokens dagordning), visa vad som ändras och spara efter ja
  namndbot templates check                           kontrollera alla mallar utan att bygga något möte
  namndbot reminders [--at <tidpunkt>] [--committee <id>]
                                                     visa vilka påminnelser som skulle skickas då, till vem och varför (inget skickas)
  namndbot calendar [--out <fil.ics>] [--committee <id>]
                                                     skriv sammanträden och frister som en kalenderfil för Outlook
  namndbot config check                              kontrollera hela konfigurationen och visa alla inställningar
  namndbot member export <id> [--out <fil>]          skriv ut allt som finns sparat om en person (JSON), för ett registerutdrag
  namndbot retention [--dry-run] [--days <dagar>]    gallra personuppgifter i avslutade sammanträden nu (se NAMNDBOT_RETENTION_DAYS)
  namndbot hjälp                                     visa den här texten`;

/**
 * `namndbot reminders | head`: the reader may close the pipe before all is written (EPIPE). That
 * is not a failure: stop writing and let the command finish quietly.
 */
function quietOnClosedOutput(out: NodeJS.WriteStream): void {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') out.destroy();
    else process.exitCode = 1;
  });
}

/** The command being run, for the error handler's advice. */
let commandRun = 'start';

/**
 * What to do instead when a command that writes meets the data folder held by the running bot:
 * only one process may write there, so the running bot does it, or it is stopped first.
 */
function whileTheBotRuns(command: string): string {
  const stopFirst = `eller stoppa boten, kör namndbot ${command} och starta boten igen.`;
  switch (command) {
    case 'agenda':
      return `Be den körande boten om utkastet i stället: skriv dagordning (eller dagordning möte <datum>) till Nämndbot i chatten, eller i terminalen där boten körs, ${stopFirst}`;
    case 'protokoll':
      return `Be den körande boten om utkastet i stället: skriv protokoll (eller protokoll möte <datum>) till Nämndbot i chatten, eller i terminalen där boten körs, ${stopFirst}`;
    case 'import':
      return `Ge den körande boten filen i stället: dela den med Nämndbot i ett privat meddelande i Slack eller bifoga den i Teams (se docs/sekreterare.md), ${stopFirst}`;
    case 'retention':
      return `Boten i Slack och Teams gallrar själv vid start och sedan varje dygn när NAMNDBOT_RETENTION_DAYS är satt. Vill du se vad som skulle gallras: namndbot retention --dry-run (det går medan boten körs). För en gallring nu: stoppa boten, kör namndbot retention och starta boten igen.`;
    default:
      return `Stoppa boten, kör namndbot ${command} och starta boten igen.`;
  }
}

async function main(argv: string[]): Promise<number> {
  quietOnClosedOutput(process.stdout);
  quietOnClosedOutput(process.stderr);
  const [first, ...rest] = argv;
  const command = first && !first.startsWith('-') ? first : 'start';
  commandRun = command;
  const args = first && !first.startsWith('-') ? rest : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        as: { type: 'string' },
        now: { type: 'string' },
        out: { type: 'string' },
        meeting: { type: 'string' },
        committee: { type: 'string' },
        at: { type: 'string' },
        days: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'set-aside-damaged': { type: 'boolean' },
        ja: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  const opts = parsed.values;
  // A damaged line in the data folder: move it aside into a file of its own and keep the rest.
  const setAsideDamaged = Boolean(opts['set-aside-damaged']);
  // The tools that only read open the file store without its lock, so they work while the bot
  // runs on the same data folder; repairing damaged lines writes, so that takes the lock.
  const readOnlyUnlessRepairing = setAsideDamaged ? { setAsideDamaged } : { readOnly: true };
  if (opts.help || ['hjalp', 'hjälp', 'help'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'start': {
      // Platform settings are read first, so a half-set configuration stops before anything opens.
      const mode: ServerMode = {
        ...(readSlackSettings(process.env) ? { slack: readSlackSettings(process.env) } : {}),
        ...(teamsRequested(process.env) ? { teams: readTeamsSettings(process.env) } : {}),
      };
      if (mode.slack || mode.teams) {
        // --now fixes the clock here too: demonstrations, and tests of reminders at a given time.
        const app = await openApp({ env: process.env, setAsideDamaged, now: opts.now });
        // require, not import(): it loads the same under `node --require tsx/cjs`, ts-jest and compiled.
        const { runServer } = require('./run-server') as typeof import('./run-server');
        const running = await runServer(app, { ...mode, ...(process.env.SLACK_API_URL ? { slackApiUrl: process.env.SLACK_API_URL } : {}) });
        await running.stopped;
        return 0;
      }
      const app = await openApp({ env: process.env, setAsideDamaged, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      // Reminders follow the real clock. A fixed --now is for scripted sessions and previews: no
      // timer then, so a session is reproducible (namndbot reminders --at shows what would go out).
      // The first tick waits a turn, so the adapters registered below are there for it.
      if (!opts.now) app.scheduler.start();
      return runConsole(app, { as: opts.as, stdin: process.stdin, stdout: process.stdout, filesDir: path.join(app.settings.dataDir, 'filer'), signals: process });
    }
    case 'export': {
      const app = await openApp({ env: process.env, ...readOnlyUnlessRepairing, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runExport } = require('./cli/export') as typeof import('./cli/export');
        return await runExport(app, { outDir: opts.out ?? path.join(app.settings.dataDir, 'export'), stdout: process.stdout });
      } finally {
        await app.close();
      }
    }
    case 'agenda':
    case 'protokoll': {
      // The same draft as in chat, with its documents written to a folder.
      const app = await openApp({ env: process.env, setAsideDamaged, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const run = command === 'agenda'
          ? (require('./cli/agenda') as typeof import('./cli/agenda')).runAgenda
          : (require('./cli/protokoll') as typeof import('./cli/protokoll')).runProtokoll;
        return await run(app, { meeting: opts.meeting, committee: opts.committee, outDir: opts.out ?? path.join(app.settings.dataDir, 'filer'), stdout: process.stdout, stderr: process.stderr });
      } finally {
        await app.close();
      }
    }
    case 'import': {
      const app = await openApp({ env: process.env, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runImport } = require('./cli/import') as typeof import('./cli/import');
        return await runImport(app, { file: parsed.positionals[0], meeting: opts.meeting, committee: opts.committee, yes: opts.ja === true, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
      } finally {
        await app.close();
      }
    }
    case 'templates': {
      if (parsed.positionals[0] !== 'check') {
        process.stderr.write(`Skriv: namndbot templates check\n`);
        return 2;
      }
      const app = await openApp({ env: process.env, ...readOnlyUnlessRepairing, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runTemplatesCheck } = require('./cli/agenda') as typeof import('./cli/agenda');
        return await runTemplatesCheck(app, { stdout: process.stdout });
      } finally {
        await app.close();
      }
    }
    case 'reminders': {
      const at = opts.at ?? opts.now;
      if (at !== undefined && !parseTypedInstant(at)) {
        process.stderr.write(`"${at}" är ingen tidpunkt. Skriv till exempel --at 2027-02-02T08:00:00+01:00\n`);
        return 2;
      }
      const app = await openApp({ env: process.env, ...readOnlyUnlessRepairing, now: at, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runReminders } = require('./cli/reminders') as typeof import('./cli/reminders');
        return await runReminders(app, { committee: opts.committee, stdout: process.stdout });
      } finally {
        await app.close();
      }
    }
    case 'calendar': {
      const app = await openApp({ env: process.env, ...readOnlyUnlessRepairing, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runCalendar } = require('./cli/calendar') as typeof import('./cli/calendar');
        return await runCalendar(app, { out: opts.out ?? path.join(app.settings.dataDir, 'kalender.ics'), committee: opts.committee, stdout: process.stdout });
      } finally {
        await app.close();
      }
    }
    case 'config': {
      if (parsed.positionals[0] !== 'check') {
        process.stderr.write(`Skriv: namndbot config check\n`);
        return 2;
      }
      const { runConfigCheck } = require('./cli/config-check') as typeof import('./cli/config-check');
      return runConfigCheck(process.env, process.stdout);
    }
    case 'member': {
      const [sub, memberId] = parsed.positionals;
      if (sub !== 'export' || !memberId) {
        process.stderr.write(`Skriv: namndbot member export <id> [--out <fil>], med personens id ur nämndfilen.\n`);
        return 2;
      }
      const app = await openApp({ env: process.env, ...readOnlyUnlessRepairing, now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runMemberExport } = require('./cli/member-export') as typeof import('./cli/member-export');
        return await runMemberExport(app, { memberId, out: opts.out, stdout: process.stdout, stderr: process.stderr });
      } finally {
        await app.close();
      }
    }
    case 'retention': {
      const days = opts.days === undefined ? undefined : Number(opts.days);
      if (days !== undefined && !(Number.isInteger(days) && days >= 0)) {
        process.stderr.write(`"${opts.days}" är inget antal dagar. Skriv till exempel --days 90\n`);
        return 2;
      }
      // A dry run only reads: it works while the bot runs, as the other reading tools do.
      const dryRun = Boolean(opts['dry-run']);
      const app = await openApp({ env: process.env, ...(dryRun ? readOnlyUnlessRepairing : { setAsideDamaged }), now: opts.now, logFd: 2, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const { runRetentionCli } = require('./cli/retention') as typeof import('./cli/retention');
        return await runRetentionCli(app, { days, dryRun, stdout: process.stdout, stderr: process.stderr });
      } finally {
        await app.close();
      }
    }
    default:
      process.stderr.write(`Okänt kommando "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Configuration problems are for people: print them plainly, without a stack.
    if (err instanceof DataDirLockedError && commandRun !== 'start') {
      process.stderr.write(
        `namndbot ${commandRun} ändrar i datakatalogen ${err.dataDir}, och där kör redan en Nämndbot (pid ${err.pid}). ` +
          `Bara en process åt gången får skriva i den, så inget har ändrats.\n${whileTheBotRuns(commandRun)}\n`,
      );
    } else if (err instanceof DataDirLockedError || err instanceof DamagedDataFileError || err instanceof DataDirUnusableError) {
      process.stderr.write(`Nämndbot startade inte.\n${err.userMessage}\n`);
    } else if (err instanceof ConfigError || err instanceof SettingsError || err instanceof RedisConfigError || err instanceof StoreUnavailableError) {
      process.stderr.write(`Nämndbot startade inte.\n${err.message}\n`);
    } else {
      process.stderr.write(`Nämndbot stannade på grund av ett oväntat fel: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 1;
  },
);

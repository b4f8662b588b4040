/**
 * Server mode: Slack and/or Teams on one HTTP server with health, readiness and metrics, the
 * reminder scheduler running, and a graceful shutdown on SIGTERM or SIGINT:
 *
 *   1. stop taking requests and let those in flight finish (their answers are recorded first);
 *      at the same time stop the scheduler: sends under way finish and are recorded, reminder
 *      claims not yet sent are released, so another process (or this one after a restart)
 *      sends them; and stop the retention job (a pass under way finishes);
 *   2. stop the adapters (Slack's queue of answers drains; Socket Mode disconnects), after the
 *      scheduler, whose last sends go through them;
 *   3. close the Store.
 *
 * /readyz answers 200 once the server listens with every adapter started; the scheduler starts a
 * second later (FIRST_TICK_DELAY_MS), loading the holiday tables in a turn of their own and then
 * ticking, so that readiness and the first commands do not wait for the holiday tables and the
 * planning of every committee.
 *
 * With NAMNDBOT_RETENTION_DAYS set, a retention pass runs before the server listens (so nothing
 * has read the records yet) and then daily.
 */
// Types only: a platform's SDK is loaded below when that platform is configured.
import type { SlackAdapter, SlackSettings } from '../adapters/slack';
import { DEV_NO_AUTH_HOST, type TeamsSettings } from '../adapters/teams/settings';
import type { App } from './app';
import { RetentionJob } from '../src/ops/retention';
import { BotServer, type Route } from './server';

export interface ServerMode {
  slack?: SlackSettings;
  teams?: TeamsSettings;
  /** Another Slack Web API base (GovSlack, a proxy, or a fake in tests). */
  slackApiUrl?: string;
}

export interface RunningServer {
  port: number;
  /** The address listened on: 0.0.0.0, or 127.0.0.1 for Teams without authentication. */
  host: string;
  /** Resolves when the process should exit (after a signal and a clean stop). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/** How long after the server listens the scheduler's first tick runs. */
export const FIRST_TICK_DELAY_MS = 1_000;

export async function runServer(app: App, mode: ServerMode, options: { signals?: boolean; scheduler?: boolean; firstTickDelayMs?: number } = {}): Promise<RunningServer> {
  const retention =
    app.settings.retentionDays === undefined
      ? undefined
      : new RetentionJob({ store: app.store, committees: app.committees, clock: app.clock, days: app.settings.retentionDays, logger: app.logger });
  await retention?.start();
  const routes: Route[] = [];
  const stops: (() => Promise<void>)[] = [];
  const deps = { core: app.core, delivery: app.delivery, logger: app.logger };
  let started = false;

  if (mode.slack) {
    const { startSlack } = require('../adapters/slack') as typeof import('../adapters/slack');
    const slack: SlackAdapter = await startSlack(deps, mode.slack, { listen: false, ...(mode.slackApiUrl ? { clientOptions: { slackApiUrl: mode.slackApiUrl } } : {}) });
    stops.push(() => slack.stop());
    // HTTP mode only; Socket Mode connects out and needs no route.
    const listener = slack.requestListener;
    if (mode.slack.mode === 'http' && listener) routes.push({ method: 'POST', path: mode.slack.path, handle: (req, res) => listener(req, res) });
  }
  if (mode.teams) {
    const { createTeams } = require('../adapters/teams') as typeof import('../adapters/teams');
    const teams = createTeams(deps, mode.teams, { listen: false });
    await teams.start();
    stops.push(() => teams.stop());
    routes.push({ method: 'POST', path: '/api/messages', handle: (req, res) => teams.processMessages(req, res) });
  }

  const server = new BotServer({
    routes,
    logger: app.logger,
    maxBodyBytes: app.settings.maxBodyBytes,
    requestTimeoutMs: app.settings.requestTimeoutMs,
    ...(app.settings.metricsToken !== undefined ? { metricsToken: app.settings.metricsToken } : {}),
    metrics: app.metrics,
    ready: async () => {
      if (!started) return false;
      await app.store.ping();
      return true;
    },
  });
  // Teams without authentication (development): only this machine may reach the server.
  const host = mode.teams?.auth.mode === 'none' ? DEV_NO_AUTH_HOST : '0.0.0.0';
  const port = await server.listen(app.settings.port, host);
  started = true;
  // The first reminder tick loads the holiday tables and plans every committee: work that
  // answering does not need, which would hold up the first /readyz and the first commands if it
  // ran at once. It follows shortly after; reminders are planned to the minute.
  const firstTick = (options.scheduler ?? true) ? setTimeout(() => app.scheduler.start(), options.firstTickDelayMs ?? FIRST_TICK_DELAY_MS) : undefined;
  app.logger.info({ port, host, slack: Boolean(mode.slack), teams: Boolean(mode.teams), store: app.store.kind }, 'namndbot listening');

  let stopping: Promise<void> | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const stop = () => {
    stopping ??= (async () => {
      app.logger.info({}, 'shutting down');
      started = false;
      clearTimeout(firstTick);
      await Promise.all([server.close(), app.scheduler.stop(), retention?.stop()]);
      for (const s of stops) await s().catch((err: unknown) => app.logger.warn({ err: err instanceof Error ? err.name : 'error' }, 'adapter stop failed'));
      await app.close();
      app.logger.info({}, 'stopped');
      resolveStopped();
    })();
    return stopping;
  };
  if (options.signals ?? true) {
    keepRunningOnStrayErrors(app);
    // `on`, not `once`, and never removed: a second signal while stopping, or while the process
    // exits after the stop, must not kill it (Node's default action), cutting off requests in
    // flight or turning exit code 0 into death by signal.
    const onSignal = () => void stop();
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { port, host, stopped, stop };
}

/**
 * Nothing a request carries may end the process. An error that escapes every handler (a library
 * throwing in a callback of its own, a promise nobody awaits) is logged and the bot goes on:
 * whatever it was doing is lost, but nothing acknowledged is (records are durable before they
 * are answered), and the other requests, the scheduler and the shutdown keep working. Node's
 * default, ending the process, would cut off every request in flight. Only the error's name
 * is logged: its message may quote what a request carried.
 */
export function keepRunningOnStrayErrors(app: Pick<App, 'logger'>): void {
  process.on('unhandledRejection', (reason) => {
    app.logger.error({ err: reason instanceof Error ? reason.name : typeof reason }, 'unhandled rejection; the process goes on');
  });
  process.on('uncaughtException', (err) => {
    app.logger.error({ err: err instanceof Error ? err.name : typeof err }, 'uncaught exception; the process goes on');
  });
}

/**
 * Server mode: Slack and/or Teams on one HTTP server with health, readiness and metrics, the
 * reminder scheduler running, and a graceful shutdown on SIGTERM or SIGINT:
 *
 *   1. stop taking requests and let those in flight finish (their answers are recorded first);
 *   2. stop the adapters (Slack's queue of answers drains; Socket Mode disconnects);
 *   3. stop the scheduler, which releases reminder claims not yet sent, so another process (or
 *      this one after a restart) sends them;
 *   4. close the Store.
 */
import { SlackAdapter, startSlack, type SlackSettings } from './slack';
import { createTeams, type TeamsSettings } from './teams';
import type { App } from './app';
import { BotServer, type Route } from './server';

export interface ServerMode {
  slack?: SlackSettings;
  teams?: TeamsSettings;
  /** Another Slack Web API base (GovSlack, a proxy, or a fake in tests). */
  slackApiUrl?: string;
}

export interface RunningServer {
  port: number;
  /** Resolves when the process should exit (after a signal and a clean stop). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function runServer(app: App, mode: ServerMode, options: { signals?: boolean; scheduler?: boolean } = {}): Promise<RunningServer> {
  const routes: Route[] = [];
  const stops: (() => Promise<void>)[] = [];
  const deps = { core: app.core, delivery: app.delivery, logger: app.logger, store: app.store };
  let started = false;

  if (mode.slack) {
    const slack: SlackAdapter = await startSlack(deps, mode.slack, { listen: false, ...(mode.slackApiUrl ? { clientOptions: { slackApiUrl: mode.slackApiUrl } } : {}) });
    stops.push(() => slack.stop());
    // HTTP mode only; Socket Mode connects out and needs no route.
    const listener = slack.requestListener;
    if (mode.slack.mode === 'http' && listener) routes.push({ method: 'POST', path: mode.slack.path, handle: (req, res) => listener(req, res) });
  }
  if (mode.teams) {
    const teams = createTeams(deps, mode.teams, { listen: false });
    await teams.start();
    stops.push(() => teams.stop());
    routes.push({ method: 'POST', path: '/api/messages', handle: (req, res) => teams.processMessages(req, res) });
  }

  const server = new BotServer({
    routes,
    logger: app.logger,
    maxBodyBytes: app.settings.maxBodyBytes,
    metrics: app.metrics,
    ready: async () => {
      if (!started) return false;
      await app.store.ping();
      return true;
    },
  });
  const port = await server.listen(app.settings.port);
  if (options.scheduler ?? true) app.scheduler.start();
  started = true;
  app.logger.info({ port, slack: Boolean(mode.slack), teams: Boolean(mode.teams), store: app.store.kind }, 'namndbot listening');

  let stopping: Promise<void> | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const stop = () => {
    stopping ??= (async () => {
      app.logger.info({}, 'shutting down');
      started = false;
      await server.close();
      for (const s of stops) await s().catch((err: unknown) => app.logger.warn({ err: err instanceof Error ? err.name : 'error' }, 'adapter stop failed'));
      await app.close();
      app.logger.info({}, 'stopped');
      resolveStopped();
    })();
    return stopping;
  };
  if (options.signals ?? true) {
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  }
  return { port, stopped, stop };
}

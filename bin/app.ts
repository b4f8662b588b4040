/**
 * The entry's wiring: settings → committees → Store → Core. Shared by `namndbot start` and the
 * command-line tools, so they all see the same configuration and the same data.
 *
 * With `main.ts` the only place that knows every part. Only `bin/` and the tests import it: the
 * test harnesses build their bot with `wireApp`, as `openApp` does, so tests run the production
 * wiring. Adapters get the few parts they need as plain dependencies.
 */
import { stat } from 'node:fs/promises';
import { loadCommittees, listCommitteeFiles, ConfigError } from '../src/config/committee-file';
import { readSettings, type Settings } from '../src/config/settings';
import { parseTypedInstant } from '../src/domain/time';
import { Core } from '../src/core/core';
import { AdapterDelivery } from '../src/core/delivery';
import { createLogger, type Logger } from '../src/core/logger';
import type { RateLimitOptions } from '../src/core/rate-limit';
import { Scheduler, type SchedulerOptions } from '../src/core/scheduler';
import { systemClock, ManualClock, type Clock } from '../src/domain/clock';
import type { Committee } from '../src/domain/committee';
import { type CommitteeState } from '../src/domain/state';
import { committeeStateFold } from '../src/domain/state-snapshot';
import { MeteredStore } from '../src/ops/metered-store';
import { Metrics } from '../src/ops/metrics';
import { FileStore } from '../src/store/file-store';
import { readRedisSettings } from '../src/store/redis-config';
import { templateAgendaRenderer } from '../src/templates/renderer';
import type { Store } from '../src/store/store';

export interface App {
  settings: Settings;
  committees: Committee[];
  store: Store;
  core: Core;
  delivery: AdapterDelivery;
  clock: Clock;
  logger: Logger;
  /** Sends reminders; not running until `start()` (the CLI tools leave it off). */
  scheduler: Scheduler;
  metrics: Metrics;
  /** Stops the scheduler, then closes the Store. */
  close(): Promise<void>;
}

export interface AppOptions {
  env: NodeJS.ProcessEnv;
  /** A fixed "now" (ISO 8601), for previews and scripted sessions. */
  now?: string;
  /** 2 when stdout is the console adapter's. */
  logFd?: 1 | 2;
  logLevel?: string;
  /** Node process metrics in /metrics (off in tests that open several apps in one process). */
  processMetrics?: boolean;
  /** A Store to use instead of opening one from the settings (tests, the bench). Closed by `close()`. */
  store?: Store;
  /** The file store moves damaged lines aside instead of refusing to open (`--set-aside-damaged`). */
  setAsideDamaged?: boolean;
  /**
   * For the tools that only read (export, reminders, calendar, member export): the file store is
   * opened without its lock, so they work while the bot runs on the same data folder, and refuses
   * every write. No effect on Redis, which many processes share anyway.
   */
  readOnly?: boolean;
}

/** What `wireApp` puts together: the parts that come from settings, files and the environment. */
export interface AppParts {
  committees: Committee[];
  /** Opened; wrapped so that its failures count in /metrics. */
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Per-person command limit; the core's default when absent. */
  rateLimit?: RateLimitOptions;
  /** States folded as the file store opened (its `projection`). */
  states?: Map<string, CommitteeState>;
  /** Node process metrics in /metrics (off where several bots share one process). */
  processMetrics?: boolean;
  /** The scheduler's claim owner, claim lifetime and interval, and who else hears of each tick (tests of several processes). */
  scheduler?: Pick<SchedulerOptions, 'owner' | 'claimTtlMs' | 'intervalMs' | 'onTick'>;
}

export type Wired = Pick<App, 'store' | 'core' | 'delivery' | 'scheduler' | 'metrics'>;

/**
 * The bot from its parts: the metered Store, the Core with the agenda templates and metrics,
 * member delivery (adapters register on it as they start) and the scheduler (not started).
 */
export function wireApp(parts: AppParts): Wired {
  const { committees, clock, logger } = parts;
  const delivery = new AdapterDelivery();
  const metrics = new Metrics({ processMetrics: parts.processMetrics ?? true });
  // Every Store failure counts in /metrics, whoever met it: a command, the scheduler, an adapter.
  const store = new MeteredStore(parts.store, metrics);
  const core = new Core({ committees, store, clock, logger, delivery, renderer: templateAgendaRenderer, observer: metrics, rateLimit: parts.rateLimit, states: parts.states });
  // Each tick's report counts in /metrics: reminders planned, sent, failed, unreachable, dropped.
  const onTick = parts.scheduler?.onTick;
  const scheduler = new Scheduler({
    core,
    store,
    delivery,
    clock,
    logger,
    ...parts.scheduler,
    onTick: (report) => {
      metrics.reminderTick(report);
      onTick?.(report);
    },
  });
  return { store, core, delivery, scheduler, metrics };
}

/** Files named directly, and every committee file in folders named. */
export async function resolveCommitteeFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const isDir = await stat(p).then((s) => s.isDirectory(), () => false);
    files.push(...(isDir ? await listCommitteeFiles(p) : [p]));
  }
  return files;
}

export async function openApp(options: AppOptions): Promise<App> {
  const settings = readSettings(options.env);
  const logger = createLogger(options.logLevel ?? settings.logLevel, options.logFd ?? 1);
  const committees = await loadCommittees(await resolveCommitteeFiles(settings.committeePaths));
  const clock: Clock = options.now ? new ManualClock(parseNow(options.now)) : systemClock;
  // Redis when REDIS_URL is set (several processes, many committees); the file store otherwise.
  const redis = readRedisSettings(options.env);
  // The file store hands over each committee's state as it opens: from its snapshot and the records
  // after it, so a start reads what came since the last one, not every year of history again.
  const states = new Map<string, CommitteeState>();
  const opened =
    options.store ??
    (redis
      ? // Loaded only when configured: the Redis client is a tenth of a second of every start.
        await (require('../src/store/redis-store') as typeof import('../src/store/redis-store')).openRedisStoreFromSettings(redis, { logger })
      : await FileStore.open({
          dataDir: settings.dataDir,
          clock,
          logger,
          setAsideDamaged: options.setAsideDamaged,
          readOnly: options.readOnly,
          // Folded from each committee's snapshot and the records after it (or the whole stream).
          projection: { fold: committeeStateFold, onLoaded: (stream, state) => states.set(stream, state) },
        }));
  const { store, core, delivery, scheduler, metrics } = wireApp({ committees, store: opened, clock, logger, rateLimit: settings.rateLimit, states, processMetrics: options.processMetrics });
  logger.info({ committees: committees.map((c) => c.id), store: store.kind }, 'configuration loaded');
  const close = async () => {
    await scheduler.stop();
    await store.close();
  };
  return { settings, committees, store, core, delivery, clock, logger, scheduler, metrics, close };
}

function parseNow(s: string): Date {
  const d = parseTypedInstant(s);
  if (!d) throw new ConfigError([{ file: '--now', message: `"${s}" är ingen tidpunkt; skriv till exempel 2027-01-10T09:00:00+01:00` }]);
  return d;
}

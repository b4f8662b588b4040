/**
 * The real Slack adapter (Bolt, HTTP mode, a free local port) on the real core and FileStore,
 * wired by the app's own `wireApp`, talking to a fake Slack Web API on another port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SlackAdapter, type SlackAdapterOptions, type SlackDeps } from '../../adapters/slack/slack-adapter';
import { wireApp } from '../../bin/app';
import { loadCommitteeFile } from '../../src/config/committee-file';
import type { Core } from '../../src/core/core';
import type { AdapterDelivery } from '../../src/core/delivery';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { FileStore } from '../../src/store/file-store';
import type { Store } from '../../src/store/store';
import { FakeSlack } from './fake-slack';
import { SIGNING_SECRET, SlackSender } from './slack-sender';

export const EXAMPLE = path.join(__dirname, '../../examples/kfn.yaml');

// Slack ids from examples/kfn.yaml.
export const AMIRA = 'U0BV9FWYA1P'; // ledamot (S)
export const SECRETARY = 'U0JQK1DD2UL'; // Maria Ekström, sekreterare
export const CHAIR = 'U08UKEHAFCE'; // Karin Lundqvist, ordförande
export const UNKNOWN = 'U0UNKNOWN01';

export interface SlackHarness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  slack: SlackSender;
  core: Core;
  store: Store;
  committee: Committee;
  clock: ManualClock;
  delivery: AdapterDelivery;
  /** Every log line, as JSON text. */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions extends SlackAdapterOptions {
  /** Wraps the core the adapter sees (a slow core, a core that answers something fixed). */
  wrapCore?: (core: Core) => SlackDeps['core'];
  /** The manual clock's start; default 2027-01-10T10:00:00+01:00, before the January meeting. */
  now?: string;
  /** Another committee file than examples/kfn.yaml (with the same Slack ids). */
  committeeFile?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const fake = await new FakeSlack().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-slack-'));
  const clock = new ManualClock(options.now ?? '2027-01-10T10:00:00+01:00');
  const opened = await FileStore.open({ dataDir: dir, clock });
  const committee = await loadCommitteeFile(options.committeeFile ?? EXAMPLE);
  const logs: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  // The app's templates too, so the agenda draft produces its Word and Markdown files.
  const { core, store, delivery } = wireApp({ committees: [committee], store: opened, clock, logger, processMetrics: false });
  const { wrapCore, now: _now, committeeFile: _file, ...adapterOptions } = options;
  const adapter = new SlackAdapter(
    { core: wrapCore ? wrapCore(core) : core, delivery, logger },
    { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, path: '/slack/events' },
    { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }, ...adapterOptions },
  );
  await adapter.start();
  delivery.register(adapter);
  const slack = new SlackSender(`http://127.0.0.1:${adapter.port}/slack/events`, fake);
  return {
    fake,
    adapter,
    slack,
    core,
    store,
    committee,
    clock,
    delivery,
    logs,
    close: async () => {
      await adapter.stop();
      await fake.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The text of every block and the fallback of a message-like body, for matching. */
export function allText(x: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(x);
  return out.join('\n');
}

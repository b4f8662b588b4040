/**
 * A core on a real FileStore in a temporary folder, a committee file, a manual clock and a
 * recording adapter: what most core tests need. Wired by the app's own `wireApp`, as production is.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wireApp } from '../../bin/app';
import { loadCommitteeFile } from '../../src/config/committee-file';
import type { Core } from '../../src/core/core';
import type { Place } from '../../src/core/incoming';
import { silentLogger } from '../../src/core/logger';
import { toPlainText } from '../../src/core/message';
import type { Outgoing } from '../../src/core/outgoing';
import { ManualClock } from '../../src/domain/clock';
import type { Committee } from '../../src/domain/committee';
import { FileStore } from '../../src/store/file-store';
import type { Store } from '../../src/store/store';
import { RecordingAdapter } from './recording-adapter';

export const EXAMPLE = path.join(__dirname, '../../examples/kfn.yaml');
export const MINI = path.join(__dirname, '../fixtures/committees/mini.yaml');

export interface Harness {
  core: Core;
  store: Store;
  clock: ManualClock;
  committee: Committee;
  recorder: RecordingAdapter;
  /** What `as` gets back from typing `text`. */
  say(as: string, text: string, place?: Place): Promise<Outgoing[]>;
  /** The same, as plain text. */
  text(as: string, text: string): Promise<string>;
  submit(as: string, formId: string, values: Record<string, string>): Promise<Outgoing[]>;
  click(as: string, actionId: string, value: string): Promise<Outgoing[]>;
  /** How many records the committee's stream holds. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

export async function makeHarness(options: { file?: string; now?: string; store?: (dir: string) => Promise<Store> } = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-test-'));
  const clock = new ManualClock(options.now ?? '2027-01-10T10:00:00+01:00');
  const opened = options.store ? await options.store(dir) : await FileStore.open({ dataDir: dir, clock });
  const committee = await loadCommitteeFile(options.file ?? EXAMPLE);
  const { core, store, delivery } = wireApp({ committees: [committee], store: opened, clock, logger: silentLogger, processMetrics: false });
  const recorder = new RecordingAdapter('console');
  delivery.register(recorder);
  let n = 0;
  const send = (as: string, input: Parameters<Core['handle']>[0]['input'], place: Place = { kind: 'private' }) =>
    core.handle({ deliveryId: `test-${++n}`, platform: 'console', platformUserId: as, place, input });
  return {
    core,
    store,
    clock,
    committee,
    recorder,
    say: (as, text, place) => send(as, { kind: 'text', text }, place),
    text: async (as, text) => (await send(as, { kind: 'text', text })).map((o) => toPlainText(o.message)).join('\n'),
    submit: (as, formId, values) => send(as, { kind: 'form', formId, values }),
    click: (as, actionId, value) => send(as, { kind: 'action', actionId, value }),
    eventCount: async () => (await store.readEvents(committee.id, 0)).length,
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function plain(replies: Outgoing[]): string {
  return replies.map((o) => toPlainText(o.message)).join('\n');
}

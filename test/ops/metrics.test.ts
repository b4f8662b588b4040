/**
 * What the metrics count, without a server: a tick report, and Store failures by operation
 * (a version conflict is the core's normal retry, not a failure).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeteredStore } from '../../src/ops/metered-store';
import { Metrics } from '../../src/ops/metrics';
import { FileStore } from '../../src/store/file-store';
import { VersionConflictError } from '../../src/store/store';
import { newEvent } from '../store/contract';
import { metric } from './support';

test('a tick report counts as reminders planned, sent, failed, unreachable and dropped', async () => {
  const m = new Metrics({ processMetrics: false });
  m.reminderTick({ sent: ['a', 'b'], failed: ['c'], unreachable: ['d'], dropped: ['d', 'e', 'f'] });
  m.reminderTick({ sent: ['g'], failed: [], unreachable: [], dropped: [] });
  const text = await m.text();
  expect(metric(text, 'namndbot_reminders_total', { result: 'planned' })).toBe(5);
  expect(metric(text, 'namndbot_reminders_total', { result: 'sent' })).toBe(3);
  expect(metric(text, 'namndbot_reminders_total', { result: 'failed' })).toBe(1);
  expect(metric(text, 'namndbot_reminders_total', { result: 'unreachable' })).toBe(1);
  expect(metric(text, 'namndbot_reminders_total', { result: 'dropped' })).toBe(3);
  // Ids never reach the metrics.
  expect(text).not.toMatch(/"[a-g]"/);
});

test('Store failures are counted by operation; version conflicts are not failures', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-metrics-'));
  const m = new Metrics({ processMetrics: false });
  const store = new MeteredStore(await FileStore.open({ dataDir: dir }), m);
  try {
    await store.append('kfn', [newEvent()]);
    await expect(store.append('kfn', [newEvent()], 0)).rejects.toBeInstanceOf(VersionConflictError);
    await expect(store.redact('kfn', [{ ...(await store.readEvents('kfn', 0))[0]!, seq: 9 }])).rejects.toBeInstanceOf(RangeError);
    await store.close();
    await expect(store.ping()).rejects.toThrow();
    await expect(store.readEvents('kfn', 0)).rejects.toThrow();
    const text = await m.text();
    expect(metric(text, 'namndbot_store_errors_total', { operation: 'append' })).toBe(0);
    expect(metric(text, 'namndbot_store_errors_total', { operation: 'redact' })).toBe(1);
    expect(metric(text, 'namndbot_store_errors_total', { operation: 'ping' })).toBe(1);
    expect(metric(text, 'namndbot_store_errors_total', { operation: 'readEvents' })).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

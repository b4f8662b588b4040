/**
 * What the metrics count, without a server: a tick report, and Store failures by operation
 * (a version conflict is the core's normal retry, not a failure).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Scheduler, type TickReport } from '../../src/core/scheduler';
import { MeteredStore } from '../../src/ops/metered-store';
import { Metrics } from '../../src/ops/metrics';
import { FileStore } from '../../src/store/file-store';
import { VersionConflictError } from '../../src/store/store';
import { newEvent } from '../store/contract';
import { makeHarness } from '../support/harness';
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

test("the scheduler's onTick hears every tick, from tick() and from its timer", async () => {
  // Kallelsen to the January meeting is out: reminders to the members are due.
  const h = await makeHarness({ now: '2027-01-15T09:00:00+01:00' });
  const reports: TickReport[] = [];
  const m = new Metrics({ processMetrics: false });
  // A budget no tick reaches: the first tick takes every due reminder, so the timer's tick is the second report.
  const scheduler = new Scheduler({ core: h.core, store: h.store, delivery: { deliver: async () => 'console' }, clock: h.clock, tickBudgetMs: 60_000, onTick: (r) => (reports.push(r), m.reminderTick(r)) });
  try {
    const first = await scheduler.tick();
    expect(reports).toEqual([first]);
    expect(first.sent.length).toBeGreaterThan(0);
    scheduler.start();
    const deadline = Date.now() + 5000;
    while (reports.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(reports.length).toBe(2);
    expect(metric(await m.text(), 'namndbot_reminders_total', { result: 'sent' })).toBe(first.sent.length + reports[1]!.sent.length);
  } finally {
    await scheduler.stop();
    await h.close();
  }
});

/**
 * Prometheus metrics (prom-client), for `/metrics`.
 *
 * Labels are command names, outcomes and results: fixed, small sets chosen by the code. Nothing
 * a person wrote, no member, no ärende (so nothing sekretess) ever becomes a label.
 */
import client from 'prom-client';
import type { CoreObserver } from '../core/core';

export type ReminderResult = 'planned' | 'sent' | 'failed' | 'unreachable' | 'dropped';

/** The part of the scheduler's TickReport that metrics count. */
export interface TickCounts {
  sent: readonly string[];
  failed: readonly string[];
  unreachable: readonly string[];
  dropped: readonly string[];
}

export class Metrics implements CoreObserver {
  readonly registry = new client.Registry();

  private readonly commands = new client.Counter({
    name: 'namndbot_commands_total',
    help: 'Commands handled, by command and outcome.',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly latency = new client.Histogram({
    name: 'namndbot_command_duration_seconds',
    help: 'Time from an incoming command to its answer.',
    labelNames: ['command'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly reminders = new client.Counter({
    name: 'namndbot_reminders_total',
    help: 'Reminders by result: planned (due and taken on by this process), sent, failed (retried later), unreachable (refused by every platform), dropped (stale or unreachable, recorded as not sent).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly storeErrors = new client.Counter({
    name: 'namndbot_store_errors_total',
    help: 'Store operations that failed, by operation.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) client.collectDefaultMetrics({ register: this.registry, prefix: 'namndbot_' });
  }

  commandHandled(command: string, outcome: string, seconds: number): void {
    this.commands.inc({ command, outcome });
    this.latency.observe({ command }, seconds);
  }

  storeError(operation: string): void {
    this.storeErrors.inc({ operation });
  }

  reminder(result: ReminderResult, count = 1): void {
    if (count > 0) this.reminders.inc({ result }, count);
  }

  /** What one scheduler tick did (its TickReport): counts only, never the ids. */
  reminderTick(report: TickCounts): void {
    this.reminder('planned', report.sent.length + report.failed.length + report.unreachable.length);
    this.reminder('sent', report.sent.length);
    this.reminder('failed', report.failed.length);
    this.reminder('unreachable', report.unreachable.length);
    this.reminder('dropped', report.dropped.length);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * Prometheus metrics (prom-client), for `/metrics`.
 *
 * Labels are command names, outcomes and results: fixed, small sets chosen by the code. Nothing
 * a person wrote, no member, no ärende (so nothing sekretess) ever becomes a label.
 */
import client from 'prom-client';
import type { CoreObserver } from '../core/core';

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
    help: 'Reminders by result: planned (due this tick), sent, failed, dropped.',
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

  reminder(result: 'planned' | 'sent' | 'failed' | 'dropped', count = 1): void {
    if (count > 0) this.reminders.inc({ result }, count);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

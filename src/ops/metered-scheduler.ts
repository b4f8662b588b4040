/**
 * The scheduler with its tick reports counted in `/metrics` (reminders planned, sent, failed,
 * unreachable, dropped). A subclass rather than a hook in the scheduler: `start()` runs every
 * tick through `tick()`, so timer ticks and ticks driven by tests and tools are all counted.
 */
import { Scheduler, type SchedulerOptions, type TickReport } from '../core/scheduler';
import type { TickCounts } from './metrics';

export interface TickSink {
  reminderTick(report: TickCounts): void;
}

export class MeteredScheduler extends Scheduler {
  constructor(
    options: SchedulerOptions,
    private readonly sink: TickSink,
  ) {
    super(options);
  }

  override tick(now?: Date): Promise<TickReport> {
    return super.tick(now).then((report) => {
      this.sink.reminderTick(report);
      return report;
    });
  }
}

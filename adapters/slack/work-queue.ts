/**
 * Answers are worked out after the acknowledgement, a few at a time, first come first served.
 *
 * Acknowledging is cheap and must stay within Slack's 3 seconds; working out an answer (the
 * core, the Store, posting to Slack) is not. Bounding the work in progress keeps a burst of
 * commands from starving the acknowledgements of the ones behind it, and keeps the Store and
 * Slack's rate limits out of trouble. Under normal load the queue is empty and work starts at once.
 */
export class WorkQueue {
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /** Runs `job` when a place is free; resolves or rejects with it. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        job()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.waiting.shift()?.();
          });
      };
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }

  /** Jobs waiting for a place (for logs and health checks). */
  get backlog(): number {
    return this.waiting.length;
  }
}

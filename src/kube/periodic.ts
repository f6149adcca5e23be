// Runs a background refresh every `intervalMs` (± jitter); after a failure it retries
// sooner, with capped backoff. Never throws; stop() waits for the task in flight.
import { Backoff, jitter, sleep } from './backoff.js';

export interface PeriodicOptions {
  intervalMs: number;
  /** Resolves true when the refresh succeeded. */
  task: () => Promise<boolean>;
  backoffBaseMs?: number;
}

export class Periodic {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;

  constructor(private readonly o: PeriodicOptions) {
    this.backoff = new Backoff(o.backoffBaseMs ?? 1000, o.intervalMs);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let ok = false;
      try {
        ok = await this.o.task();
      } catch {
        ok = false; // tasks report their own errors; a throw only means "retry"
      }
      if (ok) this.backoff.reset();
      await sleep(ok ? jitter(this.o.intervalMs, 0.2) : this.backoff.next(), signal);
    }
  }
}

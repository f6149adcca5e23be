// Retry pacing for the background refreshers: capped exponential backoff with jitter, and
// a sleep that ends early when discovery stops.

export class Backoff {
  private attempt = 0;
  constructor(private readonly baseMs: number, private readonly maxMs: number, private readonly random: () => number = Math.random) {}

  /** Next delay: base·2^n capped at max, then ±50 % jitter so restarts do not synchronise. */
  next(): number {
    const raw = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(raw * (0.5 + this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** `ms` ± `fraction` of itself. */
export function jitter(ms: number, fraction: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 - fraction + 2 * fraction * random())));
}

/** Resolves after `ms` or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

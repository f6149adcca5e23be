// An in-memory KubeTransport for unit tests: GET answers come from handlers, watches from
// queues the test pushes events into.
import type { KubeObject } from '../../../src/core/types.js';
import { KubeApiError, type KubeTransport, type WatchEvent } from '../../../src/kube/kube-transport.js';

type Item = WatchEvent | { end: true } | { fail: KubeApiError };

export class WatchStream {
  private readonly queue: Item[] = [];
  private wake: (() => void) | undefined;
  constructor(readonly path: string) {}
  push(item: Item): void {
    this.queue.push(item);
    this.wake?.();
  }
  event(type: string, object: KubeObject): void {
    this.push({ type, object });
  }
  end(): void {
    this.push({ end: true });
  }
  async *iterate(signal: AbortSignal): AsyncIterable<WatchEvent> {
    const onAbort = (): void => this.wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal.aborted) throw new KubeApiError('aborted', undefined);
        const next = this.queue.shift();
        if (!next) {
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        if ('end' in next) return;
        if ('fail' in next) throw next.fail;
        yield next;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

export class FakeTransport implements KubeTransport {
  readonly gets: string[] = [];
  readonly watches: WatchStream[] = [];
  private watchWaiters: Array<(w: WatchStream) => void> = [];
  constructor(public handler: (path: string) => string | Promise<string>) {}

  async get(path: string): Promise<string> {
    this.gets.push(path);
    return await this.handler(path);
  }

  watch(path: string, opts: { idleTimeoutMs: number; signal: AbortSignal }): AsyncIterable<WatchEvent> {
    const w = new WatchStream(path);
    this.watches.push(w);
    const waiters = this.watchWaiters;
    this.watchWaiters = [];
    for (const f of waiters) f(w);
    return w.iterate(opts.signal);
  }

  /** The next watch opened on a path starting with `prefix` (bounded wait). */
  async nextWatch(prefix: string, after = 0, timeoutMs = 5000): Promise<WatchStream> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const w = this.watches.slice(after).find((x) => x.path.startsWith(prefix));
      if (w) return w;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no watch on ${prefix} within ${timeoutMs} ms`);
  }
}

export const notFound = (): never => {
  throw new KubeApiError('not found', 404);
};
export const forbidden = (): never => {
  throw new KubeApiError('forbidden', 403);
};

export function list(items: KubeObject[], resourceVersion: string, cont?: string): string {
  return JSON.stringify({ metadata: { resourceVersion, ...(cont ? { continue: cont } : {}) }, items });
}

export function db(ns: string, name: string, cluster: string, rv = '1'): KubeObject {
  return { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Database', metadata: { namespace: ns, name, resourceVersion: rv }, spec: { cluster: { name: cluster }, name } };
}

/** Polls `cond` every 5 ms until true or the bound runs out. */
export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

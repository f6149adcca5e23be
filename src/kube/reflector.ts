// List-then-watch loop keeping an ObjectStore equal to one collection of the API server
// (what client-go calls a reflector). Handles paging, 410 Gone (expired resourceVersion →
// re-list), watch ends and restarts, bookmarks, and errors of any kind (including the
// resource not existing yet) with capped backoff; it never throws.
import type { KubeObject } from '../core/types.js';
import { Backoff, sleep } from './backoff.js';
import { KubeApiError, type KubeTransport } from './kube-transport.js';
import type { ObjectStore } from './object-store.js';

export interface ReflectorOptions {
  /** Collection path, e.g. `/apis/postgresql.cnpg.io/v1/databases`. */
  path: string;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  store: ObjectStore;
  transport: KubeTransport;
  /** Page size of lists. */
  pageSize?: number;
  /** Server-side watch timeout (seconds); the client gives up after twice that of silence. */
  watchTimeoutSeconds?: number;
  listTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Called after every successful (re-)list. */
  onSynced?: () => void;
  onError?: (err: KubeApiError) => void;
}

interface ListBody {
  metadata?: { resourceVersion?: unknown; continue?: unknown };
  items?: unknown;
}

class Gone extends Error {}

export class Reflector {
  private readonly abort = new AbortController();
  private resourceVersion = '';
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;
  synced = false;

  constructor(private readonly o: ReflectorOptions) {
    this.backoff = new Backoff(o.backoffBaseMs ?? 500, o.backoffMaxMs ?? 30_000);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private query(extra: Record<string, string>): string {
    const q = new URLSearchParams();
    if (this.o.labelSelector) q.set('labelSelector', this.o.labelSelector);
    if (this.o.fieldSelector) q.set('fieldSelector', this.o.fieldSelector);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `${this.o.path}?${q.toString()}`;
  }

  private async list(): Promise<void> {
    const items: KubeObject[] = [];
    let cont = '';
    let rv = '';
    for (let page = 0; page < 100_000; page++) {
      const extra: Record<string, string> = { limit: String(this.o.pageSize ?? 500) };
      if (cont) extra.continue = cont;
      const body = JSON.parse(await this.o.transport.get(this.query(extra), { timeoutMs: this.o.listTimeoutMs ?? 30_000 })) as ListBody;
      if (Array.isArray(body.items)) for (const it of body.items) if (typeof it === 'object' && it !== null) items.push(it as KubeObject);
      rv = typeof body.metadata?.resourceVersion === 'string' ? body.metadata.resourceVersion : '';
      cont = typeof body.metadata?.continue === 'string' ? body.metadata.continue : '';
      if (!cont) break;
    }
    this.o.store.replace(items);
    this.resourceVersion = rv;
    this.synced = true;
    this.o.onSynced?.();
  }

  private async watch(): Promise<void> {
    const timeout = this.o.watchTimeoutSeconds ?? 300;
    const path = this.query({
      watch: '1',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      // Spread re-watches of many replicas over time.
      timeoutSeconds: String(Math.round(timeout * (0.8 + 0.4 * Math.random()))),
    });
    for await (const ev of this.o.transport.watch(path, { idleTimeoutMs: timeout * 2000, signal: this.abort.signal })) {
      const rv = ev.object.metadata?.resourceVersion;
      switch (ev.type) {
        case 'ADDED':
        case 'MODIFIED':
          this.o.store.upsert(ev.object);
          break;
        case 'DELETED':
          this.o.store.remove(ev.object);
          break;
        case 'BOOKMARK':
          break;
        case 'ERROR': {
          const status = ev.object as { code?: unknown; message?: unknown };
          if (status.code === 410) throw new Gone();
          throw new KubeApiError(`watch ${this.o.path}: ${String(status.message ?? 'error event')}`, typeof status.code === 'number' ? status.code : undefined);
        }
        default:
          continue;
      }
      if (typeof rv === 'string' && rv !== '') this.resourceVersion = rv;
      this.backoff.reset();
    }
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    for (;;) {
      if (signal.aborted) return;
      try {
        if (!this.resourceVersion) await this.list();
        const began = Date.now();
        await this.watch();
        // The server ended the watch (timeoutSeconds): resume from the last resourceVersion,
        // at once unless it keeps ending immediately.
        if (Date.now() - began < 1000) await sleep(this.backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof Gone || (err instanceof KubeApiError && err.status === 410)) {
          this.resourceVersion = ''; // too old: re-list, no error to report
          continue;
        }
        const e = err instanceof KubeApiError ? err : new KubeApiError(`${this.o.path}: ${(err as Error).message}`, undefined);
        this.o.onError?.(e);
        // A re-list after an error also catches deletes missed while disconnected.
        this.resourceVersion = '';
        await sleep(this.backoff.next(), signal);
      }
    }
  }
}

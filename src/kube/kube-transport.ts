// GET and watch against the API server with the credentials of a KubeConfig
// (@kubernetes/client-node resolves CA, client certificates, tokens and token files).
// Every request is bounded: a total timeout for GETs, an idle timeout for watches.
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../core/types.js';

export class KubeApiError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly reason?: string) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface WatchEvent {
  type: string;
  object: KubeObject;
}

export interface KubeTransport {
  /** Body of a GET; throws KubeApiError on a non-2xx answer, a timeout or a transport error. */
  get(path: string, opts?: { timeoutMs?: number; accept?: string; maxBytes?: number }): Promise<string>;
  /** Watch events of `path` (a `?watch=1` URL) until the server ends the stream or `signal` aborts. */
  watch(path: string, opts: { idleTimeoutMs: number; signal: AbortSignal }): AsyncIterable<WatchEvent>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function statusError(status: number, body: string, path: string): KubeApiError {
  let message = `GET ${path}: HTTP ${status}`;
  let reason: string | undefined;
  try {
    const s = JSON.parse(body) as { message?: unknown; reason?: unknown };
    if (typeof s.message === 'string') message += `: ${s.message}`;
    if (typeof s.reason === 'string') reason = s.reason;
  } catch {
    // not a Status object; the code says enough
  }
  return new KubeApiError(message, status, reason);
}

export class HttpsKubeTransport implements KubeTransport {
  constructor(private readonly kc: KubeConfig) {}

  private async open(path: string, accept: string, signal: AbortSignal): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError('kubeconfig has no current cluster', undefined);
    const url = new URL(cluster.server.replace(/\/+$/, '') + path);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: accept } };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeApiError(`GET ${path}: credentials: ${(err as Error).message}`, undefined);
    }
    const mod = url.protocol === 'http:' ? http : https;
    return await new Promise((resolve, reject) => {
      const req = mod.request(url, { ...opts, signal }, (res) => resolve({ req, res }));
      req.on('error', (err) => reject(new KubeApiError(`GET ${path}: ${err.message}`, undefined)));
      req.end();
    });
  }

  async get(path: string, opts: { timeoutMs?: number; accept?: string; maxBytes?: number } = {}): Promise<string> {
    const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const { res } = await this.open(path, opts.accept ?? 'application/json', signal);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) throw new KubeApiError(`GET ${path}: answer larger than ${maxBytes} bytes`, undefined);
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      res.destroy();
      if (err instanceof KubeApiError) throw err;
      throw new KubeApiError(`GET ${path}: ${(err as Error).message}`, undefined);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw statusError(status, body, path);
    return body;
  }

  async *watch(path: string, opts: { idleTimeoutMs: number; signal: AbortSignal }): AsyncIterable<WatchEvent> {
    const { req, res } = await this.open(path, 'application/json', opts.signal);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw statusError(status, Buffer.concat(chunks).toString('utf8'), path);
    }
    // A silent connection (half-open TCP) must not freeze the cache: bookmarks and the
    // server-side timeout keep a healthy stream talking well within this bound.
    req.setTimeout(opts.idleTimeoutMs, () => req.destroy(new Error(`watch idle for ${opts.idleTimeoutMs} ms`)));
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        let ev: unknown;
        try {
          ev = JSON.parse(line);
        } catch {
          throw new KubeApiError(`watch ${path}: unparseable event`, undefined);
        }
        const { type, object } = (ev ?? {}) as { type?: unknown; object?: unknown };
        if (typeof type !== 'string' || typeof object !== 'object' || object === null) continue;
        yield { type, object: object as KubeObject };
      }
    } catch (err) {
      if (err instanceof KubeApiError) throw err;
      throw new KubeApiError(`watch ${path}: ${(err as Error).message}`, undefined);
    } finally {
      lines.close();
      res.destroy();
    }
  }
}

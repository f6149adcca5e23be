// Plain-HTTP probes and metrics: /healthz (process alive), /readyz (able to admit),
// /metrics (Prometheus text format).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface Readiness {
  ready: boolean;
  /** What is missing, when not ready. */
  reasons: string[];
}

export function createHealthServer(opts: { registry: Registry; readiness: () => Readiness }): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      const r = opts.readiness();
      return r.ready ? json(200, { status: 'ready' }) : json(503, { status: 'not ready', reasons: r.reasons });
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        (err: unknown) => json(500, { error: `metrics collection failed: ${String(err)}` }),
      );
      return;
    }
    json(404, { error: 'not found: /healthz, /readyz, /metrics' });
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

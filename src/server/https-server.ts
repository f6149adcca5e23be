// The HTTPS listener: TLS 1.2+, timeouts so stalled clients cannot hold sockets, and a
// graceful close that drains in-flight requests before a hard deadline.
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import { TLS_MIN_VERSION, type TlsPair } from './tls-reloader.js';

export interface ServerTimeouts {
  handshakeMs: number;
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  socketIdleMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = {
  /** Whole TLS handshake. */
  handshakeMs: 10_000,
  /** Until all request headers arrived. */
  headersMs: 10_000,
  /** Whole request (Kubernetes' own webhook timeout is at most 30 s). */
  requestMs: 30_000,
  /** Idle keep-alive connection. */
  keepAliveMs: 30_000,
  /** Any socket with no activity. */
  socketIdleMs: 60_000,
};

export function createHttpsServer(tls: TlsPair, handler: RequestListener, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Server {
  const server = createServer(
    {
      cert: tls.cert,
      key: tls.key,
      minVersion: TLS_MIN_VERSION,
      handshakeTimeout: timeouts.handshakeMs,
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks headers/request timeouts on this interval (default 30 s, which would
      // let a stalled client stay up to 30 s longer than the timeouts say).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
    },
    handler,
  );
  server.setTimeout(timeouts.socketIdleMs, (socket) => socket.destroy());
  // Failed handshakes (TLS 1.1 clients, port scanners) are the client's problem, not ours.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  return server;
}

/**
 * Listens on `host`, or with no host on every address: IPv6 and IPv4 where the machine has
 * IPv6 (node's `::`), else IPv4 (`0.0.0.0`) — a pod of an IPv6-only cluster is reached on its
 * IPv6 address, by the API server and by kubelet probes alike.
 */
export function listen(server: import('node:net').Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    if (host === undefined || host === '') server.listen(port, onListening);
    else server.listen(port, host, onListening);
  });
}

/**
 * Stops accepting connections, lets in-flight requests finish and closes keep-alive
 * sockets as they go idle; after `deadlineMs` every remaining socket is cut.
 * With `quietMs` (part of `deadlineMs`), it first keeps serving that long but answers with
 * `Connection: close`: closing an idle keep-alive socket races with a client (the API
 * server) sending its next POST on it, an EOF the client cannot retry. Clients under load
 * drop their connections this way before any is closed under them.
 */
export function closeGracefully(
  server: Server | import('node:http').Server,
  deadlineMs: number,
  quietMs = 0,
): Promise<'drained' | 'forced'> {
  if (quietMs > 0) {
    server.prependListener('request', (_req, res) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    });
    return new Promise((r) => setTimeout(r, quietMs)).then(() => closeGracefully(server, Math.max(0, deadlineMs - quietMs)));
  }
  return new Promise((resolve) => {
    let forced = false;
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, deadlineMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(forced ? 'forced' : 'drained');
    });
    server.closeIdleConnections();
  });
}

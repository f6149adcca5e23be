// Serving certificate hot reload: when tls.crt/tls.key change on disk, the new pair is
// loaded into the running server (setSecureContext) — no restart, no failed handshake.
// A pair that does not parse or does not match (half-written rotation) is not loaded;
// the old context stays until a matching pair is there.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { watchDirectories } from '../config/debounced-watch.js';

export const TLS_MIN_VERSION = 'TLSv1.2' as const;

export interface TlsFiles {
  cert: string;
  key: string;
}

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

/** Reads the pair and proves it usable (parses, key matches certificate). Throws otherwise. */
export async function loadTlsPair(files: TlsFiles): Promise<TlsPair> {
  const [cert, key] = await Promise.all([readFile(files.cert), readFile(files.key)]);
  createSecureContext({ cert, key, minVersion: TLS_MIN_VERSION });
  return { cert, key };
}

export interface ReloadableServer {
  setSecureContext(options: SecureContextOptions): void;
}

export interface TlsReloaderOptions {
  files: TlsFiles;
  server: ReloadableServer;
  current: TlsPair;
  onApplied?(): void;
  onRejected?(error: Error): void;
  debounceMs?: number;
  /** Safety net for lost watch events (0 = off). */
  pollMs?: number;
}

export interface TlsReloader {
  reload(): Promise<'applied' | 'rejected' | 'unchanged'>;
  close(): void;
}

export function watchTlsFiles(opts: TlsReloaderOptions): TlsReloader {
  let current = opts.current;
  let busy: Promise<unknown> = Promise.resolve();

  const attempt = async (): Promise<'applied' | 'rejected' | 'unchanged'> => {
    let pair: TlsPair;
    try {
      pair = await loadTlsPair(opts.files);
    } catch (err) {
      opts.onRejected?.(err instanceof Error ? err : new Error(String(err)));
      return 'rejected';
    }
    if (pair.cert.equals(current.cert) && pair.key.equals(current.key)) return 'unchanged';
    opts.server.setSecureContext({ cert: pair.cert, key: pair.key, minVersion: TLS_MIN_VERSION });
    current = pair;
    opts.onApplied?.();
    return 'applied';
  };

  const reload = (): Promise<'applied' | 'rejected' | 'unchanged'> => {
    const next = busy.then(attempt, attempt);
    busy = next.catch(() => undefined);
    return next;
  };

  const watcher = watchDirectories([dirname(opts.files.cert), dirname(opts.files.key)], () => void reload(), {
    debounceMs: opts.debounceMs ?? 200,
    pollMs: opts.pollMs,
  });

  return {
    reload,
    close: () => watcher.close(),
  };
}

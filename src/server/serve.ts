// Wires the admission server together: policy (file + reload), TLS (file or development
// certificate + reload), discovery (in a cluster) or the policy's pinned environment,
// metrics/health server, graceful shutdown.
import { resolve } from 'node:path';
import { ensureDevCertificate } from '../certs/dev-certificate.js';
import { loadPolicyFile } from '../config/policy-file.js';
import { watchPolicyFile, type PolicyWatcher } from '../config/policy-watcher.js';
import { StaticDirectory } from '../core/directory.js';
import { resolveEnvironment } from '../core/environment.js';
import { defaultPolicy, type Policy } from '../core/policy/schema.js';
import type { EngineContext } from '../core/types.js';
import { startDiscovery, type Discovery } from '../kube/discovery.js';
import { createAdmissionApp, DEFAULT_BODY_LIMIT } from './app.js';
import { createHealthServer, type Readiness } from './health-server.js';
import type { Server as HttpsServer } from 'node:https';
import { closeGracefully, createHttpsServer, listen } from './https-server.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { loadTlsPair, watchTlsFiles, type TlsPair, type TlsReloader } from './tls-reloader.js';

export interface ServeOptions {
  policyFile?: string | undefined;
  port: number;
  metricsPort: number;
  /** Listen address; undefined = every IPv6 and IPv4 address (see listen()). */
  host?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** Where the development certificate lives when no --tls-cert/--tls-key. */
  certDir: string;
  bodyLimit?: string | number | undefined;
  kubeconfig?: string | undefined;
  /** false = never start discovery (--no-discovery). */
  discovery: boolean;
  cnpgNamespace?: string | undefined;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Shortens debounce/poll intervals (tests). */
  watchDebounceMs?: number;
}

export interface RunningServer {
  port: number;
  metricsPort: number;
  metrics: Metrics;
  readiness(): Readiness;
  /** Graceful stop; resolves when everything is closed. */
  close(deadlineMs?: number, quietMs?: number): Promise<'drained' | 'forced'>;
}

const EMPTY_DIRECTORY = new StaticDirectory([]);

/** Whether `serve` should talk to a Kubernetes API. */
export function discoveryWanted(opts: Pick<ServeOptions, 'discovery' | 'kubeconfig'>, env: NodeJS.ProcessEnv): boolean {
  return opts.discovery && Boolean(opts.kubeconfig || env.KUBECONFIG || env.KUBERNETES_SERVICE_HOST);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.logger;
  const env = opts.env ?? process.env;
  const metrics = createMetrics();

  // Policy: a bad file at start-up throws PolicyFileError (the CLI exits 2).
  let policy: Policy = defaultPolicy();
  let policyWatcher: PolicyWatcher | undefined;
  if (opts.policyFile) {
    const policyFile = resolve(opts.policyFile);
    const loaded = await loadPolicyFile(policyFile);
    policy = loaded.policy;
    policyWatcher = watchPolicyFile({
      file: policyFile,
      initialText: loaded.text,
      debounceMs: opts.watchDebounceMs,
      pollMs: 30_000,
      onApplied: (p) => {
        policy = p;
        log.info({ file: policyFile }, 'policy reloaded');
      },
      onRejected: (err) => log.error({ file: policyFile, error: err.message }, 'policy reload refused; keeping the previous policy'),
      onResult: (result) => {
        if (result !== 'unchanged') metrics.policyReloads.inc({ result });
      },
    });
    log.info({ file: policyFile }, 'policy loaded');
  } else {
    log.info('no --policy given: using the default policy');
  }

  // Discovery runs in the background; until it answers, the policy's pinned values apply.
  let discovery: Discovery | undefined;
  let discoveryFailed = false;
  const wantDiscovery = discoveryWanted(opts, env);
  const discoveryStarting = wantDiscovery
    ? startDiscovery({ kubeconfig: opts.kubeconfig, cnpgNamespace: opts.cnpgNamespace ?? env.PGT_CNPG_NAMESPACE, registry: metrics.registry, logger: log }).then(
        (d) => {
          discovery = d;
          log.info('environment discovery started');
        },
        (err: unknown) => {
          discoveryFailed = true;
          log.error({ error: err instanceof Error ? err.message : String(err) }, 'environment discovery failed to start; using the policy environment only');
        },
      )
    : Promise.resolve();
  if (!wantDiscovery) log.info('environment discovery off: environment from the policy only');

  const context = (): EngineContext => ({
    policy,
    environment: resolveEnvironment(policy, discovery?.environment() ?? {}),
    directory: discovery?.directory ?? EMPTY_DIRECTORY,
  });

  // Stops what runs in the background (policy watch, discovery): on close, and when start-up
  // fails below — else a failed start would leave the process running, logging, never exiting.
  const stopBackground = async (): Promise<void> => {
    policyWatcher?.close();
    await discoveryStarting;
    await Promise.race([discovery?.stop(), new Promise((r) => setTimeout(r, 1000).unref())]).catch(() => undefined);
  };

  // TLS: given files, or the development certificate.
  let files: { cert: string; key: string };
  let tls: TlsPair;
  let https: HttpsServer;
  try {
    if (opts.tlsCert || opts.tlsKey) {
      if (!opts.tlsCert || !opts.tlsKey) throw new Error('--tls-cert and --tls-key must be given together');
      files = { cert: resolve(opts.tlsCert), key: resolve(opts.tlsKey) };
    } else {
      const dev = await ensureDevCertificate(resolve(opts.certDir));
      log.info({ cert: dev.cert, ca: dev.ca, created: dev.created }, 'using the development certificate');
      files = dev;
    }
    tls = await loadTlsPair(files);
    const app = createAdmissionApp({ context, metrics, logger: log, bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT });
    https = createHttpsServer(tls, app);
  } catch (err) {
    await stopBackground();
    throw err;
  }
  let tlsReloader: TlsReloader | undefined = watchTlsFiles({
    files,
    server: https,
    current: tls,
    debounceMs: opts.watchDebounceMs,
    pollMs: 30_000,
    onApplied: () => {
      metrics.tlsReloads.inc({ result: 'applied' });
      log.info({ cert: files.cert }, 'serving certificate reloaded');
    },
    onRejected: (err) => {
      metrics.tlsReloads.inc({ result: 'rejected' });
      log.warn({ cert: files.cert, error: err.message }, 'serving certificate not reloaded (incomplete or mismatched pair); keeping the current one');
    },
  });

  let listening = false;
  let closing = false;
  const readiness = (): Readiness => {
    const reasons: string[] = [];
    if (!listening || closing) reasons.push(closing ? 'shutting down' : 'admission server not listening');
    if (wantDiscovery && !discoveryFailed && !(discovery?.ready() ?? false)) reasons.push('environment discovery not synced yet');
    return { ready: reasons.length === 0, reasons };
  };
  const health = createHealthServer({ registry: metrics.registry, readiness });

  let port: number;
  let metricsPort: number;
  try {
    port = await listen(https, opts.port, opts.host);
    listening = true;
    metricsPort = await listen(health, opts.metricsPort, opts.host);
  } catch (err) {
    tlsReloader?.close();
    if (https.listening) await closeGracefully(https, 1000);
    await stopBackground();
    throw err;
  }
  const bound = https.address();
  log.info({ host: typeof bound === 'object' && bound ? bound.address : opts.host, port, metricsPort }, 'listening');

  return {
    port,
    metricsPort,
    metrics,
    readiness,
    async close(deadlineMs = 8_000, quietMs = 0) {
      closing = true;
      policyWatcher?.close();
      tlsReloader?.close();
      tlsReloader = undefined;
      const result = await closeGracefully(https, deadlineMs, quietMs);
      await closeGracefully(health, 500);
      await stopBackground();
      return result;
    },
  };
}

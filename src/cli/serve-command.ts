// `pg-trickle-webhook serve`: starts the admission server and stops it gracefully on
// SIGTERM/SIGINT (drain in-flight requests, exit 0 within 10 s).
import type { SelfManagedFlags } from '../certs/self-managed-flags.js';
import { startSelfManagedFromFlags } from '../certs/self-managed-serve.js';
import { PolicyFileError } from '../config/policy-file.js';
import { createLogger } from '../server/logger.js';
import { startServer, type RunningServer } from '../server/serve.js';

export interface ServeFlags extends SelfManagedFlags {
  policy?: string;
  port: string;
  metricsPort: string;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  certDir: string;
  bodyLimit: string;
  kubeconfig?: string;
  discovery: boolean;
  cnpgNamespace?: string;
}

/** Drain time before remaining sockets are cut, and the absolute exit deadline. */
const DRAIN_MS = 8_000;
const HARD_EXIT_MS = 9_500;
/** Part of DRAIN_MS: keep serving (not ready, `Connection: close`) so clients move off their keep-alive connections. */
const QUIET_MS = 2_000;

export function parsePort(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new Error(`${flag}: expected a port number 0-65535, got "${value}"`);
  return n;
}

/** Returns the process exit code when start-up fails; on success runs until a signal. */
export async function serveCommand(flags: ServeFlags): Promise<number | undefined> {
  const logger = createLogger();
  let server: RunningServer;
  // Self-managed certificates: the serving pair must be on disk before the server reads it.
  let certs: Awaited<ReturnType<typeof startSelfManagedFromFlags>> = undefined;
  try {
    certs = await startSelfManagedFromFlags(flags, logger);
    server = await startServer({
      policyFile: flags.policy,
      port: parsePort(flags.port, '--port'),
      metricsPort: parsePort(flags.metricsPort, '--metrics-port'),
      host: flags.host,
      tlsCert: flags.tlsCert,
      tlsKey: flags.tlsKey,
      certDir: flags.certDir,
      bodyLimit: flags.bodyLimit,
      kubeconfig: flags.kubeconfig,
      discovery: flags.discovery,
      cnpgNamespace: flags.cnpgNamespace,
      logger,
    });
  } catch (err) {
    certs?.stop();
    const bad = err instanceof PolicyFileError || (err instanceof Error && err.message.startsWith('--'));
    logger.fatal({ error: err instanceof Error ? err.message : String(err) }, 'cannot start');
    process.stderr.write(`pg-trickle-webhook serve: ${err instanceof Error ? err.message : String(err)}\n`);
    await new Promise<void>((r) => logger.flush(() => r()));
    return bad ? 2 : 1;
  }

  certs?.registerMetrics(server.metrics.registry);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      logger.flush(() => process.exit(0));
      return;
    }
    stopping = true;
    certs?.stop();
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => {
      logger.warn('shutdown deadline reached: exiting');
      logger.flush(() => process.exit(0));
    }, HARD_EXIT_MS).unref();
    server.close(DRAIN_MS, QUIET_MS).then(
      (result) => {
        logger.info({ result }, 'stopped');
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ error: String(err) }, 'error while stopping');
        logger.flush(() => process.exit(0));
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return undefined;
}

// `serve --self-managed-certs`: the start-up of the self-managed certificate loop, before the
// HTTPS server reads --tls-cert/--tls-key. The flags are in self-managed-flags.ts.
import type { Logger } from 'pino';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { KubeCertificateStore } from './kube-certificate-store.js';
import { selfManagedSettings, type SelfManagedFlags, type SelfManagedSettings } from './self-managed-flags.js';
import { dnsNamesForService, selfManagedCertificates, type CertificateStore, type SelfManagedCertificates } from './self-managed.js';

const STARTUP_DEADLINE_MS = 60_000;

/**
 * Bootstraps the certificates (retrying for up to a minute while the API server is not
 * reachable), writes the serving pair, and keeps renewing in the background.
 */
export async function startSelfManagedCertificates(
  settings: SelfManagedSettings,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  opts: { kubeconfig?: string | undefined; store?: CertificateStore; caPropagationMs?: number } = {},
): Promise<SelfManagedCertificates> {
  const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void =>
    logger[level]({ secret: `${settings.namespace}/${settings.secretName}`, ...fields }, msg);
  const store =
    opts.store ??
    new KubeCertificateStore({
      kubeConfig: loadKubeConfig(opts.kubeconfig),
      namespace: settings.namespace,
      secretName: settings.secretName,
      webhookConfigName: settings.webhookConfigName,
      log,
    });
  const certs = selfManagedCertificates({
    store,
    names: [...dnsNamesForService(settings.serviceName, settings.namespace), ...settings.extraSans],
    certFile: settings.certFile,
    keyFile: settings.keyFile,
    caLifetimeMs: settings.caLifetimeMs,
    servingLifetimeMs: settings.servingLifetimeMs,
    renewAt: settings.renewAt,
    checkIntervalMs: settings.checkIntervalMs,
    caPropagationMs: opts.caPropagationMs ?? 2_000,
    log,
  });
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  for (let delay = 500; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      const status = await certs.sync();
      log('info', 'self-managed certificates ready', {
        caNotAfter: new Date(status.caNotAfter).toISOString(),
        servingNotAfter: new Date(status.servingNotAfter).toISOString(),
      });
      return certs;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (Date.now() + delay > deadline) {
        certs.stop();
        throw new Error(`self-managed certificates: ${message}`);
      }
      log('warn', 'self-managed certificates not ready yet; retrying', { error: message, retryInMs: delay });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** `serve --self-managed-certs ...`: validates the flags and bootstraps; undefined when the flag is off. */
export async function startSelfManagedFromFlags(flags: SelfManagedFlags, logger: Pick<Logger, 'info' | 'warn' | 'error'>): Promise<SelfManagedCertificates | undefined> {
  if (!flags.selfManagedCerts) return undefined;
  return startSelfManagedCertificates(selfManagedSettings(flags), logger, { kubeconfig: flags.kubeconfig });
}

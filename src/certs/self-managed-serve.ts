// `serve --self-managed-certs`: the flags, their validation, and the start-up of the
// self-managed certificate loop before the HTTPS server reads --tls-cert/--tls-key.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Logger } from 'pino';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { KubeCertificateStore } from './kube-certificate-store.js';
import { dnsNamesForService, selfManagedCertificates, type CertificateStore, type SelfManagedCertificates } from './self-managed.js';

export interface SelfManagedFlags {
  selfManagedCerts?: boolean;
  certSecret?: string;
  certNamespace?: string;
  webhookConfigName?: string;
  serviceName?: string;
  caLifetimeHours?: string;
  servingLifetimeHours?: string;
  renewAt?: string;
  tlsCert?: string;
  tlsKey?: string;
  kubeconfig?: string;
}

const HOUR_MS = 3_600_000;
const STARTUP_DEADLINE_MS = 60_000;

/** Adds the self-managed certificate flags to the `serve` command. */
export function addSelfManagedOptions(cmd: Command): Command {
  return cmd
    .option('--self-managed-certs', 'create/renew the CA and serving certificate in a Secret and write the caBundle (needs --tls-cert/--tls-key to write to)')
    .option('--cert-secret <name>', 'Secret shared by the replicas (self-managed certificates)')
    .addOption(new Option('--cert-namespace <ns>', 'namespace of --cert-secret and of the Service').env('POD_NAMESPACE'))
    .option('--webhook-config-name <name>', 'name of the Mutating- and ValidatingWebhookConfiguration whose caBundle is written')
    .option('--service-name <name>', 'Service the API server calls; the certificate is for <service>.<namespace>.svc')
    .addOption(new Option('--ca-lifetime-hours <h>', 'CA lifetime (hours, fractions allowed)').default('87600'))
    .addOption(new Option('--serving-lifetime-hours <h>', 'serving certificate lifetime (hours, fractions allowed)').default('8760'))
    .addOption(new Option('--renew-at <fraction>', 'renew when this fraction of a lifetime has passed').default('0.6667'));
}

function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag}: expected a positive number, got "${value}"`);
  return n;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new Error(`${flag} is required with --self-managed-certs`);
  return value;
}

export interface SelfManagedSettings {
  secretName: string;
  namespace: string;
  webhookConfigName: string;
  serviceName: string;
  certFile: string;
  keyFile: string;
  caLifetimeMs: number;
  servingLifetimeMs: number;
  renewAt: number;
}

/** Validates the flags; errors start with the flag name (the CLI reports them as usage errors). */
export function selfManagedSettings(flags: SelfManagedFlags): SelfManagedSettings {
  const renewAt = Number(flags.renewAt ?? '0.6667');
  if (!(renewAt > 0 && renewAt < 1)) throw new Error(`--renew-at: expected a fraction between 0 and 1, got "${flags.renewAt}"`);
  const settings: SelfManagedSettings = {
    secretName: required(flags.certSecret, '--cert-secret'),
    namespace: required(flags.certNamespace, '--cert-namespace'),
    webhookConfigName: required(flags.webhookConfigName, '--webhook-config-name'),
    serviceName: required(flags.serviceName, '--service-name'),
    certFile: resolve(required(flags.tlsCert, '--tls-cert')),
    keyFile: resolve(required(flags.tlsKey, '--tls-key')),
    caLifetimeMs: positive(flags.caLifetimeHours ?? '87600', '--ca-lifetime-hours') * HOUR_MS,
    servingLifetimeMs: positive(flags.servingLifetimeHours ?? '8760', '--serving-lifetime-hours') * HOUR_MS,
    renewAt,
  };
  if (settings.servingLifetimeMs > settings.caLifetimeMs) throw new Error('--serving-lifetime-hours must not exceed --ca-lifetime-hours');
  return settings;
}

/**
 * Bootstraps the certificates (retrying for up to a minute while the API server is not
 * reachable), writes the serving pair, and keeps renewing in the background.
 */
export async function startSelfManagedCertificates(
  settings: SelfManagedSettings,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  opts: { kubeconfig?: string | undefined; store?: CertificateStore; checkIntervalMs?: number; caPropagationMs?: number } = {},
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
    dnsNames: dnsNamesForService(settings.serviceName, settings.namespace),
    certFile: settings.certFile,
    keyFile: settings.keyFile,
    caLifetimeMs: settings.caLifetimeMs,
    servingLifetimeMs: settings.servingLifetimeMs,
    renewAt: settings.renewAt,
    checkIntervalMs: opts.checkIntervalMs,
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

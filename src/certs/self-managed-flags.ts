// The `serve` flags of self-managed certificates and their validation. Kept free of heavy
// imports: the CLI loads it for every command.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';

export interface SelfManagedFlags {
  selfManagedCerts?: boolean;
  certSecret?: string;
  certNamespace?: string;
  webhookConfigName?: string;
  serviceName?: string;
  certExtraSans?: string;
  caLifetimeHours?: string;
  servingLifetimeHours?: string;
  renewAt?: string;
  certCheckIntervalSeconds?: string;
  tlsCert?: string;
  tlsKey?: string;
  kubeconfig?: string;
}

const HOUR_MS = 3_600_000;

/** Adds the self-managed certificate flags to the `serve` command. */
export function addSelfManagedOptions(cmd: Command): Command {
  return cmd
    .option('--self-managed-certs', 'create/renew the CA and serving certificate in a Secret and write the caBundle (needs --tls-cert/--tls-key to write to)')
    .option('--cert-secret <name>', 'Secret shared by the replicas (self-managed certificates)')
    .addOption(new Option('--cert-namespace <ns>', 'namespace of --cert-secret and of the Service').env('POD_NAMESPACE'))
    .option('--webhook-config-name <name>', 'name of the Mutating- and ValidatingWebhookConfiguration whose caBundle is written')
    .option('--service-name <name>', 'Service the API server calls; the certificate is for <service>.<namespace>.svc')
    .option('--cert-extra-sans <list>', 'more names for the serving certificate, comma-separated DNS names or IPs (webhooks reached by URL)')
    .addOption(new Option('--ca-lifetime-hours <h>', 'CA lifetime (hours, fractions allowed)').default('87600'))
    .addOption(new Option('--serving-lifetime-hours <h>', 'serving certificate lifetime (hours, fractions allowed)').default('8760'))
    .addOption(new Option('--renew-at <fraction>', 'renew when this fraction of a lifetime has passed').default('0.6667'))
    .addOption(new Option('--cert-check-interval-seconds <s>', 'longest time between two looks at the Secret').default('60'));
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

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

function extraSans(list: string | undefined): string[] {
  const names = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!isIP(n) && !DNS_NAME.test(n)) throw new Error(`--cert-extra-sans: "${n}" is neither a DNS name nor an IP address`);
  return names;
}

export interface SelfManagedSettings {
  secretName: string;
  namespace: string;
  webhookConfigName: string;
  serviceName: string;
  extraSans: string[];
  certFile: string;
  keyFile: string;
  caLifetimeMs: number;
  servingLifetimeMs: number;
  renewAt: number;
  checkIntervalMs: number;
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
    extraSans: extraSans(flags.certExtraSans),
    certFile: resolve(required(flags.tlsCert, '--tls-cert')),
    keyFile: resolve(required(flags.tlsKey, '--tls-key')),
    caLifetimeMs: positive(flags.caLifetimeHours ?? '87600', '--ca-lifetime-hours') * HOUR_MS,
    servingLifetimeMs: positive(flags.servingLifetimeHours ?? '8760', '--serving-lifetime-hours') * HOUR_MS,
    renewAt,
    checkIntervalMs: positive(flags.certCheckIntervalSeconds ?? '60', '--cert-check-interval-seconds') * 1000,
  };
  if (settings.servingLifetimeMs > settings.caLifetimeMs) throw new Error('--serving-lifetime-hours must not exceed --ca-lifetime-hours');
  return settings;
}

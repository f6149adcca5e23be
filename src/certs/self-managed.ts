// Self-managed webhook certificates: a CA and a serving certificate kept in one Secret that
// every replica shares, the CA written into the webhook configurations' caBundle, the serving
// pair written to files the server's TLS reloader watches, and renewal well before expiry.
// Replicas coordinate only through the Secret's resourceVersion (create-if-absent, replace
// with optimistic concurrency): whoever loses a race adopts the winner's Secret.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import { inspectCertificate, isSignedBy, issueCa, issueServing, splitPemBundle, type CertificateFacts } from './authority.js';

/** Keys of the shared Secret (type kubernetes.io/tls plus the CA). */
export const SECRET_KEYS = { caBundle: 'ca.crt', caKey: 'ca.key', cert: 'tls.crt', key: 'tls.key' } as const;
export type SecretData = Partial<Record<(typeof SECRET_KEYS)[keyof typeof SECRET_KEYS], string>>;

export interface StoredSecret {
  data: SecretData;
  resourceVersion: string;
}

/** Where the certificates live; the Kubernetes implementation is kube-certificate-store.ts. */
export interface CertificateStore {
  readSecret(): Promise<StoredSecret | null>;
  /** null when another writer created it first (409 AlreadyExists). */
  createSecret(data: SecretData): Promise<StoredSecret | null>;
  /** null when `resourceVersion` is no longer current (409 Conflict). */
  replaceSecret(data: SecretData, resourceVersion: string): Promise<StoredSecret | null>;
  /** Puts `caBundle` on every webhook of the managed configurations; true when anything changed. */
  setCaBundle(caBundlePem: string): Promise<boolean>;
}

export interface SelfManagedOptions {
  store: CertificateStore;
  /** Names the serving certificate must carry (DNS or IP), e.g. svc.ns.svc and svc.ns.svc.cluster.local. */
  names: string[];
  certFile: string;
  keyFile: string;
  caLifetimeMs: number;
  servingLifetimeMs: number;
  /** Fraction of a certificate's lifetime after which it is replaced (0 < renewAt < 1). */
  renewAt: number;
  /** Upper bound between two looks at the Secret (another replica may have renewed). */
  checkIntervalMs?: number;
  /** Wait after a caBundle change before serving a certificate only the new bundle trusts. */
  caPropagationMs?: number;
  caCommonName?: string;
  now?: () => number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface CertificateStatus {
  caNotAfter: number;
  servingNotAfter: number;
  /** When the next renewal is due (epoch ms). */
  renewalDue: number;
}

export interface SelfManagedCertificates {
  /** One reconciliation: read/create/renew the Secret, caBundle, files. */
  sync(): Promise<CertificateStatus>;
  status(): CertificateStatus | undefined;
  /** `pgtrickle_webhook_certificate_expiry_timestamp_seconds{certificate="ca"|"serving"}` on `registry`. */
  registerMetrics(registry: Registry): void;
  stop(): void;
}

const MAX_RACE_ATTEMPTS = 8;

export function dnsNamesForService(service: string, namespace: string): string[] {
  return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

function validateOptions(o: SelfManagedOptions): void {
  if (!(o.renewAt > 0 && o.renewAt < 1)) throw new Error(`renewAt must be between 0 and 1 (exclusive), got ${o.renewAt}`);
  for (const [name, v] of [['caLifetimeMs', o.caLifetimeMs], ['servingLifetimeMs', o.servingLifetimeMs]] as const) {
    if (!Number.isFinite(v) || v < 1000) throw new Error(`${name} must be at least 1000 ms, got ${v}`);
  }
  if (o.servingLifetimeMs > o.caLifetimeMs) throw new Error('the serving certificate lifetime must not exceed the CA lifetime');
  if (o.names.length === 0) throw new Error('names must not be empty');
}

/** The moment `facts` should be replaced: at `renewAt` of its lifetime. */
export function renewalTime(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>, renewAt: number): number {
  return facts.notBefore + renewAt * (facts.notAfter - facts.notBefore);
}

function tryInspect(pem: string | undefined): CertificateFacts | undefined {
  if (!pem) return undefined;
  try {
    return inspectCertificate(pem);
  } catch {
    return undefined;
  }
}

interface Assessment {
  /** New Secret content, or undefined when the stored one is good. */
  next?: SecretData;
  reason?: string;
}

/**
 * Decides what the Secret should hold at `now`. Pure apart from key generation: a CA due for
 * renewal is replaced (the old one stays in the bundle until it expires, so certificates it
 * signed stay trusted); a serving certificate due, for the wrong names, or not signed by the
 * current CA is reissued.
 */
export async function assess(current: SecretData | undefined, o: SelfManagedOptions, now: number): Promise<Assessment> {
  const bundle = splitPemBundle(current?.[SECRET_KEYS.caBundle] ?? '');
  const caPem = bundle[0];
  const ca = tryInspect(caPem);
  const caKey = current?.[SECRET_KEYS.caKey];
  const caName = o.caCommonName ?? 'pg-trickle-webhook CA';
  const stillValid = (pem: string): boolean => (tryInspect(pem)?.notAfter ?? 0) > now;

  if (!ca || !caPem || !caKey || now >= renewalTime(ca, o.renewAt)) {
    const fresh = await issueCa(caName, { lifetimeMs: o.caLifetimeMs, now });
    const serving = await issueServing(fresh, o.names, { lifetimeMs: o.servingLifetimeMs, now });
    const kept = bundle.filter(stillValid);
    return {
      next: {
        [SECRET_KEYS.caBundle]: [fresh.certPem, ...kept].map((p) => `${p.trim()}\n`).join(''),
        [SECRET_KEYS.caKey]: fresh.keyPem,
        [SECRET_KEYS.cert]: serving.certPem,
        [SECRET_KEYS.key]: serving.keyPem,
      },
      reason: ca ? 'CA due for renewal' : 'no usable CA',
    };
  }

  const certPem = current?.[SECRET_KEYS.cert];
  const serving = tryInspect(certPem);
  let reason: string | undefined;
  if (!serving || !certPem || !current?.[SECRET_KEYS.key]) reason = 'no usable serving certificate';
  else if (now >= renewalTime(serving, o.renewAt)) reason = 'serving certificate due for renewal';
  else if (!o.names.every((n) => serving.names.includes(n))) reason = 'serving certificate lacks a required name';
  else if (!(await isSignedBy(certPem, caPem))) reason = 'serving certificate not signed by the current CA';
  // A serving certificate cut short by its CA's expiry is renewed with the CA, above.
  const pruned = bundle.filter(stillValid).join('');
  if (!reason) {
    return pruned === current?.[SECRET_KEYS.caBundle] ? {} : { next: { ...current, [SECRET_KEYS.caBundle]: pruned }, reason: 'expired CA dropped from the bundle' };
  }
  const fresh = await issueServing({ certPem: caPem, keyPem: caKey }, o.names, { lifetimeMs: o.servingLifetimeMs, now });
  return { next: { ...current, [SECRET_KEYS.caBundle]: pruned, [SECRET_KEYS.cert]: fresh.certPem, [SECRET_KEYS.key]: fresh.keyPem }, reason };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp + rename) and only when the content differs. */
async function writeIfChanged(path: string, content: string, mode: number): Promise<boolean> {
  if ((await readIfExists(path)) === content) return false;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await rename(tmp, path);
  return true;
}

export function selfManagedCertificates(o: SelfManagedOptions): SelfManagedCertificates {
  validateOptions(o);
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => undefined);
  const checkInterval = o.checkIntervalMs ?? 60_000;
  let status: CertificateStatus | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<CertificateStatus> | undefined;

  /** Reads the Secret and brings it up to date, adopting another replica's write on a lost race. */
  const reconcileSecret = async (): Promise<SecretData> => {
    for (let attempt = 0; attempt < MAX_RACE_ATTEMPTS; attempt++) {
      const stored = await o.store.readSecret();
      const { next, reason } = await assess(stored?.data, o, now());
      if (!next) return stored!.data;
      const written = stored ? await o.store.replaceSecret(next, stored.resourceVersion) : await o.store.createSecret(next);
      if (written) {
        log('info', stored ? 'certificate Secret renewed' : 'certificate Secret created', { reason });
        return written.data;
      }
      log('info', 'certificate Secret changed by another replica; adopting it', { reason });
    }
    throw new Error(`certificate Secret still contended after ${MAX_RACE_ATTEMPTS} attempts`);
  };

  const syncOnce = async (): Promise<CertificateStatus> => {
    const data = await reconcileSecret();
    const bundle = data[SECRET_KEYS.caBundle] as string;
    // Trust first, then serve: the API server must know a new CA before any replica presents it.
    const bundleChanged = await o.store.setCaBundle(bundle);
    if (bundleChanged) log('info', 'caBundle written to the webhook configurations');
    // Every replica (not only the one that wrote the bundle) waits before moving to a new CA.
    const served = await readIfExists(o.certFile);
    const caSwitch = served !== undefined && !(await isSignedBy(served, splitPemBundle(bundle)[0] ?? ''));
    if (o.caPropagationMs && (bundleChanged || caSwitch)) await new Promise((r) => setTimeout(r, o.caPropagationMs));
    // Key first: the reloader ignores a mismatched pair and retries when tls.crt lands.
    const wroteKey = await writeIfChanged(o.keyFile, data[SECRET_KEYS.key] as string, 0o600);
    const wroteCert = await writeIfChanged(o.certFile, data[SECRET_KEYS.cert] as string, 0o644);
    if (wroteKey || wroteCert) log('info', 'serving certificate written', { cert: o.certFile });
    const ca = inspectCertificate(bundle);
    const serving = inspectCertificate(data[SECRET_KEYS.cert] as string);
    status = {
      caNotAfter: ca.notAfter,
      servingNotAfter: serving.notAfter,
      renewalDue: Math.min(renewalTime(ca, o.renewAt), renewalTime(serving, o.renewAt)),
    };
    return status;
  };

  const sync = (): Promise<CertificateStatus> => {
    running ??= syncOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      sync().then(
        (s) => schedule(Math.max(1000, Math.min(checkInterval, s.renewalDue - now() + 50))),
        (err: unknown) => {
          log('error', 'certificate reconciliation failed; retrying', { error: err instanceof Error ? err.message : String(err) });
          schedule(Math.min(checkInterval, 10_000));
        },
      );
    }, delayMs);
    timer.unref();
  };

  return {
    async sync() {
      const s = await sync();
      schedule(Math.max(1000, Math.min(checkInterval, s.renewalDue - now() + 50)));
      return s;
    },
    status: () => status,
    registerMetrics(registry) {
      new Gauge({
        name: 'pgtrickle_webhook_certificate_expiry_timestamp_seconds',
        help: 'Expiry (notAfter) of the self-managed certificates, in seconds since the epoch.',
        labelNames: ['certificate'],
        registers: [registry],
        collect() {
          if (!status) return;
          this.set({ certificate: 'ca' }, status.caNotAfter / 1000);
          this.set({ certificate: 'serving' }, status.servingNotAfter / 1000);
        },
      });
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

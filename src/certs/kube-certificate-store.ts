// The CertificateStore of self-managed certificates on a real API server: one Secret in the
// webhook's namespace, and the caBundle of its two webhook configurations (found by name).
// Concurrency is the API server's: create answers 409 AlreadyExists, replace with a stale
// resourceVersion answers 409 Conflict.
import {
  AdmissionregistrationV1Api,
  ApiException,
  CoreV1Api,
  type KubeConfig,
  type V1MutatingWebhookConfiguration,
  type V1Secret,
  type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import type { CertificateStore, SecretData, StoredSecret } from './self-managed.js';

export interface KubeCertificateStoreOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  secretName: string;
  /** Name of the MutatingWebhookConfiguration and of the ValidatingWebhookConfiguration. */
  webhookConfigName: string;
  /** Labels put on a Secret this store creates. */
  labels?: Record<string, string>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

const statusOf = (err: unknown): number | undefined => (err instanceof ApiException ? err.code : undefined);

function decode(secret: V1Secret): StoredSecret {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, 'base64').toString('utf8');
  return { data: data as SecretData, resourceVersion: secret.metadata?.resourceVersion ?? '' };
}

function encode(data: SecretData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out[k] = Buffer.from(v, 'utf8').toString('base64');
  return out;
}

type WebhookConfig = V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration;

/** Sets caBundle on every webhook; returns whether anything differed. */
function applyBundle(config: WebhookConfig, caBundleB64: string): boolean {
  let changed = false;
  for (const w of config.webhooks ?? []) {
    if (w.clientConfig.caBundle !== caBundleB64) {
      w.clientConfig.caBundle = caBundleB64;
      changed = true;
    }
  }
  return changed;
}

export class KubeCertificateStore implements CertificateStore {
  private readonly core: CoreV1Api;
  private readonly admission: AdmissionregistrationV1Api;

  constructor(private readonly o: KubeCertificateStoreOptions) {
    this.core = o.kubeConfig.makeApiClient(CoreV1Api);
    this.admission = o.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  }

  async readSecret(): Promise<StoredSecret | null> {
    try {
      return decode(await this.core.readNamespacedSecret({ name: this.o.secretName, namespace: this.o.namespace }));
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async createSecret(data: SecretData): Promise<StoredSecret | null> {
    const body: V1Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: this.o.secretName, namespace: this.o.namespace, labels: this.o.labels ?? { 'app.kubernetes.io/managed-by': 'pg-trickle-webhook' } },
      data: encode(data),
    };
    try {
      return decode(await this.core.createNamespacedSecret({ namespace: this.o.namespace, body }));
    } catch (err) {
      if (statusOf(err) === 409) return null;
      throw err;
    }
  }

  async replaceSecret(data: SecretData, resourceVersion: string): Promise<StoredSecret | null> {
    const current = await this.core.readNamespacedSecret({ name: this.o.secretName, namespace: this.o.namespace });
    if (current.metadata?.resourceVersion !== resourceVersion) return null;
    // Keep whatever else is on the object (labels, annotations, owner references).
    const body: V1Secret = { ...current, data: encode(data) };
    try {
      return decode(await this.core.replaceNamespacedSecret({ name: this.o.secretName, namespace: this.o.namespace, body }));
    } catch (err) {
      if (statusOf(err) === 409) return null;
      throw err;
    }
  }

  async setCaBundle(caBundlePem: string): Promise<boolean> {
    const b64 = Buffer.from(caBundlePem, 'utf8').toString('base64');
    const name = this.o.webhookConfigName;
    const mutating = await this.update(
      () => this.admission.readMutatingWebhookConfiguration({ name }),
      (body) => this.admission.replaceMutatingWebhookConfiguration({ name, body: body as V1MutatingWebhookConfiguration }),
      b64,
      'MutatingWebhookConfiguration',
    );
    const validating = await this.update(
      () => this.admission.readValidatingWebhookConfiguration({ name }),
      (body) => this.admission.replaceValidatingWebhookConfiguration({ name, body: body as V1ValidatingWebhookConfiguration }),
      b64,
      'ValidatingWebhookConfiguration',
    );
    return mutating || validating;
  }

  /** Read-modify-replace; a 409 (someone else wrote it meanwhile) is retried a bounded number of times. */
  private async update(read: () => Promise<WebhookConfig>, replace: (c: WebhookConfig) => Promise<unknown>, b64: string, kind: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      let config: WebhookConfig;
      try {
        config = await read();
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        // Not installed (yet): nothing to trust us; the next reconciliation tries again.
        this.o.log?.('warn', `${kind} not found; caBundle not written`, { name: this.o.webhookConfigName });
        return false;
      }
      if (!applyBundle(config, b64)) return false;
      try {
        await replace(config);
        return true;
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    }
    throw new Error(`${kind} ${this.o.webhookConfigName}: caBundle update kept conflicting`);
  }
}

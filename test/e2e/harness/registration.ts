// Registers the webhook with the API server: one MutatingWebhookConfiguration and one
// ValidatingWebhookConfiguration with URL client configs pointing at the test webhook.
import type { ControlPlane } from './control-plane.js';
import { clusterMatchConditions, type MatchCondition } from './match-conditions.js';
import { waitFor } from './processes.js';
import type { Webhook } from './webhook.js';

export type FailurePolicy = 'Fail' | 'Ignore';

export interface RegisterOptions {
  /** Default Fail. */
  failurePolicy?: FailurePolicy;
  /** The policy's injection mode: `always` drops the Cluster matchConditions (every Cluster must be mutated). */
  injectionMode?: 'label' | 'always';
  /** Name of both configuration objects (default `pg-trickle-webhook`). */
  name?: string;
  /** Default 5. */
  timeoutSeconds?: number;
  /** Wait until the API server calls the webhook (a dry-run probe; needs the webhook running). Default true. */
  waitUntilActive?: boolean;
}

export interface Registration {
  /** Webhook names as the API server reports them (metrics label `name`). */
  names: { mutateCluster: string; validateCluster: string; validateDatabase: string };
  /** Patches failurePolicy on every webhook of both configurations. */
  setFailurePolicy(policy: FailurePolicy): Promise<void>;
  /** Deletes both configurations. Idempotent. */
  remove(): Promise<void>;
}

export const WEBHOOK_NAMES = {
  mutateCluster: 'cluster.mutate.pgtrickle.io',
  validateCluster: 'cluster.validate.pgtrickle.io',
  validateDatabase: 'database.validate.pgtrickle.io',
} as const;

const MUTATING = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const VALIDATING = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';

interface WebhookSpec {
  name: string;
  path: '/mutate' | '/validate';
  resource: 'clusters' | 'databases';
  matchConditions: MatchCondition[];
}

function webhookEntry(wh: Webhook, spec: WebhookSpec, failurePolicy: FailurePolicy, timeoutSeconds: number, mutating: boolean): Record<string, unknown> {
  return {
    name: spec.name,
    clientConfig: { url: `${wh.url}${spec.path}`, caBundle: Buffer.from(wh.caPem).toString('base64') },
    rules: [{ apiGroups: ['postgresql.cnpg.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: [spec.resource], scope: 'Namespaced' }],
    failurePolicy,
    matchPolicy: 'Equivalent',
    sideEffects: 'None', // dry-run requests are safe to send
    admissionReviewVersions: ['v1'],
    timeoutSeconds,
    ...(spec.matchConditions.length > 0 ? { matchConditions: spec.matchConditions } : {}),
    ...(mutating ? { reinvocationPolicy: 'Never' } : {}),
  };
}

async function expectOk(what: string, res: { status: number; body: string }, ok: number[]): Promise<void> {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 500)}`);
}

/**
 * Mutating: Clusters (CREATE, UPDATE) → /mutate, with the pg_trickle matchConditions.
 * Validating: Clusters → /validate with the same conditions; Databases → /validate
 * without (any Database can change its Cluster's worker budget). No mutation applies
 * to Databases, so they skip the mutating webhook.
 */
export async function registerWebhooks(cp: ControlPlane, wh: Webhook, opts: RegisterOptions = {}): Promise<Registration> {
  const name = opts.name ?? 'pg-trickle-webhook';
  const failurePolicy = opts.failurePolicy ?? 'Fail';
  const timeoutSeconds = opts.timeoutSeconds ?? 5;
  const conds = clusterMatchConditions(opts.injectionMode);
  const mutating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name },
    webhooks: [webhookEntry(wh, { name: WEBHOOK_NAMES.mutateCluster, path: '/mutate', resource: 'clusters', matchConditions: conds }, failurePolicy, timeoutSeconds, true)],
  };
  const validating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      webhookEntry(wh, { name: WEBHOOK_NAMES.validateCluster, path: '/validate', resource: 'clusters', matchConditions: conds }, failurePolicy, timeoutSeconds, false),
      webhookEntry(wh, { name: WEBHOOK_NAMES.validateDatabase, path: '/validate', resource: 'databases', matchConditions: [] }, failurePolicy, timeoutSeconds, false),
    ],
  };
  await expectOk('create MutatingWebhookConfiguration', await cp.request('POST', MUTATING, mutating), [201]);
  await expectOk('create ValidatingWebhookConfiguration', await cp.request('POST', VALIDATING, validating), [201]);

  if (opts.waitUntilActive ?? true) await waitUntilActive(cp, wh);

  let removed = false;
  return {
    names: { ...WEBHOOK_NAMES },
    setFailurePolicy: async (policy: FailurePolicy) => {
      for (const [path, obj] of [[MUTATING, mutating], [VALIDATING, validating]] as const) {
        const patch = obj.webhooks.map((_w, i) => ({ op: 'replace', path: `/webhooks/${i}/failurePolicy`, value: policy }));
        await expectOk(`patch ${path}/${name}`, await cp.request('PATCH', `${path}/${name}`, patch, 'application/json-patch+json'), [200]);
      }
      // The API server's configuration informer needs a moment; no observable signal for a
      // changed failurePolicy short of provoking a failure, so give it a bounded pause.
      await new Promise((r) => setTimeout(r, 1500));
    },
    remove: async () => {
      if (removed) return;
      removed = true;
      for (const path of [MUTATING, VALIDATING]) await expectOk(`delete ${path}/${name}`, await cp.request('DELETE', `${path}/${name}`), [200, 404]);
    },
  };
}

/** A dry-run Cluster create in `default` until the webhook has seen both a mutate and a validate call. */
async function waitUntilActive(cp: ControlPlane, wh: Webhook): Promise<void> {
  const probe = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'pgt-e2e-registration-probe', namespace: 'default', labels: { 'pgtrickle.io/inject': 'true' } },
    spec: { instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18', storage: { size: '1Gi' } },
  };
  const m0 = await wh.requestCount('mutate');
  const v0 = await wh.requestCount('validate');
  await waitFor('webhook configurations active in the API server', async () => {
    await cp.request('POST', '/apis/postgresql.cnpg.io/v1/namespaces/default/clusters?dryRun=All', probe);
    return (await wh.requestCount('mutate')) > m0 && (await wh.requestCount('validate')) > v0;
  }, { timeoutMs: 30_000, intervalMs: 300 });
}

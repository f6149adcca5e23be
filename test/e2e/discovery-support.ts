// Helpers of the discovery end-to-end tests: reading what the webhook discovered from its
// /metrics, operator Deployments, service-account kubeconfigs, bulk object creation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../src/core/types.js';
import { parsePrometheus, sumSamples, waitFor, type ControlPlane, type RawResponse, type Webhook } from './harness/index.js';

export type EnvironmentInfo = Record<'kubernetes_version' | 'cnpg_version' | 'image_volume' | 'crd_extensions', string>;

/** The labels of pgtrickle_webhook_environment_info on the webhook's /metrics. */
export async function environmentInfo(wh: Webhook): Promise<EnvironmentInfo | undefined> {
  const s = parsePrometheus(await wh.metrics()).find((x) => x.name === 'pgtrickle_webhook_environment_info' && x.value === 1);
  return s?.labels as EnvironmentInfo | undefined;
}

/** Waits (bounded) until the webhook's discovered environment includes `want`. */
export async function waitForEnvironment(wh: Webhook, want: Partial<EnvironmentInfo>, timeoutMs = 30_000): Promise<void> {
  let last: EnvironmentInfo | undefined;
  await waitFor(`webhook environment ${JSON.stringify(want)}`, async () => {
    last = await environmentInfo(wh);
    return last !== undefined && Object.entries(want).every(([k, v]) => last?.[k as keyof EnvironmentInfo] === v);
  }, { timeoutMs, intervalMs: 200 }).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`);
  });
}

export async function metricValue(wh: Webhook, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sumSamples(parsePrometheus(await wh.metrics()), name, labels);
}

/** Waits until the webhook's cache holds exactly `count` objects of `resource`. */
export async function waitForCache(wh: Webhook, resource: 'databases' | 'clusters', count: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(`webhook cache of ${resource} = ${count}`, async () => (await metricValue(wh, 'pgtrickle_webhook_cache_objects', { resource })) === count, { timeoutMs, intervalMs: 100 });
}

export async function expectStatus(what: string, res: Promise<RawResponse>, ok: number[]): Promise<RawResponse> {
  const r = await res;
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 400)}`);
  return r;
}

export async function ensureNamespace(cp: ControlPlane, name: string): Promise<void> {
  await expectStatus(`namespace ${name}`, cp.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), [201, 409]);
}

/** A CNPG operator Deployment object (no controller runs it: only its image tag matters). */
export function operatorDeployment(namespace: string, image: string): KubeObject {
  const labels = { 'app.kubernetes.io/name': 'cloudnative-pg' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cnpg-controller-manager', namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'manager', image }] } },
    },
  };
}

/** Creates or updates the operator Deployment with `image`. */
export async function setOperatorImage(cp: ControlPlane, namespace: string, image: string): Promise<void> {
  const path = `/apis/apps/v1/namespaces/${namespace}/deployments`;
  const created = await cp.request('POST', path, operatorDeployment(namespace, image));
  if (created.status === 201) return;
  if (created.status !== 409) throw new Error(`operator Deployment: HTTP ${created.status} ${created.body.slice(0, 300)}`);
  const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }];
  await expectStatus('patch operator image', cp.request('PATCH', `${path}/cnpg-controller-manager`, patch, 'application/json-patch+json'), [200]);
}

/** A Cluster labelled for injection (ImageVolume path), PostgreSQL 18. */
export function labelledCluster(namespace: string, name: string, parameters: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace, labels: { 'pgtrickle.io/inject': 'true' } },
    spec: { instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18', storage: { size: '1Gi' }, postgresql: { parameters } },
  };
}

export function plainCluster(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace },
    spec: { instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18', storage: { size: '1Gi' } },
  };
}

/** A Database of `cluster`, requesting the pg_trickle SQL extension unless `plain`. */
export function database(namespace: string, name: string, cluster: string, plain = false): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Database',
    metadata: { name, namespace },
    spec: { name, owner: 'app', cluster: { name: cluster }, ...(plain ? {} : { extensions: [{ name: 'pg_trickle', ensure: 'present' }] }) },
  };
}

/** POSTs every object with at most `concurrency` requests in flight; fails on the first error. */
export async function createMany(cp: ControlPlane, path: (o: KubeObject) => string, objects: KubeObject[], concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const o = objects[next++]!;
      await expectStatus(`create ${o.metadata?.name ?? '?'}`, cp.request('POST', path(o), o), [201]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, objects.length) }, worker));
}

/**
 * A kubeconfig for ServiceAccount `sa` in `namespace`: a token from the TokenRequest API
 * and the control plane's CA. Written to `dir`; returns its path.
 */
export async function serviceAccountKubeconfig(cp: ControlPlane, namespace: string, sa: string, dir: string): Promise<string> {
  await expectStatus(`ServiceAccount ${sa}`, cp.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace } }), [201, 409]);
  const res = await expectStatus(
    `TokenRequest ${sa}`,
    cp.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }),
    [201],
  );
  const token = (JSON.parse(res.body) as { status?: { token?: string } }).status?.token;
  if (!token) throw new Error('TokenRequest answered without a token');
  const file = join(dir, `kubeconfig-${sa}`);
  writeFileSync(file, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: e2e',
    '  cluster:',
    `    server: ${cp.server}`,
    `    certificate-authority-data: ${Buffer.from(cp.caCertPem).toString('base64')}`,
    'users:',
    `- name: ${sa}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: e2e',
    `  context: {cluster: e2e, user: ${sa}}`,
    'current-context: e2e',
    '',
  ].join('\n'), { mode: 0o600 });
  return file;
}

/** p-th percentile (0–100) of `values` in ms, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

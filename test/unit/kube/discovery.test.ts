import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/core/types.js';
import { startDiscovery } from '../../../src/kube/discovery.js';
import { CNPG_CRDS_DIR } from '../../support/shared.js';
import { db, FakeTransport, forbidden, list, until } from './fake-transport.js';

const crd = (version: string): KubeObject => ({
  ...(parse(readFileSync(join(CNPG_CRDS_DIR, `v${version}-postgresql.cnpg.io_clusters.yaml`), 'utf8')) as KubeObject),
  metadata: { name: 'clusters.postgresql.cnpg.io', resourceVersion: '1' },
});
const operator = (image: string): KubeObject => ({
  kind: 'Deployment',
  metadata: { namespace: 'cnpg-system', name: 'cnpg-controller-manager', resourceVersion: '1' },
  spec: { template: { spec: { containers: [{ name: 'manager', image }] } } },
});
const cluster = (ns: string, name: string): KubeObject => ({ kind: 'Cluster', metadata: { namespace: ns, name, resourceVersion: '1' }, spec: {} });

interface World {
  version?: () => string;
  metrics?: () => string;
  crds?: KubeObject[];
  deployments?: KubeObject[];
  databases?: KubeObject[];
  clusters?: KubeObject[];
}

function api(w: World): FakeTransport {
  return new FakeTransport((p) => {
    if (p === '/version') return (w.version ?? (() => JSON.stringify({ major: '1', minor: '36' })))();
    if (p === '/metrics') return (w.metrics ?? (() => 'kubernetes_feature_enabled{name="ImageVolume",stage="BETA"} 1\n'))();
    if (p.startsWith('/apis/apiextensions.k8s.io/v1/customresourcedefinitions?')) return list(w.crds ?? [], '1');
    if (p.startsWith('/apis/apps/v1/')) return list(w.deployments ?? [], '1');
    if (p.startsWith('/apis/postgresql.cnpg.io/v1/databases?')) return list(w.databases ?? [], '1');
    if (p.startsWith('/apis/postgresql.cnpg.io/v1/clusters?')) return list(w.clusters ?? [], '1');
    throw new Error(`unexpected GET ${p}`);
  });
}

test('discovers every fact, fills the directory and turns ready after the first sync', async () => {
  const registry = new Registry();
  const transport = api({
    crds: [crd('1.30.0')],
    deployments: [operator('ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0')],
    databases: [db('app', 'd1', 'pg'), db('app', 'd2', 'pg')],
    clusters: [cluster('app', 'pg')],
  });
  const d = await startDiscovery({ transport, registry, readyTimeoutMs: 60_000 });
  try {
    await d.whenReady();
    assert.deepEqual(d.environment(), { kubernetesVersion: '1.36', imageVolume: true, cnpgVersion: '1.30.0', crdHasExtensions: true });
    assert.equal(d.directory.databasesOf('app', 'pg').length, 2);
    assert.ok(d.directory.cluster('app', 'pg'));
    assert.equal(d.directory.cluster('app', 'missing'), null);
    assert.ok(d.details().extensionFields?.includes('bin_path'));
    assert.equal(d.details().imageVolumeSource, 'metrics');
    const text = await registry.metrics();
    assert.match(text, /pgtrickle_webhook_environment_info\{kubernetes_version="1.36",cnpg_version="1.30.0",image_volume="enabled",crd_extensions="true"\} 1/);
    assert.match(text, /pgtrickle_webhook_cache_objects\{resource="databases"\} 2/);
    assert.match(text, /pgtrickle_webhook_cache_objects\{resource="clusters"\} 1/);
    // The operator list was cluster-wide and by label; the CRD by name (so RBAC can use resourceNames).
    assert.ok(transport.gets.some((p) => p.startsWith('/apis/apps/v1/deployments?') && p.includes('labelSelector=app.kubernetes.io%2Fname%3Dcloudnative-pg')));
    assert.ok(transport.gets.some((p) => p.includes('fieldSelector=metadata.name%3Dclusters.postgresql.cnpg.io')));
  } finally {
    await d.stop();
  }
});

test('watch changes reach environment() without restart', async () => {
  const transport = api({ crds: [crd('1.26.0')], deployments: [operator('cnpg:1.26.0')] });
  const d = await startDiscovery({ transport, readyTimeoutMs: 60_000, cnpgNamespace: 'cnpg-system' });
  try {
    await d.whenReady();
    assert.equal(d.environment().crdHasExtensions, false);
    assert.equal(d.environment().cnpgVersion, '1.26.0');
    assert.ok(transport.gets.some((p) => p.startsWith('/apis/apps/v1/namespaces/cnpg-system/deployments?')));
    (await transport.nextWatch('/apis/apiextensions.k8s.io/')).event('MODIFIED', { ...crd('1.30.0'), metadata: { name: 'clusters.postgresql.cnpg.io', resourceVersion: '2' } });
    (await transport.nextWatch('/apis/apps/v1/')).event('MODIFIED', { ...operator('cnpg:1.30.0'), metadata: { namespace: 'cnpg-system', name: 'cnpg-controller-manager', resourceVersion: '2' } });
    await until(() => d.environment().crdHasExtensions === true && d.environment().cnpgVersion === '1.30.0');
    (await transport.nextWatch('/apis/apps/v1/')).event('DELETED', operator('cnpg:1.30.0'));
    await until(() => d.environment().cnpgVersion === undefined);
  } finally {
    await d.stop();
  }
});

test('forbidden /metrics falls back to the version table and counts the error', async () => {
  const registry = new Registry();
  const d = await startDiscovery({ transport: api({ version: () => JSON.stringify({ major: '1', minor: '34' }), metrics: forbidden }), registry, readyTimeoutMs: 60_000 });
  try {
    await until(() => d.environment().kubernetesVersion === '1.34');
    assert.equal(d.environment().imageVolume, false);
    assert.equal(d.details().imageVolumeSource, 'version-table');
    assert.match(await registry.metrics(), /pgtrickle_webhook_discovery_errors_total\{kind="metrics"\} [1-9]/);
  } finally {
    await d.stop();
  }
});

test('an API that refuses everything leaves facts unknown and still turns ready after the bounded wait', async () => {
  const registry = new Registry();
  const d = await startDiscovery({ transport: new FakeTransport(forbidden), registry, readyTimeoutMs: 150 });
  try {
    assert.equal(d.ready(), false);
    assert.equal(d.directory.cluster('app', 'pg'), undefined, 'unknown before the Cluster cache synced');
    await until(() => d.ready(), 2000);
    assert.deepEqual(d.environment(), { kubernetesVersion: undefined, imageVolume: undefined, cnpgVersion: undefined, crdHasExtensions: undefined });
    assert.equal(d.directory.cluster('app', 'pg'), undefined);
    const text = await registry.metrics();
    for (const kind of ['version', 'databases', 'clusters', 'crd', 'operator']) assert.match(text, new RegExp(`discovery_errors_total\\{kind="${kind}"\\} [1-9]`));
    assert.match(text, /environment_info\{kubernetes_version="unknown",cnpg_version="unknown",image_volume="unknown",crd_extensions="unknown"\} 1/);
  } finally {
    await d.stop();
  }
});

test('no credentials: a clear error, not a crash', async () => {
  await assert.rejects(startDiscovery({ kubeconfig: '/nonexistent/kubeconfig' }), /cannot load Kubernetes credentials \(file\)/);
});

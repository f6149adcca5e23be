// Discovery against a real API server (1.36, ImageVolume on): the CNPG CRD and operator
// version decide PGT009, the watch caches decide PGT021/PGT022, and every change is
// followed without restarting the webhook.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/types.js';
import { startDiscovery } from '../../src/kube/discovery.js';
import { CNPG_CRDS_DIR } from '../support/shared.js';
import {
  cnpgClient, installCnpgCrds, refusal, registerWebhooks, startControlPlane, startWebhook, waitFor,
  type ControlPlane, type Registration, type Webhook,
} from './harness/index.js';
import {
  database, ensureNamespace, expectStatus, labelledCluster, plainCluster, setOperatorImage, waitForCache, waitForEnvironment,
} from './discovery-support.js';

const NS = 'default';
const OPERATOR_NS = 'cnpg-system';
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/clusters.postgresql.cnpg.io';

/** What the API server stores of an extension entry on a Cluster that does not use pg_trickle (dry run). */
async function keptExtensions(cp: ControlPlane): Promise<unknown> {
  const probe = plainCluster(NS, 'schema-probe');
  (probe.spec as Record<string, unknown>).postgresql = { extensions: [{ name: 'other', image: { reference: 'example.com/other:1' } }] };
  const { object } = await cnpgClient(cp).create('clusters', probe, { dryRun: true });
  return (object.spec as { postgresql?: { extensions?: unknown } }).postgresql?.extensions;
}

async function upgradeClusterCrd(cp: ControlPlane, version: string): Promise<void> {
  const current = JSON.parse((await expectStatus('get CRD', cp.get(CRD_PATH), [200])).body) as KubeObject;
  const next = parse(readFileSync(join(CNPG_CRDS_DIR, `v${version}-postgresql.cnpg.io_clusters.yaml`), 'utf8')) as KubeObject;
  next.metadata = { ...next.metadata, resourceVersion: current.metadata?.resourceVersion };
  await expectStatus(`replace CRD with ${version}`, cp.request('PUT', CRD_PATH, next), [200]);
  // The API server switches its schema asynchronously: wait until it keeps an extension entry
  // (a dry run of a Cluster that does not use pg_trickle, which our webhooks leave alone).
  await waitFor(`CRD ${version} schema in use`, async () => (await keptExtensions(cp)) !== undefined, { timeoutMs: 30_000, intervalMs: 200 });
}

describe('discovery on a real API server', { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let wh: Webhook;
  let reg: Registration;
  before(async () => {
    cp = await startControlPlane();
    await installCnpgCrds(cp, '1.26.0');
    await ensureNamespace(cp, OPERATOR_NS);
    wh = await startWebhook(cp, { args: ['--cnpg-namespace', OPERATOR_NS] });
    reg = await registerWebhooks(cp, wh, { failurePolicy: 'Fail' });
  });
  after(async () => {
    await reg?.remove();
    await wh?.dispose();
    await cp?.stop();
  });

  test('discovers version, ImageVolume (from /metrics) and the CRD without extensions', async () => {
    await waitForEnvironment(wh, { kubernetes_version: '1.36', image_volume: 'enabled', crd_extensions: 'false', cnpg_version: 'unknown' });
    // The same facts in-process, with the details the metric does not carry.
    const d = await startDiscovery({ kubeconfig: cp.kubeconfigPath, registry: new Registry(), readyTimeoutMs: 30_000 });
    try {
      await d.whenReady();
      assert.deepEqual(d.environment(), { kubernetesVersion: '1.36', imageVolume: true, cnpgVersion: undefined, crdHasExtensions: false });
      assert.equal(d.details().imageVolumeSource, 'metrics');
      assert.deepEqual(d.details().extensionFields, []);
      assert.deepEqual([...d.details().synced].sort(), ['clusters', 'crd', 'databases', 'metrics', 'operator', 'version']);
    } finally {
      await d.stop();
    }
  });

  test('CNPG 1.26 CRD: a labelled Cluster is refused with PGT009 instead of losing its extension entry', async () => {
    // What would happen otherwise: this API server silently drops extension entries.
    assert.equal(await keptExtensions(cp), undefined);

    const r = await refusal(() => cnpgClient(cp).create('clusters', labelledCluster(NS, 'pruned')));
    assert.match(r.apiMessage, /PGT009/);
    assert.equal(await cnpgClient(cp).get('clusters', NS, 'pruned'), null);
  });

  test('CRD upgraded to 1.30 is seen without restart; an operator at 1.27.0 still means PGT009', async () => {
    await upgradeClusterCrd(cp, '1.30.0');
    await setOperatorImage(cp, OPERATOR_NS, 'ghcr.io/cloudnative-pg/cloudnative-pg:1.27.0');
    await waitForEnvironment(wh, { crd_extensions: 'true', cnpg_version: '1.27.0' });
    const r = await refusal(() => cnpgClient(cp).create('clusters', labelledCluster(NS, 'old-operator')));
    assert.match(r.apiMessage, /PGT009/);
    assert.match(r.apiMessage, /1\.27\.0/);
  });

  test('operator upgraded to 1.30.0: the labelled Cluster gets its ImageVolume extension', async () => {
    await setOperatorImage(cp, OPERATOR_NS, 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0');
    await waitForEnvironment(wh, { cnpg_version: '1.30.0' });
    const { object } = await cnpgClient(cp).create('clusters', labelledCluster(NS, 'injected'));
    const pg = (object.spec as { postgresql?: { extensions?: Array<{ name?: string; image?: { reference?: string } }>; shared_preload_libraries?: string[] } }).postgresql;
    assert.ok(pg?.extensions?.some((e) => e.name === 'pg-trickle' && e.image?.reference?.startsWith('ghcr.io/trickle-labs/pg_trickle-ext:')), JSON.stringify(pg));
    assert.ok(pg?.shared_preload_libraries?.includes('pg_trickle'));
  });

  test('worker budget from the Database cache: the fourth Database is refused with PGT022, and allowed after one is deleted', async () => {
    // 1 launcher + D + 4 refresh workers + 2 reserved <= 11 holds up to D = 4: bootstrap "app" + three Databases.
    await cnpgClient(cp).create('clusters', labelledCluster(NS, 'budget', { max_worker_processes: '11' }));
    await waitForCache(wh, 'clusters', 2);
    for (let i = 1; i <= 3; i++) {
      await cnpgClient(cp).create('databases', database(NS, `budget-db${i}`, 'budget'));
      await waitForCache(wh, 'databases', i);
    }
    const r = await refusal(() => cnpgClient(cp).create('databases', database(NS, 'budget-db4', 'budget')));
    assert.match(r.apiMessage, /PGT022/);
    await cnpgClient(cp).delete('databases', NS, 'budget-db1');
    await waitForCache(wh, 'databases', 2);
    await cnpgClient(cp).create('databases', database(NS, 'budget-db4', 'budget'));
  });

  test('a Database requesting pg_trickle on a Cluster without it is refused with PGT021', async () => {
    await cnpgClient(cp).create('clusters', plainCluster(NS, 'plain'));
    await waitForCache(wh, 'clusters', 3);
    const r = await refusal(() => cnpgClient(cp).create('databases', database(NS, 'wants-trickle', 'plain')));
    assert.match(r.apiMessage, /PGT021/);
    // The same Database without the extension is none of our business.
    await cnpgClient(cp).create('databases', database(NS, 'no-trickle', 'plain', true));
  });
});

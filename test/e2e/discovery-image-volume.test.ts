// ImageVolume as the API server reports it (Kubernetes 1.34: beta, off by default; 1.36
// locks it on, so the "off" case needs 1.34): injection there is refused with PGT008,
// and a gate switched on by flag is believed over the version table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { startDiscovery } from '../../src/kube/discovery.js';
import {
  cnpgClient, installCnpgCrds, refusal, registerWebhooks, startControlPlane, startWebhook, waitFor,
  type ControlPlane, type Registration, type Webhook,
} from './harness/index.js';
import { database, ensureNamespace, labelledCluster, setOperatorImage, waitForEnvironment } from './discovery-support.js';

describe('Kubernetes 1.34 with ImageVolume at its default (off)', { timeout: 900_000 }, () => {
  let cp: ControlPlane;
  let wh: Webhook;
  let reg: Registration;
  before(async () => {
    cp = await startControlPlane({ k8sVersion: '1.34' });
    await installCnpgCrds(cp, '1.30.0');
    await ensureNamespace(cp, 'cnpg-system');
    await setOperatorImage(cp, 'cnpg-system', 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0');
    wh = await startWebhook(cp);
    reg = await registerWebhooks(cp, wh, { failurePolicy: 'Fail' });
  });
  after(async () => {
    await reg?.remove();
    await wh?.dispose();
    await cp?.stop();
  });

  test('discovers ImageVolume disabled from the API server /metrics', async () => {
    await waitForEnvironment(wh, { kubernetes_version: '1.34', image_volume: 'disabled', cnpg_version: '1.30.0', crd_extensions: 'true' });
    const d = await startDiscovery({ kubeconfig: cp.kubeconfigPath, registry: new Registry(), readyTimeoutMs: 30_000 });
    try {
      await d.whenReady();
      assert.equal(d.environment().imageVolume, false);
      assert.equal(d.details().imageVolumeSource, 'metrics');
    } finally {
      await d.stop();
    }
  });

  test('a labelled Cluster is refused with PGT008', async () => {
    const r = await refusal(() => cnpgClient(cp).create('clusters', labelledCluster('default', 'needs-image-volume')));
    assert.match(r.apiMessage, /PGT008/);
    assert.equal(await cnpgClient(cp).get('clusters', 'default', 'needs-image-volume'), null);
  });

  test('the custom-image path the message suggests is accepted', async () => {
    const custom = labelledCluster('default', 'custom-image');
    (custom.spec as { imageName: string }).imageName = 'ghcr.io/trickle-labs/pg_trickle:18.3-pg_trickle-0.67.0';
    const { object } = await cnpgClient(cp).create('clusters', custom);
    const pg = (object.spec as { postgresql?: { extensions?: unknown[]; shared_preload_libraries?: string[] } }).postgresql;
    assert.equal(pg?.extensions, undefined);
    assert.ok(pg?.shared_preload_libraries?.includes('pg_trickle'));
  });
});

describe('Kubernetes 1.34 with --feature-gates=ImageVolume=true, CNPG installed later', { timeout: 900_000 }, () => {
  let cp: ControlPlane;
  before(async () => {
    cp = await startControlPlane({ k8sVersion: '1.34', featureGates: { ImageVolume: true } });
  });
  after(async () => {
    await cp?.stop();
  });

  test('the gate reported by /metrics wins over the version table (which says off for 1.34)', async () => {
    const d = await startDiscovery({ kubeconfig: cp.kubeconfigPath, registry: new Registry(), readyTimeoutMs: 5_000 });
    try {
      await d.whenReady();
      assert.equal(d.environment().kubernetesVersion, '1.34');
      assert.equal(d.environment().imageVolume, true);
      assert.equal(d.details().imageVolumeSource, 'metrics');
      // No CNPG CRDs yet: ready anyway (bounded wait), the Cluster cache says "unknown".
      assert.equal(d.ready(), true);
      assert.equal(d.environment().crdHasExtensions, undefined);
      assert.equal(d.directory.cluster('default', 'pg'), undefined);

      // CNPG installed afterwards: the retrying watches pick it up without a restart.
      await installCnpgCrds(cp, '1.28.0');
      await cnpgClient(cp).create('databases', database('default', 'late', 'pg'));
      await waitFor('caches synced after the CRDs appeared', async () =>
        d.environment().crdHasExtensions === true && d.directory.databasesOf('default', 'pg').length === 1 && d.directory.cluster('default', 'pg') === null,
      { timeoutMs: 90_000, intervalMs: 200 });
      assert.ok(d.details().extensionFields?.includes('image'));
    } finally {
      await d.stop();
    }
  });
});

// The webhook process is down: what failurePolicy Fail and Ignore mean for users of the
// cluster. Only pg_trickle Clusters depend on the webhook (matchConditions); everything
// else keeps working either way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../src/core/types.js';
import {
  cnpgClient, installCnpgCrds, refusal, registerWebhooks, startControlPlane, startWebhook, waitFor, WEBHOOK_NAMES,
  type CnpgClient, type ControlPlane, type Registration, type Webhook,
} from './harness/index.js';

let cp: ControlPlane | undefined;
let wh: Webhook | undefined;
let reg: Registration | undefined;
let client: CnpgClient;

before(async () => {
  cp = await startControlPlane();
  await installCnpgCrds(cp, '1.30.0');
  wh = await startWebhook(cp, { policy: { environment: { cnpgVersion: '1.30.0' } } });
  reg = await registerWebhooks(cp, wh, { failurePolicy: 'Fail' });
  client = cnpgClient(cp);
  await wh.stop();
});
after(async () => {
  await reg?.remove();
  await wh?.dispose();
  await cp?.stop();
});

function registration(): Registration {
  assert.ok(reg, 'webhooks not registered');
  return reg;
}

function cluster(name: string, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18.1', storage: { size: '1Gi' } },
  };
}
const INJECT = { 'pgtrickle.io/inject': 'true' };
const preloadOf = (obj: KubeObject | null): unknown => (obj?.spec as { postgresql?: { shared_preload_libraries?: unknown } } | undefined)?.postgresql?.shared_preload_libraries;

test('failurePolicy Fail, webhook down: a pg_trickle Cluster is refused with a clear API error', async () => {
  const err = await refusal(() => client.create('clusters', cluster('fail-labelled', INJECT)));
  assert.equal(err.code, 500);
  assert.match(err.apiMessage, new RegExp(`failed calling webhook "${WEBHOOK_NAMES.mutateCluster.replace(/\./g, '\\.')}"`));
  assert.match(err.apiMessage, /connection refused/);
  assert.equal(await client.get('clusters', 'default', 'fail-labelled'), null);
});

test('failurePolicy Fail, webhook down: a Cluster without pg_trickle is stored as usual', async () => {
  await client.create('clusters', cluster('fail-plain'));
  assert.ok(await client.get('clusters', 'default', 'fail-plain'));
});

test('failurePolicy Ignore, webhook down: the pg_trickle Cluster passes, unmutated', async () => {
  await registration().setFailurePolicy('Ignore');
  // The API server picks the change up from its informer: retry within a bound.
  await waitFor('Ignore in effect', async () => {
    await client.create('clusters', cluster('ignore-labelled', INJECT));
    return true;
  }, { timeoutMs: 15_000, intervalMs: 500 });
  const stored = await client.get('clusters', 'default', 'ignore-labelled');
  assert.ok(stored);
  assert.equal(preloadOf(stored), undefined, 'nobody mutated it');
});

test('webhook back up: pg_trickle Clusters are mutated again', async () => {
  assert.ok(wh);
  await wh.restart();
  await client.create('clusters', cluster('restarted-labelled', INJECT));
  assert.deepEqual(preloadOf(await client.get('clusters', 'default', 'restarted-labelled')), ['pg_trickle']);
});

test('mutating configuration deleted, validating still there: a labelled Cluster is refused with PGT023 instead of stored without pg_trickle', async () => {
  assert.ok(cp);
  const res = await cp.request('DELETE', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/pg-trickle-webhook');
  assert.equal(res.status, 200);
  let message = '';
  // Until the API server's informer drops the mutating webhook the create is still mutated (dry-run: nothing stored).
  await waitFor('mutating webhook gone', async () => {
    try {
      await client.create('clusters', cluster('bypassed-labelled', INJECT), { dryRun: true });
      return false;
    } catch (err) {
      message = err instanceof Error ? err.message : String(err);
      return true;
    }
  }, { timeoutMs: 15_000, intervalMs: 300 });
  assert.match(message, /PGT023/);
  assert.equal(await client.get('clusters', 'default', 'bypassed-labelled'), null);
});

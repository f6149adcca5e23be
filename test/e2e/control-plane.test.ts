// The harness itself: the control plane it starts is the version it claims, serves the
// real CNPG CRDs, and leaves nothing behind when stopped.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { cnpgClient, installCnpgCrds, startControlPlane, type ControlPlane } from './harness/index.js';

let cp: ControlPlane | undefined;

before(async () => {
  cp = await startControlPlane();
  await installCnpgCrds(cp, '1.30.0');
});
after(async () => {
  await cp?.stop();
});

function plane(): ControlPlane {
  assert.ok(cp, 'control plane not started');
  return cp;
}

test('the API server reports the version of the binaries it was started from', async () => {
  const res = await plane().get('/version');
  assert.equal(res.status, 200);
  assert.equal((JSON.parse(res.body) as { gitVersion: string }).gitVersion, plane().versions.kubeApiserver);
});

test('a CNPG Cluster is stored and read back through the real 1.30.0 CRD', async () => {
  const client = cnpgClient(plane());
  const { object } = await client.create('clusters', {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'harness-roundtrip', namespace: 'default' },
    spec: { instances: 1, storage: { size: '1Gi' }, notAField: 'pruned by the structural schema' },
  });
  assert.equal(object.metadata?.name, 'harness-roundtrip');
  const stored = await client.get('clusters', 'default', 'harness-roundtrip');
  assert.equal((stored?.spec as { instances?: number }).instances, 1);
  assert.equal((stored?.spec as Record<string, unknown>).notAField, undefined, 'unknown fields are pruned: the schema is structural');
});

test('stop() ends kube-apiserver and etcd and removes the directory', async () => {
  const extra = await startControlPlane();
  const dir = extra.dir;
  assert.ok(existsSync(dir));
  await extra.stop();
  assert.equal(existsSync(dir), false);
  await assert.rejects(extra.get('/readyz'), 'the API server no longer answers');
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kubeConfigSource, loadKubeConfig } from '../../../src/kube/kubeconfig.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

test('an explicit file wins, then KUBECONFIG; no credentials at all is "none", never ~/.kube/config', () => {
  assert.equal(kubeConfigSource('/some/file', { KUBECONFIG: '/other' }), 'file');
  assert.equal(kubeConfigSource(undefined, { KUBECONFIG: '/other' }), 'KUBECONFIG');
  assert.equal(kubeConfigSource(undefined, { HOME: '/root' }), undefined);
});

test('loads a kubeconfig file and names the problem when it cannot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgt-kc-'));
  try {
    const good = join(dir, 'good');
    writeFileSync(good, KUBECONFIG);
    assert.equal(loadKubeConfig(good, {}).getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    const empty = join(dir, 'empty');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
    assert.throws(() => loadKubeConfig(empty, {}), /no current cluster/);
    assert.throws(() => loadKubeConfig(join(dir, 'missing'), {}), /cannot load Kubernetes credentials \(file\)/);
    assert.throws(() => loadKubeConfig(undefined, {}), /not running in a cluster/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

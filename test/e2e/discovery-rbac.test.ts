// The webhook runs with a service-account token bound only to docs/rbac.yaml: every fact
// is discovered. With permissions removed, the errors are counted, those facts stay
// unknown, and the webhook still turns ready.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/shared.js';
import { cnpgClient, installCnpgCrds, startControlPlane, startWebhook, type ControlPlane, type Webhook } from './harness/index.js';
import {
  database, ensureNamespace, environmentInfo, expectStatus, metricValue, serviceAccountKubeconfig, setOperatorImage, waitForCache, waitForEnvironment,
} from './discovery-support.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}
interface ClusterRole {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  rules: Rule[];
}

const DOCUMENTED = parse(readFileSync(join(REPO_ROOT, 'docs', 'rbac.yaml'), 'utf8')) as ClusterRole;
const SA_NS = 'pgt-system';
const OPERATOR_NS = 'cnpg-system';

async function bind(cp: ControlPlane, role: ClusterRole, sa: string): Promise<void> {
  await expectStatus(`ClusterRole ${role.metadata.name}`, cp.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', role), [201]);
  await expectStatus(`ClusterRoleBinding ${sa}`, cp.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: sa },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: SA_NS }],
  }), [201]);
}

describe('discovery with exactly the documented RBAC', { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let dir: string;
  const webhooks: Webhook[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgt-e2e-rbac-'));
    cp = await startControlPlane();
    await installCnpgCrds(cp, '1.30.0');
    await ensureNamespace(cp, SA_NS);
    await ensureNamespace(cp, OPERATOR_NS);
    await setOperatorImage(cp, OPERATOR_NS, 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0');
    for (let i = 0; i < 3; i++) await cnpgClient(cp).create('databases', database('default', `db${i}`, 'pg'));
  });
  after(async () => {
    for (const wh of webhooks) await wh.dispose();
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a service account bound to docs/rbac.yaml discovers every fact with no errors', async () => {
    await bind(cp, DOCUMENTED, 'pgt-webhook');
    const kubeconfig = await serviceAccountKubeconfig(cp, SA_NS, 'pgt-webhook', dir);
    // A later --kubeconfig wins over the harness's admin one.
    const wh = await startWebhook(cp, { args: ['--kubeconfig', kubeconfig] });
    webhooks.push(wh);
    await waitForEnvironment(wh, { kubernetes_version: '1.36', image_volume: 'enabled', cnpg_version: '1.30.0', crd_extensions: 'true' });
    await waitForCache(wh, 'databases', 3);
    assert.equal(await metricValue(wh, 'pgtrickle_webhook_discovery_errors_total'), 0, wh.logTail(2000));
    // It follows changes with those rights too.
    await cnpgClient(cp).create('databases', database('default', 'db3', 'pg'));
    await waitForCache(wh, 'databases', 4);
  });

  test('without the Deployment rule and /metrics: errors counted, CNPG version unknown, ImageVolume from the version table, still ready', async () => {
    const reduced: ClusterRole = {
      ...DOCUMENTED,
      metadata: { name: 'pgt-webhook-reduced' },
      rules: DOCUMENTED.rules
        .filter((r) => !r.resources?.includes('deployments'))
        .map((r) => (r.nonResourceURLs ? { ...r, nonResourceURLs: r.nonResourceURLs.filter((u) => u !== '/metrics') } : r)),
    };
    assert.equal(reduced.rules.length, DOCUMENTED.rules.length - 1);
    await bind(cp, reduced, 'pgt-reduced');
    const kubeconfig = await serviceAccountKubeconfig(cp, SA_NS, 'pgt-reduced', dir);
    // startWebhook waits for /readyz: the bounded start-up wait must let it through.
    const wh = await startWebhook(cp, { args: ['--kubeconfig', kubeconfig], startTimeoutMs: 45_000 });
    webhooks.push(wh);
    await waitForEnvironment(wh, { kubernetes_version: '1.36', crd_extensions: 'true', image_volume: 'enabled' });
    assert.ok((await metricValue(wh, 'pgtrickle_webhook_discovery_errors_total', { kind: 'operator' })) >= 1);
    assert.ok((await metricValue(wh, 'pgtrickle_webhook_discovery_errors_total', { kind: 'metrics' })) >= 1);
    assert.equal(await metricValue(wh, 'pgtrickle_webhook_discovery_errors_total', { kind: 'databases' }), 0);
    assert.equal((await environmentInfo(wh))?.cnpg_version, 'unknown');
    await waitForCache(wh, 'databases', 4);
  });
});

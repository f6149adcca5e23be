// The chart's rendered manifests, in every certificate mode and with every optional piece,
// are accepted by a real API server (server-side apply, dry run) that has the cert-manager,
// prometheus-operator and CNPG CRDs installed — and the Deployment passes PodSecurity
// "restricted" without a warning.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { K8S_CRDS_DIR } from '../support/shared.js';
import { CHART_DIR, FULLNAME, NAMESPACE, RELEASE, helm, render, type Manifest } from '../unit/chart/helm.js';
import { installCnpgCrds, installCrds, startControlPlane, type ControlPlane } from './harness/index.js';
import { applyManifest } from './helm-support.js';

let cp: ControlPlane | undefined;

const PEM_CA = '-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n';
const OPTIONAL = { networkPolicy: { enabled: true }, serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, cnpgMonitoring: { enabled: true } };
const CASES: Record<string, object> = {
  'selfManaged (defaults)': {},
  'certManager with every optional piece': { certificates: { mode: 'certManager' }, cnpgNamespace: 'cnpg-system', ...OPTIONAL },
  'provided, always-inject namespaces': {
    certificates: { mode: 'provided', provided: { secretName: 'webhook-tls', caBundle: PEM_CA } },
    injection: { alwaysNamespaceSelector: { matchLabels: { 'pgtrickle.io/inject-all': 'true' } } },
  },
  'policy injection.mode always (no matchConditions)': { policy: { injection: { mode: 'always' } } },
};

before(async () => {
  cp = await startControlPlane();
  await installCnpgCrds(cp, '1.30.0');
  const crdFiles = ['cert-manager', 'prometheus-operator'].flatMap((d) =>
    readdirSync(join(K8S_CRDS_DIR, d)).filter((f) => f.endsWith('.yaml')).map((f) => join(K8S_CRDS_DIR, d, f)),
  );
  await installCrds(cp, crdFiles);
  // PodSecurity "restricted" in warn mode: a non-compliant pod template comes back as a Warning header.
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } } };
  const res = await cp.request('POST', '/api/v1/namespaces', ns);
  assert.equal(res.status, 201, res.body);
  // cnpgNamespace (one case below): the chart's Role for reading the operator Deployment lives there.
  const cnpg = await cp.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cnpg-system' } });
  assert.equal(cnpg.status, 201, cnpg.body);
});
after(async () => {
  await cp?.stop();
});

const dryRunApply = (m: Manifest) => applyManifest(cp!, m, { dryRun: true, namespace: NAMESPACE });

for (const [name, values] of Object.entries(CASES)) {
  test(`chart (${name}): every manifest is accepted by the API server`, async () => {
    const manifests = render(values);
    assert.ok(manifests.length >= 9, `rendered ${manifests.length} manifests`);
    for (const m of manifests) {
      const res = await dryRunApply(m);
      assert.ok(res.status === 200 || res.status === 201, `${m.kind}/${m.metadata.name}: HTTP ${res.status} ${res.body.slice(0, 600)}`);
      if (m.kind === 'Deployment') assert.equal(res.warning, undefined, `PodSecurity restricted warning: ${res.warning}`);
      else assert.ok(!res.warning?.includes('PodSecurity'), `${m.kind}: ${res.warning}`);
    }
  });
}

test('a broken CEL expression would have been refused: the dry run checks them (control)', async () => {
  const broken = render({}).find((m) => m.kind === 'ValidatingWebhookConfiguration')!;
  const hooks = (broken as unknown as { webhooks: { matchConditions?: { name: string; expression: string }[] }[] }).webhooks;
  hooks[0]!.matchConditions = [{ name: 'broken', expression: 'object.metadata.labels[' }];
  const res = await dryRunApply({ ...broken, metadata: { ...broken.metadata, name: `${RELEASE}-broken` } });
  assert.equal(res.status, 422, res.body.slice(0, 300));
  assert.match(res.body, /matchConditions/);
});

test('a pod template outside "restricted" would have been reported (control)', async () => {
  const loose = render({ securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } });
  const res = await dryRunApply(loose.find((m) => m.kind === 'Deployment')!);
  assert.ok(res.status === 200 || res.status === 201, res.body.slice(0, 300));
  assert.match(res.warning ?? '', /would violate PodSecurity \\"restricted.*allowPrivilegeEscalation/);
});

test('helm install prints how to opt in; helm upgrade keeps the caBundle the webhook wrote', async () => {
  const helmRun = (...args: string[]): string =>
    execFileSync(helm(), [...args, '--kubeconfig', cp!.kubeconfigPath, '--namespace', NAMESPACE], { encoding: 'utf8', timeout: 120_000 });
  const installed = helmRun('install', RELEASE, CHART_DIR);
  assert.match(installed, /STATUS: deployed/);
  assert.match(installed, /pgtrickle\.io\/inject: "true"/);
  try {
    // What the self-managed webhook does at start-up: write its CA into both configurations.
    const ca = Buffer.from(PEM_CA).toString('base64');
    for (const kind of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
      const path = `/apis/admissionregistration.k8s.io/v1/${kind}/${FULLNAME}`;
      const n = (JSON.parse((await cp!.get(path)).body) as { webhooks: unknown[] }).webhooks.length;
      const patch = Array.from({ length: n }, (_v, i) => ({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: ca }));
      assert.equal((await cp!.request('PATCH', path, patch, 'application/json-patch+json')).status, 200);
    }
    assert.match(helmRun('upgrade', RELEASE, CHART_DIR, '--set', 'webhooks.timeoutSeconds=7'), /STATUS: deployed/);
    for (const kind of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
      const config = JSON.parse((await cp!.get(`/apis/admissionregistration.k8s.io/v1/${kind}/${FULLNAME}`)).body) as {
        webhooks: { timeoutSeconds: number; clientConfig: { caBundle?: string } }[];
      };
      for (const w of config.webhooks) {
        assert.equal(w.timeoutSeconds, 7, 'the upgrade was applied');
        assert.equal(w.clientConfig.caBundle, ca, `${kind}: caBundle survived helm upgrade`);
      }
    }
  } finally {
    helmRun('uninstall', RELEASE);
  }
});

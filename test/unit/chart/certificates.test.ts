import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Deployment, V1MutatingWebhookConfiguration, V1PolicyRule, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { FULLNAME, NAMESPACE, find, kinds, lint, render, renderText, type Manifest } from './helm.js';

const deployment = (m: Manifest[]): V1Deployment => find(m, 'Deployment') as unknown as V1Deployment;
const args = (m: Manifest[]): string[] => deployment(m).spec!.template.spec!.containers[0]!.args!;
const arg = (m: Manifest[], flag: string): string | undefined => args(m).find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
const tlsVolume = (m: Manifest[]) => {
  const spec = deployment(m).spec!.template.spec!;
  const certDir = arg(m, '--tls-cert')!.replace(/\/[^/]+$/, '');
  const mount = spec.containers[0]!.volumeMounts!.find((v) => v.mountPath === certDir)!;
  return spec.volumes!.find((v) => v.name === mount.name)!;
};
const webhooks = (m: Manifest[]) => [
  ...(find(m, 'MutatingWebhookConfiguration') as unknown as V1MutatingWebhookConfiguration).webhooks!,
  ...(find(m, 'ValidatingWebhookConfiguration') as unknown as V1ValidatingWebhookConfiguration).webhooks!,
];
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('chart: certificate modes', () => {
  it('lints clean (--strict) in every mode', () => {
    for (const values of [{}, { certificates: { mode: 'certManager' } }, { certificates: { mode: 'provided', provided: { secretName: 's', caBundle: PEM } } }]) {
      const r = lint(values);
      assert.ok(r.ok, r.output);
    }
  });

  describe('selfManaged (default)', () => {
    const m = render();

    it('never templates a caBundle, so helm upgrade cannot reset what the webhook wrote', () => {
      for (const w of webhooks(m)) assert.equal(w.clientConfig.caBundle, undefined);
      assert.doesNotMatch(renderText(), /caBundle/, 'no caBundle key anywhere in the rendered manifests');
    });

    it('starts the webhook with the self-managed flags naming its Secret, configurations and Service', () => {
      assert.ok(args(m).includes('--self-managed-certs'));
      assert.equal(arg(m, '--cert-secret'), `${FULLNAME}-tls`);
      assert.equal(arg(m, '--cert-namespace'), NAMESPACE);
      assert.equal(arg(m, '--webhook-config-name'), find(m, 'MutatingWebhookConfiguration').metadata.name);
      assert.equal(arg(m, '--webhook-config-name'), find(m, 'ValidatingWebhookConfiguration').metadata.name);
      assert.equal(arg(m, '--service-name'), find(m, 'Service').metadata.name);
      assert.ok(tlsVolume(m).emptyDir, 'serving pair written to a writable emptyDir (root filesystem is read-only)');
      assert.ok(!kinds(m).includes('Secret'), 'the chart does not own the Secret the webhook creates');
    });

    it('passes lifetimes and the renewal point through', () => {
      const r = render({ certificates: { selfManaged: { caLifetimeHours: 100, servingLifetimeHours: 10, renewAt: 0.5, secretName: 'mine' } } });
      assert.equal(arg(r, '--ca-lifetime-hours'), '100');
      assert.equal(arg(r, '--serving-lifetime-hours'), '10');
      assert.equal(arg(r, '--renew-at'), '0.5');
      assert.equal(arg(r, '--cert-secret'), 'mine');
    });

    it('refuses at render time a serving lifetime longer than the CA lifetime (the webhook would crash-loop on it)', () => {
      assert.throws(
        () => render({ certificates: { selfManaged: { caLifetimeHours: 100, servingLifetimeHours: 200 } } }),
        /servingLifetimeHours \(200\) must not exceed caLifetimeHours \(100\)/,
      );
      assert.equal(arg(render({ certificates: { selfManaged: { caLifetimeHours: 100, servingLifetimeHours: 100 } } }), '--serving-lifetime-hours'), '100');
      // Other modes do not use these values.
      assert.doesNotThrow(() => render({ certificates: { mode: 'certManager', selfManaged: { caLifetimeHours: 100, servingLifetimeHours: 200 } } }));
    });

    it('grants Secret access in its namespace only, and caBundle writes to its two configurations only', () => {
      const role = find(m, 'Role', `${FULLNAME}-certs`);
      assert.equal(role.metadata.namespace, NAMESPACE);
      assert.deepEqual(role.rules as V1PolicyRule[], [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [`${FULLNAME}-tls`], verbs: ['get', 'update'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      ]);
      assert.deepEqual(find(m, 'ClusterRole', `${FULLNAME}-webhook-ca`).rules as V1PolicyRule[], [
        {
          apiGroups: ['admissionregistration.k8s.io'],
          resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
          resourceNames: [FULLNAME],
          verbs: ['get', 'update'],
        },
      ]);
      const binding = find(m, 'RoleBinding', `${FULLNAME}-certs`) as Manifest & { roleRef: { name: string }; subjects: { name: string }[] };
      assert.equal(binding.roleRef.name, role.metadata.name);
      assert.equal(binding.subjects[0]!.name, find(m, 'ServiceAccount').metadata.name);
    });
  });

  describe('certManager', () => {
    const m = render({ certificates: { mode: 'certManager' } });

    it('builds the self-signed → CA → serving chain and injects the CA through cert-manager', () => {
      const selfSigned = find(m, 'Issuer', `${FULLNAME}-selfsigned`) as Manifest & { spec: { selfSigned?: object } };
      assert.deepEqual(selfSigned.spec.selfSigned, {});
      const ca = find(m, 'Certificate', `${FULLNAME}-ca`) as Manifest & { spec: { isCA: boolean; secretName: string; issuerRef: { name: string } } };
      assert.equal(ca.spec.isCA, true);
      assert.equal(ca.spec.issuerRef.name, selfSigned.metadata.name);
      const caIssuer = find(m, 'Issuer', `${FULLNAME}-ca`) as Manifest & { spec: { ca: { secretName: string } } };
      assert.equal(caIssuer.spec.ca.secretName, ca.spec.secretName);
      const serving = find(m, 'Certificate', `${FULLNAME}-serving`) as Manifest & { spec: { secretName: string; dnsNames: string[]; issuerRef: { name: string } } };
      assert.equal(serving.spec.issuerRef.name, caIssuer.metadata.name);
      assert.ok(serving.spec.dnsNames.includes(`${FULLNAME}.${NAMESPACE}.svc`));
      for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
        assert.equal(find(m, kind).metadata.annotations?.['cert-manager.io/inject-ca-from'], `${NAMESPACE}/${serving.metadata.name}`);
      }
      for (const w of webhooks(m)) assert.equal(w.clientConfig.caBundle, undefined);
      assert.equal(tlsVolume(m).secret?.secretName, serving.spec.secretName);
      assert.ok(!args(m).includes('--self-managed-certs'));
      assert.ok(!kinds(m).includes('Role'), 'no Secret write access needed');
    });

    it('uses an existing issuer instead of its own chain when given one', () => {
      const r = render({ certificates: { mode: 'certManager', certManager: { issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer' } } } });
      assert.ok(!kinds(r).includes('Issuer'));
      const serving = find(r, 'Certificate') as Manifest & { spec: { issuerRef: { name: string; kind: string } } };
      assert.deepEqual(serving.spec.issuerRef, { name: 'corp-ca', kind: 'ClusterIssuer' });
    });
  });

  describe('certManager issuerRef', () => {
    it('accepts an external issuer (its own kind and group) and refuses one without a name', () => {
      const ref = { name: 'corp-pca', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' };
      const serving = find(render({ certificates: { mode: 'certManager', certManager: { issuerRef: ref } } }), 'Certificate') as Manifest & { spec: { issuerRef: object } };
      assert.deepEqual(serving.spec.issuerRef, ref);
      assert.throws(() => render({ certificates: { mode: 'certManager', certManager: { issuerRef: { kind: 'ClusterIssuer' } } } }), /issuerRef/);
    });
  });

  describe('provided', () => {
    it('mounts the user’s Secret and templates their CA bundle on every webhook', () => {
      const m = render({ certificates: { mode: 'provided', provided: { secretName: 'my-tls', caBundle: PEM } } });
      for (const w of webhooks(m)) assert.equal(Buffer.from(w.clientConfig.caBundle!, 'base64').toString(), PEM);
      assert.equal(tlsVolume(m).secret?.secretName, 'my-tls');
      assert.ok(!kinds(m).includes('Certificate') && !kinds(m).includes('Role'));
    });

    it('refuses to render without the Secret name or the CA bundle', () => {
      assert.throws(() => render({ certificates: { mode: 'provided', provided: { caBundle: PEM } } }), /provided\/secretName/);
      assert.throws(() => render({ certificates: { mode: 'provided', provided: { secretName: 'x' } } }), /provided\/caBundle/);
    });
  });
});

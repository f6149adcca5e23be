import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1MutatingWebhook, V1ValidatingWebhook } from '@kubernetes/client-node';
import { clusterMatchConditions } from '../../e2e/harness/match-conditions.js';
import { FULLNAME, NAMESPACE, find, render, type Manifest } from './helm.js';

type Hook = V1MutatingWebhook | V1ValidatingWebhook;
const hooks = (m: Manifest[], kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration'): Hook[] =>
  (find(m, kind, FULLNAME) as unknown as { webhooks: Hook[] }).webhooks;
const all = (m: Manifest[]): Hook[] => [...hooks(m, 'MutatingWebhookConfiguration'), ...hooks(m, 'ValidatingWebhookConfiguration')];
const byName = (m: Manifest[], name: string): Hook => {
  const h = all(m).find((w) => w.name === name);
  if (!h) throw new Error(`no webhook ${name}`);
  return h;
};

describe('chart: webhook configurations', () => {
  const manifests = render();

  it('mutates Clusters and validates Clusters and Databases of postgresql.cnpg.io/v1 on CREATE and UPDATE', () => {
    assert.deepEqual(hooks(manifests, 'MutatingWebhookConfiguration').map((w) => [w.name, w.clientConfig.service?.path, w.rules![0]!.resources]), [
      ['cluster.mutate.pgtrickle.io', '/mutate', ['clusters']],
    ]);
    assert.deepEqual(hooks(manifests, 'ValidatingWebhookConfiguration').map((w) => [w.name, w.clientConfig.service?.path, w.rules![0]!.resources]), [
      ['cluster.validate.pgtrickle.io', '/validate', ['clusters']],
      ['database.validate.pgtrickle.io', '/validate', ['databases']],
    ]);
    for (const w of all(manifests)) {
      assert.deepEqual(w.rules![0]!.apiGroups, ['postgresql.cnpg.io']);
      assert.deepEqual(w.rules![0]!.apiVersions, ['v1']);
      assert.deepEqual(w.rules![0]!.operations, ['CREATE', 'UPDATE']);
      assert.equal(w.sideEffects, 'None');
      assert.deepEqual(w.admissionReviewVersions, ['v1']);
      assert.equal(w.timeoutSeconds, 5);
      assert.equal(w.matchPolicy, 'Equivalent');
      assert.equal(w.clientConfig.service?.name, FULLNAME);
      assert.equal(w.clientConfig.service?.namespace, NAMESPACE);
      assert.equal(w.clientConfig.service?.port, 443);
    }
    assert.equal((byName(manifests, 'cluster.mutate.pgtrickle.io') as V1MutatingWebhook).reinvocationPolicy, 'IfNeeded');
  });

  it('fails open on mutation and closed on validation by default, each configurable', () => {
    assert.equal(byName(manifests, 'cluster.mutate.pgtrickle.io').failurePolicy, 'Ignore');
    assert.equal(byName(manifests, 'cluster.validate.pgtrickle.io').failurePolicy, 'Fail');
    const flipped = render({ webhooks: { mutating: { failurePolicy: 'Fail' }, validating: { failurePolicy: 'Ignore' }, timeoutSeconds: 10 } });
    assert.equal(byName(flipped, 'cluster.mutate.pgtrickle.io').failurePolicy, 'Fail');
    assert.equal(byName(flipped, 'database.validate.pgtrickle.io').failurePolicy, 'Ignore');
    const databasesIgnored = render({ webhooks: { validating: { failurePolicy: 'Fail', databaseFailurePolicy: 'Ignore' } } });
    assert.equal(byName(databasesIgnored, 'database.validate.pgtrickle.io').failurePolicy, 'Ignore');
    assert.equal(byName(databasesIgnored, 'cluster.validate.pgtrickle.io').failurePolicy, 'Fail');
    assert.equal(byName(flipped, 'database.validate.pgtrickle.io').timeoutSeconds, 10);
  });

  it('never sends kube-system, its own namespace or opted-out namespaces, plus the user’s exclusions', () => {
    const extra = { key: 'team', operator: 'NotIn', values: ['legacy'] };
    const rendered = render({ webhooks: { namespaceSelector: { matchExpressions: [extra], matchLabels: { env: 'prod' } } } });
    for (const w of all(manifests)) {
      assert.deepEqual(w.namespaceSelector!.matchExpressions, [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', NAMESPACE] },
        { key: 'pgtrickle.io/webhook', operator: 'NotIn', values: ['disabled'] },
      ]);
    }
    for (const w of all(rendered)) {
      assert.deepEqual(w.namespaceSelector!.matchExpressions!.slice(2), [extra]);
      assert.deepEqual(w.namespaceSelector!.matchLabels, { env: 'prod' });
    }
  });

  it('filters Clusters with exactly the e2e tier’s CEL matchConditions; Databases are never filtered', () => {
    assert.deepEqual(byName(manifests, 'cluster.mutate.pgtrickle.io').matchConditions, clusterMatchConditions('label'));
    assert.deepEqual(byName(manifests, 'cluster.validate.pgtrickle.io').matchConditions, clusterMatchConditions('label'));
    assert.equal(byName(manifests, 'database.validate.pgtrickle.io').matchConditions, undefined);
  });

  it('drops the Cluster matchConditions when the policy injects into every Cluster', () => {
    const always = render({ policy: { injection: { mode: 'always' } } });
    assert.deepEqual(clusterMatchConditions('always'), []);
    for (const w of all(always)) assert.equal(w.matchConditions, undefined, w.name);
  });

  it('adds unfiltered /mutate/always and /validate/always Cluster webhooks for the namespaces selected for injection', () => {
    const selector = { matchLabels: { 'pgtrickle.io/inject-all': 'true' } };
    const rendered = render({ injection: { alwaysNamespaceSelector: selector } });
    const m = byName(rendered, 'cluster-always.mutate.pgtrickle.io') as V1MutatingWebhook;
    const v = byName(rendered, 'cluster-always.validate.pgtrickle.io');
    assert.equal(m.clientConfig.service?.path, '/mutate/always');
    assert.equal(v.clientConfig.service?.path, '/validate/always');
    for (const w of [m, v]) {
      // Only labelled Clusters are left out: the main entries judge them (no duplicate warnings).
      assert.deepEqual(w.matchConditions!.map((c) => c.name), ['not-labelled-for-injection']);
      assert.match(w.matchConditions![0]!.expression, /^!\(.*'pgtrickle\.io\/inject'.*'true'/);
      assert.deepEqual(w.namespaceSelector!.matchLabels, selector.matchLabels);
      assert.equal(w.namespaceSelector!.matchExpressions!.length, 2, 'built-in exclusions kept');
    }
    assert.equal(m.reinvocationPolicy, 'IfNeeded');
    assert.equal(all(manifests).length, 3, 'no extra entries unless asked');
  });

  it('adds no /always entries when the policy already injects into every Cluster (each Cluster would be judged twice)', () => {
    const rendered = render({ policy: { injection: { mode: 'always' } }, injection: { alwaysNamespaceSelector: { matchLabels: { 'pgtrickle.io/inject-all': 'true' } } } });
    assert.deepEqual(all(rendered).map((w) => w.name), ['cluster.mutate.pgtrickle.io', 'cluster.validate.pgtrickle.io', 'database.validate.pgtrickle.io']);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/shared.js';
import { FULLNAME, NAMESPACE, find, render, type Manifest } from './helm.js';

describe('chart: RBAC', () => {
  it('grants discovery exactly the rules docs/rbac.yaml documents', () => {
    const documented = parse(readFileSync(join(REPO_ROOT, 'docs', 'rbac.yaml'), 'utf8')) as { rules: unknown[] };
    for (const mode of ['selfManaged', 'certManager']) {
      const role = find(render({ certificates: { mode } }), 'ClusterRole', FULLNAME);
      assert.deepEqual(role.rules, documented.rules, mode);
    }
  });

  it('with cnpgNamespace, reads Deployments in that namespace only (a Role there), nothing cluster-wide', () => {
    const documented = parse(readFileSync(join(REPO_ROOT, 'docs', 'rbac.yaml'), 'utf8')) as { rules: { apiGroups?: string[] }[] };
    const m = render({ cnpgNamespace: 'cnpg-system' });
    const isApps = (r: { apiGroups?: string[] }): boolean => r.apiGroups?.includes('apps') ?? false;
    assert.deepEqual(find(m, 'ClusterRole', FULLNAME).rules, documented.rules.filter((r) => !isApps(r)));
    const role = find(m, 'Role', `${FULLNAME}-cnpg-operator`);
    assert.equal(role.metadata.namespace, 'cnpg-system');
    assert.deepEqual(role.rules, documented.rules.filter(isApps));
    const binding = find(m, 'RoleBinding', `${FULLNAME}-cnpg-operator`) as Manifest & { roleRef: { kind: string; name: string }; subjects: unknown[] };
    assert.equal(binding.metadata.namespace, 'cnpg-system');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: find(m, 'ServiceAccount').metadata.name, namespace: NAMESPACE }]);
  });

  it('binds every role to the webhook’s ServiceAccount in the release namespace', () => {
    const m = render();
    const sa = find(m, 'ServiceAccount');
    const bindings = m.filter((x) => x.kind === 'ClusterRoleBinding' || x.kind === 'RoleBinding') as (Manifest & { subjects: { kind: string; name: string; namespace: string }[] })[];
    assert.equal(bindings.length, 3);
    for (const b of bindings) assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: NAMESPACE }]);
    const deploy = find(m, 'Deployment') as Manifest & { spec: { template: { spec: { serviceAccountName: string } } } };
    assert.equal(deploy.spec.template.spec.serviceAccountName, sa.metadata.name);
  });
});

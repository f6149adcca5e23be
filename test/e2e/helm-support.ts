// Applying the chart's rendered manifests to the e2e API server (server-side apply).
import assert from 'node:assert/strict';
import type { Manifest } from '../unit/chart/helm.js';
import type { ControlPlane, RawResponse } from './harness/index.js';

const RESOURCES: Record<string, { api: string; plural: string; namespaced: boolean }> = {
  ServiceAccount: { api: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  ConfigMap: { api: '/api/v1', plural: 'configmaps', namespaced: true },
  Service: { api: '/api/v1', plural: 'services', namespaced: true },
  Deployment: { api: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  PodDisruptionBudget: { api: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  ClusterRole: { api: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { api: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Role: { api: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { api: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  MutatingWebhookConfiguration: { api: '/apis/admissionregistration.k8s.io/v1', plural: 'mutatingwebhookconfigurations', namespaced: false },
  ValidatingWebhookConfiguration: { api: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingwebhookconfigurations', namespaced: false },
  NetworkPolicy: { api: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  ServiceMonitor: { api: '/apis/monitoring.coreos.com/v1', plural: 'servicemonitors', namespaced: true },
  PrometheusRule: { api: '/apis/monitoring.coreos.com/v1', plural: 'prometheusrules', namespaced: true },
  Issuer: { api: '/apis/cert-manager.io/v1', plural: 'issuers', namespaced: true },
  Certificate: { api: '/apis/cert-manager.io/v1', plural: 'certificates', namespaced: true },
};

export interface Applied extends RawResponse {
  /** The Warning header(s), joined. */
  warning: string | undefined;
}

/** Server-side apply of one manifest (`dryRun` = validate and admit, store nothing). */
export async function applyManifest(cp: ControlPlane, m: Manifest, opts: { dryRun: boolean; namespace: string }): Promise<Applied> {
  const r = RESOURCES[m.kind];
  assert.ok(r, `no API path known for kind ${m.kind}`);
  const ns = r.namespaced ? `/namespaces/${m.metadata.namespace ?? opts.namespace}` : '';
  const query = `fieldManager=helm&force=true${opts.dryRun ? '&dryRun=All' : ''}`;
  const res = await cp.request('PATCH', `${r.api}${ns}/${r.plural}/${m.metadata.name}?${query}`, m, 'application/apply-patch+yaml');
  const w = res.headers.warning;
  return { ...res, warning: Array.isArray(w) ? w.join('; ') : w };
}

// Request bodies for the benchmark: every Cluster of the real CNPG sample manifests,
// labelled for pg_trickle injection, wrapped in an admission.k8s.io/v1 AdmissionReview.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../src/core/types.js';

export function sampleClusters(dir: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const docs = parseAllDocuments(readFileSync(join(dir, name), 'utf8'));
    if (!Array.isArray(docs)) continue;
    for (const d of docs) {
      if (d.errors.length > 0) continue;
      const o: unknown = d.toJS();
      if (o && typeof o === 'object' && (o as KubeObject).kind === 'Cluster') out.push(o as KubeObject);
    }
  }
  return out;
}

export function admissionBody(cluster: KubeObject, i: number): string {
  const object: KubeObject = structuredClone(cluster);
  object.metadata = { ...object.metadata, namespace: object.metadata?.namespace ?? 'bench' };
  object.metadata.labels = { ...object.metadata.labels, 'pgtrickle.io/inject': 'true' };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: { group: 'postgresql.cnpg.io', version: 'v1', kind: 'Cluster' },
      resource: { group: 'postgresql.cnpg.io', version: 'v1', resource: 'clusters' },
      requestKind: { group: 'postgresql.cnpg.io', version: 'v1', kind: 'Cluster' },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  });
}

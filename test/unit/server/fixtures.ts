// Builders for AdmissionReviews and engine contexts used by the server tests.
import { randomUUID } from 'node:crypto';
import { StaticDirectory } from '../../../src/core/directory.js';
import { defaultPolicy, type Policy } from '../../../src/core/policy/schema.js';
import type { EngineContext, KubeObject } from '../../../src/core/types.js';
import { createLogger } from '../../../src/server/logger.js';

/** A labelled PostgreSQL 18 Cluster: the mutating webhook wires pg_trickle into it. */
export function labelledCluster(overrides: { imageName?: string; parameters?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'orders', namespace: 'shop', labels: { 'pgtrickle.io/inject': 'true' } },
    spec: {
      instances: 1,
      imageName: overrides.imageName ?? 'ghcr.io/cloudnative-pg/postgresql:18',
      storage: { size: '1Gi' },
      ...(overrides.parameters ? { postgresql: { parameters: overrides.parameters } } : {}),
    },
  };
}

export function review(
  object: KubeObject | null,
  opts: { uid?: string; operation?: string; kind?: string; oldObject?: KubeObject; dryRun?: boolean; apiVersion?: string } = {},
): Record<string, unknown> {
  const kind = opts.kind ?? (typeof object?.kind === 'string' ? object.kind : 'Cluster');
  return {
    apiVersion: opts.apiVersion ?? 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: opts.uid ?? randomUUID(),
      kind: { group: 'postgresql.cnpg.io', version: 'v1', kind },
      resource: { group: 'postgresql.cnpg.io', version: 'v1', resource: `${kind.toLowerCase()}s` },
      name: object?.metadata?.name,
      namespace: object?.metadata?.namespace ?? 'default',
      operation: opts.operation ?? 'CREATE',
      userInfo: { username: 'test' },
      object,
      oldObject: opts.oldObject ?? null,
      dryRun: opts.dryRun ?? false,
    },
  };
}

/** A platform that supports ImageVolume extensions (Kubernetes 1.35, CNPG 1.30). */
export function supportedContext(policy: Policy = defaultPolicy()): EngineContext {
  return {
    policy,
    environment: { kubernetesVersion: '1.35', imageVolume: true, cnpgVersion: '1.30.0', crdHasExtensions: true },
    directory: new StaticDirectory([]),
  };
}

export const silentLogger = createLogger({ level: 'silent' });

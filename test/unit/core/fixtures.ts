// Builders for engine tests: a pg_trickle-ready Cluster, contexts with a known environment, requests.
import { StaticDirectory } from '../../../src/core/directory.js';
import { policySchema, type PolicyInput } from '../../../src/core/policy/schema.js';
import type { EngineContext, Environment, Finding, KubeObject, Operation, ReviewRequest, RuleId } from '../../../src/core/types.js';

export const EXT_IMAGE = 'ghcr.io/trickle-labs/pg_trickle-ext:0.67.0';

/** Kubernetes 1.35 with ImageVolume on, CNPG 1.30.0: nothing about the platform is in doubt. */
export const GOOD_ENV: Environment = { kubernetesVersion: '1.35', imageVolume: true, cnpgVersion: '1.30.0', crdHasExtensions: true };

export interface ContextOptions {
  policy?: PolicyInput;
  environment?: Partial<Environment>;
  /** Databases/Clusters the directory knows. */
  objects?: KubeObject[];
  clustersKnown?: boolean;
}

export function context(opts: ContextOptions = {}): EngineContext {
  return {
    policy: policySchema.parse(opts.policy ?? {}),
    environment: { ...GOOD_ENV, ...opts.environment },
    directory: new StaticDirectory(opts.objects ?? [], opts.clustersKnown ?? false),
  };
}

/** A complete, valid pg_trickle Cluster: PG 18, preload, extension entry, enough workers. */
export function readyCluster(name = 'pg'): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'db' },
    spec: {
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie',
      postgresql: {
        shared_preload_libraries: ['pg_trickle'],
        extensions: [{ name: 'pg-trickle', image: { reference: EXT_IMAGE } }],
        parameters: { max_worker_processes: '32' },
      },
      storage: { size: '1Gi' },
    },
  };
}

/** A Cluster with no trace of pg_trickle. */
export function plainCluster(name = 'plain'): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'db' },
    spec: { instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18', storage: { size: '1Gi' } },
  };
}

export function database(name: string, cluster: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Database',
    metadata: { name, namespace: 'db' },
    spec: { name, owner: 'app', cluster: { name: cluster }, ...extra },
  };
}

export function request(object: KubeObject, operation: Operation = 'CREATE', oldObject?: KubeObject): ReviewRequest {
  return { operation, kind: String(object.kind), namespace: 'db', object, oldObject };
}

/** A mutable view of a Cluster's spec.postgresql for building cases. */
export function pg(object: KubeObject): Record<string, unknown> {
  return (object.spec as { postgresql: Record<string, unknown> }).postgresql;
}

export function params(object: KubeObject): Record<string, unknown> {
  return pg(object)['parameters'] as Record<string, unknown>;
}

export function ofRule(findings: readonly Finding[], rule: RuleId): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

// Shapes shared by the pure policy core and its adapters. Nothing here does I/O.
import type { Operation as JsonPatchOperation } from 'fast-json-patch';
import type { Policy } from './policy/schema.js';

export type JsonPatch = JsonPatchOperation[];

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** Any Kubernetes object as received; fields are untrusted and may have any type. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  [key: string]: unknown;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export const RULE_IDS = [
  'PGT001', 'PGT002', 'PGT003', 'PGT004', 'PGT005', 'PGT006', 'PGT007', 'PGT008',
  'PGT009', 'PGT010', 'PGT011', 'PGT012', 'PGT013', 'PGT014', 'PGT015', 'PGT016',
  'PGT017', 'PGT018', 'PGT019', 'PGT020', 'PGT021', 'PGT022', 'PGT023',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const MUTATION_IDS = ['M01', 'M02', 'M03', 'M04', 'M05', 'M06'] as const;
export type MutationId = (typeof MUTATION_IDS)[number];

export type Severity = 'deny' | 'warn' | 'off';

/** One problem found by a rule; `path` is a JSON-ish field path, e.g. `spec.postgresql.parameters.max_worker_processes`. */
export interface Finding {
  rule: RuleId;
  severity: 'deny' | 'warn';
  path: string;
  message: string;
}

/**
 * What is known about the cluster the webhook guards. `undefined` means unknown
 * (not pinned by policy/flags and not discovered yet); the engine then applies
 * `policy.environment.onUnknown`.
 */
export interface Environment {
  /** "major.minor", e.g. "1.35". */
  kubernetesVersion: string | undefined;
  imageVolume: boolean | undefined;
  /** Full semver of the CNPG operator, e.g. "1.30.0". */
  cnpgVersion: string | undefined;
  /** Whether the installed Cluster CRD has `spec.postgresql.extensions`. */
  crdHasExtensions: boolean | undefined;
}

/**
 * Read-only view of the Databases and Clusters the engine may consult. The CLI builds
 * one from its input files (core/directory.ts); the server's is fed by a watch cache
 * (kube/). Lookups must be O(1)-ish: they run on the admission path.
 */
export interface ClusterDirectory {
  /** Database objects in `namespace` whose `spec.cluster.name` is `cluster` (any `ensure`). */
  databasesOf(namespace: string, cluster: string): readonly KubeObject[];
  /** The stored Cluster; `null` when known not to exist; `undefined` when unknown (no cache). */
  cluster(namespace: string, name: string): KubeObject | null | undefined;
}

/** One object to judge, as the adapters extract it from an AdmissionReview or a file. */
export interface ReviewRequest {
  operation: Operation;
  /** `Cluster`, `Database` or anything else (anything else is allowed untouched). */
  kind: string;
  /** Namespace of the request (falls back to object.metadata.namespace, then "default"). */
  namespace: string;
  object: KubeObject;
  oldObject?: KubeObject | undefined;
  dryRun?: boolean | undefined;
}

export interface EngineContext {
  policy: Policy;
  environment: Environment;
  directory: ClusterDirectory;
}

export interface MutateOutcome {
  /** Mutations applied, in id order; empty when nothing changed. */
  mutations: MutationId[];
  /** RFC 6902 patch from the request object to `object`; empty when nothing changed. */
  patch: JsonPatch;
  /** The mutated deep copy (the request object itself is never modified). */
  object: KubeObject;
}

export interface ValidateOutcome {
  /** False when any finding has severity deny. */
  allowed: boolean;
  /** Findings with severity after policy overrides; `off` findings are dropped. */
  findings: Finding[];
}

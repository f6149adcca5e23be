// PGT015, PGT016, PGT018, PGT019, PGT020: pg_trickle settings that leave the scheduler idle, lossy or exposed.
import { parsePgBool } from '../catalog/guc-check.js';
import { PRELOAD_LIST_PATH } from '../cluster/names.js';
import type { Finding } from '../types.js';
import { parameterPath as path } from '../cluster/read.js';
import { parseCount, recordAt, stringAt } from '../util/json.js';
import { finding, type ClusterRule } from './review.js';


export const checkSchedulerEnabled: ClusterRule = ({ view }): Finding[] => {
  const v = view.parameters.get('pg_trickle.enabled');
  if (v === undefined || parsePgBool(v) !== false) return [];
  return [finding('PGT015', 'warn', path(view, 'pg_trickle.enabled'),
    `pg_trickle.enabled is "${v}": the scheduler refreshes nothing while change buffers keep growing. Fix: set pg_trickle.enabled: "on" (or remove it) once maintenance is over`)];
};

export const checkCdcPaused: ClusterRule = ({ view }): Finding[] => {
  const v = view.parameters.get('pg_trickle.cdc_paused');
  if (v === undefined || parsePgBool(v) !== true) return [];
  return [finding('PGT016', 'deny', path(view, 'pg_trickle.cdc_paused'),
    `pg_trickle.cdc_paused is "${v}": change capture drops writes to source tables, so every stream table silently diverges and needs reinitialisation. Fix: remove pg_trickle.cdc_paused or set it to "off"`)];
};

const CREDENTIALS = ['pg_trickle.ducklake_sink_s3_access_key', 'pg_trickle.ducklake_sink_s3_secret_key', 'pg_trickle.ducklake_sink_encryption_key_prefix'];

export const checkPlainCredentials: ClusterRule = ({ view }): Finding[] =>
  CREDENTIALS.filter((name) => (view.parameters.get(name) ?? '') !== '').map((name) =>
    finding('PGT018', 'warn', path(view, name),
      `${name} holds a credential in plain text: it is readable by anyone who can read the Cluster, in postgresql.conf and in SHOW output. ` +
      `Fix: remove it from spec.postgresql.parameters and provide the credential from a Kubernetes Secret instead`));

export const checkMetricsPort: ClusterRule = ({ view, budget }): Finding[] => {
  const v = view.parameters.get('pg_trickle.metrics_port');
  const port = v === undefined ? undefined : parseCount(v);
  // 0 (the default) disables the endpoint.
  if (!port || budget.databases <= 1) return [];
  return [finding('PGT019', 'warn', path(view, 'pg_trickle.metrics_port'),
    `pg_trickle.metrics_port is ${port} while the Cluster has ${budget.databases} databases: each database's scheduler binds 127.0.0.1:${port}, so all but the first bind fail and those databases expose no metrics. ` +
    `Fix: remove it from the Cluster and set a distinct port per database (ALTER DATABASE <db> SET pg_trickle.metrics_port = <port>)`)];
};

const STATEMENTS = 'pg_stat_statements';

export const checkSpillNeedsStatements: ClusterRule = ({ view }): Finding[] => {
  const v = view.parameters.get('pg_trickle.spill_threshold_blocks');
  const blocks = v === undefined ? undefined : parseCount(v);
  if (blocks === undefined || blocks === 0) return [];
  // CNPG preloads pg_stat_statements itself when any pg_stat_statements.* parameter is set.
  const managed = [...view.parameters.keys()].some((k) => k.startsWith(`${STATEMENTS}.`));
  if (managed || view.preloadList?.includes(STATEMENTS) || view.preloadParameter.includes(STATEMENTS)) return [];
  return [finding('PGT020', 'warn', path(view, 'pg_trickle.spill_threshold_blocks'),
    `pg_trickle.spill_threshold_blocks is ${blocks} but ${STATEMENTS} is not preloaded: spilling relies on it, so the threshold has no effect and large refresh deltas are not spilled. ` +
    `Fix: add "${STATEMENTS}" to ${PRELOAD_LIST_PATH}, or set pg_trickle.spill_threshold_blocks: "0"`)];
};

/**
 * Where the Cluster is a replica the way CNPG decides it (Cluster.IsReplica): an explicit
 * `replica.enabled` wins; otherwise, in a distributed topology, the Cluster is a replica
 * unless `replica.primary` names it (`replica.self`, default the Cluster's own name).
 */
function replicaPath(spec: unknown, clusterName: string | undefined): string | undefined {
  const replica = recordAt(spec, 'replica');
  if (!replica) return undefined;
  const enabled = replica['enabled'];
  if (typeof enabled === 'boolean') return enabled ? 'spec.replica.enabled' : undefined;
  const primary = stringAt(replica, 'primary');
  if (!primary) return undefined;
  const self = stringAt(replica, 'self') || clusterName;
  return self !== primary ? 'spec.replica.primary' : undefined;
}

export const checkReplicaCluster: ClusterRule = ({ view, clusterName }): Finding[] => {
  const path = replicaPath(view.spec, clusterName);
  if (!path) return [];
  return [finding('PGT017', 'warn', path,
    `this is a replica cluster: the scheduler runs only on a primary, so stream tables here are replicated from the source and never refreshed locally. ` +
    `Fix: nothing if that is intended; otherwise run pg_trickle on the source cluster and remove it here`)];
};

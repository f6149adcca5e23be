// Every rule's stable id, default severity and what it catches (SPEC §4); the README table is checked against it.
import type { RuleId } from '../types.js';

export interface RuleInfo {
  id: RuleId;
  /** Severity of the rule's main finding. */
  defaultSeverity: 'deny' | 'warn';
  /** Second tier for two-level rules (PGT004/PGT022: below the recommended budget). */
  softSeverity?: 'warn';
  /** What the rule catches, one line. */
  title: string;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'PGT001', defaultSeverity: 'deny', title: 'PostgreSQL major version below 18 (warn when it cannot be determined)' },
  { id: 'PGT002', defaultSeverity: 'deny', title: '`pg_trickle` preloaded but no binaries: no extension entry and `imageName` not an allowed custom image' },
  { id: 'PGT003', defaultSeverity: 'deny', title: 'extension mounted (or labelled for injection) but `pg_trickle` not in `shared_preload_libraries`' },
  { id: 'PGT004', defaultSeverity: 'deny', softSeverity: 'warn', title: '`max_worker_processes` below the minimum (deny) / recommended (warn) worker budget' },
  { id: 'PGT005', defaultSeverity: 'deny', title: 'unknown `pg_trickle.*` parameter (removed names, typos with a suggestion)' },
  { id: 'PGT006', defaultSeverity: 'deny', title: '`pg_trickle.*` value of the wrong type, out of range or not in the enum' },
  { id: 'PGT007', defaultSeverity: 'deny', title: '`pg_trickle.cdc_mode = wal` with `wal_level` explicitly not `logical`' },
  { id: 'PGT008', defaultSeverity: 'deny', title: 'ImageVolume extension on Kubernetes below 1.33 or with ImageVolume disabled' },
  { id: 'PGT009', defaultSeverity: 'deny', title: 'ImageVolume extension on CNPG below the policy minimum or a CRD without `spec.postgresql.extensions`' },
  { id: 'PGT010', defaultSeverity: 'deny', title: 'UPDATE: pg_trickle image version downgraded' },
  { id: 'PGT011', defaultSeverity: 'warn', title: 'UPDATE: pg_trickle image version upgraded (run `ALTER EXTENSION pg_trickle UPDATE`)' },
  { id: 'PGT012', defaultSeverity: 'deny', title: 'UPDATE: pg_trickle removed from preload or its extension entry removed without `pgtrickle.io/allow-removal`' },
  { id: 'PGT013', defaultSeverity: 'deny', title: 'extension image not a valid reference or not matched by the allowed image patterns' },
  { id: 'PGT014', defaultSeverity: 'warn', title: 'extension image not pinned (`latest`, no tag; deny without digest when the policy requires one)' },
  { id: 'PGT015', defaultSeverity: 'warn', title: '`pg_trickle.enabled = off`' },
  { id: 'PGT016', defaultSeverity: 'deny', title: '`pg_trickle.cdc_paused = on`' },
  { id: 'PGT017', defaultSeverity: 'warn', title: 'replica cluster (`replica.enabled: true`, or `replica.primary` naming another cluster, as CNPG decides): stream tables are never refreshed there' },
  { id: 'PGT018', defaultSeverity: 'warn', title: 'credentials in plain-text `pg_trickle.ducklake_sink_*` parameters' },
  { id: 'PGT019', defaultSeverity: 'warn', title: '`pg_trickle.metrics_port` set on a cluster with more than one database' },
  { id: 'PGT020', defaultSeverity: 'warn', title: '`pg_trickle.spill_threshold_blocks > 0` without `pg_stat_statements` preloaded' },
  { id: 'PGT021', defaultSeverity: 'deny', title: 'Database requests `pg_trickle` on a Cluster without pg_trickle (warn when the Cluster is not found)' },
  { id: 'PGT022', defaultSeverity: 'deny', softSeverity: 'warn', title: 'Database would push its Cluster below the minimum (deny) / recommended (warn) worker budget' },
  { id: 'PGT023', defaultSeverity: 'deny', title: 'injection requested but the object still needs mutations: the mutating webhook was bypassed' },
];

/** "deny", "warn" or "deny / warn", as the README and SPEC write it. */
export function severityLabel(rule: RuleInfo): string {
  return rule.softSeverity ? `${rule.defaultSeverity} / ${rule.softSeverity}` : rule.defaultSeverity;
}

// PGT021 (pg_trickle requested on a Cluster without it) and PGT022 (the Database's share of the worker budget).
import { maxWorkerProcesses, workerBudget } from '../budget.js';
import { SQL_EXTENSION } from '../cluster/names.js';
import { injectLabel, preloadRequested } from '../cluster/intent.js';
import { readCluster } from '../cluster/read.js';
import type { EngineContext, Finding, ReviewRequest } from '../types.js';
import { isRecord, recordAt, stringAt } from '../util/json.js';
import { judgeBudget } from './budget.js';
import { finding } from './review.js';

/** Index of the `pg_trickle` entry in `Database.spec.extensions` that is to be present; undefined otherwise. */
export function requestedTrickleIndex(spec: unknown): number | undefined {
  if (stringAt(spec, 'ensure') === 'absent') return undefined;
  const list = isRecord(spec) ? spec['extensions'] : undefined;
  if (!Array.isArray(list)) return undefined;
  const index = list.findIndex((e) => stringAt(e, 'name') === SQL_EXTENSION && stringAt(e, 'ensure') !== 'absent');
  return index < 0 ? undefined : index;
}

/**
 * UPDATE of a Database the Cluster already counted under the same name: the update adds no
 * database, so it cannot push the Cluster below its budget (PGT022 is about creating one).
 */
function alreadyCounted(req: ReviewRequest, clusterName: string, name: string): boolean {
  const old = req.operation === 'UPDATE' ? req.oldObject : undefined;
  if (!old || stringAt(old.spec, 'ensure') === 'absent' || stringAt(recordAt(old.spec, 'cluster'), 'name') !== clusterName) return false;
  return (stringAt(old.spec, 'name') || stringAt(old.metadata, 'name')) === name;
}

export function checkDatabase(req: ReviewRequest, ctx: EngineContext, index: number): Finding[] {
  const spec = req.object.spec;
  const extPath = `spec.extensions[${index}]`;
  const clusterName = stringAt(recordAt(spec, 'cluster'), 'name');
  const cluster = clusterName ? ctx.directory.cluster(req.namespace, clusterName) : undefined;
  if (!clusterName || !cluster) {
    const what = !clusterName ? 'spec.cluster.name is missing' : cluster === undefined
      ? `Cluster "${clusterName}" in namespace ${req.namespace} is not known here (not among the checked objects, or the webhook's Cluster cache is not synced yet)`
      : `Cluster "${clusterName}" was not found in namespace ${req.namespace}`;
    return [finding('PGT021', 'warn', 'spec.cluster.name',
      `the Database requests extension ${SQL_EXTENSION} but ${what}, so it cannot be checked that the Cluster runs pg_trickle; without it CREATE EXTENSION fails or no scheduler refreshes this database. ` +
      `Fix: point spec.cluster.name at a Cluster in this namespace that preloads pg_trickle`)];
  }
  const view = readCluster(cluster);
  // A pg_trickle.* parameter alone (say on a Cluster labelled "false") is only a placeholder setting.
  if (!preloadRequested(view) && view.extensionEntry === undefined && injectLabel(view) !== 'true') {
    return [finding('PGT021', 'deny', extPath,
      `the Database requests extension ${SQL_EXTENSION} but Cluster "${clusterName}" does not run pg_trickle (no preload, no extension entry): CREATE EXTENSION fails and no scheduler would refresh this database. ` +
      `Fix: label the Cluster pgtrickle.io/inject: "true" (or add pg_trickle to it) first, or remove ${SQL_EXTENSION} from spec.extensions`)];
  }
  const objectName = stringAt(req.object.metadata, 'name');
  const name = stringAt(spec, 'name') || objectName;
  const setting = maxWorkerProcesses(view);
  if (!name || setting.kind === 'invalid' || alreadyCounted(req, clusterName, name)) return [];
  const budget = workerBudget({
    view, namespace: req.namespace, clusterName, policy: ctx.policy, directory: ctx.directory,
    added: { objectName, name },
  });
  return judgeBudget('PGT022', setting, budget, 'spec.cluster.name',
    `with database "${name}" Cluster "${clusterName}" has ${budget.databases} databases and its `, `Cluster "${clusterName}" `);
}

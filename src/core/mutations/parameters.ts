// M05 (policy default pg_trickle.* parameters) and M04 (max_worker_processes sized to the budget).
import { CNPG_DEFAULT_MAX_WORKER_PROCESSES, workerBudget } from '../budget.js';
import { readCluster } from '../cluster/read.js';
import type { KubeObject } from '../types.js';
import { recordAt, stringAt, type JsonRecord } from '../util/json.js';
import { childRecord, postgresqlOf, writablePath } from './containers.js';
import type { Mutator } from './mutator.js';

/** Whether the copy already sets `name`, in any letter case (PostgreSQL names are case-insensitive). */
function isSet(copy: JsonRecord, name: string): boolean {
  return readCluster(copy as KubeObject).parameters.has(name.toLowerCase());
}

function writableParameters(copy: JsonRecord): JsonRecord | undefined {
  if (!writablePath(copy, ['spec', 'postgresql', 'parameters'])) return undefined;
  const postgresql = postgresqlOf(copy);
  return postgresql && childRecord(postgresql, 'parameters');
}

export const addDefaultParameters: Mutator = {
  id: 'M05',
  apply(copy, ctx) {
    const set = readCluster(copy as KubeObject).parameters;
    const missing = Object.entries(ctx.policy.injection.defaultParameters).filter(([name]) => !set.has(name.toLowerCase()));
    if (missing.length === 0) return false;
    const parameters = writableParameters(copy);
    if (!parameters) return false;
    for (const [name, value] of missing) parameters[name] = value;
    return true;
  },
};

export const sizeWorkerProcesses: Mutator = {
  id: 'M04',
  apply(copy, ctx) {
    if (isSet(copy, 'max_worker_processes')) return false;
    const budget = workerBudget({
      view: readCluster(copy as KubeObject),
      namespace: ctx.namespace,
      clusterName: stringAt(recordAt(copy, 'metadata'), 'name'),
      policy: ctx.policy,
      directory: ctx.directory,
    });
    if (CNPG_DEFAULT_MAX_WORKER_PROCESSES >= budget.recommended) return false;
    const parameters = writableParameters(copy);
    if (!parameters) return false;
    parameters['max_worker_processes'] = String(budget.recommended);
    return true;
  },
};

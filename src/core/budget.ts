// The background-worker budget pg_trickle needs on a Cluster (SPEC §4), with the formula spelt out for messages.
import { checkParameter } from './catalog/guc-check.js';
import { parsePgInteger } from './catalog/pg-values.js';
import { ANNOTATION_EXTRA_DATABASES } from './cluster/names.js';
import { parameterPath, type ClusterView } from './cluster/read.js';
import type { Policy } from './policy/schema.js';
import type { ClusterDirectory, KubeObject } from './types.js';
import { fieldPath, parseCount, recordAt, stringAt } from './util/json.js';

/** CNPG sets `max_worker_processes` to this when the manifest does not. */
export const CNPG_DEFAULT_MAX_WORKER_PROCESSES = 32;
const DEFAULT_REFRESH_WORKERS = 4;
const DEFAULT_BOOTSTRAP_DATABASE = 'app';
const MAX_EXTRA_DATABASES = 10_000;

export interface BudgetProblem {
  path: string;
  message: string;
}

export interface Budget {
  /** D: distinct databases (at least 1). */
  databases: number;
  /** R: refresh workers (0 when parallel refresh is off). */
  refreshWorkers: number;
  reserved: number;
  parallelQueryReserve: number;
  minimum: number;
  recommended: number;
  /** e.g. "minimum 1 launcher + 4 databases + 4 refresh workers + 2 reserved = 11". */
  minimumFormula: string;
  /** e.g. "recommended 11 minimum + 8 parallel-query reserve = 19". */
  recommendedFormula: string;
  /** Inputs that could not be read (a bad annotation); they count as nothing. */
  problems: BudgetProblem[];
}

/** A Database being admitted, counted once even if the directory already holds it (UPDATE). */
export interface AddedDatabase {
  /** metadata.name of the Database object. */
  objectName: string | undefined;
  /** spec.name: the PostgreSQL database name. */
  name: string;
}

export interface BudgetInputs {
  view: ClusterView;
  namespace: string;
  clusterName: string | undefined;
  policy: Policy;
  directory: ClusterDirectory;
  added?: AddedDatabase | undefined;
}

function bootstrapDatabase(view: ClusterView): string {
  const bootstrap = recordAt(view.spec, 'bootstrap');
  for (const method of ['initdb', 'recovery', 'pg_basebackup']) {
    const name = stringAt(recordAt(bootstrap, method), 'database');
    if (name) return name;
  }
  return DEFAULT_BOOTSTRAP_DATABASE;
}

function databaseNames(inputs: BudgetInputs): Set<string> {
  const names = new Set<string>([bootstrapDatabase(inputs.view)]);
  if (inputs.clusterName !== undefined) {
    for (const db of inputs.directory.databasesOf(inputs.namespace, inputs.clusterName)) {
      if (inputs.added?.objectName !== undefined && db.metadata?.name === inputs.added.objectName) continue;
      const name = liveDatabaseName(db);
      if (name !== undefined) names.add(name);
    }
  }
  if (inputs.added) names.add(inputs.added.name);
  return names;
}

/** spec.name of a Database that is not `ensure: absent`; undefined otherwise. */
export function liveDatabaseName(db: KubeObject): string | undefined {
  if (stringAt(db.spec, 'ensure') === 'absent') return undefined;
  const name = stringAt(db.spec, 'name');
  return name === '' ? undefined : name;
}

function extraDatabases(view: ClusterView, problems: BudgetProblem[]): number {
  const raw = view.annotations[ANNOTATION_EXTRA_DATABASES];
  if (raw === undefined) return 0;
  const n = parseCount(raw);
  if (n !== undefined && n <= MAX_EXTRA_DATABASES) return n;
  problems.push({
    path: fieldPath('metadata.annotations', ANNOTATION_EXTRA_DATABASES),
    message:
      `annotation ${ANNOTATION_EXTRA_DATABASES}: "${raw}" is not a whole number of databases (0..${MAX_EXTRA_DATABASES}), so it was ignored ` +
      `and the worker budget may be too small for databases created outside CNPG; set it to the count, e.g. "2"`,
  });
  return 0;
}

function refreshWorkers(view: ClusterView): number {
  const mode = view.parameters.get('pg_trickle.parallel_refresh_mode');
  if (mode?.trim().toLowerCase() === 'off') return 0;
  const name = 'pg_trickle.max_dynamic_refresh_workers';
  const raw = view.parameters.get(name);
  // An invalid value leaves pg_trickle on its default (PGT006 reports it).
  if (raw === undefined || !checkParameter(name, raw).ok) return DEFAULT_REFRESH_WORKERS;
  return parseCount(raw) ?? DEFAULT_REFRESH_WORKERS;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function workerBudget(inputs: BudgetInputs): Budget {
  const problems: BudgetProblem[] = [];
  const databases = Math.max(1, databaseNames(inputs).size + extraDatabases(inputs.view, problems));
  const r = refreshWorkers(inputs.view);
  const { reservedWorkers: reserved, parallelQueryReserve } = inputs.policy.budget;
  const minimum = 1 + databases + r + reserved;
  const recommended = minimum + parallelQueryReserve;
  const refreshText = r === 0 ? '0 refresh workers (parallel_refresh_mode = off)' : plural(r, 'refresh worker', 'refresh workers');
  return {
    databases,
    refreshWorkers: r,
    reserved,
    parallelQueryReserve,
    minimum,
    recommended,
    minimumFormula: `minimum 1 launcher + ${plural(databases, 'database', 'databases')} + ${refreshText} + ${reserved} reserved = ${minimum}`,
    recommendedFormula: `recommended ${minimum} minimum + ${parallelQueryReserve} parallel-query reserve = ${recommended}`,
    problems,
  };
}

export type WorkerSetting =
  | { kind: 'explicit'; value: number; path: string }
  | { kind: 'default'; value: number; path: string }
  /** `ambiguous`: PostgreSQL starts, but reads another number than the text shows (octal, hex, rounding). */
  | { kind: 'invalid'; text: string; path: string; ambiguous: boolean };

/** `max_worker_processes` as PostgreSQL will see it: explicit, CNPG's default 32, or unreadable. */
export function maxWorkerProcesses(view: ClusterView): WorkerSetting {
  const path = parameterPath(view, 'max_worker_processes');
  const raw = view.parameters.get('max_worker_processes');
  if (raw === undefined) return { kind: 'default', value: CNPG_DEFAULT_MAX_WORKER_PROCESSES, path };
  const value = parseCount(raw);
  if (value !== undefined && !/^0\d/.test(raw.trim())) return { kind: 'explicit', value, path };
  const reading = parsePgInteger(raw);
  const ambiguous = !reading.ok && (reading.reason === 'leading-zero' || reading.reason === 'notation' || reading.reason === 'fraction');
  return { kind: 'invalid', text: raw, path, ambiguous };
}

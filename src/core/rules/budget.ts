// PGT004: max_worker_processes (explicit or CNPG's default 32) against the worker budget.
import { maxWorkerProcesses, type Budget, type WorkerSetting } from '../budget.js';
import type { Finding, RuleId } from '../types.js';
import { finding, type ClusterRule } from './review.js';

const CONSEQUENCE =
  'pg_trickle\'s launcher cannot start a scheduler for every database: it logs a WARNING and retries every 5 minutes, and those databases stop refreshing with no visible error';

/** Deny below the minimum, warn below the recommended budget (shared with PGT022). */
export function judgeBudget(
  rule: RuleId,
  setting: Exclude<WorkerSetting, { kind: 'invalid' }>,
  budget: Budget,
  path: string,
  context: string,
  /** Which object the fix applies to, when it is not the one admitted (PGT022). */
  target = '',
): Finding[] {
  const fix = `Fix: set ${target}spec.postgresql.parameters.max_worker_processes: "${budget.recommended}"`;
  const have = setting.kind === 'default'
    ? `max_worker_processes is not set, so CNPG uses its default ${setting.value}`
    : `max_worker_processes is ${setting.value}`;
  if (setting.value < budget.minimum) {
    return [finding(rule, 'deny', path,
      `${context}${have}, below the worker budget pg_trickle needs: ${budget.minimumFormula}. ${CONSEQUENCE}. ` +
      `${fix} (${budget.recommendedFormula}; at least "${budget.minimum}")`)];
  }
  if (setting.value < budget.recommended) {
    return [finding(rule, 'warn', path,
      `${context}${have}: enough for ${budget.minimumFormula}, but below the ${budget.recommendedFormula}. ` +
      `PostgreSQL's parallel query workers draw on the same pool, so under load pg_trickle's workers may not start and refreshes stall. ` +
      fix)];
  }
  return [];
}

export const checkWorkerBudget: ClusterRule = ({ view, budget }): Finding[] => {
  const found: Finding[] = budget.problems.map((p) => finding('PGT004', 'warn', p.path, p.message));
  const setting = maxWorkerProcesses(view);
  if (setting.kind === 'invalid') {
    const problem = setting.ambiguous
      ? `max_worker_processes "${setting.text}" is not plain decimal digits: PostgreSQL reads a leading 0 as octal and 0x as hex, and rounds fractions, so it runs with another number than the manifest shows and pg_trickle's worker budget cannot be checked; a short budget leaves databases without a scheduler, silently. `
      : `max_worker_processes "${setting.text}" is not a whole number; PostgreSQL refuses to start with it, so neither the server nor pg_trickle's scheduler runs. `;
    found.push(finding('PGT004', 'deny', setting.path,
      `${problem}Fix: set it to a bare integer, e.g. "${budget.recommended}" (${budget.minimumFormula}; ${budget.recommendedFormula})`));
    return found;
  }
  return found.concat(judgeBudget('PGT004', setting, budget, setting.path, ''));
};

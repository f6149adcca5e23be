// Runs every Cluster rule, then applies the policy's severity overrides (`off` drops the finding).
import type { Policy } from '../policy/schema.js';
import type { Finding } from '../types.js';
import { checkBinariesPresent, checkPreloaded } from './binaries.js';
import { checkWorkerBudget } from './budget.js';
import { checkCnpgSupport, checkKubernetesSupport } from './environment.js';
import { checkAllowedImage, checkPinnedImage } from './image.js';
import { checkTrickleParameters, checkWalLevel } from './parameters.js';
import type { ClusterReview, ClusterRule } from './review.js';
import {
  checkCdcPaused, checkMetricsPort, checkPlainCredentials, checkReplicaCluster, checkSchedulerEnabled, checkSpillNeedsStatements,
} from './settings.js';
import { checkRemoval, checkVersionChange } from './update.js';
import { checkPostgresMajor } from './version.js';

/** In rule-id order, so findings come out sorted. */
const CLUSTER_RULES: readonly ClusterRule[] = [
  checkPostgresMajor,
  checkBinariesPresent,
  checkPreloaded,
  checkWorkerBudget,
  checkTrickleParameters,
  checkWalLevel,
  checkKubernetesSupport,
  checkCnpgSupport,
  checkVersionChange,
  checkRemoval,
  checkAllowedImage,
  checkPinnedImage,
  checkSchedulerEnabled,
  checkCdcPaused,
  checkReplicaCluster,
  checkPlainCredentials,
  checkMetricsPort,
  checkSpillNeedsStatements,
];

export function runClusterRules(review: ClusterReview): Finding[] {
  return CLUSTER_RULES.flatMap((rule) => rule(review));
}

/** Policy `rules` overrides replace the severity of every finding of that rule; `off` removes them. */
export function applyOverrides(findings: readonly Finding[], policy: Policy): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const override = policy.rules[f.rule];
    if (override === 'off') continue;
    out.push(override ? { ...f, severity: override } : f);
  }
  return out.sort((a, b) => a.rule.localeCompare(b.rule));
}

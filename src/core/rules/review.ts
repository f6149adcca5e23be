// What a rule sees: the request, the engine context and the Cluster already read once.
import type { Budget } from '../budget.js';
import type { ClusterView } from '../cluster/read.js';
import type { EngineContext, Finding, ReviewRequest, RuleId } from '../types.js';

export interface ClusterReview {
  req: ReviewRequest;
  ctx: EngineContext;
  view: ClusterView;
  /** The stored object on UPDATE. */
  oldView: ClusterView | undefined;
  clusterName: string | undefined;
  budget: Budget;
}

export type ClusterRule = (review: ClusterReview) => Finding[];

export function finding(rule: RuleId, severity: 'deny' | 'warn', path: string, message: string): Finding {
  return { rule, severity, path, message };
}

/** A sentence from another module, closed with exactly one punctuation mark, to continue with our own. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.?!]$/.test(t) ? t : `${t}.`;
}

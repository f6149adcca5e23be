// Entry points of the pure policy core: scope (SPEC §2), mutations M01–M06 (§3), rules PGT001–PGT023 (§4).
import { workerBudget } from './budget.js';
import { injectionRequested, shouldInject, usesPgTrickle } from './cluster/intent.js';
import { readCluster } from './cluster/read.js';
import { runMutations, unchanged } from './mutations/mutate.js';
import { checkMutated } from './rules/bypass.js';
import { applyOverrides, runClusterRules } from './rules/chain.js';
import { checkDatabase, requestedTrickleIndex } from './rules/database.js';
import { judged } from './scope.js';
import { checkRemoval } from './rules/update.js';
import type { EngineContext, Finding, MutateOutcome, ReviewRequest, ValidateOutcome } from './types.js';
import { stringAt } from './util/json.js';

const allowed = (): ValidateOutcome => ({ allowed: true, findings: [] });

/** Mutating webhook: returns the mutations M01–M06 that apply and the JSON patch. */
export function mutate(req: ReviewRequest, ctx: EngineContext): MutateOutcome {
  if (req.kind !== 'Cluster' || !judged(req, ctx) || !shouldInject(readCluster(req.object), ctx.policy)) return unchanged(req.object);
  return runMutations(req.object, { policy: ctx.policy, environment: ctx.environment, directory: ctx.directory, namespace: req.namespace });
}

function clusterFindings(req: ReviewRequest, ctx: EngineContext): Finding[] | undefined {
  const view = readCluster(req.object);
  const oldView = req.operation === 'UPDATE' && req.oldObject ? readCluster(req.oldObject) : undefined;
  const requested = injectionRequested(view, ctx.policy);
  const uses = usesPgTrickle(view) || requested;
  if (!uses && !(oldView && usesPgTrickle(oldView))) return undefined;
  const clusterName = stringAt(req.object.metadata, 'name');
  const budget = workerBudget({ view, namespace: req.namespace, clusterName, policy: ctx.policy, directory: ctx.directory });
  const review = { req, ctx, view, oldView, clusterName, budget };
  // pg_trickle removed on UPDATE: only the removal itself is judged, not the Cluster it leaves behind.
  if (!uses) return checkRemoval(review);
  const findings = runClusterRules(review);
  return requested ? findings.concat(checkMutated(mutate(req, ctx))) : findings;
}

/** Validating webhook: PGT001–PGT023 over the object (already mutated by the API server). */
export function validate(req: ReviewRequest, ctx: EngineContext): ValidateOutcome {
  if (!judged(req, ctx)) return allowed();
  let raw: Finding[] | undefined;
  if (req.kind === 'Cluster') raw = clusterFindings(req, ctx);
  else if (req.kind === 'Database') {
    const index = requestedTrickleIndex(req.object.spec);
    raw = index === undefined ? undefined : checkDatabase(req, ctx, index);
  }
  if (!raw) return allowed();
  const findings = applyOverrides(raw, ctx.policy);
  return { allowed: !findings.some((f) => f.severity === 'deny'), findings };
}

/** What the CLI reports: mutate, then validate the mutated object, as the API server would. */
export function check(req: ReviewRequest, ctx: EngineContext): { mutation: MutateOutcome; validation: ValidateOutcome } {
  const mutation = mutate(req, ctx);
  const validation = validate({ ...req, object: mutation.object }, ctx);
  return { mutation, validation };
}

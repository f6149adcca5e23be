// Entry points of the pure policy core. PLACEHOLDER: the policy-engine work (issue 3)
// replaces the bodies; the signatures are the contract the adapters use.
import type { EngineContext, MutateOutcome, ReviewRequest, ValidateOutcome } from './types.js';

/** Mutating webhook: returns the mutations M01–M06 that apply and the JSON patch. */
export function mutate(req: ReviewRequest, _ctx: EngineContext): MutateOutcome {
  return { mutations: [], patch: [], object: structuredClone(req.object) };
}

/** Validating webhook: PGT001–PGT023 over the object (already mutated by the API server). */
export function validate(_req: ReviewRequest, _ctx: EngineContext): ValidateOutcome {
  return { allowed: true, findings: [] };
}

/** What the CLI reports: mutate, then validate the mutated object, as the API server would. */
export function check(req: ReviewRequest, ctx: EngineContext): { mutation: MutateOutcome; validation: ValidateOutcome } {
  const mutation = mutate(req, ctx);
  const validation = validate({ ...req, object: mutation.object }, ctx);
  return { mutation, validation };
}

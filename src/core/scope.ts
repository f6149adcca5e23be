// SPEC §2: which requests the engine acts on at all.
import type { EngineContext, ReviewRequest } from './types.js';

/** CREATE/UPDATE outside the exempt namespaces; DELETE and CONNECT are never judged. */
export function judged(req: ReviewRequest, ctx: EngineContext): boolean {
  return (req.operation === 'CREATE' || req.operation === 'UPDATE') && !ctx.policy.exemptNamespaces.includes(req.namespace);
}

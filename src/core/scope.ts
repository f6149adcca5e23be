// SPEC §2: which requests the engine acts on at all.
import type { EngineContext, ReviewRequest } from './types.js';
import { stringAt } from './util/json.js';

/**
 * CREATE/UPDATE outside the exempt namespaces; DELETE and CONNECT are never judged, nor is an
 * UPDATE of an object already being deleted (`metadata.deletionTimestamp` set): that is how
 * finalizers are removed (CNPG's `cnpg.io/deleteDatabase` on Databases), and refusing it would
 * leave the object stuck in deletion.
 */
export function judged(req: ReviewRequest, ctx: EngineContext): boolean {
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return false;
  if (stringAt(req.object.metadata, 'deletionTimestamp')) return false;
  return !ctx.policy.exemptNamespaces.includes(req.namespace);
}

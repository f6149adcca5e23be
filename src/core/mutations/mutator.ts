// The shape every mutation shares: change the deep copy in place, say whether it did.
import type { Policy } from '../policy/schema.js';
import type { ClusterDirectory, Environment, MutationId } from '../types.js';
import type { JsonRecord } from '../util/json.js';

export interface MutationContext {
  policy: Policy;
  environment: Environment;
  directory: ClusterDirectory;
  namespace: string;
  /** Mutations already applied in this run (M06 follows M01). */
  applied: ReadonlySet<MutationId>;
}

export interface Mutator {
  id: MutationId;
  /** Applies the mutation to `copy`; returns true when it changed something. */
  apply(copy: JsonRecord, ctx: MutationContext): boolean;
}

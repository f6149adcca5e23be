// PGT023: injection was requested, yet the object reaching validation still lacks what the mutating webhook adds.
import type { Finding, MutateOutcome } from '../types.js';
import { finding } from './review.js';

export function checkMutated(pending: MutateOutcome): Finding[] {
  if (pending.mutations.length === 0) return [];
  const fields = [...new Set(pending.patch.map((op) => op.path))].join(', ');
  return [finding('PGT023', 'deny', 'metadata',
    `injection is requested but the object has not been mutated (${pending.mutations.join(',')} would still change ${fields}): the mutating webhook was bypassed or down, so pg_trickle would be incomplete and its scheduler not run. ` +
    `Fix: make sure the pg-trickle-webhook MutatingWebhookConfiguration is installed and its service is reachable, then apply again`)];
}

// PGT023: injection was requested, yet the object reaching validation still lacks what the mutating webhook adds.
import type { Finding, MutateOutcome } from '../types.js';
import { fieldPath } from '../util/json.js';
import { finding } from './review.js';

/** `/spec/postgresql/extensions/0` → `spec.postgresql.extensions[0]` (RFC 6901 unescaped). */
function dottedPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^\d+$/.test(key) ? `${out}[${key}]` : out === '' ? key : fieldPath(out, key);
  }
  return out;
}

export function checkMutated(pending: MutateOutcome): Finding[] {
  if (pending.mutations.length === 0) return [];
  const fields = [...new Set(pending.patch.map((op) => dottedPath(op.path)))];
  return [finding('PGT023', 'deny', fields[0] ?? 'spec',
    `injection is requested but the object has not been mutated (${pending.mutations.join(',')} would still change ${fields.join(', ')}): the mutating webhook was bypassed or down, so pg_trickle would be incomplete and its scheduler not run. ` +
    `Fix: make sure the pg-trickle-webhook MutatingWebhookConfiguration is installed and its service is reachable, then apply again`)];
}

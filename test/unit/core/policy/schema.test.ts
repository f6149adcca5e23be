// The policy schema refuses, at load time, what the engine itself would refuse on every injected Cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy, policySchema, type PolicyInput } from '../../../../src/core/policy/schema.js';

function problems(input: PolicyInput): string[] {
  const out = policySchema.safeParse(input);
  return out.success ? [] : out.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('policy schema', () => {
  it('accepts the defaults and valid injection settings', () => {
    assert.equal(defaultPolicy().extension.image, 'ghcr.io/trickle-labs/pg_trickle-ext:0.67.0');
    assert.deepEqual(problems({ injection: { defaultParameters: { 'pg_trickle.enabled': 'on', 'pg_trickle.max_dynamic_refresh_workers': '8' } } }), []);
    assert.deepEqual(problems({ extension: { image: 'registry.local/pgt@sha256:' + 'c'.repeat(64), allowedImages: ['registry.local/*'] } }), []);
  });

  it('refuses default parameters pg_trickle would ignore (PGT005/PGT006 on every injected Cluster)', () => {
    const found = problems({ injection: { defaultParameters: { 'pg_trickle.enabeld': 'on', 'pg_trickle.parallel_refresh_mode': 'auto' } } });
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0] ?? '', /^injection\.defaultParameters\.pg_trickle\.enabeld: .*did you mean pg_trickle\.enabled/);
    assert.match(found[1] ?? '', /^injection\.defaultParameters\.pg_trickle\.parallel_refresh_mode: .*one of on, dry_run, off/);
  });

  it('refuses an injected image that is invalid or outside the allowed patterns (PGT013 on every injected Cluster)', () => {
    assert.match(problems({ extension: { image: 'ghcr.io/trickle-labs/pg_trickle-ext:0.67 0' } })[0] ?? '', /^extension\.image: .*not a valid image reference/);
    assert.match(problems({ extension: { image: 'registry.local/pgt:0.67.0' } })[0] ?? '', /^extension\.image: .*not matched by extension\.allowedImages/);
  });
});

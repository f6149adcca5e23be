import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { PolicyInput } from '../../../../src/core/policy/schema.js';
import type { RuleId } from '../../../../src/core/types.js';
import { context, ofRule, pg, readyCluster, request } from '../fixtures.js';

function findings(entry: unknown, rule: RuleId, policy: PolicyInput = {}) {
  const c = readyCluster();
  pg(c)['extensions'] = [{ name: 'other', image: { reference: 'x/y:1' } }, entry];
  return ofRule(validate(request(c), context({ policy })).findings, rule);
}
const ref = (reference: string) => ({ name: 'pg-trickle', image: { reference } });

describe('PGT013 allowed images', () => {
  it('denies an image outside the allowed patterns, at the entry\'s own index', () => {
    const [f] = findings(ref('docker.io/someone/pg_trickle-ext:0.67.0'), 'PGT013');
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.postgresql.extensions[1].image.reference');
  });
  it('denies an entry without an image reference', () => {
    assert.equal(findings({ name: 'pg_trickle' }, 'PGT013')[0]?.severity, 'deny');
  });
  it('denies an invalid reference that an allowed pattern matches as text, and PGT014 leaves it to PGT013', () => {
    for (const bad of ['ghcr.io/trickle-labs/pg_trickle-ext:0.67.0/../other', 'ghcr.io/trickle-labs/pg_trickle-ext:0.67 0', 'ghcr.io/trickle-labs/pg_trickle-ext:']) {
      const [f] = findings(ref(bad), 'PGT013');
      assert.equal(f?.severity, 'deny', bad);
      assert.match(f?.message ?? '', /not a valid image reference/);
      assert.deepEqual(findings(ref(bad), 'PGT014'), [], bad);
    }
  });
  it('passes the default image and policy-added patterns', () => {
    assert.deepEqual(findings(ref('ghcr.io/trickle-labs/pg_trickle-ext:0.67.0'), 'PGT013'), []);
    assert.deepEqual(findings(ref('registry.local/pgt:0.67.0'), 'PGT013', { extension: { image: 'registry.local/pgt:0.67.0', allowedImages: ['registry.local/*'] } }), []);
  });
});

describe('PGT014 pinning', () => {
  it('warns on latest and on no tag', () => {
    assert.equal(findings(ref('ghcr.io/trickle-labs/pg_trickle-ext:latest'), 'PGT014')[0]?.severity, 'warn');
    assert.equal(findings(ref('ghcr.io/trickle-labs/pg_trickle-ext'), 'PGT014')[0]?.severity, 'warn');
  });
  it('denies a tag when the policy requires a digest', () => {
    assert.equal(findings(ref('ghcr.io/trickle-labs/pg_trickle-ext:0.67.0'), 'PGT014', { extension: { requireDigest: true } })[0]?.severity, 'deny');
  });
  it('passes a version tag, and a digest under requireDigest', () => {
    assert.deepEqual(findings(ref('ghcr.io/trickle-labs/pg_trickle-ext:0.67.0'), 'PGT014'), []);
    const digest = `ghcr.io/trickle-labs/pg_trickle-ext@sha256:${'b'.repeat(64)}`;
    assert.deepEqual(findings(ref(digest), 'PGT014', { extension: { requireDigest: true } }), []);
  });
});

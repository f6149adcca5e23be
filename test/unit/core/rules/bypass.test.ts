import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mutate, validate } from '../../../../src/core/engine.js';
import { context, ofRule, plainCluster, readyCluster, request } from '../fixtures.js';

const labelled = () => {
  const c = plainCluster();
  c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true' } };
  return c;
};

describe('PGT023 mutating webhook bypassed', () => {
  it('denies a labelled Cluster that was never mutated, naming the missing mutations', () => {
    const [f] = ofRule(validate(request(labelled()), context()).findings, 'PGT023');
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /M01,M02,M06/);
    assert.equal(f?.path, 'spec.postgresql');
    assert.match(f?.message ?? '', /metadata\.annotations/);
  });

  it('denies any Cluster under injection.mode: always that was never mutated', () => {
    const out = validate(request(plainCluster()), context({ policy: { injection: { mode: 'always' } } }));
    assert.equal(ofRule(out.findings, 'PGT023').length, 1);
  });

  it('passes the mutated object', () => {
    const ctx = context();
    const mutated = mutate(request(labelled()), ctx).object;
    const out = validate(request(mutated), ctx);
    assert.deepEqual(ofRule(out.findings, 'PGT023'), []);
    assert.equal(out.allowed, true);
  });

  it('does not apply without an injection request', () => {
    assert.deepEqual(ofRule(validate(request(readyCluster()), context()).findings, 'PGT023'), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { KubeObject, RuleId } from '../../../../src/core/types.js';
import { context, ofRule, params, pg, plainCluster, readyCluster, request } from '../fixtures.js';

function withImage(ref: string): KubeObject {
  const c = readyCluster();
  pg(c)['extensions'] = [{ name: 'pg-trickle', image: { reference: ref } }];
  return c;
}

function update(before: KubeObject, after: KubeObject, rule: RuleId) {
  return ofRule(validate(request(after, 'UPDATE', before), context()).findings, rule);
}

const image = (v: string) => `ghcr.io/trickle-labs/pg_trickle-ext:${v}`;

describe('PGT010/PGT011 image version change', () => {
  it('denies a downgrade', () => {
    const [f] = update(withImage(image('0.67.0')), withImage(image('0.66.2')), 'PGT010');
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.postgresql.extensions[0].image.reference');
    assert.match(f?.message ?? '', /0\.67\.0 to 0\.66\.2/);
  });

  it('warns on an upgrade with the ALTER EXTENSION step', () => {
    const [f] = update(withImage(image('0.66.0')), withImage(image('0.67.0')), 'PGT011');
    assert.equal(f?.severity, 'warn');
    assert.match(f?.message ?? '', /ALTER EXTENSION pg_trickle UPDATE in every database/);
  });

  it('compares custom operand images too', () => {
    const custom = (v: string) => {
      const c = readyCluster();
      delete pg(c)['extensions'];
      (c.spec as Record<string, unknown>)['imageName'] = `ghcr.io/trickle-labs/pg_trickle:18-${v}`;
      return c;
    };
    assert.equal(update(custom('0.67.0'), custom('0.60.0'), 'PGT010')[0]?.path, 'spec.imageName');
  });

  it('passes the same version and CREATE', () => {
    assert.deepEqual(update(withImage(image('0.67.0')), withImage(image('0.67.0')), 'PGT010'), []);
    assert.deepEqual(update(withImage(image('0.67.0')), withImage(image('0.67.0')), 'PGT011'), []);
    assert.deepEqual(ofRule(validate(request(withImage(image('0.1.0'))), context()).findings, 'PGT010'), []);
  });
});

describe('PGT012 removal on UPDATE', () => {
  it('denies removing pg_trickle from the preload list', () => {
    const after = readyCluster();
    pg(after)['shared_preload_libraries'] = [];
    const [f] = update(readyCluster(), after, 'PGT012');
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /pgtrickle\.io\/allow-removal/);
  });

  it('denies removing the extension entry; validation applies because the old object used pg_trickle', () => {
    const after = readyCluster();
    delete pg(after)['extensions'];
    pg(after)['shared_preload_libraries'] = [];
    const out = validate(request(after, 'UPDATE', readyCluster()), context());
    assert.equal(out.allowed, false);
    assert.equal(ofRule(out.findings, 'PGT012').length, 2);
  });

  it('judges only the removal once pg_trickle is gone: no budget or version rule on the Cluster left behind', () => {
    const before = readyCluster();
    params(before)['max_worker_processes'] = '7';
    const after = plainCluster('pg');
    (after.spec as Record<string, unknown>)['imageName'] = 'ghcr.io/cloudnative-pg/postgresql:17';
    (after.spec as Record<string, unknown>)['postgresql'] = { parameters: { max_worker_processes: '7' } };
    assert.deepEqual(validate(request(after, 'UPDATE', before), context()).findings.map((f) => f.rule), ['PGT012', 'PGT012']);
    after.metadata = { ...after.metadata, annotations: { 'pgtrickle.io/allow-removal': 'true' } };
    assert.deepEqual(validate(request(after, 'UPDATE', before), context()), { allowed: true, findings: [] });
  });

  it('passes with the allow-removal annotation', () => {
    const after = readyCluster();
    delete pg(after)['extensions'];
    pg(after)['shared_preload_libraries'] = [];
    after.metadata = { ...after.metadata, annotations: { 'pgtrickle.io/allow-removal': 'true' } };
    assert.deepEqual(update(readyCluster(), after, 'PGT012'), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { KubeObject, RuleId } from '../../../../src/core/types.js';
import { context, database, ofRule, params, pg, readyCluster, request } from '../fixtures.js';

function findings(set: Record<string, string>, rule: RuleId, tweak: (c: KubeObject) => void = () => {}, objects: KubeObject[] = []) {
  const c = readyCluster();
  Object.assign(params(c), set);
  tweak(c);
  return ofRule(validate(request(c), context({ objects })).findings, rule);
}

describe('PGT015 scheduler disabled', () => {
  it('warns on pg_trickle.enabled = off in any boolean spelling', () => {
    for (const v of ['off', 'false', 'no', '0']) assert.equal(findings({ 'pg_trickle.enabled': v }, 'PGT015')[0]?.severity, 'warn', v);
  });
  it('passes when on', () => assert.deepEqual(findings({ 'pg_trickle.enabled': 'on' }, 'PGT015'), []));
});

describe('PGT016 change capture paused', () => {
  it('denies cdc_paused = on', () => {
    const [f] = findings({ 'pg_trickle.cdc_paused': 'on' }, 'PGT016');
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /reinitialisation/);
  });
  it('passes cdc_paused = off', () => assert.deepEqual(findings({ 'pg_trickle.cdc_paused': 'off' }, 'PGT016'), []));
});

describe('PGT017 replica cluster', () => {
  it('warns on spec.replica.enabled: true', () => {
    const [f] = findings({}, 'PGT017', (c) => { (c.spec as Record<string, unknown>)['replica'] = { enabled: true, source: 'x' }; });
    assert.equal(f?.severity, 'warn');
    assert.equal(f?.path, 'spec.replica.enabled');
  });
  it('passes a primary cluster', () => {
    assert.deepEqual(findings({}, 'PGT017', (c) => { (c.spec as Record<string, unknown>)['replica'] = { enabled: false }; }), []);
  });
  it('warns on a distributed-topology replica (replica.primary names another cluster), as CNPG decides', () => {
    const [f] = findings({}, 'PGT017', (c) => { (c.spec as Record<string, unknown>)['replica'] = { primary: 'cluster-a', source: 'cluster-a' }; });
    assert.equal(f?.severity, 'warn');
    assert.equal(f?.path, 'spec.replica.primary');
  });
  it('passes the primary of a distributed topology, by name or by replica.self', () => {
    assert.deepEqual(findings({}, 'PGT017', (c) => { (c.spec as Record<string, unknown>)['replica'] = { primary: c.metadata?.name, source: 'b' }; }), []);
    assert.deepEqual(findings({}, 'PGT017', (c) => { (c.spec as Record<string, unknown>)['replica'] = { primary: 'dc-a', self: 'dc-a', source: 'dc-b' }; }), []);
  });
  it('lets an explicit replica.enabled: false win over the topology', () => {
    assert.deepEqual(findings({}, 'PGT017', (c) => { (c.spec as Record<string, unknown>)['replica'] = { enabled: false, primary: 'other', source: 'other' }; }), []);
  });
});

describe('PGT018 plain-text credentials', () => {
  it('warns for each credential parameter', () => {
    const f = findings({ 'pg_trickle.ducklake_sink_s3_access_key': 'AKIA', 'pg_trickle.ducklake_sink_s3_secret_key': 's' }, 'PGT018');
    assert.deepEqual(f.map((x) => x.severity), ['warn', 'warn']);
  });
  it('passes other ducklake settings', () => assert.deepEqual(findings({ 'pg_trickle.ducklake_sink_s3_region': 'eu' }, 'PGT018'), []));
});

describe('PGT019 metrics port with several databases', () => {
  it('warns when a second database exists', () => {
    const [f] = findings({ 'pg_trickle.metrics_port': '9187' }, 'PGT019', () => {}, [database('sales', 'pg')]);
    assert.equal(f?.severity, 'warn');
    assert.match(f?.message ?? '', /2 databases/);
  });
  it('passes with the bootstrap database only, or port 0 (disabled)', () => {
    assert.deepEqual(findings({ 'pg_trickle.metrics_port': '9187' }, 'PGT019'), []);
    assert.deepEqual(findings({ 'pg_trickle.metrics_port': '0' }, 'PGT019', () => {}, [database('sales', 'pg')]), []);
  });
});

describe('PGT020 spill threshold without pg_stat_statements', () => {
  it('warns when pg_stat_statements is not preloaded', () => {
    assert.equal(findings({ 'pg_trickle.spill_threshold_blocks': '1000' }, 'PGT020')[0]?.severity, 'warn');
  });
  it('passes when pg_stat_statements is preloaded, managed by CNPG, or the threshold is 0', () => {
    assert.deepEqual(findings({ 'pg_trickle.spill_threshold_blocks': '1000' }, 'PGT020', (c) => {
      pg(c)['shared_preload_libraries'] = ['pg_stat_statements', 'pg_trickle'];
    }), []);
    assert.deepEqual(findings({ 'pg_trickle.spill_threshold_blocks': '1000', 'pg_stat_statements.max': '10000' }, 'PGT020'), []);
    assert.deepEqual(findings({ 'pg_trickle.spill_threshold_blocks': '0' }, 'PGT020'), []);
  });
});

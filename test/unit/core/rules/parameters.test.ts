import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { RuleId } from '../../../../src/core/types.js';
import { context, ofRule, params, readyCluster, request } from '../fixtures.js';

function findings(set: Record<string, string>, rule: RuleId) {
  const c = readyCluster();
  Object.assign(params(c), set);
  return ofRule(validate(request(c), context()).findings, rule);
}

describe('PGT005 unknown pg_trickle.* parameter', () => {
  it('denies a typo with a did-you-mean and the fix', () => {
    const [f] = findings({ 'pg_trickle.enabeld': 'on' }, 'PGT005');
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, "spec.postgresql.parameters['pg_trickle.enabeld']");
    assert.match(f?.message ?? '', /did you mean pg_trickle\.enabled/);
    assert.match(f?.message ?? '', /Fix: rename it to pg_trickle\.enabled/);
  });

  it('denies a removed name with its catalog note', () => {
    const [f] = findings({ 'pg_trickle.event_driven_wake': 'on' }, 'PGT005');
    assert.match(f?.message ?? '', /removed in 0\.51\.0/);
  });

  it('denies a near miss of the prefix', () => {
    const [f] = findings({ 'pg_trikle.enabled': 'on' }, 'PGT005');
    assert.equal(f?.severity, 'deny');
  });

  it('passes known names and unrelated PostgreSQL settings', () => {
    assert.deepEqual(findings({ 'pg_trickle.enabled': 'on', work_mem: '64MB' }, 'PGT005'), []);
  });
});

describe('PGT006 bad pg_trickle.* value', () => {
  it('denies an integer with units', () => {
    const [f] = findings({ 'pg_trickle.max_dynamic_refresh_workers': '4workers' }, 'PGT006');
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /4workers.*Fix: set pg_trickle\.max_dynamic_refresh_workers to a value it accepts/);
  });

  it('denies a value outside the enum', () => {
    assert.equal(findings({ 'pg_trickle.cdc_mode': 'logical' }, 'PGT006').length, 1);
  });

  it('accepts PostgreSQL boolean spellings', () => {
    for (const v of ['on', 'off', 'true', 'false', 'yes', 'no', '1', '0']) assert.deepEqual(findings({ 'pg_trickle.enabled': v }, 'PGT006'), [], v);
  });
});

describe('PGT007 cdc_mode = wal without logical WAL', () => {
  it('denies wal_level replica', () => {
    const [f] = findings({ 'pg_trickle.cdc_mode': 'wal', wal_level: 'replica' }, 'PGT007');
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.postgresql.parameters.wal_level');
  });

  it('passes wal_level logical or unset (CNPG default)', () => {
    assert.deepEqual(findings({ 'pg_trickle.cdc_mode': 'wal', wal_level: 'logical' }, 'PGT007'), []);
    assert.deepEqual(findings({ 'pg_trickle.cdc_mode': 'wal' }, 'PGT007'), []);
    assert.deepEqual(findings({ 'pg_trickle.cdc_mode': 'trigger', wal_level: 'replica' }, 'PGT007'), []);
  });
});

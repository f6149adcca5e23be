import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import { context, ofRule, pg, readyCluster, request } from '../fixtures.js';

describe('PGT002 preloaded without binaries', () => {
  it('denies pg_trickle preloaded with no extension entry and a stock image', () => {
    const c = readyCluster();
    delete pg(c)['extensions'];
    const [f] = ofRule(validate(request(c), context()).findings, 'PGT002');
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.postgresql.shared_preload_libraries');
    assert.match(f?.message ?? '', /fail to start/);
    assert.match(f?.message ?? '', /pg_trickle-ext:0\.67\.0/);
  });

  it('offers only the custom image where ImageVolume cannot work', () => {
    const c = readyCluster();
    delete pg(c)['extensions'];
    const [f] = ofRule(validate(request(c), context({ environment: { imageVolume: false } })).findings, 'PGT002');
    assert.match(f?.message ?? '', /cannot mount ImageVolume/);
    assert.doesNotMatch(f?.message ?? '', /add spec\.postgresql\.extensions/);
  });

  it('passes with an allowed custom image instead of an extension entry', () => {
    const c = readyCluster();
    delete pg(c)['extensions'];
    (c.spec as Record<string, unknown>)['imageName'] = 'ghcr.io/trickle-labs/pg_trickle:18.3-0.67.0';
    assert.deepEqual(ofRule(validate(request(c), context()).findings, 'PGT002'), []);
  });

  it('passes a complete Cluster', () => {
    assert.deepEqual(ofRule(validate(request(readyCluster()), context()).findings, 'PGT002'), []);
  });
});

describe('PGT003 binaries without preload', () => {
  it('denies a mounted extension that is not preloaded', () => {
    const c = readyCluster();
    pg(c)['shared_preload_libraries'] = ['pg_stat_statements'];
    const [f] = ofRule(validate(request(c), context()).findings, 'PGT003');
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /never refresh/);
    assert.match(f?.message ?? '', /add "pg_trickle" to the list/);
  });

  it('says that parameters.shared_preload_libraries does not count', () => {
    const c = readyCluster();
    delete pg(c)['shared_preload_libraries'];
    (pg(c)['parameters'] as Record<string, string>)['shared_preload_libraries'] = 'pg_trickle';
    const [f] = ofRule(validate(request(c), context()).findings, 'PGT003');
    assert.match(f?.message ?? '', /fixed parameter CNPG refuses/);
  });

  it('says when the preload field is not a list', () => {
    const c = readyCluster();
    pg(c)['shared_preload_libraries'] = 'pg_trickle';
    const [f] = ofRule(validate(request(c), context()).findings, 'PGT003');
    assert.match(f?.message ?? '', /is not a list of library names/);
  });

  it('passes when preloaded', () => {
    assert.deepEqual(ofRule(validate(request(readyCluster()), context()).findings, 'PGT003'), []);
  });
});

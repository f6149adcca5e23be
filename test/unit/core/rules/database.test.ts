import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { KubeObject, RuleId } from '../../../../src/core/types.js';
import { context, database, ofRule, params, plainCluster, readyCluster, request } from '../fixtures.js';

const trickleDb = (name: string, cluster = 'pg') => database(name, cluster, { extensions: [{ name: 'pg_trickle', ensure: 'present' }] });

function findings(db: KubeObject, rule: RuleId, objects: KubeObject[], clustersKnown = true, old?: KubeObject) {
  return ofRule(validate(request(db, old ? 'UPDATE' : 'CREATE', old), context({ objects, clustersKnown })).findings, rule);
}

function tightCluster(workers: string): KubeObject {
  const c = readyCluster();
  params(c)['max_worker_processes'] = workers;
  return c;
}

describe('PGT021 Database on a Cluster without pg_trickle', () => {
  it('denies when the Cluster does not run pg_trickle', () => {
    const [f] = findings(trickleDb('sales', 'plain'), 'PGT021', [plainCluster()]);
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.extensions[0]');
  });
  it('denies when the Cluster only has pg_trickle.* parameters, without preload or extension entry', () => {
    const c = plainCluster();
    c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'false' } };
    (c.spec as Record<string, unknown>)['postgresql'] = { parameters: { 'pg_trickle.enabled': 'on' } };
    assert.equal(findings(trickleDb('sales', 'plain'), 'PGT021', [c])[0]?.severity, 'deny');
  });
  it('warns when the Cluster is not found or not known', () => {
    assert.match(findings(trickleDb('sales', 'nope'), 'PGT021', [])[0]?.message ?? '', /not found/);
    const [unknown] = findings(trickleDb('sales', 'nope'), 'PGT021', [], false);
    assert.equal(unknown?.severity, 'warn');
    assert.match(unknown?.message ?? '', /Cluster "nope" in namespace db is not known here/);
  });
  it('passes on a pg_trickle Cluster, and ignores Databases that do not ask for pg_trickle', () => {
    assert.deepEqual(findings(trickleDb('sales'), 'PGT021', [readyCluster()]), []);
    const out = validate(request(database('sales', 'plain')), context({ objects: [plainCluster()], clustersKnown: true }));
    assert.deepEqual(out, { allowed: true, findings: [] });
    const absent = database('sales', 'plain', { extensions: [{ name: 'pg_trickle', ensure: 'absent' }] });
    assert.deepEqual(validate(request(absent), context({ objects: [plainCluster()] })).findings, []);
  });
});

describe('PGT022 Database creation and the worker budget', () => {
  it('denies when the new database pushes the Cluster below the minimum', () => {
    // minimum with 2 databases = 1 + 2 + 4 + 2 = 9
    const [f] = findings(trickleDb('sales'), 'PGT022', [tightCluster('8')]);
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /minimum 1 launcher \+ 2 databases \+ 4 refresh workers \+ 2 reserved = 9/);
  });
  it('warns below the recommended budget', () => {
    assert.equal(findings(trickleDb('sales'), 'PGT022', [tightCluster('9')])[0]?.severity, 'warn');
  });
  it('does not count a Database twice on UPDATE', () => {
    const stored = trickleDb('sales');
    (stored.spec as Record<string, unknown>)['name'] = 'sales_old';
    const db = trickleDb('sales');
    // The directory holds the stored version of this Database (renamed by the update): still 2 databases, minimum 9.
    assert.equal(findings(db, 'PGT022', [tightCluster('9'), stored], true, stored)[0]?.severity, 'warn');
  });
  it('does not judge an UPDATE that adds no database, but does when it brings one in', () => {
    const db = trickleDb('sales');
    const changed = { ...db, spec: { ...(db.spec as Record<string, unknown>), schemas: [{ name: 'reporting' }] } };
    // Already below the minimum (9) with this database counted: the update does not make it worse.
    assert.deepEqual(findings(changed, 'PGT022', [tightCluster('8'), db], true, db), []);
    const wasAbsent = { ...db, spec: { ...(db.spec as Record<string, unknown>), ensure: 'absent' } };
    assert.equal(findings(db, 'PGT022', [tightCluster('8'), wasAbsent], true, wasAbsent)[0]?.severity, 'deny');
    const renamed = trickleDb('sales');
    (renamed.spec as Record<string, unknown>)['name'] = 'sales2';
    assert.equal(findings(renamed, 'PGT022', [tightCluster('8'), db], true, db)[0]?.severity, 'deny');
  });

  it('does not count a Database named like the bootstrap database', () => {
    assert.equal(findings(trickleDb('app'), 'PGT022', [tightCluster('8')])[0]?.severity, 'warn');
  });
  it('passes with room to spare', () => {
    assert.deepEqual(findings(trickleDb('sales'), 'PGT022', [tightCluster('64')]), []);
  });
});

// Scope (SPEC §2) and the policy's severity overrides, through the engine entry points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, mutate, validate } from '../../../src/core/engine.js';
import { context, database, params, plainCluster, readyCluster, request } from './fixtures.js';

const NOTHING = { mutations: [], patch: [] };

describe('scope', () => {
  it('leaves a Cluster without pg_trickle untouched: no patch, no findings', () => {
    const c = plainCluster();
    const out = check(request(c), context());
    assert.deepEqual({ mutations: out.mutation.mutations, patch: out.mutation.patch }, NOTHING);
    assert.deepEqual(out.validation, { allowed: true, findings: [] });
  });

  it('ignores other kinds, DELETE and CONNECT', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { 'pgtrickle.io/inject': 'true' } } };
    assert.deepEqual(check(request(pod), context()).validation.findings, []);
    const broken = readyCluster();
    params(broken)['max_worker_processes'] = '1';
    assert.equal(validate(request(broken, 'DELETE'), context()).allowed, true);
    assert.equal(validate(request(broken, 'CONNECT'), context()).allowed, true);
    assert.equal(validate(request(broken), context()).allowed, false);
  });

  it('never refuses or mutates an UPDATE of an object being deleted (finalizer removal)', () => {
    const db = database('sales', 'plain', { extensions: [{ name: 'pg_trickle' }] });
    const ctx = context({ objects: [plainCluster(), db], clustersKnown: true });
    assert.equal(validate(request(db, 'UPDATE', db), ctx).allowed, false, 'PGT021 while alive');
    const deleting = { ...db, metadata: { ...db.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [] } };
    assert.deepEqual(validate(request(deleting, 'UPDATE', db), ctx), { allowed: true, findings: [] });
    const broken = readyCluster();
    params(broken)['max_worker_processes'] = '1';
    broken.metadata = { ...broken.metadata, labels: { 'pgtrickle.io/inject': 'true' }, deletionTimestamp: '2026-01-01T00:00:00Z' };
    assert.deepEqual(check(request(broken, 'UPDATE', broken), context()).validation, { allowed: true, findings: [] });
    assert.deepEqual(mutate(request(broken, 'UPDATE', broken), context()).patch, []);
  });

  it('exempt namespaces are allowed untouched', () => {
    const c = plainCluster();
    c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true' } };
    const ctx = context({ policy: { exemptNamespaces: ['db'] } });
    assert.deepEqual(mutate(request(c), ctx).patch, []);
    const broken = readyCluster();
    params(broken)['max_worker_processes'] = '1';
    assert.equal(validate(request(broken), ctx).allowed, true);
  });

  it('label "false" opts out of injection even under injection.mode: always', () => {
    const c = plainCluster();
    c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'false' } };
    const ctx = context({ policy: { injection: { mode: 'always' } } });
    assert.deepEqual(mutate(request(c), ctx).patch, []);
    assert.deepEqual(validate(request(c), ctx).findings, []);
  });

  it('completes a partial setup without the label (preload only)', () => {
    const c = plainCluster();
    (c.spec as Record<string, unknown>)['postgresql'] = { shared_preload_libraries: ['pg_trickle'] };
    assert.deepEqual(mutate(request(c), context()).mutations, ['M01', 'M06']);
  });

  it('on UPDATE validates when only the old object used pg_trickle', () => {
    const out = validate(request(plainCluster('pg'), 'UPDATE', readyCluster()), context());
    assert.equal(out.allowed, false);
    assert.ok(out.findings.some((f) => f.rule === 'PGT012'));
  });
});

describe('severity overrides', () => {
  const warnOnly = () => {
    const c = readyCluster();
    params(c)['max_worker_processes'] = '8';
    params(c)['pg_trickle.enabled'] = 'off';
    return c;
  };

  it('off drops the finding; deny turns a warning into a denial', () => {
    const base = validate(request(warnOnly()), context());
    assert.equal(base.allowed, true);
    assert.deepEqual(base.findings.map((f) => f.rule), ['PGT004', 'PGT015']);
    const off = validate(request(warnOnly()), context({ policy: { rules: { PGT015: 'off' } } }));
    assert.deepEqual(off.findings.map((f) => f.rule), ['PGT004']);
    const strict = validate(request(warnOnly()), context({ policy: { rules: { PGT015: 'deny' } } }));
    assert.equal(strict.allowed, false);
  });

  it('warn turns a denial into an admitted warning', () => {
    const c = readyCluster();
    params(c)['pg_trickle.cdc_paused'] = 'on';
    assert.equal(validate(request(c), context()).allowed, false);
    const out = validate(request(c), context({ policy: { rules: { PGT016: 'warn' } } }));
    assert.equal(out.allowed, true);
    assert.equal(out.findings[0]?.severity, 'warn');
  });
});

describe('parameter names are case-insensitive, as in PostgreSQL', () => {
  it('judges MAX_WORKER_PROCESSES and Pg_Trickle.Cdc_Paused under the spelling the manifest uses', () => {
    const c = readyCluster();
    const p = params(c);
    delete p['max_worker_processes'];
    p['MAX_WORKER_PROCESSES'] = '1';
    p['Pg_Trickle.Cdc_Paused'] = 'on';
    const paths = validate(request(c), context()).findings.map((f) => `${f.rule} ${f.path}`);
    assert.ok(paths.includes('PGT004 spec.postgresql.parameters.MAX_WORKER_PROCESSES'), paths.join('; '));
    assert.ok(paths.includes("PGT016 spec.postgresql.parameters['Pg_Trickle.Cdc_Paused']"), paths.join('; '));
  });

  it('mutations do not add a second spelling of a parameter that is set', () => {
    const c = plainCluster();
    c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true' }, annotations: { 'pgtrickle.io/extra-databases': '40' } };
    (c.spec as Record<string, unknown>)['postgresql'] = { parameters: { Max_Worker_Processes: '64', 'PG_TRICKLE.ENABLED': 'off', Shared_Preload_Libraries: 'auto_explain' } };
    const out = mutate(request(c), context({ policy: { injection: { defaultParameters: { 'pg_trickle.enabled': 'on' } } } }));
    assert.deepEqual(out.mutations, ['M01', 'M02', 'M03', 'M06']);
    const postgresql = (out.object.spec as { postgresql: Record<string, unknown> }).postgresql;
    assert.deepEqual(postgresql['parameters'], { Max_Worker_Processes: '64', 'PG_TRICKLE.ENABLED': 'off' });
    assert.deepEqual(postgresql['shared_preload_libraries'], ['auto_explain', 'pg_trickle']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { KubeObject } from '../../../../src/core/types.js';
import { context, database, ofRule, params, readyCluster, request, type ContextOptions } from '../fixtures.js';

function pgt004(c: KubeObject, opts: ContextOptions = {}) {
  return ofRule(validate(request(c), context(opts)).findings, 'PGT004');
}

/** pg_trickle's own cnpg/cluster-example.yaml (seed document), with its image owner filled in. */
const PG_TRICKLE_EXAMPLE: KubeObject = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'pg-trickle-demo' },
  spec: {
    instances: 3,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:18',
    postgresql: {
      shared_preload_libraries: ['pg_trickle'],
      extensions: [{ name: 'pg-trickle', image: { reference: 'ghcr.io/trickle-labs/pg_trickle-ext:0.13.0' } }],
      parameters: { max_worker_processes: '8' },
    },
    bootstrap: { initdb: { database: 'app', owner: 'app' } },
    storage: { size: '10Gi' },
  },
};

describe('PGT004 worker budget', () => {
  it('SPEC §4 example, pg_trickle\'s cluster-example.yaml: allowed, with a warning to raise 8 to 16', () => {
    const out = validate(request(PG_TRICKLE_EXAMPLE), context());
    assert.equal(out.allowed, true);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.severity]), [['PGT004', 'warn']]);
    assert.match(out.findings[0]?.message ?? '', /= 8\b.*recommended 8 minimum \+ 8 parallel-query reserve = 16/);
  });

  it('SPEC example: max_worker_processes 8 with one database is the minimum (allowed) but below recommended 16 (warn)', () => {
    const c = readyCluster();
    params(c)['max_worker_processes'] = '8';
    const [f, ...rest] = pgt004(c);
    assert.equal(rest.length, 0);
    assert.equal(f?.severity, 'warn');
    assert.match(f?.message ?? '', /minimum 1 launcher \+ 1 database \+ 4 refresh workers \+ 2 reserved = 8/);
    assert.match(f?.message ?? '', /recommended 8 minimum \+ 8 parallel-query reserve = 16/);
    assert.equal(validate(request(c), context()).allowed, true);
  });

  it('denies below the minimum and shows the formula with four databases', () => {
    const c = readyCluster();
    params(c)['max_worker_processes'] = '10';
    const objects = ['a', 'b', 'c'].map((n) => database(n, 'pg'));
    const [f] = pgt004(c, { objects });
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.postgresql.parameters.max_worker_processes');
    assert.match(f?.message ?? '', /minimum 1 launcher \+ 4 databases \+ 4 refresh workers \+ 2 reserved = 11/);
    assert.match(f?.message ?? '', /max_worker_processes: "19"/);
  });

  it('judges CNPG\'s default 32 when max_worker_processes is absent', () => {
    const c = readyCluster();
    delete params(c)['max_worker_processes'];
    params(c)['pg_trickle.max_dynamic_refresh_workers'] = '30';
    const [f] = pgt004(c);
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /CNPG uses its default 32/);
  });

  it('denies a max_worker_processes that is not an integer, without crashing', () => {
    const c = readyCluster();
    params(c)['max_worker_processes'] = 'eight';
    const [f] = pgt004(c);
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /"eight" is not a whole number/);
  });

  it('denies "016" (PostgreSQL reads octal 14) instead of judging it as 16', () => {
    const c = readyCluster();
    params(c)['max_worker_processes'] = '016';
    const [f] = pgt004(c);
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /"016" is not plain decimal digits: PostgreSQL reads a leading 0 as octal/);
  });

  it('warns about a bad extra-databases annotation and ignores it', () => {
    const c = readyCluster();
    c.metadata = { ...c.metadata, annotations: { 'pgtrickle.io/extra-databases': 'many' } };
    const [f] = pgt004(c);
    assert.equal(f?.severity, 'warn');
    assert.equal(f?.path, "metadata.annotations['pgtrickle.io/extra-databases']");
  });

  it('passes with enough workers', () => {
    assert.deepEqual(pgt004(readyCluster()), []);
  });
});

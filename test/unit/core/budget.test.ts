import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxWorkerProcesses, workerBudget } from '../../../src/core/budget.js';
import { readCluster } from '../../../src/core/cluster/read.js';
import type { KubeObject } from '../../../src/core/types.js';
import { context, database, params, readyCluster, type ContextOptions } from './fixtures.js';

function budget(c: KubeObject, opts: ContextOptions = {}, added?: { objectName: string; name: string }) {
  const ctx = context(opts);
  return workerBudget({ view: readCluster(c), namespace: 'db', clusterName: 'pg', policy: ctx.policy, directory: ctx.directory, added });
}

describe('worker budget (SPEC §4)', () => {
  it('one database with defaults: minimum 8, recommended 16', () => {
    const b = budget(readyCluster());
    assert.deepEqual([b.databases, b.refreshWorkers, b.minimum, b.recommended], [1, 4, 8, 16]);
    assert.equal(b.minimumFormula, 'minimum 1 launcher + 1 database + 4 refresh workers + 2 reserved = 8');
    assert.equal(b.recommendedFormula, 'recommended 8 minimum + 8 parallel-query reserve = 16');
  });

  it('counts Databases by distinct spec.name, skipping ensure: absent and other clusters', () => {
    const objects = [
      database('a', 'pg'), database('a-again', 'pg', { name: 'a' }), database('app', 'pg'),
      database('gone', 'pg', { ensure: 'absent' }), database('elsewhere', 'other'),
    ];
    assert.equal(budget(readyCluster(), { objects }).databases, 2); // app + a
  });

  it('uses the bootstrap database name when deduplicating', () => {
    const c = readyCluster();
    (c.spec as Record<string, unknown>)['bootstrap'] = { initdb: { database: 'shop' } };
    assert.equal(budget(c, { objects: [database('app', 'pg'), database('shop', 'pg')] }).databases, 2);
  });

  it('parallel_refresh_mode = off removes the refresh workers', () => {
    const c = readyCluster();
    params(c)['pg_trickle.parallel_refresh_mode'] = 'OFF';
    params(c)['pg_trickle.max_dynamic_refresh_workers'] = '16';
    const b = budget(c);
    assert.equal(b.refreshWorkers, 0);
    assert.match(b.minimumFormula, /0 refresh workers \(parallel_refresh_mode = off\)/);
  });

  it('reads max_dynamic_refresh_workers, and falls back to 4 for an invalid value', () => {
    const c = readyCluster();
    params(c)['pg_trickle.max_dynamic_refresh_workers'] = '10';
    assert.equal(budget(c).refreshWorkers, 10);
    params(c)['pg_trickle.max_dynamic_refresh_workers'] = '1000';
    assert.equal(budget(c).refreshWorkers, 4);
  });

  it('adds the extra-databases annotation; a bad value is reported and counts as 0', () => {
    const c = readyCluster();
    c.metadata = { ...c.metadata, annotations: { 'pgtrickle.io/extra-databases': '3' } };
    assert.equal(budget(c).databases, 4);
    for (const bad of ['-1', 'three', '1.5', '99999999999']) {
      c.metadata = { ...c.metadata, annotations: { 'pgtrickle.io/extra-databases': bad } };
      const b = budget(c);
      assert.equal(b.databases, 1, bad);
      assert.equal(b.problems.length, 1, bad);
    }
  });

  it('policy reserves change the formula', () => {
    const b = budget(readyCluster(), { policy: { budget: { reservedWorkers: 0, parallelQueryReserve: 2 } } });
    assert.deepEqual([b.minimum, b.recommended], [6, 8]);
  });

  it('counts an added Database once even when the directory already holds it', () => {
    const db = database('sales', 'pg');
    assert.equal(budget(readyCluster(), { objects: [db] }, { objectName: 'sales', name: 'sales' }).databases, 2);
    // renamed on UPDATE: the stored copy's old name no longer counts
    assert.equal(budget(readyCluster(), { objects: [db] }, { objectName: 'sales', name: 'sales2' }).databases, 2);
  });
});

describe('max_worker_processes as PostgreSQL sees it', () => {
  it('absent → CNPG default 32; explicit; unreadable', () => {
    const c = readyCluster();
    delete params(c)['max_worker_processes'];
    assert.deepEqual(maxWorkerProcesses(readCluster(c)), { kind: 'default', value: 32, path: 'spec.postgresql.parameters.max_worker_processes' });
    params(c)['max_worker_processes'] = ' 12 ';
    assert.equal(maxWorkerProcesses(readCluster(c)).kind, 'explicit');
    params(c)['max_worker_processes'] = '12MB';
    assert.equal(maxWorkerProcesses(readCluster(c)).kind, 'invalid');
  });

  it('does not take "010" for 10: PostgreSQL reads octal (8), hex and rounds fractions', () => {
    const c = readyCluster();
    for (const text of ['010', '0x20', '16.0']) {
      params(c)['max_worker_processes'] = text;
      assert.deepEqual(maxWorkerProcesses(readCluster(c)), { kind: 'invalid', text, path: 'spec.postgresql.parameters.max_worker_processes', ambiguous: true }, text);
    }
    params(c)['max_worker_processes'] = '0';
    assert.equal(maxWorkerProcesses(readCluster(c)).kind, 'explicit');
  });
});

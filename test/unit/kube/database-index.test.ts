import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DatabaseIndex } from '../../../src/kube/database-index.js';
import { db } from './fake-transport.js';

const names = (list: readonly { metadata?: { name?: string } }[]): string[] => list.map((d) => d.metadata?.name ?? '').sort();

test('Databases are found by namespace and cluster', () => {
  const ix = new DatabaseIndex();
  ix.replace([db('a', 'one', 'pg'), db('a', 'two', 'pg'), db('a', 'three', 'other'), db('b', 'four', 'pg')]);
  assert.deepEqual(names(ix.databasesOf('a', 'pg')), ['one', 'two']);
  assert.deepEqual(names(ix.databasesOf('b', 'pg')), ['four']);
  assert.deepEqual(ix.databasesOf('c', 'pg'), []);
  assert.equal(ix.size, 4);
});

test('an update that changes spec.cluster.name moves the Database', () => {
  const ix = new DatabaseIndex();
  ix.upsert(db('a', 'one', 'pg'));
  assert.equal(ix.databasesOf('a', 'pg').length, 1);
  ix.upsert(db('a', 'one', 'pg2', '2'));
  assert.deepEqual(ix.databasesOf('a', 'pg'), []);
  assert.deepEqual(names(ix.databasesOf('a', 'pg2')), ['one']);
  assert.equal(ix.size, 1);
});

test('delete and re-list drop what is gone; answers handed out earlier stay intact', () => {
  const ix = new DatabaseIndex();
  ix.replace([db('a', 'one', 'pg'), db('a', 'two', 'pg')]);
  const before = ix.databasesOf('a', 'pg');
  ix.remove(db('a', 'one', 'pg'));
  assert.deepEqual(names(ix.databasesOf('a', 'pg')), ['two']);
  assert.equal(before.length, 2);
  ix.replace([db('a', 'three', 'pg')]);
  assert.deepEqual(names(ix.databasesOf('a', 'pg')), ['three']);
  assert.equal(ix.size, 1);
});

test('Databases without a cluster name or a name are not indexed', () => {
  const ix = new DatabaseIndex();
  ix.upsert({ kind: 'Database', metadata: { namespace: 'a', name: 'x' }, spec: {} });
  ix.upsert({ kind: 'Database', metadata: { namespace: 'a' }, spec: { cluster: { name: 'pg' } } });
  assert.equal(ix.size, 0);
  assert.deepEqual(ix.databasesOf('a', 'pg'), []);
});

test('managedFields are not kept', () => {
  const ix = new DatabaseIndex();
  const d = db('a', 'one', 'pg');
  d.metadata!.managedFields = [{ manager: 'kubectl' }];
  ix.upsert(d);
  assert.equal(ix.databasesOf('a', 'pg')[0]?.metadata?.managedFields, undefined);
});

test('any sequence of upserts/removes/replaces agrees with a plain filter over the live set', () => {
  const op = fc.oneof(
    fc.record({ t: fc.constant('up' as const), ns: fc.constantFrom('a', 'b'), name: fc.constantFrom('d1', 'd2', 'd3', 'd4'), cluster: fc.constantFrom('pg', 'pg2') }),
    fc.record({ t: fc.constant('rm' as const), ns: fc.constantFrom('a', 'b'), name: fc.constantFrom('d1', 'd2', 'd3', 'd4'), cluster: fc.constant('pg') }),
    fc.record({ t: fc.constant('relist' as const), ns: fc.constant('a'), name: fc.constantFrom('d1', 'd2'), cluster: fc.constantFrom('pg', 'pg2') }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const ix = new DatabaseIndex();
      const live = new Map<string, ReturnType<typeof db>>();
      for (const o of ops) {
        const d = db(o.ns, o.name, o.cluster);
        if (o.t === 'up') live.set(`${o.ns}/${o.name}`, d);
        if (o.t === 'rm') live.delete(`${o.ns}/${o.name}`);
        if (o.t === 'relist') {
          live.clear();
          live.set(`${o.ns}/${o.name}`, d);
        }
        if (o.t === 'up') ix.upsert(d);
        else if (o.t === 'rm') ix.remove(d);
        else ix.replace([d]);
      }
      for (const ns of ['a', 'b']) {
        for (const cluster of ['pg', 'pg2']) {
          const expected = [...live.values()].filter((d) => d.metadata?.namespace === ns && (d.spec as { cluster: { name: string } }).cluster.name === cluster);
          assert.deepEqual(names(ix.databasesOf(ns, cluster)), names(expected));
        }
      }
      assert.equal(ix.size, live.size);
    }),
  );
});

// Inputs are untrusted: any field of any type must yield a decision, never an exception.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { check, validate } from '../../../src/core/engine.js';
import type { KubeObject, Operation } from '../../../src/core/types.js';
import { context, database, readyCluster } from './fixtures.js';

/** Replace one field somewhere in a valid object with an arbitrary JSON value. */
function corrupt(base: KubeObject, path: readonly string[], value: unknown): KubeObject {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] ?? 'spec'] = value;
  return copy as KubeObject;
}

const clusterPaths = fc.constantFrom(
  ['spec'], ['metadata'], ['metadata', 'labels'], ['metadata', 'annotations'], ['metadata', 'name'],
  ['spec', 'postgresql'], ['spec', 'postgresql', 'shared_preload_libraries'], ['spec', 'postgresql', 'extensions'],
  ['spec', 'postgresql', 'parameters'], ['spec', 'postgresql', 'parameters', 'max_worker_processes'],
  ['spec', 'postgresql', 'parameters', 'pg_trickle.enabled'], ['spec', 'imageName'], ['spec', 'imageCatalogRef'],
  ['spec', 'bootstrap'], ['spec', 'replica'], ['metadata', 'annotations', 'pgtrickle.io/extra-databases'],
);
const databasePaths = fc.constantFrom(['spec'], ['spec', 'extensions'], ['spec', 'cluster'], ['spec', 'name'], ['spec', 'ensure'], ['metadata']);
const json = fc.jsonValue({ maxDepth: 3 });
const operation = fc.constantFrom<Operation>('CREATE', 'UPDATE');

describe('untrusted input', () => {
  it('Clusters with any field of any type get a decision', () => {
    fc.assert(fc.property(clusterPaths, json, operation, clusterPaths, json, (path, value, op, oldPath, oldValue) => {
      const object = corrupt(readyCluster(), path, value);
      const oldObject = corrupt(readyCluster(), oldPath, oldValue);
      const ctx = context({ policy: { injection: { mode: 'always' } }, objects: [database('x', 'pg')] });
      const out = check({ operation: op, kind: 'Cluster', namespace: 'db', object, oldObject }, ctx);
      assert.equal(typeof out.validation.allowed, 'boolean');
    }), { numRuns: 600 });
  });

  it('Databases with any field of any type get a decision', () => {
    fc.assert(fc.property(databasePaths, json, fc.boolean(), (path, value, known) => {
      const db = database('d', 'pg', { extensions: [{ name: 'pg_trickle' }] });
      const ctx = context({ objects: [readyCluster(), corrupt(database('e', 'pg'), path, value)], clustersKnown: known });
      const out = validate({ operation: 'CREATE', kind: 'Database', namespace: 'db', object: corrupt(db, path, value) }, ctx);
      assert.equal(typeof out.allowed, 'boolean');
    }), { numRuns: 400 });
  });

  it('whole objects of arbitrary shape get a decision', () => {
    fc.assert(fc.property(fc.constantFrom('Cluster', 'Database'), fc.dictionary(fc.string({ maxLength: 8 }), json), (kind, body) => {
      const object = { ...body, kind } as KubeObject;
      const out = check({ operation: 'CREATE', kind, namespace: 'db', object }, context({ policy: { injection: { mode: 'always' } } }));
      assert.equal(typeof out.validation.allowed, 'boolean');
    }), { numRuns: 300 });
  });
});

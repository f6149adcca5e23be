// Property-based: over random Cluster shapes, mutation is idempotent and its patch reproduces the mutated object.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { mutate } from '../../../../src/core/engine.js';
import type { Environment, KubeObject } from '../../../../src/core/types.js';
import { context } from '../fixtures.js';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const libs = fc.array(fc.constantFrom('pg_trickle', 'pg_stat_statements', 'auto_explain', 'pgaudit'), { maxLength: 4 });
const paramNames = fc.constantFrom(
  'max_worker_processes', 'work_mem', 'pg_trickle.enabled', 'pg_trickle.max_dynamic_refresh_workers',
  'pg_trickle.parallel_refresh_mode', 'shared_preload_libraries', 'wal_level',
);
const paramValues = fc.oneof(fc.constantFrom('on', 'off', '4', '40', '8', 'pg_trickle,auto_explain', ''), fc.string({ maxLength: 6 }));
const extensionEntry = fc.record({
  name: fc.constantFrom('pg-trickle', 'pg_trickle', 'postgis', 'vector'),
  image: fc.record({ reference: fc.constantFrom('ghcr.io/trickle-labs/pg_trickle-ext:0.66.0', 'x/postgis:3') }),
});
/** Present, absent, or a value of the wrong type. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), arb, fc.constantFrom<unknown>('oops', 7, null));

const cluster: fc.Arbitrary<KubeObject> = fc.record({
  apiVersion: fc.constant('postgresql.cnpg.io/v1'),
  kind: fc.constant('Cluster'),
  metadata: fc.record({
    name: fc.constantFrom('a', 'b'),
    labels: opt(fc.record({ 'pgtrickle.io/inject': fc.constantFrom('true', 'false', 'yes') }, { requiredKeys: [] })),
    annotations: opt(fc.record({ 'pgtrickle.io/extra-databases': fc.constantFrom('0', '3', '40', 'x'), other: fc.string() }, { requiredKeys: [] })),
  }, { requiredKeys: ['name'] }),
  spec: fc.record({
    instances: fc.integer({ min: 1, max: 5 }),
    imageName: opt(fc.constantFrom('ghcr.io/cloudnative-pg/postgresql:18', 'ghcr.io/trickle-labs/pg_trickle:18-0.67.0')),
    postgresql: maybe(fc.record({
      shared_preload_libraries: maybe(libs),
      parameters: maybe(fc.dictionary(paramNames, paramValues, { maxKeys: 5 })),
      extensions: maybe(fc.array(extensionEntry, { maxLength: 3 })),
      synchronous: opt(fc.record({ method: fc.constant('any'), number: fc.nat(3) })),
    }, { requiredKeys: [] })),
  }, { requiredKeys: ['instances'] }),
}, { requiredKeys: ['apiVersion', 'kind', 'metadata', 'spec'] })
  // As received over the wire: JSON, so no keys holding undefined.
  .map((c) => JSON.parse(JSON.stringify(c)) as KubeObject);

const environment: fc.Arbitrary<Partial<Environment>> = fc.record({
  kubernetesVersion: opt(fc.constantFrom('1.32', '1.34', '1.35')),
  imageVolume: opt(fc.boolean()),
  cnpgVersion: opt(fc.constantFrom('1.26.0', '1.30.0')),
  crdHasExtensions: opt(fc.boolean()),
});
const mode = fc.constantFrom<'label' | 'always'>('label', 'always');
const defaults = fc.dictionary(fc.constantFrom('pg_trickle.enabled', 'pg_trickle.parallel_refresh_mode'), fc.constantFrom('on', 'off'), { maxKeys: 2 });

function req(object: KubeObject) {
  return { operation: 'CREATE' as const, kind: 'Cluster', namespace: 'db', object };
}

describe('mutation properties', () => {
  it('mutating the mutated object yields no patch and no mutation ids', () => {
    fc.assert(fc.property(cluster, environment, mode, defaults, (c, env, m, d) => {
      const ctx = context({ environment: env, policy: { injection: { mode: m, defaultParameters: d } } });
      const once = mutate(req(c), ctx);
      const twice = mutate(req(once.object), ctx);
      assert.deepEqual(twice.patch, []);
      assert.deepEqual(twice.mutations, []);
      assert.equal(once.patch.length === 0, once.mutations.length === 0);
    }), { numRuns: 400 });
  });

  it('the patch applied to the request object gives the mutated object', () => {
    fc.assert(fc.property(cluster, environment, mode, (c, env, m) => {
      const out = mutate(req(c), context({ environment: env, policy: { injection: { mode: m } } }));
      const applied = jsonpatch.applyPatch(structuredClone(c), out.patch, true, false).newDocument;
      assert.deepEqual(applied, out.object);
    }), { numRuns: 400 });
  });
});

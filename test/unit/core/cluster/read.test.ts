import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { injectionRequested, shouldInject, usesPgTrickle } from '../../../../src/core/cluster/intent.js';
import { readCluster, splitLibraries } from '../../../../src/core/cluster/read.js';
import { policySchema } from '../../../../src/core/policy/schema.js';
import type { KubeObject } from '../../../../src/core/types.js';

const cluster = (spec: unknown, metadata: unknown = { name: 'c' }): KubeObject => ({ kind: 'Cluster', metadata, spec } as KubeObject);
const always = policySchema.parse({ injection: { mode: 'always' } });
const byLabel = policySchema.parse({});

describe('reading a Cluster', () => {
  it('splits shared_preload_libraries settings like PostgreSQL', () => {
    assert.deepEqual(splitLibraries(' pg_trickle, "pg_stat_statements",,auto_explain '), ['pg_trickle', 'pg_stat_statements', 'auto_explain']);
    assert.deepEqual(splitLibraries(''), []);
  });

  it('tolerates fields of the wrong type', () => {
    const v = readCluster(cluster({ postgresql: { shared_preload_libraries: 'pg_trickle', parameters: ['x'], extensions: 'no' }, imageName: 7 }, 'meta'));
    assert.equal(v.preloadList, undefined);
    assert.equal(v.preloadListMalformed, true);
    assert.equal(v.parameters.size, 0);
    assert.equal(v.extensionEntry, undefined);
    assert.equal(v.imageName, undefined);
    assert.deepEqual(v.labels, {});
  });

  it('finds pg_trickle\'s entry by either name and keeps its position', () => {
    const v = readCluster(cluster({ postgresql: { extensions: [{ name: 'postgis' }, { name: 'pg_trickle', image: { reference: 'r:1' } }] } }));
    assert.deepEqual(v.extensionEntry, { index: 1, name: 'pg_trickle', reference: 'r:1' });
  });
});

describe('what a Cluster asks for (SPEC §2)', () => {
  const cases: Array<[string, KubeObject, boolean]> = [
    ['preload list', cluster({ postgresql: { shared_preload_libraries: ['pg_trickle'] } }), true],
    ['preload parameter', cluster({ postgresql: { parameters: { shared_preload_libraries: 'a,pg_trickle' } } }), true],
    ['extension entry', cluster({ postgresql: { extensions: [{ name: 'pg-trickle' }] } }), true],
    ['pg_trickle.* parameter', cluster({ postgresql: { parameters: { 'pg_trickle.enabled': 'on' } } }), true],
    ['label true', cluster({}, { labels: { 'pgtrickle.io/inject': 'true' } }), true],
    ['nothing', cluster({ postgresql: { parameters: { work_mem: '4MB' } } }), false],
  ];
  for (const [what, c, uses] of cases) it(`uses pg_trickle: ${what} → ${uses}`, () => assert.equal(usesPgTrickle(readCluster(c)), uses));

  it('label "false" opts out of injection, even under mode always and with a partial setup', () => {
    const c = readCluster(cluster({ postgresql: { shared_preload_libraries: ['pg_trickle'] } }, { labels: { 'pgtrickle.io/inject': 'false' } }));
    assert.equal(injectionRequested(c, always), false);
    assert.equal(shouldInject(c, always), false);
  });

  it('mode always requests injection for every Cluster; mode label only for the label', () => {
    const plain = readCluster(cluster({}));
    assert.equal(injectionRequested(plain, always), true);
    assert.equal(injectionRequested(plain, byLabel), false);
    assert.equal(shouldInject(plain, byLabel), false);
  });
});

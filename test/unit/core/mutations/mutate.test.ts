import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsonpatch from 'fast-json-patch';
import { mutate } from '../../../../src/core/engine.js';
import type { KubeObject } from '../../../../src/core/types.js';
import { context, EXT_IMAGE, plainCluster, request, type ContextOptions } from '../fixtures.js';

function labelled(postgresql?: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  const c = plainCluster('pg');
  c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true', team: 'a' } };
  Object.assign(c.spec as Record<string, unknown>, extra);
  if (postgresql) (c.spec as Record<string, unknown>)['postgresql'] = postgresql;
  return c;
}

function run(c: KubeObject, opts: ContextOptions = {}) {
  const out = mutate(request(c), context(opts));
  const postgresql = (out.object.spec as { postgresql: Record<string, unknown> }).postgresql;
  return { ...out, postgresql };
}

describe('mutations', () => {
  it('injects everything into a bare labelled Cluster (absent postgresql, annotations, lists)', () => {
    const out = run(labelled());
    assert.deepEqual(out.mutations, ['M01', 'M02', 'M06']);
    assert.deepEqual(out.postgresql, {
      shared_preload_libraries: ['pg_trickle'],
      extensions: [{ name: 'pg-trickle', image: { reference: EXT_IMAGE } }],
    });
    assert.equal(out.object.metadata?.annotations?.['pgtrickle.io/injected-image'], EXT_IMAGE);
  });

  it('escapes annotation keys in the patch and the patch reproduces the object', () => {
    const c = labelled();
    c.metadata = { ...c.metadata, annotations: { keep: 'me' } };
    const out = run(c);
    assert.ok(out.patch.some((op) => op.path === '/metadata/annotations/pgtrickle.io~1injected-image'));
    const applied = jsonpatch.applyPatch(structuredClone(c), out.patch, true, false).newDocument;
    assert.deepEqual(applied, out.object);
    assert.equal(out.object.metadata?.annotations?.['keep'], 'me');
  });

  it('M02 appends to the existing list, keeps its order, never duplicates', () => {
    const out = run(labelled({ shared_preload_libraries: ['pg_stat_statements', 'auto_explain'] }));
    assert.deepEqual(out.postgresql['shared_preload_libraries'], ['pg_stat_statements', 'auto_explain', 'pg_trickle']);
    assert.ok(out.patch.every((op) => op.op === 'add'), 'only additions, no replaced list');
  });

  it('M03 moves parameters.shared_preload_libraries into the list and deletes the parameter', () => {
    const out = run(labelled({ shared_preload_libraries: ['auto_explain'], parameters: { shared_preload_libraries: 'pg_trickle, "pg_stat_statements",auto_explain', work_mem: '4MB' } }));
    assert.deepEqual(out.mutations, ['M01', 'M03', 'M06']);
    assert.deepEqual(out.postgresql['shared_preload_libraries'], ['auto_explain', 'pg_trickle', 'pg_stat_statements']);
    assert.deepEqual(out.postgresql['parameters'], { work_mem: '4MB' });
  });

  it('M03 moves every spelling of the parameter in one run, so a second run changes nothing', () => {
    const out = run(labelled({ parameters: { Shared_Preload_Libraries: 'auto_explain', shared_preload_libraries: 'pgaudit', work_mem: '4MB' } }));
    assert.deepEqual(out.postgresql['parameters'], { work_mem: '4MB' });
    assert.deepEqual(out.postgresql['shared_preload_libraries'], ['auto_explain', 'pgaudit', 'pg_trickle']);
    assert.deepEqual(mutate(request(out.object), context()).patch, []);
  });

  it('M01 is skipped for an allowed custom image, an existing entry, or a known-unsupported platform', () => {
    assert.ok(!run(labelled(undefined, { imageName: 'ghcr.io/trickle-labs/pg_trickle:18-0.67.0' })).mutations.includes('M01'));
    const existing = run(labelled({ extensions: [{ name: 'pg_trickle', image: { reference: 'my/own:1' } }] }));
    assert.deepEqual(existing.postgresql['extensions'], [{ name: 'pg_trickle', image: { reference: 'my/own:1' } }]);
    assert.ok(!run(labelled(), { environment: { imageVolume: false } }).mutations.includes('M01'));
    assert.ok(!run(labelled(), { environment: { kubernetesVersion: '1.31' } }).mutations.includes('M01'));
    assert.ok(!run(labelled(), { environment: { crdHasExtensions: false } }).mutations.includes('M01'));
    assert.ok(run(labelled(), { environment: { kubernetesVersion: undefined, imageVolume: undefined, cnpgVersion: undefined } }).mutations.includes('M01'));
    // An old operator alone does not stop injection: validation (PGT009) gives the one clear denial.
    assert.ok(run(labelled(), { environment: { cnpgVersion: '1.27.0' } }).mutations.includes('M01'));
  });

  it('M01 appends after other extensions, keeping their unknown fields', () => {
    const other = { name: 'postgis', image: { reference: 'x/postgis:3', pullPolicy: 'Always' }, futureField: { a: 1 } };
    const out = run(labelled({ extensions: [other] }));
    assert.deepEqual(out.postgresql['extensions'], [other, { name: 'pg-trickle', image: { reference: EXT_IMAGE } }]);
  });

  it('M04 sizes max_worker_processes only when absent and CNPG\'s 32 is short', () => {
    const many = labelled();
    many.metadata = { ...many.metadata, annotations: { 'pgtrickle.io/extra-databases': '20' } };
    // 1 + 21 + 4 + 2 = 28 minimum, 36 recommended > 32
    assert.equal((run(many).postgresql['parameters'] as Record<string, string>)['max_worker_processes'], '36');
    assert.ok(!run(labelled()).mutations.includes('M04'));
    const explicit = labelled({ parameters: { max_worker_processes: '10' } });
    explicit.metadata = many.metadata;
    const out = run(explicit);
    assert.ok(!out.mutations.includes('M04'));
    assert.equal((out.postgresql['parameters'] as Record<string, string>)['max_worker_processes'], '10');
  });

  it('M05 adds absent default parameters and never overwrites', () => {
    const policy = { injection: { defaultParameters: { 'pg_trickle.enabled': 'on', 'pg_trickle.cdc_mode': 'trigger' } } };
    const out = run(labelled({ parameters: { 'pg_trickle.cdc_mode': 'wal' } }), { policy });
    assert.ok(out.mutations.includes('M05'));
    assert.deepEqual(out.postgresql['parameters'], { 'pg_trickle.cdc_mode': 'wal', 'pg_trickle.enabled': 'on' });
  });

  it('M05 defaults feed M04: parallel refresh off lowers the budget', () => {
    const many = labelled();
    many.metadata = { ...many.metadata, annotations: { 'pgtrickle.io/extra-databases': '20' } };
    const policy = { injection: { defaultParameters: { 'pg_trickle.parallel_refresh_mode': 'off' } } };
    // 1 + 21 + 0 + 2 = 24 minimum, 32 recommended: CNPG's default is enough
    assert.deepEqual(run(many, { policy }).mutations, ['M01', 'M02', 'M05', 'M06']);
  });

  it('leaves malformed fields alone instead of replacing them', () => {
    const out = run(labelled({ shared_preload_libraries: 'pg_trickle', extensions: { not: 'a list' } }));
    assert.deepEqual(out.mutations, []);
    assert.deepEqual(out.patch, []);
  });

  it('does not modify the request object', () => {
    const c = labelled({ shared_preload_libraries: ['a'] });
    const before = structuredClone(c);
    run(c);
    assert.deepEqual(c, before);
  });
});

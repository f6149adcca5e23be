import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/core/types.js';
import { crdExtensions } from '../../../src/kube/crd-extensions.js';
import { CNPG_CRDS_DIR } from '../../support/shared.js';

const crd = (version: string): KubeObject => parse(readFileSync(join(CNPG_CRDS_DIR, `v${version}-postgresql.cnpg.io_clusters.yaml`), 'utf8')) as KubeObject;

test('CNPG 1.26.0 CRD has no spec.postgresql.extensions', () => {
  assert.deepEqual(crdExtensions(crd('1.26.0')), { hasExtensions: false, fields: [] });
});

test('CNPG 1.27.0 CRD has extensions without bin_path/env', () => {
  const r = crdExtensions(crd('1.27.0'));
  assert.equal(r?.hasExtensions, true);
  for (const f of ['name', 'image', 'extension_control_path', 'dynamic_library_path', 'ld_library_path']) assert.ok(r.fields.includes(f), f);
  assert.ok(!r.fields.includes('bin_path'));
  assert.ok(!r.fields.includes('env'));
});

test('CNPG 1.30.0 CRD adds bin_path and env', () => {
  const r = crdExtensions(crd('1.30.0'));
  assert.equal(r?.hasExtensions, true);
  assert.ok(r.fields.includes('bin_path') && r.fields.includes('env'));
});

test('a CRD without a v1 schema is unknown, not "no extensions"', () => {
  assert.equal(crdExtensions({ spec: { versions: [{ name: 'v1beta1', schema: {} }] } }), undefined);
  assert.equal(crdExtensions({ spec: 'bad' }), undefined);
  assert.equal(crdExtensions({}), undefined);
});

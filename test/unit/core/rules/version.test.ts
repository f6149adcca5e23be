import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import { context, ofRule, readyCluster, request } from '../fixtures.js';

function pgt001(mutate: (spec: Record<string, unknown>) => void, env = {}) {
  const c = readyCluster();
  mutate(c.spec as Record<string, unknown>);
  return ofRule(validate(request(c), context({ environment: env })).findings, 'PGT001');
}

describe('PGT001 PostgreSQL major', () => {
  it('denies a PostgreSQL 17 image and names the tag CNPG read', () => {
    const [f] = pgt001((s) => { s['imageName'] = 'ghcr.io/cloudnative-pg/postgresql:17.5'; });
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.imageName');
    assert.match(f?.message ?? '', /major 17 is below 18/);
  });

  it('denies a custom image tagged with the pg_trickle version first (CNPG reads 0)', () => {
    const [f] = pgt001((s) => { s['imageName'] = 'ghcr.io/trickle-labs/pg_trickle:0.67.0-pg18.3'; });
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /major 0/);
    assert.match(f?.message ?? '', /tag it "18-/);
  });

  it('reads imageCatalogRef.major before imageName', () => {
    const [f] = pgt001((s) => { s['imageCatalogRef'] = { kind: 'ClusterImageCatalog', name: 'pg', major: 16 }; });
    assert.equal(f?.path, 'spec.imageCatalogRef.major');
    assert.equal(f?.severity, 'deny');
  });

  it('warns when the version cannot be determined (digest only)', () => {
    const [f] = pgt001((s) => { s['imageName'] = 'ghcr.io/cloudnative-pg/postgresql@sha256:' + 'a'.repeat(64); });
    assert.equal(f?.severity, 'warn');
    assert.match(f?.message ?? '', /cannot tell/);
  });

  it('warns when imageCatalogRef.major is not a number', () => {
    const [f] = pgt001((s) => { s['imageCatalogRef'] = { major: '18' }; });
    assert.equal(f?.severity, 'warn');
  });

  it('passes PostgreSQL 18 by tag, by catalog, and by the operator default', () => {
    assert.deepEqual(pgt001(() => {}), []);
    assert.deepEqual(pgt001((s) => { s['imageCatalogRef'] = { major: 18 }; }), []);
    assert.deepEqual(pgt001((s) => { delete s['imageName']; }), []);
    assert.deepEqual(pgt001((s) => { delete s['imageName']; }, { cnpgVersion: undefined }), []);
  });

  it('denies no imageName on an operator whose default image is PostgreSQL 17', () => {
    const [f] = pgt001((s) => { delete s['imageName']; }, { cnpgVersion: '1.27.0' });
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /CNPG 1\.27\.0/);
  });
});

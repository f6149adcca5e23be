import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatImageReference, parseImageReference, type ImageReference } from '../../../../src/core/image/reference.js';

const SHA = 'sha256:' + '0123456789abcdef'.repeat(4);

test('valid references, normalised the way Docker does', () => {
  const cases: Array<[string, ImageReference]> = [
    ['postgres', { registry: 'docker.io', repository: 'library/postgres' }],
    ['postgres:18', { registry: 'docker.io', repository: 'library/postgres', tag: '18' }],
    ['bitnami/postgresql:16.2.0', { registry: 'docker.io', repository: 'bitnami/postgresql', tag: '16.2.0' }],
    ['docker.io/postgres', { registry: 'docker.io', repository: 'library/postgres' }],
    ['index.docker.io/library/postgres:18', { registry: 'docker.io', repository: 'library/postgres', tag: '18' }],
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.67.0', { registry: 'ghcr.io', repository: 'trickle-labs/pg_trickle-ext', tag: '0.67.0' }],
    ['ghcr.io/trickle-labs/pg_trickle:0.67.0-pg18.3', { registry: 'ghcr.io', repository: 'trickle-labs/pg_trickle', tag: '0.67.0-pg18.3' }],
    [`ghcr.io/trickle-labs/pg_trickle-ext@${SHA}`, { registry: 'ghcr.io', repository: 'trickle-labs/pg_trickle-ext', digest: SHA }],
    [`ghcr.io/trickle-labs/pg_trickle-ext:0.67.0@${SHA}`, { registry: 'ghcr.io', repository: 'trickle-labs/pg_trickle-ext', tag: '0.67.0', digest: SHA }],
    ['localhost/pg:1', { registry: 'localhost', repository: 'pg', tag: '1' }],
    ['localhost:5000/team/pg_trickle-ext:dev', { registry: 'localhost:5000', repository: 'team/pg_trickle-ext', tag: 'dev' }],
    ['registry.example.com:8443/a/b/c:v1', { registry: 'registry.example.com:8443', repository: 'a/b/c', tag: 'v1' }],
    ['10.0.0.1:5000/pg', { registry: '10.0.0.1:5000', repository: 'pg' }],
    ['[::1]:5000/pg:1', { registry: '[::1]:5000', repository: 'pg', tag: '1' }],
    ['Registry.Example.com/pg', { registry: 'Registry.Example.com', repository: 'pg' }],
    // Docker reads "localhost:5000" without a slash as repository "localhost" with tag "5000".
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    ['a__b/c-d---e.f:TAG_1.x-y', { registry: 'docker.io', repository: 'a__b/c-d---e.f', tag: 'TAG_1.x-y' }],
    ['x/y@sha512:' + 'ab'.repeat(64), { registry: 'docker.io', repository: 'x/y', digest: 'sha512:' + 'ab'.repeat(64) }],
    ['x/y@blake3:' + 'a'.repeat(32), { registry: 'docker.io', repository: 'x/y', digest: 'blake3:' + 'a'.repeat(32) }],
  ];
  for (const [ref, expected] of cases) assert.deepEqual(parseImageReference(ref), expected, ref);
});

test('invalid references are undefined', () => {
  const cases = [
    '', ' ', 'postgres ', 'Postgres', 'ghcr.io/Trickle-Labs/pg', 'ghcr.io/trickle-labs/PG_TRICKLE-ext:1',
    'ghcr.io/', '/pg', 'pg/', 'a//b', 'ghcr.io/a/-b', 'a/b_', 'a/b.', 'pg:', 'pg:-tag', 'pg:.tag', `pg:${'t'.repeat(129)}`,
    'pg@', 'pg@sha256:', 'pg@sha256:abc', `pg@sha256:${'A'.repeat(64)}`, `pg@sha256:${'a'.repeat(63)}`, `pg@sha256:${'a'.repeat(65)}`,
    `pg@sha512:${'a'.repeat(64)}`, 'pg@md5', `pg@1sha:${'a'.repeat(32)}`, `pg:1@sha256:${'g'.repeat(64)}`, 'pg:1:2', 'pg@a@b',
    'exa_mple.com/pg', 'example.com:port/pg', '-example.com/pg', 'ghcr.io:/pg', 'https://ghcr.io/pg',
    'a'.repeat(64), `${'a'.repeat(256)}`,
  ];
  for (const ref of cases) assert.equal(parseImageReference(ref), undefined, ref);
});

test('never throws, on any string', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'aZ09./:@-_[]'.split('')) })), (s) => {
      parseImageReference(s);
    }),
    { numRuns: 5000 },
  );
});

test('a formatted reference parses back to the same parts', () => {
  const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4})?$/);
  const ref = fc.record(
    {
      registry: fc.constantFrom('docker.io', 'ghcr.io', 'localhost:5000', 'r.example.com'),
      repository: fc.array(component, { minLength: 2, maxLength: 3 }).map((p) => p.join('/')),
      tag: fc.stringMatching(/^\w[\w.-]{0,10}$/),
      digest: fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
    },
    { requiredKeys: ['registry', 'repository'] },
  );
  fc.assert(
    fc.property(ref, (r) => {
      assert.deepEqual(parseImageReference(formatImageReference(r)), { ...r });
    }),
  );
});

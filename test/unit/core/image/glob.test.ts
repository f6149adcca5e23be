import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matchesAny, matchesGlob } from '../../../../src/core/image/glob.js';

const DEFAULT_ALLOWED = ['ghcr.io/trickle-labs/pg_trickle-ext:*', 'ghcr.io/trickle-labs/pg_trickle-ext@sha256:*'];
const SHA = 'sha256:' + 'ab'.repeat(32);

test('the default allowed images admit tags and digests of the extension image only', () => {
  const cases: Array<[string, boolean]> = [
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.67.0', true],
    [`ghcr.io/trickle-labs/pg_trickle-ext@${SHA}`, true],
    [`ghcr.io/trickle-labs/pg_trickle-ext:0.67.0@${SHA}`, true],
    ['ghcr.io/trickle-labs/pg_trickle-ext', false],
    ['ghcr.io/trickle-labs/pg_trickle-ext-evil:0.67.0', false],
    ['ghcr.io/trickle-labs/pg_trickle:0.67.0-pg18.3', false],
    ['ghcr.io/evil/pg_trickle-ext:0.67.0', false],
    ['evil.io/ghcr.io/trickle-labs/pg_trickle-ext:0.67.0', false],
    ['GHCR.IO/trickle-labs/pg_trickle-ext:0.67.0', false],
  ];
  for (const [ref, expected] of cases) assert.equal(matchesAny(DEFAULT_ALLOWED, ref), expected, ref);
});

test('dots and other regex characters are literal', () => {
  assert.equal(matchesGlob('ghcr.io/x:1', 'ghcrxio/x:1'), false);
  assert.equal(matchesGlob('a+b:1', 'aab:1'), false);
  assert.equal(matchesGlob('a+b:1', 'a+b:1'), true);
  assert.equal(matchesGlob('r/x:(1|2)', 'r/x:1'), false);
  assert.equal(matchesGlob('r/x:(1|2)', 'r/x:(1|2)'), true);
  assert.equal(matchesGlob('r/x:[12]', 'r/x:1'), false);
  assert.equal(matchesGlob('r/x:1?', 'r/x:1'), false);
  assert.equal(matchesGlob('r/x:^1$', 'r/x:^1$'), true);
  assert.equal(matchesGlob('r/x:\\d', 'r/x:1'), false);
});

test('* spans any run of characters, including / : @ and nothing at all', () => {
  assert.equal(matchesGlob('ghcr.io/*', 'ghcr.io/a/b/c:1@sha256:x'), true);
  assert.equal(matchesGlob('*/pg_trickle-ext:*', 'ghcr.io/trickle-labs/pg_trickle-ext:0.67.0'), true);
  assert.equal(matchesGlob('r/x:*', 'r/x:'), true);
  assert.equal(matchesGlob('*', ''), true);
  assert.equal(matchesGlob('**', 'anything'), true);
  assert.equal(matchesGlob('a*b*c', 'abc'), true);
  assert.equal(matchesGlob('a*b*c', 'aXbYc'), true);
  assert.equal(matchesGlob('a*b*c', 'aXbY'), false);
  assert.equal(matchesGlob('a*c', 'abcbd'), false);
  assert.equal(matchesGlob('', ''), true);
  assert.equal(matchesGlob('', 'a'), false);
});

test('matches the whole reference, not a part of it', () => {
  assert.equal(matchesGlob('r/x:1', 'r/x:10'), false);
  assert.equal(matchesGlob('r/x:1', 'pre/r/x:1'), false);
});

test('a Docker Hub short name matches a pattern written for its full name', () => {
  assert.equal(matchesAny(['docker.io/library/postgres:*'], 'postgres:18'), true);
  assert.equal(matchesAny(['docker.io/bitnami/*'], 'bitnami/postgresql:16'), true);
  assert.equal(matchesAny(['docker.io/library/postgres:*'], 'mysql:8'), false);
  assert.equal(matchesAny([], 'postgres:18'), false);
});

test('every reference matches itself as a pattern; * matches every reference', () => {
  fc.assert(
    fc.property(fc.string().filter((s) => !s.includes('*')), (ref) => {
      assert.equal(matchesGlob(ref, ref), true);
      assert.equal(matchesAny([ref], ref), true);
      assert.equal(matchesGlob('*', ref), true);
    }),
    { numRuns: 2000 },
  );
});

test('agrees with a regular-expression reference implementation', () => {
  const alphabet = fc.constantFrom('a', 'b', '.', '/', ':', '*');
  const toRegex = (p: string) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s\\S]*')}$`);
  fc.assert(
    fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: alphabet, maxLength: 12 }), (pattern, text) => {
      assert.equal(matchesGlob(pattern, text), toRegex(pattern).test(text));
    }),
    { numRuns: 5000 },
  );
});

test('stays fast on a pathological pattern and a long reference', () => {
  const pattern = `${'a*'.repeat(20)}b`;
  const text = 'a'.repeat(20_000);
  const start = performance.now();
  assert.equal(matchesGlob(pattern, text), false);
  assert.ok(performance.now() - start < 2000, 'took too long');
});

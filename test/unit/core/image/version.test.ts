import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareVersions, imageVersion, versionFromTag } from '../../../../src/core/image/version.js';

const SHA = 'sha256:' + 'ab'.repeat(32);

test('the pg_trickle version in an image tag', () => {
  const cases: Array<[string, string | undefined]> = [
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.67.0', '0.67.0'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:v0.67.0', '0.67.0'],
    ['ghcr.io/trickle-labs/pg_trickle:0.67.0-pg18.3', '0.67.0'],
    ['ghcr.io/trickle-labs/pg_trickle:0.67.0-pg18', '0.67.0'],
    ['ghcr.io/trickle-labs/pg_trickle:0.67.0-pg18.3-trixie', '0.67.0'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.68.0-rc.1', '0.68.0-rc.1'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.68.0-beta2', '0.68.0-beta2'],
    // "+" is not allowed in a tag, so this is no reference at all.
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.67.0+build.7', undefined],
    ['your-registry/postgresql-pgtrickle:18-0.36.0', '0.36.0'],
    ['your-registry/postgresql-pgtrickle:18.3-v0.36.0', '0.36.0'],
    ['your-registry/postgresql-pgtrickle:pg18-0.37.0', '0.37.0'],
    [`ghcr.io/trickle-labs/pg_trickle-ext:0.67.0@${SHA}`, '0.67.0'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:latest', undefined],
    ['ghcr.io/trickle-labs/pg_trickle-ext', undefined],
    [`ghcr.io/trickle-labs/pg_trickle-ext@${SHA}`, undefined],
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.67', undefined],
    ['ghcr.io/cloudnative-pg/postgresql:18.6-system-trixie', undefined],
    ['ghcr.io/trickle-labs/pg_trickle-ext:00.67.0', undefined],
    ['not a reference:0.67.0', undefined],
  ];
  for (const [ref, expected] of cases) assert.equal(imageVersion(ref), expected, ref);
});

test('versionFromTag reads bare version strings too, build metadata dropped', () => {
  assert.equal(versionFromTag('0.67.0+build.7'), '0.67.0');
  assert.equal(versionFromTag('v1.2.3-RC.1'), '1.2.3-RC.1');
  assert.equal(versionFromTag('1.2.3-pg18.3'), '1.2.3');
  assert.equal(versionFromTag('1.2'), undefined);
});

test('versions order numerically, not as text', () => {
  assert.ok(compareVersions('0.9.0', '0.10.0') < 0);
  assert.ok(compareVersions('0.10.0', '0.9.0') > 0);
  assert.ok(compareVersions('0.67.0', '0.67.1') < 0);
  assert.ok(compareVersions('1.0.0', '0.99.99') > 0);
  assert.equal(compareVersions('0.67.0', '0.67.0'), 0);
});

test('a v prefix and build variants do not change the version; pre-releases come first', () => {
  assert.equal(compareVersions('v0.67.0', '0.67.0'), 0);
  assert.equal(compareVersions('0.67.0-pg18.3', '0.67.0'), 0);
  assert.equal(compareVersions('0.67.0-pg18.3', 'v0.67.0-pg17.9'), 0);
  assert.ok(compareVersions('0.68.0-rc.1', '0.68.0') < 0);
  assert.ok(compareVersions('0.68.0-rc.1', '0.68.0-rc.2') < 0);
  assert.ok(compareVersions('0.68.0-rc.1', '0.67.0') > 0);
});

test('a non-version is a clear error naming it', () => {
  assert.throws(() => compareVersions('latest', '0.67.0'), { name: 'RangeError', message: /"latest" is not a version/ });
  assert.throws(() => compareVersions('0.67.0', ''), /"" is not a version/);
});

test('comparison is antisymmetric and agrees with the numeric parts', () => {
  const version = fc.tuple(fc.nat(200), fc.nat(200), fc.nat(200));
  fc.assert(
    fc.property(version, version, fc.boolean(), ([a1, a2, a3], [b1, b2, b3], prefix) => {
      const a = `${prefix ? 'v' : ''}${a1}.${a2}.${a3}`;
      const b = `${b1}.${b2}.${b3}-pg18.3`;
      const expected = Math.sign(a1 - b1 || a2 - b2 || a3 - b3);
      assert.equal(Math.sign(compareVersions(a, b)), expected);
      assert.equal(Math.sign(compareVersions(b, a)), -expected);
    }),
  );
});

test('versionFromTag never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => { versionFromTag(s); imageVersion(s); }), { numRuns: 3000 });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pinning } from '../../../../src/core/image/pinning.js';

const SHA = 'sha256:' + 'ab'.repeat(32);

test('how firmly a reference names one image', () => {
  const cases: Array<[string, ReturnType<typeof pinning>]> = [
    [`ghcr.io/trickle-labs/pg_trickle-ext@${SHA}`, 'digest'],
    [`ghcr.io/trickle-labs/pg_trickle-ext:0.67.0@${SHA}`, 'digest'],
    [`ghcr.io/trickle-labs/pg_trickle-ext:latest@${SHA}`, 'digest'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:0.67.0', 'tag'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:Latest', 'tag'],
    ['localhost:5000/pg_trickle-ext:0.67.0', 'tag'],
    ['ghcr.io/trickle-labs/pg_trickle-ext:latest', 'latest'],
    ['ghcr.io/trickle-labs/pg_trickle-ext', 'none'],
    ['localhost:5000/pg_trickle-ext', 'none'],
    ['not a reference', 'none'],
    ['', 'none'],
  ];
  for (const [ref, expected] of cases) assert.equal(pinning(ref), expected, ref);
});

test('never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => { pinning(s); }), { numRuns: 2000 });
});

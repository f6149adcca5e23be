import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { closestMatch, editDistance } from '../../../../src/core/catalog/edit-distance.js';

test('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0], ['abc', 'abc', 0], ['', 'abc', 3], ['abc', '', 3],
    ['enabled', 'enable', 1], ['enable', 'enabled', 1], ['enabled', 'enabxed', 1], ['enabled', 'enalbed', 1],
    ['kitten', 'sitting', 3], ['ca', 'abc', 3],
  ];
  for (const [a, b, d] of cases) assert.equal(editDistance(a, b), d, `${a} -> ${b}`);
});

test('a metric: symmetric, zero only for equal strings, bounded by the longer length', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
      const d = editDistance(a, b);
      assert.equal(d, editDistance(b, a));
      assert.equal(d === 0, a === b);
      assert.ok(d <= Math.max(a.length, b.length));
      assert.ok(d >= Math.abs(a.length - b.length));
    }),
  );
});

test('with a limit the answer is exact up to the limit and limit + 1 beyond it', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 16 }), fc.string({ maxLength: 16 }), fc.nat(5), (a, b, limit) => {
      assert.equal(editDistance(a, b, limit), Math.min(editDistance(a, b), limit + 1));
    }),
    { numRuns: 3000 },
  );
});

test('closestMatch allows more edits for longer words and none beyond the limit', () => {
  assert.equal(closestMatch('ab', ['abc', 'xyz']), 'abc');
  assert.equal(closestMatch('ab', ['abcd']), undefined);
  assert.equal(closestMatch('enabeld', ['enabled', 'cdc_mode']), 'enabled');
  assert.equal(closestMatch('schedule_intrvl', ['scheduler_interval_ms']), undefined);
  assert.equal(closestMatch('scheduler_interval', ['scheduler_interval_ms']), 'scheduler_interval_ms');
  assert.equal(closestMatch('zzz', []), undefined);
});

test('closestMatch prefers the nearer candidate, then the earlier one', () => {
  assert.equal(closestMatch('cdc_mod', ['cdc_trigger_mode', 'cdc_mode']), 'cdc_mode');
  assert.equal(closestMatch('abcx', ['abcy', 'abcz']), 'abcy');
});

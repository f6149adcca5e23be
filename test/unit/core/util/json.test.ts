import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cloneJson } from '../../../../src/core/util/json.js';

describe('cloneJson', () => {
  it('returns an equal value that shares no object with the original', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const copy = cloneJson(v);
      assert.deepStrictEqual(copy, v);
      if (typeof v === 'object' && v !== null) assert.notEqual(copy, v);
    }));
  });

  it('keeps a "__proto__" key from JSON as data instead of changing the prototype', () => {
    const parsed = JSON.parse('{"spec":{"__proto__":{"polluted":true}}}') as { spec: Record<string, unknown> };
    const copy = cloneJson(parsed);
    assert.deepStrictEqual(Object.keys(copy.spec), ['__proto__']);
    assert.equal(Object.getPrototypeOf(copy.spec), Object.prototype);
    assert.equal((copy.spec as { polluted?: unknown }).polluted, undefined);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePgBool, parsePgInteger, parsePgReal } from '../../../../src/core/catalog/pg-values.js';

test('Boolean spellings PostgreSQL accepts, any case, with unique prefixes', () => {
  const cases: Array<[string, boolean]> = [
    ['on', true], ['ON', true], ['off', false], ['Off', false], ['of', false],
    ['true', true], ['TRUE', true], ['t', true], ['tr', true], ['tru', true],
    ['false', false], ['f', false], ['fals', false],
    ['yes', true], ['y', true], ['YE', true], ['no', false], ['n', false], ['N', false],
    ['1', true], ['0', false],
  ];
  for (const [value, expected] of cases) assert.equal(parsePgBool(value), expected, value);
});

test('not Booleans: ambiguous "o", surrounding spaces, numbers other than 0/1, words', () => {
  for (const value of ['', 'o', ' on', 'off ', '\ttrue', '2', '01', '10', 'enabled', 'onn', 'truee', 'yess', 'nope', '-1']) {
    assert.equal(parsePgBool(value), undefined, JSON.stringify(value));
  }
});

test('integers: plain decimal, negative, surrounding spaces', () => {
  const cases: Array<[string, number]> = [['0', 0], ['42', 42], ['-3', -3], [' 12 ', 12], ['\t2147483647\n', 2147483647], ['-0', -0]];
  for (const [value, expected] of cases) assert.deepEqual(parsePgInteger(value), { ok: true, value: expected }, value);
});

test('integers: each refusal says why', () => {
  const cases: Array<[string, string]> = [
    ['5s', 'unit'], ['10 MB', 'unit'], ['64kB', 'unit'], ['1.5', 'fraction'], ['0.5', 'fraction'],
    ['010', 'leading-zero'], ['007', 'leading-zero'], ['', 'not-a-number'], ['abc', 'not-a-number'], ['1,000', 'not-a-number'],
    ['1_000', 'not-a-number'], ['Infinity', 'not-a-number'], ['NaN', 'not-a-number'], ['1e999', 'not-a-number'], ['0x', 'not-a-number'],
    ['+7', 'notation'], ['0x1F', 'notation'], ['100.0', 'notation'], ['1e3', 'notation'], ['1.5e1', 'notation'],
  ];
  for (const [value, reason] of cases) assert.deepEqual(parsePgInteger(value), { ok: false, reason }, value);
});

test('reals: decimal and exponent notation; units and words refused', () => {
  const ok: Array<[string, number]> = [['0.8', 0.8], ['.5', 0.5], ['5.', 5], ['2', 2], ['-1.25', -1.25], ['1e-3', 0.001], [' 0.2 ', 0.2]];
  for (const [value, expected] of ok) assert.deepEqual(parsePgReal(value), { ok: true, value: expected }, value);
  const bad: Array<[string, string]> = [['0.5x', 'not-a-number'], ['1.5s', 'unit'], ['0.5 MB', 'unit'], ['', 'not-a-number'], ['.', 'not-a-number'], ['nan', 'not-a-number'], ['1.2.3', 'not-a-number']];
  for (const [value, reason] of bad) assert.deepEqual(parsePgReal(value), { ok: false, reason }, value);
});

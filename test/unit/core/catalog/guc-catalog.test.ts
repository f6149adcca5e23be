// The generated catalog is the shared facts, nothing more, nothing less.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GENERATED_FILE, parseGucFacts, renderGucCatalog } from '../../../../scripts/generate-guc-catalog.js';
import { GUC_CATALOG, GUC_CATALOG_VERSION, REMOVED_GUCS } from '../../../../src/core/catalog/guc-catalog.generated.js';
import { GUC_CATALOG_FILE } from '../../../support/shared.js';

const facts = JSON.parse(readFileSync(GUC_CATALOG_FILE, 'utf8')) as {
  version: string;
  gucs: Array<{ name: string }>;
  removed_or_never_existed: Record<string, string>;
};

test('generated catalog holds exactly the GUCs of the shared facts file', () => {
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  assert.equal(GUC_CATALOG_VERSION, facts.version);
  assert.deepEqual([...GUC_CATALOG].sort(byName), [...facts.gucs].sort(byName));
});

test('generated removed-name notes are exactly those of the shared facts file', () => {
  assert.deepEqual({ ...REMOVED_GUCS }, facts.removed_or_never_existed);
});

test('committed generated file is what the generator writes today (no hand edits)', () => {
  const expected = renderGucCatalog(parseGucFacts(facts), `pg_trickle/guc-catalog-${facts.version}.json`);
  assert.equal(readFileSync(GENERATED_FILE, 'utf8'), expected);
});

test('generator refuses malformed facts with the location of the problem', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /malformed at \(root\)/],
    [{ ...facts, gucs: [{ name: 'pg_trickle.x', type: 'integer', context: 'suset', default: '1' }] }, /gucs\.0\.min/],
    [{ ...facts, gucs: [{ name: 'pg_trickle.x', type: 'float', context: 'suset', default: '1' }] }, /gucs\.0\.type/],
    [{ ...facts, gucs: [{ name: 'Other.X', type: 'bool', context: 'suset', default: 'on' }] }, /gucs\.0\.name/],
    [{ ...facts, gucs: [facts.gucs[0], facts.gucs[0]] }, /twice/],
  ];
  for (const [input, message] of cases) assert.throws(() => parseGucFacts(input), message);
});

test('generator output is deterministic whatever the input order', () => {
  const parsed = parseGucFacts(facts);
  const reversed = { ...parsed, gucs: [...parsed.gucs].reverse() };
  assert.equal(renderGucCatalog(reversed, 'x.json'), renderGucCatalog(parsed, 'x.json'));
});

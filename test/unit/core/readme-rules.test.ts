// The README's rule and mutation tables must match the registry the engine uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { RULES, severityLabel } from '../../../src/core/rules/registry.js';
import { MUTATION_IDS, RULE_IDS } from '../../../src/core/types.js';
import { REPO_ROOT } from '../../support/shared.js';

function rulesSection(): string {
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  const m = /<!-- section:rules:begin -->([\s\S]*?)<!-- section:rules:end -->/.exec(readme);
  assert.ok(m?.[1], 'README has a rules section');
  return m[1];
}

/** First three cells of every table row whose first cell matches `id`. */
function rows(section: string, id: RegExp): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] !== undefined && id.test(cells[0])) out.push([cells[0], cells[1] ?? '', cells[2] ?? '']);
  }
  return out;
}

describe('README rules section', () => {
  it('the registry covers every rule id exactly once', () => {
    assert.deepEqual(RULES.map((r) => r.id), [...RULE_IDS]);
  });

  it('lists every rule with its default severity and what it catches, as the registry has it', () => {
    const table = rows(rulesSection(), /^PGT\d{3}$/);
    assert.deepEqual(table, RULES.map((r) => [r.id, severityLabel(r), r.title]));
  });

  it('lists every mutation once', () => {
    assert.deepEqual(rows(rulesSection(), /^M\d{2}$/).map(([id]) => id), [...MUTATION_IDS]);
  });
});

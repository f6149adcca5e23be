import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy } from '../../../src/core/policy/schema.js';
import { loadPolicyFile, parsePolicy, PolicyFileError } from '../../../src/config/policy-file.js';

function problems(text: string): string[] {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (e) {
    assert.ok(e instanceof PolicyFileError);
    return e.message.split('\n').slice(1).map((l) => l.trim());
  }
  assert.fail('expected a PolicyFileError');
}

describe('policy file', () => {
  it('fills every default for an empty file', () => {
    assert.deepEqual(parsePolicy('', 'p.yaml'), defaultPolicy());
    assert.deepEqual(parsePolicy('# only a comment\n', 'p.yaml'), defaultPolicy());
  });

  it('applies the values it sets and keeps the other defaults', () => {
    const p = parsePolicy('injection:\n  mode: always\nrules:\n  PGT014: deny\n', 'p.yaml');
    assert.equal(p.injection.mode, 'always');
    assert.equal(p.rules.PGT014, 'deny');
    assert.equal(p.budget.reservedWorkers, 2);
  });

  it('names file, line:column and key path of every problem', () => {
    const text = ['extension:', '  image: ghcr.io/x:1', 'budget:', '  reservedWorkers: many', 'rules:', '  PGT099: deny', '  PGT001: never', 'colour: blue', ''].join('\n');
    assert.deepEqual(
      problems(text).map((l) => l.replace(/: .*$/, '')),
      ['policy.yaml:4:20 budget.reservedWorkers', 'policy.yaml:6:3 rules.PGT099', 'policy.yaml:7:11 rules.PGT001', 'policy.yaml:8:1 colour'],
    );
    const all = problems(text).join('\n');
    assert.match(all, /rules\.PGT099: invalid key: expected a rule id PGT001\.\.PGT023/);
    assert.match(all, /colour: unknown key/);
  });

  it('explains a version written without quotes (a YAML number) and what a union field accepts', () => {
    assert.deepEqual(problems('environment:\n  kubernetesVersion: 1.30\nrequirements:\n  minKubernetes: 1.33\n'), [
      'policy.yaml:2:22 environment.kubernetesVersion: expected a string, but YAML reads 1.30 as the number 1.3: quote it ("1.30")',
      'policy.yaml:4:18 requirements.minKubernetes: expected a string, but YAML reads 1.33 as the number 1.33: quote it ("1.33")',
    ]);
    assert.deepEqual(problems('environment:\n  cnpgVersion: latest\n  kubernetesVersion: 1.3x\nrequirements:\n  minCnpg: "1.28"\n'), [
      'policy.yaml:2:16 environment.cnpgVersion: expected "auto" or "major.minor.patch"',
      'policy.yaml:3:22 environment.kubernetesVersion: expected "auto" or "major.minor"',
      'policy.yaml:5:12 requirements.minCnpg: expected a version "major.minor.patch", e.g. "1.28.0"',
    ]);
  });

  it('reports YAML syntax errors and non-mapping documents with a position', () => {
    assert.match(problems('budget: [1, 2\n')[0] ?? '', /^policy\.yaml:\d+:\d+: /);
    assert.deepEqual(problems('- a\n- b\n'), ['policy.yaml:1:1: the policy must be a YAML mapping']);
    assert.match(problems('rules:\n  PGT001: deny\n  PGT001: warn\n')[0] ?? '', /^policy\.yaml:3:3: .*[Uu]nique/);
  });

  it('reports an unreadable file as a PolicyFileError naming it', async () => {
    await assert.rejects(loadPolicyFile('/nonexistent/policy.yaml'), (e: unknown) => e instanceof PolicyFileError && /\/nonexistent\/policy\.yaml.*ENOENT/s.test(e.message));
  });
});

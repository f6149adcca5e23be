import assert from 'node:assert/strict';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Policy } from '../../../src/core/policy/schema.js';
import { watchPolicyFile, type ReloadResult } from '../../../src/config/policy-watcher.js';
import { withTempDir } from '../../support/temp-dir.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > ms) assert.fail('condition not reached in time');
    await sleep(20);
  }
}

describe('policy reload', () => {
  let dir: string;
  withTempDir('pgt-policy-', (d) => (dir = d));

  it('applies a valid new policy and keeps the old one when the new one is invalid', async () => {
    const file = join(dir, 'policy.yaml');
    const initial = 'budget:\n  reservedWorkers: 2\n';
    await writeFile(file, initial);
    const applied: Policy[] = [];
    const rejected: Error[] = [];
    const results: ReloadResult[] = [];
    const w = watchPolicyFile({ file, initialText: initial, debounceMs: 30, onApplied: (p) => applied.push(p), onRejected: (e) => rejected.push(e), onResult: (r) => results.push(r) });
    try {
      await writeFile(file, 'budget:\n  reservedWorkers: 5\n');
      await until(() => applied.length === 1);
      assert.equal(applied[0]?.budget.reservedWorkers, 5);

      await writeFile(file, 'budget:\n  reservedWorkers: -1\n');
      await until(() => rejected.length === 1);
      assert.match(rejected[0]?.message ?? '', /policy\.yaml:2:20 budget\.reservedWorkers/);
      assert.equal(applied.length, 1, 'the invalid policy was not applied');
      // Reading the same broken text again is not reported twice.
      assert.equal(await w.reload(), 'unchanged');
      assert.equal(rejected.length, 1);
      assert.ok(results.includes('applied') && results.includes('rejected'));
    } finally {
      w.close();
    }
  });

  it('follows a ConfigMap-style symlink swap of the ..data directory', async () => {
    const root = join(dir, 'configmap');
    await mkdir(join(root, '..v1'), { recursive: true });
    await writeFile(join(root, '..v1', 'policy.yaml'), 'injection:\n  mode: label\n');
    await symlink('..v1', join(root, '..data'));
    await symlink(join('..data', 'policy.yaml'), join(root, 'policy.yaml'));
    const applied: Policy[] = [];
    const w = watchPolicyFile({ file: join(root, 'policy.yaml'), initialText: 'injection:\n  mode: label\n', debounceMs: 30, onApplied: (p) => applied.push(p), onRejected: () => undefined });
    try {
      // What the kubelet does: write a new version directory, swap ..data atomically.
      await mkdir(join(root, '..v2'));
      await writeFile(join(root, '..v2', 'policy.yaml'), 'injection:\n  mode: always\n');
      await symlink('..v2', join(root, '..data_tmp'));
      await rename(join(root, '..data_tmp'), join(root, '..data'));
      await until(() => applied.length === 1);
      assert.equal(applied[0]?.injection.mode, 'always');
    } finally {
      w.close();
    }
  });
});

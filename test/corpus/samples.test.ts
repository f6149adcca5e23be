// Every manifest in CNPG's documentation samples, through the engine with injection forced on:
// each yields a decision, mutation is idempotent, and no field the manifest had is lost or changed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jsonpatch from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';
import { StaticDirectory } from '../../src/core/directory.js';
import { check, mutate } from '../../src/core/engine.js';
import { policySchema } from '../../src/core/policy/schema.js';
import type { EngineContext, KubeObject, ReviewRequest } from '../../src/core/types.js';
import { CNPG_SAMPLES_DIR } from '../support/shared.js';

/** The one documented move (M03): the parameter becomes entries of the preload list. */
const MOVED = 'spec.postgresql.parameters.shared_preload_libraries';

function leaves(value: unknown, path: string[] = [], out: Array<[string[], unknown]> = []): Array<[string[], unknown]> {
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push([path, value]);
    for (const [k, v] of entries) leaves(v, [...path, k], out);
  } else out.push([path, value]);
  return out;
}

function at(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function manifests(): Array<{ file: string; objects: KubeObject[] }> {
  const files = readdirSync(CNPG_SAMPLES_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.map((file) => ({
    file,
    objects: parseAllDocuments(readFileSync(join(CNPG_SAMPLES_DIR, file), 'utf8'))
      .map((d) => d.toJS() as unknown)
      .filter((o): o is KubeObject => typeof o === 'object' && o !== null && !Array.isArray(o)),
  }));
}

function requestFor(object: KubeObject): ReviewRequest {
  const ns = object.metadata?.namespace;
  return { operation: 'CREATE', kind: String(object.kind), namespace: typeof ns === 'string' ? ns : 'default', object };
}

const samples = manifests();

describe(`CNPG samples (${CNPG_SAMPLES_DIR})`, () => {
  it('has samples to check', () => assert.ok(samples.length >= 10, `only ${samples.length} files`));

  for (const { file, objects } of samples) {
    it(file, () => {
      assert.ok(objects.length > 0, 'no documents');
      const ctx: EngineContext = {
        policy: policySchema.parse({ injection: { mode: 'always' } }),
        environment: { kubernetesVersion: '1.35', imageVolume: true, cnpgVersion: '1.30.0', crdHasExtensions: true },
        directory: new StaticDirectory(objects, true),
      };
      for (const object of objects) {
        const req = requestFor(object);
        const { mutation, validation } = check(req, ctx);
        assert.equal(typeof validation.allowed, 'boolean');
        if (object.kind === 'Cluster') {
          assert.ok(mutation.mutations.includes('M02'), `${object.metadata?.name}: pg_trickle not injected`);
          assert.ok(!validation.findings.some((f) => f.rule === 'PGT023'), 'mutated object still needs mutations');
        }
        assert.deepEqual(mutate({ ...req, object: mutation.object }, ctx).patch, [], 'mutation is not idempotent');
        assert.deepEqual(jsonpatch.applyPatch(structuredClone(object), mutation.patch, true, false).newDocument, mutation.object);
        for (const [path, value] of leaves(object)) {
          if (path.join('.').startsWith(MOVED)) continue;
          assert.deepEqual(at(mutation.object, path), value, `${path.join('.')} lost or changed`);
        }
      }
    });
  }
});

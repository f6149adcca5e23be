// The chart's `policy:` values are checked by values.schema.json before the server sees them;
// that schema must know exactly the keys (and enum choices) of the server's policy schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { policySchema } from '../../../src/core/policy/schema.js';
import { parse } from 'yaml';
import { CHART_DIR, FULLNAME, find, render, type Manifest } from './helm.js';

interface Node {
  properties?: Record<string, Node>;
  enum?: unknown[];
  additionalProperties?: boolean | Node;
}

/** Property names and enum choices, recursively: what a typo or a new key would change. */
function outline(n: Node): unknown {
  if (n.properties) return Object.fromEntries(Object.keys(n.properties).sort().map((k) => [k, outline(n.properties![k]!)]));
  if (n.enum) return [...n.enum].map(String).sort();
  if (typeof n.additionalProperties === 'object') return { '*': outline(n.additionalProperties) };
  return '*';
}

describe('chart: policy values', () => {
  const values = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as { properties: { policy: Node } };

  it('values.schema.json knows the policy keys and choices the server knows', () => {
    const server = z.toJSONSchema(policySchema, { io: 'input' }) as Node;
    assert.deepEqual(outline(values.properties.policy), outline(server));
  });

  it('a full policy in values renders and passes the server schema', () => {
    const policy = {
      extension: { image: 'ghcr.io/trickle-labs/pg_trickle-ext:0.67.0', allowedImages: ['ghcr.io/trickle-labs/*'], requireDigest: true, customImages: [] },
      injection: { mode: 'always', defaultParameters: { 'pg_trickle.enabled': 'on' } },
      budget: { reservedWorkers: 3, parallelQueryReserve: 4 },
      requirements: { minPostgresMajor: 18, minKubernetes: '1.33', minCnpg: '1.28.0' },
      environment: { kubernetesVersion: '1.35', cnpgVersion: 'auto', imageVolume: 'enabled', onUnknown: 'deny' },
      rules: { PGT014: 'deny', PGT017: 'off' },
      exemptNamespaces: ['legacy'],
    };
    const cm = find(render({ policy }), 'ConfigMap', `${FULLNAME}-policy`) as Manifest & { data: Record<string, string> };
    const rendered: unknown = parse(cm.data['policy.yaml']!);
    assert.deepEqual(rendered, policy, 'rendered as given');
    assert.deepEqual(policySchema.parse(rendered).rules, { PGT014: 'deny', PGT017: 'off' });
  });
});

// Property: whatever arrives — random JSON, damaged AdmissionReviews — the server answers
// with a 2xx/4xx, never a 5xx, and a 200 always carries an AdmissionReview echoing the uid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import { createAdmissionApp } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { labelledCluster, review, silentLogger, supportedContext } from './fixtures.js';

const app = createAdmissionApp({ context: supportedContext, metrics: createMetrics({ defaultMetrics: false }), logger: silentLogger });

/** Sets `value` at a random path of a deep copy (damaging a valid review). */
function damage(base: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      node[key] = value;
      break;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null) {
      node[key] = value;
      break;
    }
    node = next as Record<string, unknown>;
  }
  return copy;
}

const keys = fc.constantFrom('apiVersion', 'kind', 'request', 'uid', 'operation', 'object', 'oldObject', 'spec', 'metadata', 'postgresql', 'labels', 'namespace', 'dryRun', 'imageName', 'parameters', 'extensions', 'shared_preload_libraries');

const webhook = fc.constantFrom('/mutate', '/validate');

async function assertAnswered(body: string, path: string): Promise<void> {
  const res = await request(app).post(path).set('content-type', 'application/json').send(body);
  assert.ok(res.status < 500, `status ${res.status} for ${body.slice(0, 300)}`);
  if (res.status === 200) {
    assert.equal(res.body.kind, 'AdmissionReview');
    assert.equal(typeof res.body.response.uid, 'string');
    assert.equal(typeof res.body.response.allowed, 'boolean');
  }
}

describe('admission app under random input', () => {
  it('never answers 5xx for random JSON values', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue(), webhook, async (v, path) => assertAnswered(JSON.stringify(v), path)), { numRuns: 100 });
  });

  it('never answers 5xx for damaged AdmissionReviews and echoes their uid', async () => {
    const base = review(labelledCluster({ parameters: { max_worker_processes: '9' } }), { uid: 'fixed-uid' });
    await fc.assert(
      fc.asyncProperty(fc.array(keys, { minLength: 1, maxLength: 5 }), fc.jsonValue(), webhook, async (path, value, url) => {
        await assertAnswered(JSON.stringify(damage(base, path, value)), url);
      }),
      { numRuns: 200 },
    );
  });

  it('never answers 5xx for truncated bodies', async () => {
    const text = JSON.stringify(review(labelledCluster()));
    await fc.assert(fc.asyncProperty(fc.nat({ max: text.length }), webhook, async (n, path) => assertAnswered(text.slice(0, n), path)), { numRuns: 40 });
  });
});

// /mutate/always and /validate/always: the chart's webhooks for namespaces where every
// Cluster gets pg_trickle (injection.alwaysNamespaceSelector).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import type { KubeObject } from '../../../src/core/types.js';
import { createAdmissionApp } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { labelledCluster, review, silentLogger, supportedContext } from './fixtures.js';

const app = createAdmissionApp({ context: supportedContext, metrics: createMetrics({ defaultMetrics: false }), logger: silentLogger });

function unlabelled(): KubeObject {
  const c = labelledCluster();
  c.metadata = { ...c.metadata, labels: {} };
  return c;
}

async function answer(path: string, object: KubeObject): Promise<{ allowed: boolean; patch?: string }> {
  const res = await request(app).post(path).set('content-type', 'application/json').send(JSON.stringify(review(object)));
  assert.equal(res.status, 200);
  return (res.body as { response: { allowed: boolean; patch?: string } }).response;
}

describe('admission app: the always-inject paths', () => {
  it('injects into an unlabelled Cluster on /mutate/always, not on /mutate', async () => {
    assert.equal((await answer('/mutate', unlabelled())).patch, undefined);
    const patch = JSON.parse(Buffer.from((await answer('/mutate/always', unlabelled())).patch ?? '', 'base64').toString('utf8')) as { path: string }[];
    assert.ok(patch.some((op) => op.path.startsWith('/spec/postgresql')), JSON.stringify(patch));
  });

  it('still honours the opt-out label pgtrickle.io/inject: "false"', async () => {
    const optedOut = labelledCluster();
    optedOut.metadata = { ...optedOut.metadata, labels: { 'pgtrickle.io/inject': 'false' } };
    assert.equal((await answer('/mutate/always', optedOut)).patch, undefined);
  });

  it('validates with injection.mode always: an unlabelled Cluster that bypassed mutation is refused (PGT023)', async () => {
    assert.equal((await answer('/validate', unlabelled())).allowed, true);
    assert.equal((await answer('/validate/always', unlabelled())).allowed, false);
  });

  it('serves nothing else under /always', async () => {
    const res = await request(app).post('/healthz/always').set('content-type', 'application/json').send('{}');
    assert.equal(res.status, 404);
  });
});

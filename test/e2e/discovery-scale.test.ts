// Admission latency must not grow with the number of Databases (SPEC §5): the webhook's
// /validate for a pg_trickle Cluster, measured directly over HTTPS with 10 and with
// 10,000 Database objects in the API server (the index makes the lookup one map access).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../src/core/types.js';
import { installCnpgCrds, startControlPlane, startWebhook, type ControlPlane, type Webhook } from './harness/index.js';
import { createMany, database, ensureNamespace, percentile, setOperatorImage, waitForCache, waitForEnvironment } from './discovery-support.js';

const TOTAL = 10_000;
const SAMPLES = 1000;
const WARMUP = 500; // JIT and TLS session warm-up
const BLOCK = 50;

const measured: KubeObject = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'measured', namespace: 'default', labels: { 'pgtrickle.io/inject': 'true' } },
  spec: {
    instances: 1,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:18',
    storage: { size: '1Gi' },
    postgresql: {
      shared_preload_libraries: ['pg_trickle'],
      extensions: [{ name: 'pg-trickle', image: { reference: 'ghcr.io/trickle-labs/pg_trickle-ext:0.67.0' } }],
      parameters: { max_worker_processes: '64' },
    },
  },
};

function review(): unknown {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: { group: 'postgresql.cnpg.io', version: 'v1', kind: 'Cluster' },
      resource: { group: 'postgresql.cnpg.io', version: 'v1', resource: 'clusters' },
      namespace: 'default',
      name: 'measured',
      operation: 'CREATE',
      userInfo: { username: 'e2e' },
      object: measured,
      dryRun: false,
    },
  };
}

type Sampler = () => Promise<number>;

function sampler(wh: Webhook): Sampler {
  return async () => {
    const t0 = process.hrtime.bigint();
    const res = (await wh.review('/validate', review())) as { response?: { allowed?: boolean } };
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(res.response?.allowed, true, JSON.stringify(res));
    return ms;
  };
}

/**
 * Interleaves blocks of requests to both webhooks so that load from anything else on the
 * machine hits both equally (measuring one after the other compares two different machines).
 */
async function interleaved(a: Sampler, b: Sampler): Promise<[number[], number[]]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let round = 0; round < SAMPLES / BLOCK; round++) {
    for (let i = 0; i < BLOCK; i++) ta.push(await a());
    for (let i = 0; i < BLOCK; i++) tb.push(await b());
  }
  return [ta, tb];
}

async function environment(version = '1.30.0'): Promise<{ cp: ControlPlane; wh: Webhook }> {
  const cp = await startControlPlane();
  await installCnpgCrds(cp, version);
  await ensureNamespace(cp, 'cnpg-system');
  await ensureNamespace(cp, 'bulk');
  await setOperatorImage(cp, 'cnpg-system', `ghcr.io/cloudnative-pg/cloudnative-pg:${version}`);
  const wh = await startWebhook(cp);
  await waitForEnvironment(wh, { kubernetes_version: '1.36', cnpg_version: version, crd_extensions: 'true', image_volume: 'enabled' });
  return { cp, wh };
}

describe('admission latency with 10 and 10,000 Databases', { timeout: 900_000 }, () => {
  // Two API servers, each with its own webhook: one holds 10 Databases, the other 10,000.
  const envs: Array<{ cp: ControlPlane; wh: Webhook }> = [];
  before(async () => {
    envs.push(...(await Promise.all([environment(), environment()])));
  });
  after(async () => {
    for (const { cp, wh } of envs) {
      await wh.dispose();
      await cp.stop();
    }
  });

  test('p50 with 10,000 Databases stays within 10 % of p50 with 10', async (t) => {
    const [small, large] = envs as [{ cp: ControlPlane; wh: Webhook }, { cp: ControlPlane; wh: Webhook }];
    const dbPath = (o: KubeObject): string => `/apis/postgresql.cnpg.io/v1/namespaces/${o.metadata?.namespace ?? ''}/databases`;
    // The measured Cluster has the same 10 Databases in both; the bulk belongs to 100 other Clusters.
    const mine = Array.from({ length: 10 }, (_, i) => database('default', `m${i}`, 'measured'));
    await createMany(small.cp, dbPath, mine);
    await createMany(large.cp, dbPath, mine);
    const t0 = Date.now();
    await createMany(large.cp, dbPath, Array.from({ length: TOTAL - 10 }, (_, i) => database('bulk', `d${i}`, `other-${i % 100}`)), 32);
    await waitForCache(large.wh, 'databases', TOTAL, 120_000);
    await waitForCache(small.wh, 'databases', 10);
    const createdMs = Date.now() - t0;

    const [ts, tl] = await interleaved(sampler(small.wh), sampler(large.wh));
    const r = (xs: number[]): { p50: number; p99: number } => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
    const rs = r(ts);
    const rl = r(tl);
    const fmt = (x: { p50: number; p99: number }): string => `p50 ${x.p50.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms`;
    t.diagnostic(`/validate (pg_trickle Cluster, direct HTTPS, ${SAMPLES} requests each, interleaved in blocks of ${BLOCK}):`);
    t.diagnostic(`  10 Databases:     ${fmt(rs)}`);
    t.diagnostic(`  ${TOTAL} Databases: ${fmt(rl)}  (${TOTAL - 10} created and cached in ${(createdMs / 1000).toFixed(1)} s, 32 in flight)`);
    // 10 % plus a quarter millisecond of timer noise: a scan over the Databases would cost far more.
    assert.ok(rl.p50 <= rs.p50 * 1.1 + 0.25, `p50 grew from ${rs.p50.toFixed(2)} to ${rl.p50.toFixed(2)} ms`);
  });
});

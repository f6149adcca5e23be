// The arithmetic behind the end-of-run report and the client's view of warnings: pure, no control plane.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLatency, histogramQuantile, ourWebhookHistograms, parseWarnings } from './harness/index.js';

const METRICS = `# HELP apiserver_admission_webhook_admission_duration_seconds [STABLE] Admission webhook latency
# TYPE apiserver_admission_webhook_admission_duration_seconds histogram
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="CREATE",rejected="false",type="admit",le="0.005"} 6
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="CREATE",rejected="false",type="admit",le="0.025"} 9
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="CREATE",rejected="false",type="admit",le="0.1"} 10
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="CREATE",rejected="false",type="admit",le="+Inf"} 10
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="UPDATE",rejected="false",type="admit",le="0.005"} 0
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="UPDATE",rejected="false",type="admit",le="0.025"} 2
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="UPDATE",rejected="false",type="admit",le="0.1"} 2
apiserver_admission_webhook_admission_duration_seconds_bucket{name="cluster.mutate.pgtrickle.io",operation="UPDATE",rejected="false",type="admit",le="+Inf"} 2
apiserver_admission_webhook_admission_duration_seconds_bucket{name="vcluster.cnpg.io",operation="CREATE",rejected="false",type="validating",le="0.005"} 3
apiserver_admission_webhook_admission_duration_seconds_bucket{name="vcluster.cnpg.io",operation="CREATE",rejected="false",type="validating",le="+Inf"} 3
`;

test('p50/p99 come from the buckets of our webhooks only, summed over operations', () => {
  const hist = ourWebhookHistograms(METRICS);
  assert.deepEqual([...hist.keys()], ['cluster.mutate.pgtrickle.io']);
  const b = hist.get('cluster.mutate.pgtrickle.io');
  assert.ok(b);
  // 12 calls: 6 ≤ 5 ms, 11 ≤ 25 ms, 12 ≤ 100 ms. Rank 6 → 5 ms; rank 11.88 → inside (25, 100].
  assert.equal(histogramQuantile(0.5, b), 0.005);
  const p99 = histogramQuantile(0.99, b) ?? NaN;
  assert.ok(Math.abs(p99 - (0.025 + 0.075 * 0.88)) < 1e-9, `p99 ${p99}`);
  assert.deepEqual(formatLatency(hist), ['  cluster.mutate.pgtrickle.io: p50 5.0 ms, p99 91.0 ms (12 calls)']);
});

test('no observations: no quantile', () => {
  assert.equal(histogramQuantile(0.5, new Map([[0.005, 0], [Infinity, 0]])), undefined);
});

test('admission warnings are decoded from the Warning header, commas inside messages kept', () => {
  const header = '299 - "PGT004: max_worker_processes 12 is below 16, the recommended budget", 299 - "PGT011: run \\"ALTER EXTENSION pg_trickle UPDATE\\""';
  assert.deepEqual(parseWarnings(header), [
    'PGT004: max_worker_processes 12 is below 16, the recommended budget',
    'PGT011: run "ALTER EXTENSION pg_trickle UPDATE"',
  ]);
  assert.deepEqual(parseWarnings(undefined), []);
});

// The latency our webhooks added, from the API server's own histogram
// apiserver_admission_webhook_admission_duration_seconds (label `name` = webhook name).
// Each control plane records its histograms when it stops; `npm run test:e2e` merges
// them over the whole run (PGT_E2E_RUN_DIR) and prints p50/p99 per webhook at the end.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { histogramCount, histogramQuantile, histogramsBy, mergeBuckets, parsePrometheus, type Buckets } from './prometheus.js';

export const ADMISSION_HISTOGRAM = 'apiserver_admission_webhook_admission_duration_seconds';
const RECORD_FILE = 'admission-latency.jsonl';

/** Our webhooks are the ones named `*.pgtrickle.io` (ours and the Helm chart's). */
export function isOurWebhook(name: string): boolean {
  return /pgtrickle\.io$|pg-trickle/.test(name);
}

export function ourWebhookHistograms(metricsText: string): Map<string, Buckets> {
  const all = histogramsBy(parsePrometheus(metricsText), ADMISSION_HISTOGRAM, 'name');
  return new Map([...all].filter(([name]) => isOurWebhook(name)));
}

export function formatLatency(histograms: Map<string, Buckets>): string[] {
  const ms = (v: number | undefined): string => (v === undefined ? '-' : `${(v * 1000).toFixed(1)} ms`);
  return [...histograms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, b]) => `  ${name}: p50 ${ms(histogramQuantile(0.5, b))}, p99 ${ms(histogramQuantile(0.99, b))} (${histogramCount(b)} calls)`);
}

/** Called with the API server's /metrics just before it stops. */
export function recordAdmissionLatency(metricsText: string): void {
  const hist = ourWebhookHistograms(metricsText);
  if (hist.size === 0) return;
  const runDir = process.env.PGT_E2E_RUN_DIR;
  if (runDir && existsSync(runDir)) {
    const line = JSON.stringify(Object.fromEntries([...hist].map(([n, b]) => [n, [...b].map(([le, c]) => [le === Infinity ? '+Inf' : le, c])])));
    appendFileSync(join(runDir, RECORD_FILE), `${line}\n`);
    return;
  }
  // A test file run on its own: report for this control plane.
  process.stdout.write(['admission latency added by our webhooks (kube-apiserver histogram):', ...formatLatency(hist), ''].join('\n'));
}

/** Merges every control plane's record of the run. */
export function readRunLatency(runDir: string): Map<string, Buckets> {
  const out = new Map<string, Buckets>();
  const file = join(runDir, RECORD_FILE);
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as Record<string, Array<[number | '+Inf', number]>>;
    for (const [name, pairs] of Object.entries(rec)) {
      const b: Buckets = new Map(pairs.map(([le, c]) => [le === '+Inf' ? Infinity : le, c]));
      out.set(name, mergeBuckets(out.get(name) ?? new Map(), b));
    }
  }
  return out;
}

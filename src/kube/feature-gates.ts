// Reads a feature gate's state from the Prometheus text of the API server's /metrics:
//   kubernetes_feature_enabled{name="ImageVolume",stage="BETA"} 1

const METRIC = 'kubernetes_feature_enabled';
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** True/false when the gate's sample is present and is 1/0; undefined otherwise. */
export function parseFeatureGate(metricsText: string, gate: string): boolean | undefined {
  let found: boolean | undefined;
  for (const raw of metricsText.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith(`${METRIC}{`)) continue;
    const close = line.indexOf('}');
    if (close < 0) continue;
    const labels = new Map<string, string>();
    for (const m of line.slice(METRIC.length + 1, close).matchAll(LABEL)) labels.set(m[1]!, m[2]!);
    if (labels.get('name') !== gate) continue;
    const value = Number(line.slice(close + 1).trim().split(/\s+/)[0]);
    if (value === 1) found = true;
    else if (value === 0) found = false;
    else return undefined;
  }
  return found;
}

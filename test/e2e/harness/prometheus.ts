// Prometheus text exposition: parsing samples and estimating quantiles from histograms.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] ?? ''] = (l[2] ?? '').replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    out.push({ name: m[1] ?? '', labels, value });
  }
  return out;
}

/** Sum of the samples named `name` whose labels include every pair of `match`. */
export function sumSamples(samples: Sample[], name: string, match: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((acc, s) => acc + s.value, 0);
}

/** Cumulative buckets (upper bound → count), as in `_bucket{le=...}`. */
export type Buckets = Map<number, number>;

/** `name_bucket` samples grouped by the value of `byLabel`, buckets summed over all other labels. */
export function histogramsBy(samples: Sample[], name: string, byLabel: string): Map<string, Buckets> {
  const out = new Map<string, Buckets>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const key = s.labels[byLabel] ?? '';
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    const b = out.get(key) ?? new Map<number, number>();
    b.set(le, (b.get(le) ?? 0) + s.value);
    out.set(key, b);
  }
  return out;
}

export function mergeBuckets(into: Buckets, from: Buckets): Buckets {
  for (const [le, n] of from) into.set(le, (into.get(le) ?? 0) + n);
  return into;
}

/**
 * Quantile `q` (0..1) by linear interpolation inside the bucket, as PromQL's
 * histogram_quantile does; undefined when there are no observations. A quantile that
 * falls in the +Inf bucket returns the highest finite bound.
 */
export function histogramQuantile(q: number, buckets: Buckets): number | undefined {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      const inBucket = count - prevCount;
      return inBucket <= 0 ? le : prevLe + ((le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

/** Total observations of a cumulative histogram. */
export function histogramCount(buckets: Buckets): number {
  return Math.max(0, ...buckets.values());
}

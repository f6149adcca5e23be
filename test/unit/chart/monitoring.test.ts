import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { selfManagedCertificates } from '../../../src/certs/self-managed.js';
import { discoveryMetrics } from '../../../src/kube/discovery-metrics.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { MemoryCertificateStore } from '../certs/memory-certificate-store.js';
import { find, kinds, lint, render, type Manifest } from './helm.js';

type Rule = { alert: string; expr: string; labels: { severity: string } };
const rules = (m: Manifest[]): Rule[] => (find(m, 'PrometheusRule') as Manifest & { spec: { groups: { rules: Rule[] }[] } }).spec.groups.flatMap((g) => g.rules);
const ALL_ON = { networkPolicy: { enabled: true }, serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, cnpgMonitoring: { enabled: true } };

/** Every metric name the webhook process exposes (server, discovery, self-managed certificates). */
async function webhookMetricNames(): Promise<Set<string>> {
  const { registry } = createMetrics({ defaultMetrics: false });
  discoveryMetrics(registry, () => ({ databases: 0, clusters: 0 }));
  const certs = selfManagedCertificates({
    store: new MemoryCertificateStore(),
    names: ['x'],
    certFile: '/nonexistent/c',
    keyFile: '/nonexistent/k',
    caLifetimeMs: 10_000,
    servingLifetimeMs: 5_000,
    renewAt: 0.5,
  });
  certs.registerMetrics(registry);
  return new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
}

describe('chart: optional pieces', () => {
  it('lint clean (--strict) with every optional piece on', () => {
    const r = lint(ALL_ON);
    assert.ok(r.ok, r.output);
  });

  it('are all off by default', () => {
    const k = kinds(render());
    for (const kind of ['NetworkPolicy', 'ServiceMonitor', 'PrometheusRule']) assert.ok(!k.includes(kind), kind);
    assert.equal(render().filter((m) => m.kind === 'ConfigMap').length, 1, 'only the policy ConfigMap');
  });

  it('NetworkPolicy: only the configured peers reach 8443; metrics scrapers reach 8080', () => {
    const peer = { ipBlock: { cidr: '10.0.0.1/32' } };
    const scraper = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const np = find(render({ networkPolicy: { enabled: true, admissionFrom: [peer], metricsFrom: [scraper] } }), 'NetworkPolicy') as Manifest & {
      spec: { ingress: { ports: { port: number }[]; from?: unknown[] }[] };
    };
    assert.deepEqual(np.spec.ingress.map((i) => [i.ports[0]!.port, i.from]), [
      [8443, [peer]],
      [8080, [scraper]],
    ]);
  });

  it('NetworkPolicy by default lets the API server in over IPv4 and IPv6 (an IPv4-only rule blocks IPv6 clusters)', () => {
    const np = find(render({ networkPolicy: { enabled: true } }), 'NetworkPolicy') as Manifest & { spec: { ingress: { ports: { port: number }[]; from?: unknown[] }[] } };
    const admission = np.spec.ingress.find((i) => i.ports[0]!.port === 8443)!;
    assert.deepEqual(admission.from, [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }]);
  });

  it('ServiceMonitor scrapes the metrics port of the Service', () => {
    const m = render(ALL_ON);
    const sm = find(m, 'ServiceMonitor') as Manifest & { spec: { endpoints: { port: string; path: string }[]; selector: { matchLabels: object } } };
    assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.path]), [['metrics', '/metrics']]);
    const svc = find(m, 'Service') as Manifest & { metadata: { labels: Record<string, string> } };
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) assert.equal(svc.metadata.labels[k], v);
  });

  it('CNPG custom queries: a reloadable ConfigMap whose metrics are the ones the alerts use', () => {
    const m = render(ALL_ON);
    const cm = m.find((x) => x.kind === 'ConfigMap' && x.metadata.labels?.['cnpg.io/reload'] === '') as (Manifest & { data: Record<string, string> }) | undefined;
    assert.ok(cm, 'ConfigMap labelled cnpg.io/reload');
    const queries = parse(cm.data['queries.yaml']!) as Record<string, { query: string; metrics: Record<string, { usage: string }>[] }>;
    // The CNPG exporter names a metric <query>_<column>.
    const exported = new Set(
      Object.entries(queries).flatMap(([q, def]) => def.metrics.flatMap((col) => Object.entries(col).filter(([, d]) => d.usage !== 'LABEL').map(([c]) => `${q}_${c}`))),
    );
    assert.ok(exported.has('pg_trickle_stream_tables_staleness_seconds'));
    const used = rules(m).flatMap((r) => r.expr.match(/\bpg_trickle_[a-z_]+/g) ?? []);
    assert.ok(used.length >= 3);
    for (const name of used) assert.ok(exported.has(name), `${name} is exported by the custom queries`);
  });

  it('PrometheusRule alerts on the webhook’s own metrics by the names the webhook really exposes', async () => {
    const r = rules(render(ALL_ON));
    const alerts = r.map((x) => x.alert);
    for (const a of ['PgTrickleWebhookHighDenyRate', 'PgTrickleWebhookCertificateExpiringSoon', 'PgTrickleWebhookDiscoveryErrors']) assert.ok(alerts.includes(a), a);
    const known = await webhookMetricNames();
    const used = r.flatMap((x) => x.expr.match(/\bpgtrickle_webhook_[a-z_]+/g) ?? []);
    assert.ok(used.length >= 3);
    for (const name of used) assert.ok(known.has(name), `${name} is a metric the webhook registers`);
    const deny = r.find((x) => x.alert === 'PgTrickleWebhookHighDenyRate')!;
    assert.match(deny.expr, /decision="denied"/);
    for (const x of r) assert.ok(['warning', 'critical'].includes(x.labels.severity), x.alert);
  });
});

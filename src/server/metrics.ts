// Prometheus instruments of the webhook, on a registry of its own (no prom-client global
// state, so tests and several servers in one process do not collide).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Webhook = 'mutate' | 'validate';

/** `decision` of an admission request. */
export type Decision = 'allowed' | 'mutated' | 'denied' | 'error' | 'unjudgeable' | 'bad_request';

export interface Metrics {
  registry: Registry;
  requests: Counter<'webhook' | 'operation' | 'kind' | 'decision'>;
  duration: Histogram<'webhook' | 'operation' | 'kind' | 'decision'>;
  findings: Counter<'rule' | 'severity'>;
  policyReloads: Counter<'result'>;
  tlsReloads: Counter<'result'>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const labels = ['webhook', 'operation', 'kind', 'decision'] as const;
  return {
    registry,
    requests: new Counter({
      name: 'pgtrickle_webhook_admission_requests_total',
      help: 'Admission requests answered, by webhook, operation, kind and decision.',
      labelNames: labels,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'pgtrickle_webhook_admission_duration_seconds',
      help: 'Time from request received to answer sent, in seconds.',
      labelNames: labels,
      // Sub-millisecond resolution at the bottom: a healthy answer takes ~0.1-1 ms.
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    findings: new Counter({
      name: 'pgtrickle_webhook_rule_findings_total',
      help: 'Rule findings reported in admission answers, by rule id and severity.',
      labelNames: ['rule', 'severity'],
      registers: [registry],
    }),
    policyReloads: new Counter({
      name: 'pgtrickle_webhook_policy_reload_total',
      help: 'Policy file changes by result: applied, or rejected (invalid; the previous policy stays).',
      labelNames: ['result'],
      registers: [registry],
    }),
    tlsReloads: new Counter({
      name: 'pgtrickle_webhook_tls_reload_total',
      help: 'Serving certificate reload attempts by result (applied, rejected).',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}

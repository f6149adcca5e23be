// Prometheus metrics of discovery, registered on the registry the server exposes.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Environment } from '../core/types.js';

export type DiscoveryErrorKind = 'version' | 'metrics' | 'crd' | 'operator' | 'databases' | 'clusters';

export interface DiscoveryMetrics {
  setEnvironment(env: Partial<Environment>): void;
  error(kind: DiscoveryErrorKind): void;
}

const label = (v: string | boolean | undefined, yes = 'true', no = 'false'): string =>
  v === undefined ? 'unknown' : v === true ? yes : v === false ? no : v;

export function discoveryMetrics(registry: Registry, cacheSizes: () => { databases: number; clusters: number }): DiscoveryMetrics {
  const info = new Gauge({
    name: 'pgtrickle_webhook_environment_info',
    help: 'What discovery knows about the cluster (value always 1; "unknown" until discovered).',
    labelNames: ['kubernetes_version', 'cnpg_version', 'image_volume', 'crd_extensions'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'pgtrickle_webhook_discovery_errors_total',
    help: 'Failed discovery calls to the Kubernetes API, by what was being discovered.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'pgtrickle_webhook_cache_objects',
    help: 'Objects held by the watch caches, by resource.',
    labelNames: ['resource'] as const,
    registers: [registry],
    collect() {
      const s = cacheSizes();
      this.set({ resource: 'databases' }, s.databases);
      this.set({ resource: 'clusters' }, s.clusters);
    },
  });
  for (const kind of ['version', 'metrics', 'crd', 'operator', 'databases', 'clusters'] as const) errors.inc({ kind }, 0);
  return {
    setEnvironment(env) {
      info.reset();
      info.set(
        {
          kubernetes_version: label(env.kubernetesVersion),
          cnpg_version: label(env.cnpgVersion),
          image_volume: label(env.imageVolume, 'enabled', 'disabled'),
          crd_extensions: label(env.crdHasExtensions),
        },
        1,
      );
    },
    error(kind) {
      errors.inc({ kind });
    },
  };
}

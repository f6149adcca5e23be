// Environment discovery (SPEC §5): Kubernetes version, ImageVolume, CNPG operator version,
// the Cluster CRD's extension support, and the watch caches of Databases and Clusters.
// Everything refreshes in the background; the admission path only reads cached values.
import { Registry } from 'prom-client';
import type { ClusterDirectory, Environment } from '../core/types.js';
import { CLUSTER_CRD_NAME, crdExtensions } from './crd-extensions.js';
import { discoveryMetrics, type DiscoveryErrorKind } from './discovery-metrics.js';
import { parseFeatureGate } from './feature-gates.js';
import { HttpsKubeTransport, type KubeApiError, type KubeTransport } from './kube-transport.js';
import { loadKubeConfig } from './kubeconfig.js';
import { imageVolumeDefault, parseVersionInfo } from './kubernetes-version.js';
import { KeyedStore, type ObjectStore } from './object-store.js';
import { CNPG_OPERATOR_SELECTOR, operatorVersion } from './operator-version.js';
import { Periodic } from './periodic.js';
import { Reflector } from './reflector.js';
import { WatchDirectory } from './watch-directory.js';

export { kubeConfigSource } from './kubeconfig.js';

/** The subset of a pino logger discovery uses. */
export interface DiscoveryLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DiscoveryOptions {
  /** Path of a kubeconfig; undefined = KUBECONFIG, else the in-cluster service account. */
  kubeconfig?: string | undefined;
  /** Namespace of the CNPG operator Deployment; undefined = all namespaces. */
  cnpgNamespace?: string | undefined;
  /** Where to register the discovery metrics (default: a private registry). */
  registry?: Registry | undefined;
  logger?: DiscoveryLogger | undefined;
  /** ready() turns true at the latest after this long (default 10 000 ms). */
  readyTimeoutMs?: number | undefined;
  /** Re-read /version and /metrics this often (default 300 000 ms, ±20 %). */
  refreshIntervalMs?: number | undefined;
  /** Server-side timeout of each watch (default 300 s). */
  watchTimeoutSeconds?: number | undefined;
  /** Replaces the HTTPS client (tests); `kubeconfig` is then not read. */
  transport?: KubeTransport | undefined;
}

export type DiscoverySource = DiscoveryErrorKind;

export interface DiscoveryDetails {
  /** Item fields of `spec.postgresql.extensions` in the installed Cluster CRD (undefined = unknown). */
  extensionFields: readonly string[] | undefined;
  /** Where imageVolume came from. */
  imageVolumeSource: 'metrics' | 'version-table' | undefined;
  /** namespace/name of the CNPG operator Deployments found. */
  operatorDeployments: readonly string[];
  /** Sources that completed at least once. */
  synced: readonly DiscoverySource[];
}

export interface Discovery {
  /** What is known so far; never waits on the API (fields undefined until discovered). */
  environment(): Partial<Environment>;
  /** Watch-backed Databases/Clusters, O(1) lookups. */
  readonly directory: ClusterDirectory;
  /** True once the first sync finished or the bounded start-up wait ran out. */
  ready(): boolean;
  /** Resolves when ready() turns true (at the latest after readyTimeoutMs). */
  whenReady(): Promise<void>;
  details(): DiscoveryDetails;
  stop(): Promise<void>;
}

const API = '/apis/postgresql.cnpg.io/v1';

export async function startDiscovery(opts: DiscoveryOptions): Promise<Discovery> {
  const transport = opts.transport ?? new HttpsKubeTransport(loadKubeConfig(opts.kubeconfig));
  const log = opts.logger;
  const directory = new WatchDirectory();
  const metrics = discoveryMetrics(opts.registry ?? new Registry(), () => ({
    databases: directory.databases.size,
    clusters: directory.clusters.size,
  }));

  const synced = new Set<DiscoverySource>();
  let kubernetesVersion: string | undefined;
  let gateFromMetrics: boolean | undefined;
  let env: Partial<Environment> = {};
  let envKey = '';

  const crds = new KeyedStore(() => recompute());
  const operators = new KeyedStore(() => recompute());

  function recompute(): void {
    const crd = crds.get('', CLUSTER_CRD_NAME);
    const next: Partial<Environment> = {
      kubernetesVersion,
      imageVolume: gateFromMetrics ?? imageVolumeDefault(kubernetesVersion),
      cnpgVersion: operators.size > 0 ? operatorVersion(operators.values()) : undefined,
      crdHasExtensions: crd ? crdExtensions(crd)?.hasExtensions : undefined,
    };
    const key = JSON.stringify([next.kubernetesVersion, next.imageVolume, next.cnpgVersion, next.crdHasExtensions]);
    env = Object.freeze(next);
    if (key !== envKey) {
      envKey = key;
      metrics.setEnvironment(next);
      log?.info({ environment: next }, 'discovered environment');
    }
  }
  recompute();

  let isReady = false;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));
  const becomeReady = (why: string): void => {
    if (isReady) return;
    isReady = true;
    clearTimeout(readyTimer);
    log?.info({ why, synced: [...synced] }, 'discovery ready');
    resolveReady();
  };
  const ALL: readonly DiscoverySource[] = ['version', 'metrics', 'crd', 'operator', 'databases', 'clusters'];
  const markSynced = (s: DiscoverySource): void => {
    synced.add(s);
    if (ALL.every((k) => synced.has(k))) becomeReady('synced');
  };
  const failed = (kind: DiscoveryErrorKind, err: unknown): void => {
    metrics.error(kind);
    const e = err as KubeApiError;
    log?.warn({ kind, status: e.status, err: e.message }, 'discovery call failed; retrying with backoff');
  };
  // Never unready for long: an API server too slow to answer our own calls must not keep
  // the webhook out of its Service while failurePolicy Fail blocks every Cluster change.
  const readyTimer = setTimeout(() => becomeReady('start-up wait ran out; unknown facts apply environment.onUnknown'), opts.readyTimeoutMs ?? 10_000);
  readyTimer.unref();

  const interval = opts.refreshIntervalMs ?? 300_000;
  const pollers = [
    new Periodic({
      intervalMs: interval,
      task: async () => {
        try {
          const v = parseVersionInfo(JSON.parse(await transport.get('/version')));
          if (v === undefined) throw new Error('/version answer has no usable major/minor');
          kubernetesVersion = v;
          recompute();
          markSynced('version');
          return true;
        } catch (err) {
          failed('version', err);
          return false;
        }
      },
    }),
    new Periodic({
      intervalMs: interval,
      task: async () => {
        try {
          const text = await transport.get('/metrics', { accept: 'text/plain' });
          gateFromMetrics = parseFeatureGate(text, 'ImageVolume');
          recompute();
          return true;
        } catch (err) {
          // Forbidden or unreachable: keep the last reading, else the version table decides.
          failed('metrics', err);
          return false;
        } finally {
          markSynced('metrics');
        }
      },
    }),
  ];

  const reflector = (kind: DiscoverySource, path: string, store: ObjectStore, sel: { label?: string; field?: string } = {}, after?: () => void): Reflector =>
    new Reflector({
      path,
      store,
      transport,
      labelSelector: sel.label,
      fieldSelector: sel.field,
      watchTimeoutSeconds: opts.watchTimeoutSeconds,
      onSynced: () => {
        after?.();
        markSynced(kind);
      },
      onError: (err) => failed(kind, err),
    });
  const operatorPath = opts.cnpgNamespace ? `/apis/apps/v1/namespaces/${encodeURIComponent(opts.cnpgNamespace)}/deployments` : '/apis/apps/v1/deployments';
  const reflectors = [
    // fieldSelector on the name lets RBAC restrict list/watch with resourceNames.
    reflector('crd', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crds, { field: `metadata.name=${CLUSTER_CRD_NAME}` }),
    reflector('operator', operatorPath, operators, { label: CNPG_OPERATOR_SELECTOR }),
    reflector('databases', `${API}/databases`, directory.databases),
    reflector('clusters', `${API}/clusters`, directory.clusters, {}, () => (directory.clustersSynced = true)),
  ];
  for (const p of pollers) p.start();
  for (const r of reflectors) r.start();

  let stopped: Promise<void> | undefined;
  return {
    environment: () => env,
    directory,
    ready: () => isReady,
    whenReady: () => readyPromise,
    details: () => {
      const crd = crds.get('', CLUSTER_CRD_NAME);
      return {
        extensionFields: crd ? crdExtensions(crd)?.fields : undefined,
        imageVolumeSource: gateFromMetrics !== undefined ? 'metrics' : kubernetesVersion !== undefined ? 'version-table' : undefined,
        operatorDeployments: operators.values().map((d) => `${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`),
        synced: [...synced],
      };
    },
    stop: () => {
      stopped ??= (async () => {
        clearTimeout(readyTimer);
        await Promise.all([...pollers.map((p) => p.stop()), ...reflectors.map((r) => r.stop())]);
      })();
      return stopped;
    },
  };
}

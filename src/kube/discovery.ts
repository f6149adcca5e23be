// Contract between the server and Kubernetes discovery. PLACEHOLDER body: the discovery
// work (issue 5) implements it with @kubernetes/client-node; the serve command wires it.
import type { ClusterDirectory, Environment } from '../core/types.js';

export interface DiscoveryOptions {
  /** Path of a kubeconfig; undefined = in-cluster config (or KUBECONFIG). */
  kubeconfig?: string | undefined;
  /** Namespace of the CNPG operator Deployment; undefined = all namespaces. */
  cnpgNamespace?: string | undefined;
}

export interface Discovery {
  /** What is known so far; never waits on the API (fields undefined until discovered). */
  environment(): Partial<Environment>;
  /** Watch-backed Databases/Clusters, O(1) lookups. */
  readonly directory: ClusterDirectory;
  /** True once the first sync finished or the bounded start-up wait ran out. */
  ready(): boolean;
  stop(): Promise<void>;
}

export async function startDiscovery(_opts: DiscoveryOptions): Promise<Discovery> {
  throw new Error('discovery is not implemented yet');
}

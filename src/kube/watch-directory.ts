// The server's ClusterDirectory: Databases and Clusters as the watch caches hold them.
import type { ClusterDirectory, KubeObject } from '../core/types.js';
import { DatabaseIndex } from './database-index.js';
import { KeyedStore } from './object-store.js';

export class WatchDirectory implements ClusterDirectory {
  readonly databases = new DatabaseIndex();
  readonly clusters = new KeyedStore();
  /** Set by discovery once the Cluster cache has listed at least once. */
  clustersSynced = false;

  databasesOf(namespace: string, cluster: string): readonly KubeObject[] {
    return this.databases.databasesOf(namespace, cluster);
  }

  cluster(namespace: string, name: string): KubeObject | null | undefined {
    const c = this.clusters.get(namespace, name);
    if (c) return c;
    return this.clustersSynced ? null : undefined;
  }
}

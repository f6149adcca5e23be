// Databases indexed by (namespace, spec.cluster.name): the budget rule asks "which
// Databases belong to this Cluster" on every admission, so the answer is one map lookup.
import type { KubeObject } from '../core/types.js';
import { objectKey, slim, type ObjectStore } from './object-store.js';

function clusterKeyOf(db: KubeObject): string | undefined {
  const spec = db.spec as { cluster?: { name?: unknown } } | undefined;
  const cluster = spec?.cluster?.name;
  if (typeof cluster !== 'string' || cluster === '') return undefined;
  const ns = db.metadata?.namespace;
  return `${typeof ns === 'string' ? ns : ''}/${cluster}`;
}

export class DatabaseIndex implements ObjectStore {
  /** namespace/name → the cluster key it is filed under (to move it when spec.cluster changes). */
  private readonly filedUnder = new Map<string, string>();
  private readonly byCluster = new Map<string, Map<string, KubeObject>>();
  /** Frozen answer per cluster, rebuilt lazily after a change to that cluster's set. */
  private readonly snapshots = new Map<string, readonly KubeObject[]>();

  replace(items: readonly KubeObject[]): void {
    this.filedUnder.clear();
    this.byCluster.clear();
    this.snapshots.clear();
    for (const o of items) this.upsert(o);
  }

  upsert(obj: KubeObject): void {
    const key = objectKey(obj);
    if (key === undefined) return;
    this.detach(key);
    const ck = clusterKeyOf(obj);
    if (ck === undefined) return;
    let set = this.byCluster.get(ck);
    if (!set) this.byCluster.set(ck, (set = new Map()));
    set.set(key, slim(obj));
    this.filedUnder.set(key, ck);
    this.snapshots.delete(ck);
  }

  remove(obj: KubeObject): void {
    const key = objectKey(obj);
    if (key !== undefined) this.detach(key);
  }

  databasesOf(namespace: string, cluster: string): readonly KubeObject[] {
    const ck = `${namespace}/${cluster}`;
    const cached = this.snapshots.get(ck);
    if (cached) return cached;
    const set = this.byCluster.get(ck);
    if (!set) return [];
    const list = Object.freeze([...set.values()]);
    this.snapshots.set(ck, list);
    return list;
  }

  get size(): number {
    return this.filedUnder.size;
  }

  private detach(key: string): void {
    const ck = this.filedUnder.get(key);
    if (ck === undefined) return;
    this.filedUnder.delete(key);
    this.snapshots.delete(ck);
    const set = this.byCluster.get(ck);
    set?.delete(key);
    if (set && set.size === 0) this.byCluster.delete(ck);
  }
}

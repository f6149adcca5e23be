// An in-memory ClusterDirectory built from a list of objects (CLI input files, tests).
import type { ClusterDirectory, KubeObject } from './types.js';

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export class StaticDirectory implements ClusterDirectory {
  private readonly databases = new Map<string, KubeObject[]>();
  private readonly clusters = new Map<string, KubeObject>();

  /**
   * @param objects Clusters and Databases; anything else is ignored.
   * @param clustersKnown when true a Cluster absent from `objects` is reported as
   *   known-absent (`null`), otherwise as unknown (`undefined`).
   */
  constructor(objects: readonly KubeObject[], private readonly clustersKnown = false) {
    for (const o of objects) {
      const ns = str(o.metadata?.namespace) ?? 'default';
      if (o.kind === 'Database') {
        const spec = (o.spec ?? {}) as { cluster?: { name?: unknown } };
        const cluster = str(spec.cluster?.name);
        if (!cluster) continue;
        const k = key(ns, cluster);
        const list = this.databases.get(k) ?? [];
        list.push(o);
        this.databases.set(k, list);
      } else if (o.kind === 'Cluster') {
        const name = str(o.metadata?.name);
        if (name) this.clusters.set(key(ns, name), o);
      }
    }
  }

  databasesOf(namespace: string, cluster: string): readonly KubeObject[] {
    return this.databases.get(key(namespace, cluster)) ?? [];
  }

  cluster(namespace: string, name: string): KubeObject | null | undefined {
    const c = this.clusters.get(key(namespace, name));
    if (c) return c;
    return this.clustersKnown ? null : undefined;
  }
}

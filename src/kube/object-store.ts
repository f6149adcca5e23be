// What a reflector feeds: a full replacement after each list, then single changes from
// the watch. Implementations keep their own indexes.
import type { KubeObject } from '../core/types.js';

export interface ObjectStore {
  /** The complete current set (after a list or re-list); replaces everything held. */
  replace(items: readonly KubeObject[]): void;
  upsert(obj: KubeObject): void;
  remove(obj: KubeObject): void;
  readonly size: number;
}

export function objectKey(obj: KubeObject): string | undefined {
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const ns = obj.metadata?.namespace;
  return `${typeof ns === 'string' ? ns : ''}/${name}`;
}

/** Drops what the admission path never reads (managedFields can be most of an object). */
export function slim(obj: KubeObject): KubeObject {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** A plain namespace/name map (Clusters, CRDs, operator Deployments). */
export class KeyedStore implements ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  constructor(private readonly onChange: () => void = () => {}) {}

  replace(items: readonly KubeObject[]): void {
    this.objects.clear();
    for (const o of items) {
      const k = objectKey(o);
      if (k !== undefined) this.objects.set(k, slim(o));
    }
    this.onChange();
  }
  upsert(obj: KubeObject): void {
    const k = objectKey(obj);
    if (k === undefined) return;
    this.objects.set(k, slim(obj));
    this.onChange();
  }
  remove(obj: KubeObject): void {
    const k = objectKey(obj);
    if (k !== undefined && this.objects.delete(k)) this.onChange();
  }
  get(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }
  values(): KubeObject[] {
    return [...this.objects.values()];
  }
  get size(): number {
    return this.objects.size;
  }
}

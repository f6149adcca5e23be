// Get-or-create for the maps and lists mutations write into; a field of the wrong type is left alone (undefined).
// Callers decide first that they will write, so nothing empty is ever created.
import { isRecord, type JsonRecord } from '../util/json.js';

export function childRecord(parent: JsonRecord, key: string): JsonRecord | undefined {
  const v = parent[key];
  if (v === undefined) {
    const created: JsonRecord = {};
    parent[key] = created;
    return created;
  }
  return isRecord(v) ? v : undefined;
}

export function childList(parent: JsonRecord, key: string): unknown[] | undefined {
  const v = parent[key];
  if (v === undefined) {
    const created: unknown[] = [];
    parent[key] = created;
    return created;
  }
  return Array.isArray(v) ? v : undefined;
}

/** `spec.postgresql` of the copy, created when absent; undefined when spec or postgresql has the wrong type. */
export function postgresqlOf(object: JsonRecord): JsonRecord | undefined {
  const spec = childRecord(object, 'spec');
  return spec && childRecord(spec, 'postgresql');
}

/** Can `spec.postgresql.<key>` be created or written: every level absent or a map. */
export function writablePath(object: JsonRecord, keys: readonly string[]): boolean {
  let node: unknown = object;
  for (const key of keys) {
    if (node === undefined) return true;
    if (!isRecord(node)) return false;
    node = node[key];
  }
  return node === undefined || isRecord(node);
}

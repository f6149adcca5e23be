// Whether an installed `clusters.postgresql.cnpg.io` CRD knows `spec.postgresql.extensions`
// (CNPG ≥ 1.27). The API server prunes fields its structural schema does not declare, so
// an injected extension entry survives only when the storage version's schema has it.
import type { KubeObject } from '../core/types.js';

export const CLUSTER_CRD_NAME = 'clusters.postgresql.cnpg.io';

export interface CrdExtensions {
  /** `spec.postgresql.extensions` is declared in the v1 schema. */
  hasExtensions: boolean;
  /** The item fields it declares (name, image, extension_control_path, …), sorted; empty when absent. */
  fields: string[];
}

type Schema = { properties?: Record<string, Schema>; items?: Schema } | undefined;

function child(schema: Schema, name: string): Schema {
  const props = schema?.properties;
  return props && typeof props === 'object' ? props[name] : undefined;
}

/** Undefined when the CRD has no v1 version with a schema (cannot tell). */
export function crdExtensions(crd: KubeObject): CrdExtensions | undefined {
  const versions = (crd.spec as { versions?: unknown } | undefined)?.versions;
  if (!Array.isArray(versions)) return undefined;
  const v1 = versions.find((v): v is { name: string; schema?: { openAPIV3Schema?: Schema } } =>
    typeof v === 'object' && v !== null && (v as { name?: unknown }).name === 'v1');
  const root = v1?.schema?.openAPIV3Schema;
  if (!root || typeof root !== 'object') return undefined;
  const ext = child(child(child(root, 'spec'), 'postgresql'), 'extensions');
  if (!ext) return { hasExtensions: false, fields: [] };
  const itemProps = ext.items?.properties;
  const fields = itemProps && typeof itemProps === 'object' ? Object.keys(itemProps).sort() : [];
  return { hasExtensions: true, fields };
}

// Case-insensitive lookups in the generated catalog: PostgreSQL GUC names ignore case.
import { GUC_CATALOG, REMOVED_GUCS } from './guc-catalog.generated.js';
import type { GucSpec } from './guc-spec.js';

export const TRICKLE_PREFIX = 'pg_trickle.';

const byName: ReadonlyMap<string, GucSpec> = new Map(GUC_CATALOG.map((g): [string, GucSpec] => [g.name, g]));

interface RemovedEntry {
  /** Lower-case name, or the prefix of a `*` family. */
  readonly key: string;
  readonly family: boolean;
  /** How the catalog spells it, e.g. `pg_trickle.outbox_*`. */
  readonly label: string;
  readonly note: string;
}

const removed: readonly RemovedEntry[] = Object.entries(REMOVED_GUCS).flatMap(([names, note]) =>
  names
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0)
    .map((label) => {
      const family = label.endsWith('*');
      return { key: (family ? label.slice(0, -1) : label).toLowerCase(), family, label, note };
    }),
);

/** The catalog entry for `name` (any case), or undefined. */
export function findGuc(name: string): GucSpec | undefined {
  return byName.get(name.toLowerCase());
}

/** All known names, lower case, catalog order. */
export function gucNames(): readonly string[] {
  return [...byName.keys()];
}

/** Why `name` is not a parameter, when the catalog records it as removed or never existing. */
export function removedGuc(name: string): { label: string; note: string } | undefined {
  const lower = name.toLowerCase();
  const hit = removed.find((r) => (r.family ? lower.startsWith(r.key) && lower.length > r.key.length : lower === r.key));
  return hit === undefined ? undefined : { label: hit.label, note: hit.note };
}

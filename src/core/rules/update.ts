// PGT010 (downgrade), PGT011 (upgrade) and PGT012 (removal) on UPDATE, comparing with the stored object.
import { ANNOTATION_ALLOW_REMOVAL, EXTENSIONS_PATH, PRELOAD_LIBRARY, PRELOAD_LIST_PATH } from '../cluster/names.js';
import { preloadRequested, usesCustomImage } from '../cluster/intent.js';
import type { ClusterView } from '../cluster/read.js';
import { compareVersions, imageVersion } from '../image/version.js';
import type { Policy } from '../policy/schema.js';
import type { Finding } from '../types.js';
import { finding, type ClusterRule } from './review.js';

interface VersionedImage {
  reference: string;
  version: string;
  path: string;
}

/** The pg_trickle build a Cluster runs: its extension image, else an allowed custom operand image. */
function trickleImage(view: ClusterView, policy: Policy): VersionedImage | undefined {
  const entry = view.extensionEntry;
  let reference: string | undefined;
  let path: string;
  if (entry?.reference !== undefined) {
    reference = entry.reference;
    path = `${EXTENSIONS_PATH}[${entry.index}].image.reference`;
  } else if (usesCustomImage(view, policy)) {
    reference = view.imageName;
    path = 'spec.imageName';
  } else return undefined;
  const version = reference === undefined ? undefined : imageVersion(reference);
  return reference === undefined || version === undefined ? undefined : { reference, version, path };
}

export const checkVersionChange: ClusterRule = ({ view, oldView, ctx }): Finding[] => {
  if (!oldView) return [];
  const before = trickleImage(oldView, ctx.policy);
  const after = trickleImage(view, ctx.policy);
  if (!before || !after) return [];
  const order = compareVersions(after.version, before.version);
  if (order < 0) {
    return [finding('PGT010', 'deny', after.path,
      `pg_trickle would go from ${before.version} to ${after.version} ("${before.reference}" → "${after.reference}"): downgrades are not supported, the older library cannot read the newer catalog and the scheduler fails in every database. ` +
      `Fix: keep ${before.reference} (or a newer version)`)];
  }
  if (order > 0) {
    return [finding('PGT011', 'warn', after.path,
      `pg_trickle is upgraded from ${before.version} to ${after.version}: until the SQL objects are updated, the new library runs against the old catalog and refreshes may fail. ` +
      `Fix: after the rollout run ALTER EXTENSION pg_trickle UPDATE in every database that has the extension`)];
  }
  return [];
};

export const checkRemoval: ClusterRule = ({ view, oldView }): Finding[] => {
  if (!oldView || view.annotations[ANNOTATION_ALLOW_REMOVAL] === 'true') return [];
  const found: Finding[] = [];
  const fix = `Fix: keep it, or first DROP EXTENSION pg_trickle in every database and then annotate the Cluster ${ANNOTATION_ALLOW_REMOVAL}: "true"`;
  if (preloadRequested(oldView) && !preloadRequested(view)) {
    found.push(finding('PGT012', 'deny', PRELOAD_LIST_PATH,
      `${PRELOAD_LIBRARY} is removed from shared_preload_libraries: the launcher and schedulers stop, and every stream table silently stops refreshing while its change buffers grow. ${fix}`));
  }
  if (oldView.extensionEntry !== undefined && view.extensionEntry === undefined) {
    found.push(finding('PGT012', 'deny', EXTENSIONS_PATH,
      `the ${oldView.extensionEntry.name} extension entry is removed: databases that have CREATE EXTENSION pg_trickle lose its library, so the server fails to start or the scheduler stops. ${fix}`));
  }
  return found;
};

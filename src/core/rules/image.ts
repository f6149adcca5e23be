// PGT013 (image not allowed) and PGT014 (image not pinned) for pg_trickle's extension entry.
import { EXTENSIONS_PATH } from '../cluster/names.js';
import { matchesAny } from '../image/glob.js';
import { pinning } from '../image/pinning.js';
import { parseImageReference } from '../image/reference.js';
import type { Finding } from '../types.js';
import { finding, type ClusterRule } from './review.js';

export const checkAllowedImage: ClusterRule = ({ view, ctx }): Finding[] => {
  const entry = view.extensionEntry;
  if (!entry) return [];
  const path = `${EXTENSIONS_PATH}[${entry.index}].image.reference`;
  const allowed = ctx.policy.extension.allowedImages;
  if (entry.reference === undefined) {
    return [finding('PGT013', 'deny', path,
      `the ${entry.name} extension entry has no image.reference, so CNPG has nothing to mount and PostgreSQL cannot load pg_trickle. Fix: set image.reference: ${ctx.policy.extension.image}`)];
  }
  // A glob on the raw text would let through what only looks like an allowed image.
  if (parseImageReference(entry.reference) === undefined) {
    return [finding('PGT013', 'deny', path,
      `extension image "${entry.reference}" is not a valid image reference: the kubelet refuses to pull it (InvalidImageName), so the instance cannot start and pg_trickle never loads. ` +
      `Fix: set image.reference: ${ctx.policy.extension.image}, or another <registry>/<repository>:<tag> or @sha256:<digest> matching extension.allowedImages`)];
  }
  if (matchesAny(allowed, entry.reference)) return [];
  return [finding('PGT013', 'deny', path,
    `extension image "${entry.reference}" is not allowed by the policy (extension.allowedImages: ${allowed.join(', ')}); an unvetted image would run inside every PostgreSQL instance and pg_trickle's scheduler with it. ` +
    `Fix: use ${ctx.policy.extension.image}, or add a matching pattern to extension.allowedImages`)];
};

export const checkPinnedImage: ClusterRule = ({ view, ctx }): Finding[] => {
  const entry = view.extensionEntry;
  // An invalid reference is PGT013's finding; "not pinned" would send the user the wrong way.
  if (!entry?.reference || parseImageReference(entry.reference) === undefined) return [];
  const path = `${EXTENSIONS_PATH}[${entry.index}].image.reference`;
  const pin = pinning(entry.reference);
  if (pin === 'digest') return [];
  if (ctx.policy.extension.requireDigest) {
    return [finding('PGT014', 'deny', path,
      `extension image "${entry.reference}" has no digest but the policy requires one (extension.requireDigest): a tag can be moved, so instances could load different pg_trickle builds. ` +
      `Fix: reference the image by digest (<repository>@sha256:<digest>), as extension.allowedImages permits`)];
  }
  if (pin === 'tag') return [];
  return [finding('PGT014', 'warn', path,
    `extension image "${entry.reference}" is not pinned (${pin === 'latest' ? 'tag latest' : 'no tag'}): a restart can pull a different pg_trickle version, which then needs ALTER EXTENSION pg_trickle UPDATE in every database, or a downgrade the scheduler cannot handle. ` +
    `Fix: pin a version tag or digest, e.g. ${ctx.policy.extension.image}`)];
};

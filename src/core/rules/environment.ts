// PGT008 (Kubernetes/ImageVolume) and PGT009 (CNPG/CRD): can this environment mount pg_trickle as an ImageVolume extension?
import { cnpgSupport, kubernetesSupport, type Support } from '../cluster/environment-support.js';
import { EXTENSIONS_PATH, LABEL_INJECT } from '../cluster/names.js';
import { injectionRequested, usesCustomImage } from '../cluster/intent.js';
import type { Finding, RuleId } from '../types.js';
import { finding, type ClusterReview, type ClusterRule } from './review.js';

// CNPG reads the PostgreSQL major from the start of the tag, so the published
// `<ver>-pg18.3` tags must be re-tagged major-first to be usable as imageName.
const CUSTOM_IMAGE = 'ghcr.io/trickle-labs/pg_trickle:<ver>-pg18.3 re-tagged as <registry>/pg_trickle:18.3-<ver> and listed in extension.customImages';

/** Path of the ImageVolume entry, or of the injection request; undefined when the Cluster needs no ImageVolume. */
function imageVolumeRequest({ view, ctx }: ClusterReview): string | undefined {
  if (view.extensionEntry !== undefined) return `${EXTENSIONS_PATH}[${view.extensionEntry.index}]`;
  if (injectionRequested(view, ctx.policy) && !usesCustomImage(view, ctx.policy)) {
    return view.labels[LABEL_INJECT] === 'true' ? `metadata.labels['${LABEL_INJECT}']` : EXTENSIONS_PATH;
  }
  return undefined;
}

function judge(rule: RuleId, support: Support, path: string, review: ClusterReview): Finding[] {
  if (support.state === 'yes') return [];
  const severity = support.state === 'no' ? 'deny' : review.ctx.policy.environment.onUnknown;
  const consequence = support.state === 'no'
    ? 'the pg_trickle extension image cannot be mounted, so PostgreSQL cannot load pg_trickle and no scheduler runs'
    : 'so it cannot be confirmed that the image can be mounted; if it cannot, PostgreSQL cannot load pg_trickle and no scheduler runs';
  return [finding(rule, severity, path,
    `pg_trickle is to be mounted as an ImageVolume extension, but ${support.reason}; ${consequence}. ` +
    `Fix: use an operand image with pg_trickle built in instead (spec.imageName: ${CUSTOM_IMAGE}, no ${EXTENSIONS_PATH} entry), ` +
    `or upgrade the platform (Kubernetes ${review.ctx.policy.requirements.minKubernetes}+ with ImageVolume enabled, CNPG ${review.ctx.policy.requirements.minCnpg}+)`)];
}

export const checkKubernetesSupport: ClusterRule = (review): Finding[] => {
  const path = imageVolumeRequest(review);
  return path === undefined ? [] : judge('PGT008', kubernetesSupport(review.ctx.environment, review.ctx.policy), path, review);
};

export const checkCnpgSupport: ClusterRule = (review): Finding[] => {
  const path = imageVolumeRequest(review);
  return path === undefined ? [] : judge('PGT009', cnpgSupport(review.ctx.environment, review.ctx.policy), path, review);
};

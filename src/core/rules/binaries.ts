// PGT002 (preloaded without binaries) and PGT003 (binaries or injection without preload).
import { EXTENSION_ENTRY_NAME, EXTENSIONS_PATH, LABEL_INJECT, PRELOAD_LIBRARY, PRELOAD_LIST_PATH } from '../cluster/names.js';
import { imageVolumeNotRuledOut } from '../cluster/environment-support.js';
import { injectLabel, preloadedInList, preloadRequested, usesCustomImage } from '../cluster/intent.js';
import type { Finding } from '../types.js';
import { fieldPath } from '../util/json.js';
import { finding, type ClusterRule } from './review.js';

export const checkBinariesPresent: ClusterRule = ({ view, ctx }): Finding[] => {
  if (!preloadRequested(view) || view.extensionEntry !== undefined || usesCustomImage(view, ctx.policy)) return [];
  const image = view.imageName === undefined ? 'no spec.imageName' : `spec.imageName "${view.imageName}" is not an allowed custom image`;
  const customImage = `use an operand image with pg_trickle built in matching ${ctx.policy.extension.customImages.join(', ')}`;
  // Only offer the ImageVolume entry where it can work.
  const fix = imageVolumeNotRuledOut(ctx.environment, ctx.policy)
    ? `add ${EXTENSIONS_PATH}: [{name: ${EXTENSION_ENTRY_NAME}, image: {reference: ${ctx.policy.extension.image}}}] (or label the Cluster ${LABEL_INJECT}: "true"), or ${customImage}`
    : `${customImage} (this platform cannot mount ImageVolume extensions)`;
  return [finding('PGT002', 'deny', PRELOAD_LIST_PATH,
    `${PRELOAD_LIBRARY} is in shared_preload_libraries but the Cluster has no pg_trickle binaries: no ${EXTENSIONS_PATH} entry named ${EXTENSION_ENTRY_NAME} and ${image}. ` +
    `PostgreSQL would fail to start ("could not access file pg_trickle") and the instance crash-loops. Fix: ${fix}`)];
};

export const checkPreloaded: ClusterRule = ({ view }): Finding[] => {
  const labelled = injectLabel(view) === 'true';
  if (preloadedInList(view) || (view.extensionEntry === undefined && !labelled)) return [];
  const why = view.extensionEntry !== undefined
    ? `the extension ${view.extensionEntry.name} is mounted (${EXTENSIONS_PATH}[${view.extensionEntry.index}])`
    : `the Cluster is labelled ${LABEL_INJECT}: "true"`;
  const inParameter = view.preloadParameter.includes(PRELOAD_LIBRARY);
  const where = view.preloadListMalformed
    ? `${PRELOAD_LIST_PATH} is not a list of library names`
    : inParameter
      ? `${PRELOAD_LIBRARY} is only in ${fieldPath('spec.postgresql.parameters', 'shared_preload_libraries')}, a fixed parameter CNPG refuses`
      : `${PRELOAD_LIBRARY} is not in ${PRELOAD_LIST_PATH}`;
  return [finding('PGT003', 'deny', PRELOAD_LIST_PATH,
    `${why} but ${where}. Without the preload there is no launcher and no scheduler: stream tables silently never refresh. ` +
    `Fix: add "${PRELOAD_LIBRARY}" to the list ${PRELOAD_LIST_PATH}${inParameter ? ' and delete the parameter' : ''}`)];
};

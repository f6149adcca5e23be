// What a Cluster asks for (SPEC §2): does it use pg_trickle, is injection requested, which binaries path.
import { matchesAny } from '../image/glob.js';
import type { Policy } from '../policy/schema.js';
import { LABEL_INJECT, PARAMETER_PREFIX, PRELOAD_LIBRARY } from './names.js';
import type { ClusterView } from './read.js';

/** `pg_trickle` in the preload list (the only place CNPG accepts it). */
export function preloadedInList(view: ClusterView): boolean {
  return view.preloadList?.includes(PRELOAD_LIBRARY) ?? false;
}

/** `pg_trickle` in the list or in `parameters.shared_preload_libraries`. */
export function preloadRequested(view: ClusterView): boolean {
  return preloadedInList(view) || view.preloadParameter.includes(PRELOAD_LIBRARY);
}

export function hasTrickleParameter(view: ClusterView): boolean {
  for (const name of view.parameters.keys()) if (name.startsWith(PARAMETER_PREFIX)) return true;
  return false;
}

/** The `pgtrickle.io/inject` label: "true", "false", or anything else (not set). */
export function injectLabel(view: ClusterView): 'true' | 'false' | undefined {
  const v = view.labels[LABEL_INJECT];
  return v === 'true' || v === 'false' ? v : undefined;
}

export function usesPgTrickle(view: ClusterView): boolean {
  return preloadRequested(view) || view.extensionEntry !== undefined || hasTrickleParameter(view) || injectLabel(view) === 'true';
}

/** Injection explicitly requested: the label, or `injection.mode: always`; label "false" always opts out. */
export function injectionRequested(view: ClusterView, policy: Policy): boolean {
  const label = injectLabel(view);
  return label === 'true' || (label !== 'false' && policy.injection.mode === 'always');
}

/** The mutating webhook acts: injection requested, or a partial pg_trickle setup to complete. */
export function shouldInject(view: ClusterView, policy: Policy): boolean {
  return injectLabel(view) !== 'false' && (injectionRequested(view, policy) || usesPgTrickle(view));
}

/** `spec.imageName` is an operand image with pg_trickle built in (policy `extension.customImages`). */
export function usesCustomImage(view: ClusterView, policy: Policy): boolean {
  return view.imageName !== undefined && matchesAny(policy.extension.customImages, view.imageName);
}

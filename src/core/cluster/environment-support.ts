// Whether the guarded Kubernetes/CNPG can run an ImageVolume extension (SPEC §1 facts, §4 PGT008/PGT009).
import semver from 'semver';
import type { Policy } from '../policy/schema.js';
import type { Environment } from '../types.js';

/** Kubernetes release where ImageVolume is beta and on by default. */
export const IMAGE_VOLUME_DEFAULT_ON = '1.35';

/** a < b for dotted versions ("1.33", "1.28.0"); undefined when either is unreadable. */
export function versionBelow(a: string | undefined, b: string): boolean | undefined {
  const va = a === undefined ? null : semver.coerce(a);
  const vb = semver.coerce(b);
  if (!va || !vb) return undefined;
  return semver.lt(va, vb);
}

export type Support = { state: 'yes' } | { state: 'no'; reason: string } | { state: 'unknown'; reason: string };

/** Kubernetes side: version at least the policy minimum and the ImageVolume gate on. */
export function kubernetesSupport(env: Environment, policy: Policy): Support {
  const min = policy.requirements.minKubernetes;
  const below = versionBelow(env.kubernetesVersion, min);
  if (below === true) return { state: 'no', reason: `Kubernetes ${env.kubernetesVersion} is below ${min}, where ImageVolume is off by default or missing` };
  if (env.imageVolume === false) return { state: 'no', reason: 'the ImageVolume feature gate is disabled on this Kubernetes' };
  if (env.imageVolume === true) return below === undefined && env.kubernetesVersion !== undefined
    ? { state: 'unknown', reason: `the Kubernetes version "${env.kubernetesVersion}" cannot be read` }
    : { state: 'yes' };
  if (env.kubernetesVersion === undefined) {
    return { state: 'unknown', reason: 'the Kubernetes version and the ImageVolume feature gate are unknown (pin environment.kubernetesVersion and environment.imageVolume in the policy)' };
  }
  if (versionBelow(env.kubernetesVersion, IMAGE_VOLUME_DEFAULT_ON) === false) return { state: 'yes' };
  return {
    state: 'unknown',
    reason: `the ImageVolume feature gate on Kubernetes ${env.kubernetesVersion} is off unless enabled, and its state is unknown (pin environment.imageVolume: enabled|disabled in the policy)`,
  };
}

/** CNPG side: operator at least the policy minimum and a Cluster CRD that keeps `spec.postgresql.extensions`. */
export function cnpgSupport(env: Environment, policy: Policy): Support {
  if (env.crdHasExtensions === false) {
    return { state: 'no', reason: 'the installed Cluster CRD has no spec.postgresql.extensions, so the API server would silently prune the extension entry' };
  }
  const min = policy.requirements.minCnpg;
  const below = versionBelow(env.cnpgVersion, min);
  if (below === true) return { state: 'no', reason: `CNPG ${env.cnpgVersion} is below ${min}, the first release pg_trickle supports ImageVolume extensions on` };
  if (below === false) return { state: 'yes' };
  return { state: 'unknown', reason: 'the CNPG operator version is unknown (pin environment.cnpgVersion in the policy, e.g. "1.30.0")' };
}

/**
 * M01 injects unless the entry is known to be useless: Kubernetes cannot mount it, or the CRD
 * would prune it. An old CNPG version alone does not stop it; PGT009 then explains.
 */
export function imageVolumeNotRuledOut(env: Environment, policy: Policy): boolean {
  return kubernetesSupport(env, policy).state !== 'no' && env.crdHasExtensions !== false;
}

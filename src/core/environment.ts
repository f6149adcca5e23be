// Merges what the policy pins with what discovery (or CLI flags) found. Pinned wins.
import type { Policy } from './policy/schema.js';
import type { Environment } from './types.js';

export const UNKNOWN_ENVIRONMENT: Environment = Object.freeze({
  kubernetesVersion: undefined,
  imageVolume: undefined,
  cnpgVersion: undefined,
  crdHasExtensions: undefined,
});

export function resolveEnvironment(policy: Policy, discovered: Partial<Environment> = {}): Environment {
  const pinned = policy.environment;
  return {
    kubernetesVersion: pinned.kubernetesVersion !== 'auto' ? pinned.kubernetesVersion : discovered.kubernetesVersion,
    cnpgVersion: pinned.cnpgVersion !== 'auto' ? pinned.cnpgVersion : discovered.cnpgVersion,
    imageVolume: pinned.imageVolume === 'auto' ? discovered.imageVolume : pinned.imageVolume === 'enabled',
    crdHasExtensions: discovered.crdHasExtensions,
  };
}

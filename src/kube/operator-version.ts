// The CNPG operator version from its Deployment's container image tag.
import semver from 'semver';
import type { KubeObject } from '../core/types.js';

/** Label every CNPG operator Deployment carries (Helm chart and release manifests). */
export const CNPG_OPERATOR_SELECTOR = 'app.kubernetes.io/name=cloudnative-pg';

/**
 * Semver of an image tag: `ghcr.io/cloudnative-pg/cloudnative-pg:1.27.0` → "1.27.0";
 * `:v1.27.0`, `:1.27.0@sha256:…` too; `:1.27` → "1.27.0" (the lowest it can be).
 * Digest-only, `latest` or non-version tags → undefined.
 */
export function versionFromImage(image: string): string | undefined {
  const noDigest = image.split('@')[0] ?? '';
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon <= slash) return undefined; // no tag (a registry port is before the last slash)
  const tag = noDigest.slice(colon + 1);
  const full = semver.valid(semver.clean(tag) ?? '');
  if (full) return full;
  const short = /^v?(\d+)\.(\d+)$/.exec(tag);
  return short ? `${Number(short[1])}.${Number(short[2])}.0` : undefined;
}

interface Container { name?: unknown; image?: unknown }

/** The operator's image: the container named `manager`, else the first one. */
export function operatorImage(deployment: KubeObject): string | undefined {
  const spec = deployment.spec as { template?: { spec?: { containers?: unknown } } } | undefined;
  const containers = spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return undefined;
  const list = containers.filter((c): c is Container => typeof c === 'object' && c !== null);
  const chosen = list.find((c) => c.name === 'manager') ?? list[0];
  return typeof chosen?.image === 'string' ? chosen.image : undefined;
}

/**
 * The operator version across all operator Deployments found: the lowest one (a rule
 * that needs a minimum must hold for every operator). Undefined when none is found or
 * any one's version cannot be read — an unreadable operator may be the old one.
 */
export function operatorVersion(deployments: readonly KubeObject[]): string | undefined {
  let lowest: string | undefined;
  for (const d of deployments) {
    const image = operatorImage(d);
    const v = image === undefined ? undefined : versionFromImage(image);
    if (v === undefined) return undefined;
    if (lowest === undefined || semver.lt(v, lowest)) lowest = v;
  }
  return lowest;
}

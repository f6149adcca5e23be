// The pg_trickle version an image tag carries, and version order (rules PGT010, PGT011).
//
// Tags seen in practice: `0.67.0`, `v0.67.0`, `0.67.0-pg18.3` (operand image: pg_trickle
// 0.67.0 built for PostgreSQL 18.3), `18-0.36.0` (PostgreSQL major first). A suffix after the
// version is a build variant (PostgreSQL version, distribution) and is dropped, so
// `0.67.0-pg18.3` equals `0.67.0`; only real pre-release suffixes (`-rc.1`, `-beta2`, ...)
// are kept, so `0.68.0-rc.1` sorts before `0.68.0`.
import semver from 'semver';
import { parseImageReference } from './reference.js';

const VERSION_FIRST = /^v?(\d+\.\d+\.\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const POSTGRES_FIRST = /^(?:pg)?\d+(?:\.\d+)?-v?(\d+\.\d+\.\d+)(?:-([0-9A-Za-z.-]+))?$/;
const PRERELEASE = /^(?:alpha|beta|rc|pre|preview|dev|snapshot|nightly)(?:[.-]?[0-9A-Za-z]+)*$/i;

/** `X.Y.Z` or `X.Y.Z-prerelease` from a tag or version string, or undefined. */
export function versionFromTag(tag: string): string | undefined {
  const m = VERSION_FIRST.exec(tag) ?? POSTGRES_FIRST.exec(tag);
  const core = m?.[1];
  if (core === undefined) return undefined;
  const suffix = m?.[2];
  const candidate = suffix !== undefined && PRERELEASE.test(suffix) ? `${core}-${suffix}` : core;
  return semver.valid(candidate) ?? (semver.valid(core) ?? undefined);
}

/** The version in the image's tag; undefined for `latest`, untagged, digest-only or invalid references. */
export function imageVersion(ref: string): string | undefined {
  const tag = parseImageReference(ref)?.tag;
  return tag === undefined ? undefined : versionFromTag(tag);
}

/**
 * Negative when `a` is older than `b`, 0 when equal, positive when newer. Accepts anything
 * `imageVersion` returns and bare tags (`v0.67.0`, `0.67.0-pg18.3`); throws a RangeError
 * naming the value when one is not a version.
 */
export function compareVersions(a: string, b: string): number {
  return semver.compare(normalized(a), normalized(b));
}

function normalized(v: string): string {
  const version = versionFromTag(v.trim());
  if (version === undefined) throw new RangeError(`"${v}" is not a version (expected X.Y.Z, optionally v-prefixed)`);
  return version;
}

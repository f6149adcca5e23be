// The Kubernetes version from the API server's /version answer, and what that version
// implies for the ImageVolume feature gate when /metrics cannot tell (SPEC §1).

/** "major.minor" from a /version body (`{"major":"1","minor":"36+"}`); undefined when unusable. */
export function parseVersionInfo(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { major, minor, gitVersion } = body as Record<string, unknown>;
  const num = (v: unknown): string | undefined => {
    if (typeof v !== 'string') return undefined;
    const m = /^(\d+)\+?$/.exec(v.trim());
    return m?.[1];
  };
  const ma = num(major);
  const mi = num(minor);
  if (ma !== undefined && mi !== undefined) return `${Number(ma)}.${Number(mi)}`;
  // Some distributions leave major/minor empty; gitVersion ("v1.36.3-eks-1") still says it.
  if (typeof gitVersion === 'string') {
    const g = /^v?(\d+)\.(\d+)/.exec(gitVersion.trim());
    if (g) return `${Number(g[1])}.${Number(g[2])}`;
  }
  return undefined;
}

/**
 * ImageVolume's default by Kubernetes version: alpha 1.31–1.32 (off), beta 1.33–1.34 (off
 * by default), on from 1.35; absent before 1.31. Undefined when the version is unknown.
 */
export function imageVolumeDefault(kubernetesVersion: string | undefined): boolean | undefined {
  if (kubernetesVersion === undefined) return undefined;
  const m = /^(\d+)\.(\d+)$/.exec(kubernetesVersion);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 1) return major > 1;
  return minor >= 35;
}

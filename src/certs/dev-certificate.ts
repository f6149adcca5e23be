// The development certificate `npm start` serves with: a throwaway CA and a serving
// certificate for localhost/127.0.0.1, ECDSA P-256, written to certs/ on first start.
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCa, issueServing } from './authority.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DevCertificatePaths {
  cert: string;
  key: string;
  ca: string;
}

export function devCertificatePaths(dir: string): DevCertificatePaths {
  return { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), ca: join(dir, 'ca.crt') };
}

export interface GeneratedCertificate {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A CA and a serving certificate signed by it; `dnsNames`/`ips` become the SANs. */
export async function generateServingCertificate(
  opts: { dnsNames?: string[]; ips?: string[]; days?: number } = {},
): Promise<GeneratedCertificate> {
  const lifetimeMs = (opts.days ?? 365) * DAY_MS;
  const ca = await issueCa('pg-trickle-webhook development CA', { lifetimeMs });
  const leaf = await issueServing(ca, [...(opts.dnsNames ?? ['localhost']), ...(opts.ips ?? ['127.0.0.1'])], { lifetimeMs });
  return { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Creates the development certificate in `dir` unless a tls.crt/tls.key pair is there.
 * Returns the paths and whether it created them. The key is written with mode 0600.
 */
export async function ensureDevCertificate(dir: string): Promise<DevCertificatePaths & { created: boolean }> {
  const paths = devCertificatePaths(dir);
  if ((await exists(paths.cert)) && (await exists(paths.key))) return { ...paths, created: false };
  await mkdir(dir, { recursive: true });
  const g = await generateServingCertificate();
  // Write to temporary names then rename, so a crash never leaves a half-written pair.
  const tmp = `.tmp-${process.pid}`;
  await writeFile(paths.key + tmp, g.keyPem, { mode: 0o600 });
  await writeFile(paths.cert + tmp, g.certPem, { mode: 0o644 });
  await writeFile(paths.ca + tmp, g.caPem, { mode: 0o644 });
  await rename(paths.key + tmp, paths.key);
  await rename(paths.cert + tmp, paths.cert);
  await rename(paths.ca + tmp, paths.ca);
  return { ...paths, created: true };
}

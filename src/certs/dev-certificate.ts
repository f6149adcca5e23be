// The development certificate `npm start` serves with: a throwaway CA and a serving
// certificate for localhost/127.0.0.1, ECDSA P-256, written to certs/ on first start.
import { webcrypto } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DevCertificatePaths {
  cert: string;
  key: string;
  ca: string;
}

export function devCertificatePaths(dir: string): DevCertificatePaths {
  return { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), ca: join(dir, 'ca.crt') };
}

// Go and some TLS stacks refuse negative serials: force a positive leading byte.
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

const newKeys = (): Promise<webcrypto.CryptoKeyPair> => webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);

export interface GeneratedCertificate {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A CA and a serving certificate signed by it; `dnsNames`/`ips` become the SANs. */
export async function generateServingCertificate(
  opts: { dnsNames?: string[]; ips?: string[]; days?: number; commonName?: string } = {},
): Promise<GeneratedCertificate> {
  const dnsNames = opts.dnsNames ?? ['localhost'];
  const ips = opts.ips ?? ['127.0.0.1'];
  const now = Date.now();
  const notBefore = new Date(now - 5 * 60_000);
  const notAfter = new Date(now + (opts.days ?? 365) * DAY_MS);

  const caKeys = await newKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=pg-trickle-webhook development CA',
    notBefore,
    notAfter,
    signingAlgorithm: SIGN,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const leafKeys = await newKeys();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${opts.commonName ?? dnsNames[0] ?? 'localhost'}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: SIGN,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  return { caPem: ca.toString('pem'), certPem: leaf.toString('pem'), keyPem: await keyPem(leafKeys.privateKey) };
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

// A small certificate authority: ECDSA P-256 CA and serving certificates with @peculiar/x509
// over WebCrypto. Pure apart from randomness; the self-managed certificate loop stores its output.
import 'reflect-metadata'; // @peculiar/x509's DI container needs it before the import below
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
const crypto = webcrypto;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/**
 * Certificates start a little in the past so a peer whose clock lags still accepts them: 5 min,
 * or 1% of a short lifetime so renewal at a fraction of the lifetime stays meaningful.
 */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A certificate and its private key, both PEM. */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  lifetimeMs: number;
  now?: number;
  /** Latest notAfter allowed (epoch ms). */
  notAfterCap?: number;
}

function validity(opts: IssueOptions): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(opts.lifetimeMs) || opts.lifetimeMs <= 0) {
    throw new Error(`certificate lifetime must be a positive number of milliseconds, got ${opts.lifetimeMs}`);
  }
  const now = opts.now ?? Date.now();
  const skew = Math.min(CLOCK_SKEW_MS, opts.lifetimeMs / 100);
  // Whole seconds: X.509 times carry no milliseconds; never past notAfterCap (a serving
  // certificate must not outlive its CA).
  const notBefore = Math.floor((now - skew) / 1000) * 1000;
  const notAfter = Math.floor(Math.min(now + opts.lifetimeMs, opts.notAfterCap ?? Infinity) / 1000) * 1000;
  if (notAfter <= notBefore) throw new Error('certificate would expire before it starts (is the CA expired?)');
  return { notBefore: new Date(notBefore), notAfter: new Date(notAfter) };
}

function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER
  return Buffer.from(bytes).toString('hex');
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(keyPem);
  return crypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** A self-signed CA that may sign serving certificates only (path length 0). */
export async function issueCa(commonName: string, opts: IssueOptions): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [commonName] }],
    ...validity(opts),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

/** A TLS server certificate for `names` (DNS names or IP addresses), signed by `ca`. */
export async function issueServing(ca: KeyPairPem, names: readonly string[], opts: IssueOptions): Promise<KeyPairPem> {
  if (names.length === 0) throw new Error('a serving certificate needs at least one DNS name or IP address');
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [names[0] as string] }],
    issuer: caCert.subject,
    ...validity({ ...opts, notAfterCap: Math.min(opts.notAfterCap ?? Infinity, caCert.notAfter.getTime()) }),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: isIP(value) ? ('ip' as const) : ('dns' as const), value }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

/** What renewal decisions need from a certificate. */
export interface CertificateFacts {
  notBefore: number;
  notAfter: number;
  /** Subject alternative names: DNS names and IP addresses. */
  names: string[];
  subject: string;
  issuer: string;
}

/** Parses the first certificate of a PEM string; throws a clear error on garbage. */
export function inspectCertificate(pem: string): CertificateFacts {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch (err) {
    throw new Error(`not a PEM certificate: ${(err as Error).message}`);
  }
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san ? san.names.items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value) : [];
  return {
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    names,
    subject: cert.subject,
    issuer: cert.issuer,
  };
}

/** Whether `leafPem` carries a valid signature by `caPem`'s key. */
export async function isSignedBy(leafPem: string, caPem: string): Promise<boolean> {
  try {
    const leaf = new x509.X509Certificate(leafPem);
    const ca = new x509.X509Certificate(caPem);
    return await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** Splits a PEM bundle into its certificates, each ending in one newline (so joining them is canonical). */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}

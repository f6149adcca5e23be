// Throwaway PKI for one test run: a CA, serving certificates and client certificates,
// ECDSA P-256 (fast to generate, accepted by Go's TLS stack and by Node's).
import 'reflect-metadata'; // @peculiar/x509's DI container needs the Reflect polyfill
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends PemPair {
  /** Issues a leaf certificate signed by this CA. */
  issue(opts: LeafOptions): Promise<PemPair>;
}

export interface LeafOptions {
  commonName: string;
  /** Subject organisations; for client certificates these are the Kubernetes groups. */
  organizations?: string[];
  /** IP addresses and DNS names for a serving certificate. */
  ips?: string[];
  dnsNames?: string[];
  usage: 'server' | 'client';
}

// Go (1.23+) refuses negative serial numbers: force a positive leading byte.
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01;
  return Buffer.from(bytes).toString('hex');
}

function nameOf(commonName: string, organizations: string[] = []): string {
  const esc = (v: string): string => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${esc(commonName)}`, ...organizations.map((o) => `O=${esc(o)}`)].join(', ');
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

/** A new self-signed CA valid for one day (tests never outlive it). */
export async function createCa(commonName = 'pg-trickle-webhook e2e CA'): Promise<TestCa> {
  const keys = await generateKeys();
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: nameOf(commonName),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + DAY_MS),
    keys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  const issue = async (opts: LeafOptions): Promise<PemPair> => {
    const leafKeys = await generateKeys();
    const sans: x509.JsonGeneralName[] = [
      ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
      ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ];
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ];
    if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: nameOf(opts.commonName, opts.organizations),
      issuer: caCert.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + DAY_MS),
      signingKey: keys.privateKey,
      publicKey: leafKeys.publicKey,
      signingAlgorithm: SIGN,
      extensions,
    });
    return { certPem: cert.toString('pem'), keyPem: await keyPem(leafKeys.privateKey) };
  };

  return { certPem: caCert.toString('pem'), keyPem: await keyPem(keys.privateKey), issue };
}

/** A bare signing key pair as PEM (PKCS#8 private, SPKI public), e.g. the service-account token signer. */
export async function createSigningKeyPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const keys = await generateKeys();
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  return { privateKeyPem: await keyPem(keys.privateKey), publicKeyPem: x509.PemConverter.encode(spki, 'PUBLIC KEY') };
}

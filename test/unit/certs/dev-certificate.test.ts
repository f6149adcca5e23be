import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createSecureContext } from 'node:tls';
import { ensureDevCertificate } from '../../../src/certs/dev-certificate.js';
import { withTempDir } from '../../support/temp-dir.js';

describe('development certificate', () => {
  let dir: string;
  withTempDir('pgt-devcert-', (d) => (dir = d));

  it('creates a CA-signed P-256 serving certificate for localhost and 127.0.0.1 with a private key file', async () => {
    const p = await ensureDevCertificate(join(dir, 'certs'));
    assert.equal(p.created, true);
    const [certPem, keyPem, caPem] = await Promise.all([readFile(p.cert, 'utf8'), readFile(p.key, 'utf8'), readFile(p.ca, 'utf8')]);
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    assert.equal(cert.checkIssued(ca), true);
    assert.equal(cert.verify(ca.publicKey), true);
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(ca.ca, true);
    assert.equal(cert.ca, false);
    assert.equal((await stat(p.key)).mode & 0o777, 0o600);
    assert.doesNotThrow(() => createSecureContext({ cert: certPem, key: keyPem }), 'key matches certificate');
  });

  it('keeps an existing pair on the next start', async () => {
    const before = await readFile(join(dir, 'certs', 'tls.crt'), 'utf8');
    const again = await ensureDevCertificate(join(dir, 'certs'));
    assert.equal(again.created, false);
    assert.equal(await readFile(again.cert, 'utf8'), before);
  });
});

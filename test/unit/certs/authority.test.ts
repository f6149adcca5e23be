import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectCertificate, isSignedBy, issueCa, issueServing, splitPemBundle } from '../../../src/certs/authority.js';
import { handshake } from './tls-handshake.js';

const HOUR = 3_600_000;
const NAMES = ['hook.ns.svc', 'hook.ns.svc.cluster.local'];

describe('certificate authority', () => {
  it('issues a serving certificate a TLS client verifies against the CA, for every service name', async () => {
    const ca = await issueCa('test CA', { lifetimeMs: 24 * HOUR });
    const serving = await issueServing(ca, NAMES, { lifetimeMs: HOUR });
    for (const name of NAMES) await handshake({ cert: serving.certPem, key: serving.keyPem }, ca.certPem, name);
    await assert.rejects(handshake({ cert: serving.certPem, key: serving.keyPem }, ca.certPem, 'other.ns.svc'), /altnames|Hostname/i);
  });

  it('is not trusted through another CA', async () => {
    const ca = await issueCa('a', { lifetimeMs: HOUR });
    const other = await issueCa('b', { lifetimeMs: HOUR });
    const serving = await issueServing(ca, NAMES, { lifetimeMs: HOUR / 2 });
    assert.equal(await isSignedBy(serving.certPem, ca.certPem), true);
    assert.equal(await isSignedBy(serving.certPem, other.certPem), false);
    await assert.rejects(handshake({ cert: serving.certPem, key: serving.keyPem }, other.certPem, NAMES[0]!));
  });

  it('never lets a serving certificate outlive its CA', async () => {
    const ca = await issueCa('short CA', { lifetimeMs: HOUR });
    const serving = await issueServing(ca, NAMES, { lifetimeMs: 100 * HOUR });
    assert.ok(inspectCertificate(serving.certPem).notAfter <= inspectCertificate(ca.certPem).notAfter);
  });

  it('records the lifetime asked for, with a small backdate for clock skew', async () => {
    const now = Date.UTC(2030, 0, 1);
    const ca = await issueCa('x', { lifetimeMs: 10_000, now });
    const facts = inspectCertificate(ca.certPem);
    assert.equal(facts.notAfter, now + 10_000);
    assert.ok(facts.notBefore <= now && facts.notBefore >= now - 1000, `notBefore ${facts.notBefore} should be within 1 s before ${now}`);
    assert.deepEqual(inspectCertificate((await issueServing(ca, NAMES, { lifetimeMs: 5000, now })).certPem).names, NAMES);
  });

  it('refuses nonsense with a clear error', async () => {
    await assert.rejects(issueCa('x', { lifetimeMs: 0 }), /lifetime must be a positive/);
    const ca = await issueCa('x', { lifetimeMs: HOUR });
    await assert.rejects(issueServing(ca, [], { lifetimeMs: HOUR }), /at least one DNS name or IP address/);
    assert.throws(() => inspectCertificate('not a certificate'), /not a PEM certificate/);
  });

  it('splits a PEM bundle into its certificates', async () => {
    const a = await issueCa('a', { lifetimeMs: HOUR });
    const b = await issueCa('b', { lifetimeMs: HOUR });
    const parts = splitPemBundle(a.certPem + b.certPem);
    assert.deepEqual(parts.map((p) => inspectCertificate(p).subject), ['CN=a', 'CN=b']);
    assert.deepEqual(splitPemBundle(''), []);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { inspectCertificate, isSignedBy, splitPemBundle } from '../../../src/certs/authority.js';
import { dnsNamesForService, renewalTime, selfManagedCertificates, type SelfManagedOptions } from '../../../src/certs/self-managed.js';
import { MemoryCertificateStore } from './memory-certificate-store.js';
import { handshake } from './tls-handshake.js';
import { withTempDir } from '../../support/temp-dir.js';

const HOUR = 3_600_000;
const NAMES = dnsNamesForService('hook', 'pgtw');
let dir: string;

withTempDir('pgtw-certs-', (d) => (dir = d));

function options(store: MemoryCertificateStore, replica: string, clock: { now: number }, extra: Partial<SelfManagedOptions> = {}): SelfManagedOptions {
  return {
    store,
    names: NAMES,
    certFile: join(dir, replica, 'tls.crt'),
    keyFile: join(dir, replica, 'tls.key'),
    caLifetimeMs: 30 * HOUR,
    servingLifetimeMs: 3 * HOUR,
    renewAt: 2 / 3,
    now: () => clock.now,
    ...extra,
  };
}

const files = async (o: SelfManagedOptions) => ({ cert: await readFile(o.certFile, 'utf8'), key: await readFile(o.keyFile, 'utf8') });

describe('self-managed certificates', () => {
  it('bootstraps a Secret, trusts its CA in the webhook configurations and serves a pair that CA verifies', async () => {
    const store = new MemoryCertificateStore();
    const o = options(store, 'boot', { now: Date.now() });
    const certs = selfManagedCertificates(o);
    try {
      await certs.sync();
      assert.equal(store.writes, 1);
      assert.ok(store.caBundle, 'caBundle written');
      assert.equal(store.caBundle, store.secret?.data['ca.crt']);
      const pair = await files(o);
      assert.equal(pair.cert, store.secret?.data['tls.crt']);
      await handshake(pair, store.caBundle, NAMES[0]!);
      await handshake(pair, store.caBundle, NAMES[1]!);
    } finally {
      certs.stop();
    }
  });

  it('two replicas starting together agree on one Secret and serve the same pair', async () => {
    const store = new MemoryCertificateStore();
    const clock = { now: Date.now() };
    const a = selfManagedCertificates(options(store, 'race-a', clock));
    const b = selfManagedCertificates(options(store, 'race-b', clock));
    try {
      await Promise.all([a.sync(), b.sync()]);
      assert.equal(store.writes, 1, 'exactly one Secret written');
      assert.equal(store.lostRaces, 1, 'the other replica lost the create race and adopted the Secret');
      assert.deepEqual(await files(options(store, 'race-a', clock)), await files(options(store, 'race-b', clock)));
    } finally {
      a.stop();
      b.stop();
    }
  });

  it('leaves a good Secret alone', async () => {
    const store = new MemoryCertificateStore();
    const clock = { now: Date.now() };
    const certs = selfManagedCertificates(options(store, 'steady', clock));
    try {
      await certs.sync();
      clock.now += HOUR; // a third of the serving lifetime
      await certs.sync();
      assert.equal(store.writes, 1);
    } finally {
      certs.stop();
    }
  });

  it('renews the serving certificate at the renewal fraction, keeping the CA', async () => {
    const store = new MemoryCertificateStore();
    // Starts in the past so the renewed certificate is valid for the real TLS handshake below.
    const clock = { now: Date.now() - 2 * HOUR - 1000 };
    const o = options(store, 'renew', clock);
    const certs = selfManagedCertificates(o);
    try {
      const first = await certs.sync();
      const before = await files(o);
      const bundle = store.caBundle!;
      assert.equal(first.renewalDue, renewalTime(inspectCertificate(before.cert), 2 / 3));
      clock.now = first.renewalDue + 1;
      const second = await certs.sync();
      const renewed = await files(o);
      assert.notEqual(renewed.cert, before.cert);
      assert.equal(store.caBundle, bundle, 'same CA, caBundle untouched');
      assert.ok(second.servingNotAfter > first.servingNotAfter);
      await handshake(renewed, bundle, NAMES[0]!);
    } finally {
      certs.stop();
    }
  });

  it('renews the CA before it expires and keeps the old CA trusted until it does', async () => {
    const store = new MemoryCertificateStore();
    const clock = { now: Date.now() - 21 * HOUR };
    const o = options(store, 'ca', clock);
    const certs = selfManagedCertificates(o);
    try {
      await certs.sync();
      const oldCa = splitPemBundle(store.caBundle!)[0]!;
      const oldPair = await files(o);
      clock.now += 21 * HOUR; // past 2/3 of the 30 h CA lifetime
      await certs.sync();
      const bundle = splitPemBundle(store.caBundle!);
      assert.equal(bundle.length, 2);
      assert.notEqual(bundle[0], oldCa);
      assert.equal(bundle[1], oldCa, 'old CA still in the bundle');
      const pair = await files(o);
      assert.equal(await isSignedBy(pair.cert, bundle[0]!), true, 'serving certificate signed by the new CA');
      await handshake(pair, store.caBundle!, NAMES[0]!);
      // A replica still serving the old pair stays trusted through the bundle.
      assert.equal(await isSignedBy(oldPair.cert, bundle[1]!), true);
      clock.now += 10 * HOUR; // the old CA has expired now
      await certs.sync();
      assert.equal(splitPemBundle(store.caBundle!).length, 1, 'expired CA dropped');
    } finally {
      certs.stop();
    }
  });

  it('reissues a serving certificate made for another Service', async () => {
    const store = new MemoryCertificateStore();
    const clock = { now: Date.now() };
    const other = selfManagedCertificates(options(store, 'moved-a', clock, { names: dnsNamesForService('old', 'pgtw') }));
    const certs = selfManagedCertificates(options(store, 'moved-b', clock));
    try {
      await other.sync();
      await certs.sync();
      assert.deepEqual(inspectCertificate(store.secret!.data['tls.crt']!).names, NAMES);
    } finally {
      other.stop();
      certs.stop();
    }
  });

  it('repairs a Secret whose content is garbage', async () => {
    const store = new MemoryCertificateStore();
    store.secret = { data: { 'ca.crt': 'junk', 'tls.crt': 'junk' }, resourceVersion: 'x' };
    const o = options(store, 'repair', { now: Date.now() });
    const certs = selfManagedCertificates(o);
    try {
      await certs.sync();
      await handshake(await files(o), store.caBundle!, NAMES[0]!);
    } finally {
      certs.stop();
    }
  });

  it('exports the expiry of both certificates as a gauge', async () => {
    const store = new MemoryCertificateStore();
    const certs = selfManagedCertificates(options(store, 'metrics', { now: Date.now() }));
    const registry = new Registry();
    certs.registerMetrics(registry);
    try {
      const status = await certs.sync();
      const text = await registry.metrics();
      assert.match(text, new RegExp(`pgtrickle_webhook_certificate_expiry_timestamp_seconds\\{certificate="serving"\\} ${status.servingNotAfter / 1000}`));
      assert.match(text, new RegExp(`pgtrickle_webhook_certificate_expiry_timestamp_seconds\\{certificate="ca"\\} ${status.caNotAfter / 1000}`));
    } finally {
      certs.stop();
    }
  });

  it('refuses impossible settings', () => {
    const store = new MemoryCertificateStore();
    const clock = { now: 0 };
    assert.throws(() => selfManagedCertificates(options(store, 'bad', clock, { renewAt: 1 })), /renewAt must be between 0 and 1/);
    assert.throws(() => selfManagedCertificates(options(store, 'bad', clock, { servingLifetimeMs: 40 * HOUR })), /must not exceed the CA lifetime/);
    assert.throws(() => selfManagedCertificates(options(store, 'bad', clock, { names: [] })), /names must not be empty/);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addSelfManagedOptions, selfManagedSettings } from '../../../src/certs/self-managed-flags.js';
import { startSelfManagedCertificates } from '../../../src/certs/self-managed-serve.js';
import { MemoryCertificateStore } from './memory-certificate-store.js';
import { handshake } from './tls-handshake.js';

const flags = {
  selfManagedCerts: true,
  certSecret: 'hook-tls',
  certNamespace: 'pgtw',
  webhookConfigName: 'hook',
  serviceName: 'hook',
  tlsCert: '/run/tls/tls.crt',
  tlsKey: '/run/tls/tls.key',
};
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('serve --self-managed-certs flags', () => {
  it('parses the flags the chart passes', () => {
    const cmd = addSelfManagedOptions(new Command('serve').exitOverride()).option('--tls-cert <f>').option('--tls-key <f>');
    cmd.parse(
      ['--self-managed-certs', '--cert-secret=s', '--cert-namespace=ns', '--webhook-config-name=w', '--service-name=svc', '--cert-extra-sans=127.0.0.1,hook.example', '--ca-lifetime-hours=2', '--serving-lifetime-hours=0.5', '--renew-at=0.5', '--cert-check-interval-seconds=5', '--tls-cert=/t/c', '--tls-key=/t/k'],
      { from: 'user' },
    );
    const s = selfManagedSettings(cmd.opts());
    assert.deepEqual(
      { ...s },
      {
        secretName: 's', namespace: 'ns', webhookConfigName: 'w', serviceName: 'svc', extraSans: ['127.0.0.1', 'hook.example'],
        certFile: '/t/c', keyFile: '/t/k', caLifetimeMs: 7_200_000, servingLifetimeMs: 1_800_000, renewAt: 0.5, checkIntervalMs: 5000,
      },
    );
  });

  it('names the missing or bad flag', () => {
    assert.throws(() => selfManagedSettings({ ...flags, certSecret: undefined }), /^Error: --cert-secret is required/);
    assert.throws(() => selfManagedSettings({ ...flags, tlsKey: undefined }), /^Error: --tls-key is required/);
    assert.throws(() => selfManagedSettings({ ...flags, renewAt: '1.5' }), /^Error: --renew-at: expected a fraction/);
    assert.throws(() => selfManagedSettings({ ...flags, caLifetimeHours: 'ten' }), /^Error: --ca-lifetime-hours: expected a positive number/);
    assert.throws(() => selfManagedSettings({ ...flags, caLifetimeHours: '1', servingLifetimeHours: '2' }), /must not exceed --ca-lifetime-hours/);
    assert.throws(() => selfManagedSettings({ ...flags, certExtraSans: 'bad name!' }), /^Error: --cert-extra-sans: "bad name!" is neither/);
  });

  it('writes a serving pair for the Service (and any extra names) before returning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgtw-serve-certs-'));
    const store = new MemoryCertificateStore();
    const certs = await startSelfManagedCertificates(selfManagedSettings({ ...flags, certExtraSans: '127.0.0.1', tlsCert: join(dir, 'tls.crt'), tlsKey: join(dir, 'tls.key') }), quiet, {
      store,
      caPropagationMs: 0,
    });
    try {
      const pair = { cert: await readFile(join(dir, 'tls.crt'), 'utf8'), key: await readFile(join(dir, 'tls.key'), 'utf8') };
      await handshake(pair, store.caBundle!, 'hook.pgtw.svc');
      await handshake(pair, store.caBundle!, '127.0.0.1');
    } finally {
      certs.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// startServer's wiring around discovery: a discovery that cannot start must not stop the
// webhook; it then judges with the policy's pinned environment.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discoveryWanted, startServer } from '../../../src/server/serve.js';
import { silentLogger } from './fixtures.js';

describe('startServer and discovery', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgt-serve-unit-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('wants discovery only with a kubeconfig, KUBECONFIG or in-cluster, and never with --no-discovery', () => {
    assert.equal(discoveryWanted({ discovery: true, kubeconfig: undefined }, {}), false);
    assert.equal(discoveryWanted({ discovery: true, kubeconfig: 'k' }, {}), true);
    assert.equal(discoveryWanted({ discovery: true, kubeconfig: undefined }, { KUBECONFIG: '/k' }), true);
    assert.equal(discoveryWanted({ discovery: true, kubeconfig: undefined }, { KUBERNETES_SERVICE_HOST: '10.0.0.1' }), true);
    assert.equal(discoveryWanted({ discovery: false, kubeconfig: 'k' }, { KUBERNETES_SERVICE_HOST: '10.0.0.1' }), false);
  });

  it('keeps serving and becomes ready when discovery cannot start (unusable kubeconfig)', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, 'this: is not a kubeconfig\n');
    const server = await startServer({
      port: 0,
      metricsPort: 0,
      host: '127.0.0.1',
      certDir: join(dir, 'certs'),
      discovery: true,
      kubeconfig,
      logger: silentLogger,
      env: {},
    });
    try {
      for (let i = 0; i < 100 && !server.readiness().ready; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(server.readiness(), { ready: true, reasons: [] });
    } finally {
      await server.close(1000);
    }
    assert.equal(server.readiness().ready, false, 'not ready once shutting down');
  });
});

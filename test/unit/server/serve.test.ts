// startServer's wiring around discovery: a discovery that cannot start must not stop the
// webhook; it then judges with the policy's pinned environment.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { get as httpGet } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoveryWanted, startServer } from '../../../src/server/serve.js';
import { labelledCluster, review, silentLogger } from './fixtures.js';
import { withTempDir } from '../../support/temp-dir.js';

describe('startServer and discovery', () => {
  let dir: string;
  withTempDir('pgt-serve-unit-', (d) => (dir = d));

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

  it('listens on IPv6 and IPv4 when no --host is given (IPv6-only clusters reach pods on IPv6)', async (t) => {
    if (!(await canListen('::1'))) return t.skip('no IPv6 on this machine');
    const server = await startServer({ port: 0, metricsPort: 0, certDir: join(dir, 'certs'), discovery: false, logger: silentLogger });
    try {
      const ca = await readFile(join(dir, 'certs', 'ca.crt'), 'utf8');
      for (const host of ['127.0.0.1', '::1']) {
        const answer = JSON.parse(await postJson(server.port, '/validate', review(labelledCluster(), { uid: `via-${host}` }), ca, host)) as { response: { uid: string } };
        assert.equal(answer.response.uid, `via-${host}`);
        assert.equal(await httpGetStatus(server.metricsPort, '/healthz', host), 200, `/healthz over ${host}`);
      }
    } finally {
      await server.close(1000);
    }
  });

  it('applies a changed policy file to the next request and keeps it when the next change is invalid', async () => {
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, 'rules:\n  PGT001: off\n');
    const server = await startServer({ policyFile: policy, port: 0, metricsPort: 0, host: '127.0.0.1', certDir: join(dir, 'certs'), discovery: false, logger: silentLogger, watchDebounceMs: 30 });
    const ca = await readFile(join(dir, 'certs', 'ca.crt'), 'utf8');
    const pg17 = labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:17' });
    const pgt001 = async (): Promise<boolean> => {
      const answer = JSON.parse(await postJson(server.port, '/validate', review(pg17), ca)) as { response: { status?: { message: string } } };
      return /PGT001/.test(answer.response.status?.message ?? '');
    };
    try {
      assert.equal(await pgt001(), false, 'PGT001 is off');
      await writeFile(policy, 'rules:\n  PGT001: deny\n');
      for (let i = 0; i < 100 && !(await pgt001()); i++) await sleep(30);
      assert.equal(await pgt001(), true, 'the new policy applies');
      await writeFile(policy, 'rules:\n  PGT001: sometimes\n');
      for (let i = 0; i < 100 && !/result="rejected"/.test(await server.metrics.registry.metrics()); i++) await sleep(30);
      assert.match(await server.metrics.registry.metrics(), /pgtrickle_webhook_policy_reload_total\{result="rejected"\} 1/);
      assert.equal(await pgt001(), true, 'the previous policy stays');
    } finally {
      await server.close(1000);
    }
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canListen(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.once('error', () => resolve(false));
    s.listen(0, host, () => s.close(() => resolve(true)));
  });
}

function httpGetStatus(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet({ host, port, path, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

function postJson(port: number, path: string, body: unknown, ca: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host, port, path, method: 'POST', servername: 'localhost', ca, timeout: 5000, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

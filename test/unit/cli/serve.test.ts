// `serve` as a real process: start-up failures exit 2, SIGTERM drains in-flight requests.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { get as httpGet } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { labelledCluster, review } from '../server/fixtures.js';
import { runCli, spawnCli } from './run-cli.js';
import { withTempDir } from '../../support/temp-dir.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serve command', () => {
  let dir: string;
  withTempDir('pgt-serve-', (d) => (dir = d));

  it('exits 2 naming file, line and key when the policy is invalid', async () => {
    const policy = join(dir, 'bad-policy.yaml');
    await writeFile(policy, 'budget:\n  reservedWorkers: 2\n  reservedWorker: 3\n');
    const r = await runCli(['serve', '--policy', policy, '--port', '0', '--metrics-port', '0', '--host', '127.0.0.1', '--no-discovery', '--cert-dir', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad-policy\.yaml:3:3 budget\.reservedWorker: unknown key/);
  });

  it('exits 1 when start-up fails after discovery began (port taken, certificate missing), instead of running on', async () => {
    // An API server that never answers: discovery keeps retrying in the background.
    const kubeconfig = join(dir, 'unreachable-kubeconfig');
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const taken = createNetServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const common = ['--metrics-port', '0', '--host', '127.0.0.1', '--kubeconfig', kubeconfig, '--cert-dir', join(dir, 'certs-fail')];
      const busy = await runCli(['serve', '--port', String(port), ...common], { timeoutMs: 15_000 });
      assert.equal(busy.code, 1, `exit code (null = still running after 15 s): ${busy.stderr}`);
      assert.match(busy.stderr, /EADDRINUSE/);
      const noCert = await runCli(['serve', '--port', '0', ...common, '--tls-cert', join(dir, 'missing.crt'), '--tls-key', join(dir, 'missing.key')], { timeoutMs: 15_000 });
      assert.equal(noCert.code, 1, `exit code (null = still running after 15 s): ${noCert.stderr}`);
      assert.match(noCert.stderr, /ENOENT/);
    } finally {
      taken.close();
    }
  });

  it('listens on IPv6 as well as IPv4 by default (pods of IPv6-only clusters are called on IPv6)', async (t) => {
    const ipv6 = await new Promise<boolean>((resolve) => {
      const s = createNetServer().once('error', () => resolve(false));
      s.listen(0, '::1', () => s.close(() => resolve(true)));
    });
    if (!ipv6) return t.skip('no IPv6 on this machine');
    const child = spawnCli(['serve', '--port', '0', '--metrics-port', '0', '--no-discovery', '--cert-dir', join(dir, 'certs-any')]);
    try {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 200 && !/"msg":"listening"/.test(out); i++) await sleep(50);
      const metricsPort = Number(/"metricsPort":(\d+)/.exec(out)?.[1]);
      assert.ok(metricsPort > 0, `listening line in ${out}`);
      for (const host of ['127.0.0.1', '::1']) {
        const status = await new Promise<number>((resolve, reject) => {
          httpGet({ host, port: metricsPort, path: '/healthz', timeout: 5000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject);
        });
        assert.equal(status, 200, `/healthz over ${host}`);
      }
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('creates the development certificate, then on SIGTERM finishes the in-flight request and exits 0', async () => {
    const certDir = join(dir, 'certs');
    const child = spawnCli(['serve', '--port', '0', '--metrics-port', '0', '--host', '127.0.0.1', '--no-discovery', '--cert-dir', certDir]);
    try {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 200 && !/"msg":"listening"/.test(out); i++) await sleep(50);
      const port = Number(/"port":(\d+)/.exec(out)?.[1]);
      assert.ok(port > 0, `listening line in ${out}`);
      assert.equal((await stat(join(certDir, 'tls.key'))).mode & 0o777, 0o600);
      const ca = await readFile(join(certDir, 'ca.crt'), 'utf8');

      // Send the headers and half the body, signal, then the rest: the request is in flight.
      const body = JSON.stringify(review(labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:17' }), { uid: 'in-flight' }));
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, servername: 'localhost', path: '/validate', method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 100));
        setTimeout(() => {
          child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(100)), 300);
        }, 200);
      });
      const started = Date.now();
      const [code] = (await once(child, 'exit')) as [number | null];
      const res = await answer;
      assert.equal(res.status, 200);
      const parsed = JSON.parse(res.body) as { response: { uid: string; allowed: boolean } };
      assert.equal(parsed.response.uid, 'in-flight');
      assert.equal(parsed.response.allowed, false);
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 10_000);
      assert.match(out, /"msg":"stopped"/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

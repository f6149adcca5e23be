// The real HTTPS server on an ephemeral loopback port: TLS versions, certificate rotation,
// probes. (supertest covers the protocol; this covers what only a real socket shows.)
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { generateServingCertificate, type GeneratedCertificate } from '../../../src/certs/dev-certificate.js';
import { closeGracefully, createHttpsServer, listen } from '../../../src/server/https-server.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import { labelledCluster, review, silentLogger } from './fixtures.js';

interface Answer {
  status: number;
  fingerprint: string;
}

function postReview(port: number, ca: string[]): Promise<Answer> {
  const body = JSON.stringify(review(labelledCluster()));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, servername: 'localhost', path: '/validate', method: 'POST', ca, agent: false, timeout: 5000, headers: { 'content-type': 'application/json' } },
      (res) => {
        const cert = (res.socket as unknown as { getPeerCertificate(): PeerCertificate }).getPeerCertificate();
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint: cert.fingerprint256 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HTTPS admission server', () => {
  let dir: string;
  let first: GeneratedCertificate;
  let second: GeneratedCertificate;
  let server: RunningServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgt-https-'));
    [first, second] = await Promise.all([generateServingCertificate(), generateServingCertificate()]);
    await writeFile(join(dir, 'tls.crt'), first.certPem);
    await writeFile(join(dir, 'tls.key'), first.keyPem, { mode: 0o600 });
    server = await startServer({
      port: 0,
      metricsPort: 0,
      host: '127.0.0.1',
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
      certDir: dir,
      discovery: false,
      logger: silentLogger,
      watchDebounceMs: 50,
    });
  });

  after(async () => {
    await server.close(1000);
    await rm(dir, { recursive: true, force: true });
  });

  it('serves admission over TLS 1.2 and refuses TLS 1.1', async () => {
    const tryVersion = (v: 'TLSv1.1' | 'TLSv1.2') =>
      new Promise<string>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: [first.caPem], minVersion: v, maxVersion: v, timeout: 5000 });
        s.on('secureConnect', () => {
          resolve(s.getProtocol() ?? 'unknown');
          s.destroy();
        });
        s.on('error', (e) => resolve(`error: ${e.message}`));
      });
    assert.equal(await tryVersion('TLSv1.2'), 'TLSv1.2');
    assert.match(await tryVersion('TLSv1.1'), /^error: /);
  });

  it('reports ready on /readyz and serves /healthz and /metrics', async () => {
    assert.equal(await httpStatus(server.metricsPort, '/healthz'), 200);
    assert.equal(await httpStatus(server.metricsPort, '/readyz'), 200);
    assert.equal(await httpStatus(server.metricsPort, '/metrics'), 200);
    assert.equal(server.readiness().ready, true);
  });

  it('picks up a rotated certificate without a failed request, ignoring a half-written pair', async () => {
    const ca = [first.caPem, second.caPem];
    const firstFp = fingerprintOf(first.certPem);
    const secondFp = fingerprintOf(second.certPem);
    assert.equal((await postReview(server.port, ca)).fingerprint, firstFp);

    const failures: string[] = [];
    const seen = new Set<string>();
    let stop = false;
    const load = (async () => {
      for (let i = 0; i < 2000 && !stop; i++) {
        try {
          const a = await postReview(server.port, ca);
          if (a.status !== 200) failures.push(`status ${a.status}`);
          seen.add(a.fingerprint);
        } catch (e) {
          failures.push(String(e));
        }
      }
    })();

    // Key first: the pair on disk does not match for a while and must not be loaded.
    await writeFile(join(dir, 'tls.key'), second.keyPem);
    await sleep(400);
    assert.equal((await postReview(server.port, ca)).fingerprint, firstFp, 'the old certificate is still served');
    await writeFile(join(dir, 'tls.crt'), second.certPem);
    for (let i = 0; i < 100 && !seen.has(secondFp); i++) await sleep(50);
    stop = true;
    await load;

    assert.deepEqual(failures, []);
    assert.ok(seen.has(secondFp), 'the new certificate is served');
    assert.equal((await postReview(server.port, ca)).fingerprint, secondFp);
    const metrics = await server.metrics.registry.metrics();
    assert.match(metrics, /pgtrickle_webhook_tls_reload_total\{result="rejected"\} [1-9]/);
    assert.match(metrics, /pgtrickle_webhook_tls_reload_total\{result="applied"\} 1/);
  });
});

describe('HTTPS server timeouts', () => {
  it('drops a client that stalls in the middle of its headers', async () => {
    const pair = await generateServingCertificate();
    const short = { handshakeMs: 1000, headersMs: 300, requestMs: 600, keepAliveMs: 300, socketIdleMs: 10_000 };
    const server = createHttpsServer({ cert: Buffer.from(pair.certPem), key: Buffer.from(pair.keyPem) }, (_req, res) => res.end('ok'), short);
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const started = Date.now();
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: [pair.caPem] }, () => {
          s.write('POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl'); // and nothing more
        });
        let text = '';
        s.on('data', (d: Buffer) => (text += d.toString()));
        s.on('close', () => resolve(text));
        s.on('error', () => undefined);
        setTimeout(() => {
          resolve('still open');
          s.destroy();
        }, 5000).unref();
      });
      assert.notEqual(outcome, 'still open');
      assert.ok(Date.now() - started < 2000, `closed after ${Date.now() - started} ms`);
    } finally {
      await closeGracefully(server, 500);
    }
  });
});

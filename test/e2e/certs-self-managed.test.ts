// Self-managed certificates on a real API server, with two webhook processes behind one
// address (a small TCP balancer stands in for the Service):
//   - they bootstrap one shared Secret and write its CA into the webhook configurations;
//   - a serving-certificate renewal, and a CA renewal, under steady admission load fail no request;
//   - restarting either process under steady admission load fails no request.
// The processes run as the chart's ServiceAccount with exactly the chart's RBAC.
// Admission load = dry-run creates of a labelled Cluster through the API server, with
// failurePolicy Fail, so any webhook call that fails is a failed request.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../support/shared.js';
import { createCa, freePorts, installCnpgCrds, registerWebhooks, startControlPlane, waitFor, WEBHOOK_MAIN, type ControlPlane, type Registration, type Webhook } from './harness/index.js';
import { removeTempDir, startProcess, trackTempDir, type Managed } from './harness/processes.js';
import { serviceAccountKubeconfig } from './discovery-support.js';
import { applyManifest } from './helm-support.js';
import { NAMESPACE, render } from '../unit/chart/helm.js';

const NS = NAMESPACE;
const SECRET = 'pgtw-e2e-tls';
const CONFIG = 'pgtw-e2e-self-managed';
// 36 s serving certificates and a 108 s CA, each renewed at half-life.
const SERVING_LIFETIME_HOURS = '0.01';
const CA_LIFETIME_HOURS = '0.03';
const RENEW_AT = '0.5';

let cp: ControlPlane | undefined;
let reg: Registration | undefined;
let balancer: Balancer | undefined;
let dir: string;
const replicas: Replica[] = [];

// ---- a TCP balancer: round robin per connection, the next backend when one refuses ----

interface Balancer {
  port: number;
  close(): Promise<void>;
}

async function startBalancer(port: number, backends: number[]): Promise<Balancer> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const connect = (client: net.Socket, attempt: number): void => {
    if (attempt >= backends.length * 3) return void client.destroy();
    const backend = backends[next++ % backends.length]!;
    const upstream = net.connect({ host: '127.0.0.1', port: backend });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('error', () => {
      // Refused (process down): try another backend, as kube-proxy does with a ready endpoint.
      if (!upstream.readyState.includes('open') && client.readable && attempt < backends.length * 3) connect(client, attempt + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    connect(client, 0);
    client.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

// ---- webhook replicas with --self-managed-certs ----

interface Replica {
  name: string;
  port: number;
  metricsPort: number;
  proc?: Managed;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function plainGet(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return { status: res.status, body: await res.text() };
}

function replica(name: string, port: number, metricsPort: number, policyFile: string, kubeconfig: string): Replica {
  const rdir = join(dir, name);
  const args = [
    WEBHOOK_MAIN, 'serve',
    '--host', '127.0.0.1', '--port', String(port), '--metrics-port', String(metricsPort),
    '--kubeconfig', kubeconfig, '--policy', policyFile,
    '--tls-cert', join(rdir, 'tls.crt'), '--tls-key', join(rdir, 'tls.key'),
    '--self-managed-certs', '--cert-secret', SECRET, '--cert-namespace', NS,
    '--webhook-config-name', CONFIG, '--service-name', 'pg-trickle-webhook', '--cert-extra-sans', '127.0.0.1',
    '--ca-lifetime-hours', CA_LIFETIME_HOURS, '--serving-lifetime-hours', SERVING_LIFETIME_HOURS, '--renew-at', RENEW_AT, '--cert-check-interval-seconds', '2',
  ];
  const r: Replica = {
    name,
    port,
    metricsPort,
    async start() {
      const proc = startProcess(name, process.execPath, args, { logFile: join(dir, `${name}.log`), cwd: REPO_ROOT });
      r.proc = proc;
      await waitFor(`${name} /readyz`, async () => (await plainGet(`http://127.0.0.1:${metricsPort}/readyz`)).status === 200, { timeoutMs: 60_000, intervalMs: 200, proc });
    },
    async stop() {
      await r.proc?.stop(12_000);
    },
  };
  return r;
}

/** SHA-256 fingerprint of the certificate a TLS server on `port` presents. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, timeout: 3000 }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
    s.on('timeout', () => s.destroy(new Error('TLS connect timed out')));
  });
}

async function readSecret(): Promise<Record<string, string>> {
  const res = await cp!.get(`/api/v1/namespaces/${NS}/secrets/${SECRET}`);
  assert.equal(res.status, 200, res.body);
  const data = (JSON.parse(res.body) as { data: Record<string, string> }).data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

async function caBundles(): Promise<string[]> {
  const out: string[] = [];
  for (const kind of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
    const res = await cp!.get(`/apis/admissionregistration.k8s.io/v1/${kind}/${CONFIG}`);
    assert.equal(res.status, 200, res.body);
    for (const w of (JSON.parse(res.body) as { webhooks: { clientConfig: { caBundle?: string } }[] }).webhooks) {
      out.push(Buffer.from(w.clientConfig.caBundle ?? '', 'base64').toString('utf8'));
    }
  }
  return out;
}

// ---- admission load through the API server ----

interface LoadResult {
  ok: number;
  failed: number;
  errors: string[];
}

function labelledCluster(i: number): object {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: `load-${i}`, namespace: 'default', labels: { 'pgtrickle.io/inject': 'true' } },
    spec: { instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18.1', storage: { size: '1Gi' } },
  };
}

/** Runs `workers` loops of dry-run creates until `until` resolves. */
async function load(workers: number, until: Promise<unknown>): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, errors: [] };
  let done = false;
  void until.finally(() => (done = true));
  let i = 0;
  const worker = async (): Promise<void> => {
    while (!done) {
      const n = i++;
      try {
        const res = await cp!.request('POST', '/apis/postgresql.cnpg.io/v1/namespaces/default/clusters?dryRun=All', labelledCluster(n));
        const mutated = res.status === 201 && res.body.includes('pg_trickle');
        if (mutated) result.ok++;
        else {
          result.failed++;
          if (result.errors.length < 5) result.errors.push(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        }
      } catch (err) {
        result.failed++;
        if (result.errors.length < 5) result.errors.push(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  await until;
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgtw-e2e-certs-'));
  trackTempDir(dir);
  cp = await startControlPlane();
  await installCnpgCrds(cp, '1.30.0');
  const nsRes = await cp.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  assert.equal(nsRes.status, 201, nsRes.body);
  // The chart's ServiceAccount, ClusterRoles, Role and bindings for a release named CONFIG.
  const chart = render({ fullnameOverride: CONFIG, certificates: { selfManaged: { secretName: SECRET } } });
  for (const m of chart.filter((x) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(x.kind))) {
    const res = await applyManifest(cp, m, { dryRun: false, namespace: NS });
    assert.ok(res.status === 200 || res.status === 201, `${m.kind}/${m.metadata.name}: ${res.body.slice(0, 300)}`);
  }
  const kubeconfig = await serviceAccountKubeconfig(cp, NS, CONFIG, dir);
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, stringify({ environment: { cnpgVersion: '1.30.0' } }));
  const [lbPort, aPort, aMetrics, bPort, bMetrics] = (await freePorts(5)) as [number, number, number, number, number];
  balancer = await startBalancer(lbPort, [aPort, bPort]);
  // Registered before the webhooks start, with an unrelated CA: the webhooks must write theirs.
  const unrelated = await createCa('not the webhook CA');
  const target = { url: `https://127.0.0.1:${lbPort}`, caPem: unrelated.certPem } as Webhook;
  reg = await registerWebhooks(cp, target, { name: CONFIG, failurePolicy: 'Fail', waitUntilActive: false });
  replicas.push(replica('webhook-a', aPort, aMetrics, policyFile, kubeconfig), replica('webhook-b', bPort, bMetrics, policyFile, kubeconfig));
  // Both start at once: they race to create the Secret.
  await Promise.all(replicas.map((r) => r.start()));
});

after(async () => {
  for (const r of replicas) await r.stop();
  await balancer?.close();
  await reg?.remove();
  await cp?.stop();
  if (dir) removeTempDir(dir);
});

test('two replicas bootstrap one Secret, write its CA as every caBundle and serve the same certificate', async () => {
  const secret = await readSecret();
  for (const key of ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']) assert.ok(secret[key], `Secret has ${key}`);
  for (const bundle of await caBundles()) assert.equal(bundle, secret['ca.crt']);
  const expected = new X509Certificate(secret['tls.crt']!).fingerprint256;
  await waitFor('both replicas serve the Secret’s certificate', async () => {
    const fps = await Promise.all(replicas.map((r) => servedFingerprint(r.port)));
    return fps.every((fp) => fp === expected);
  }, { timeoutMs: 10_000, intervalMs: 250 });
  // The API server trusts it: a labelled Cluster is mutated through the balancer.
  await waitFor('API server calls the webhook with the new caBundle', async () => {
    const res = await cp!.request('POST', '/apis/postgresql.cnpg.io/v1/namespaces/default/clusters?dryRun=All', labelledCluster(-1));
    return res.status === 201 && res.body.includes('pg_trickle');
  }, { timeoutMs: 20_000, intervalMs: 250 });
});

test('a serving-certificate renewal under steady admission load fails no request', async () => {
  const before = await servedFingerprint(replicas[0]!.port);
  const renewed = (async () => {
    // Renewal is due at half of a 36 s lifetime; both replicas must have moved to the new pair.
    await waitFor('both replicas serve a renewed certificate', async () => {
      const fps = await Promise.all(replicas.map((r) => servedFingerprint(r.port)));
      return fps.every((fp) => fp !== before) && fps[0] === fps[1];
    }, { timeoutMs: 60_000, intervalMs: 250 });
    await sleep(2000); // keep the load on a little after the switch
  })();
  const result = await load(4, renewed);
  await renewed;
  assert.equal(result.failed, 0, `${result.failed} of ${result.ok + result.failed} requests failed: ${result.errors.join(' | ')}`);
  assert.ok(result.ok > 20, `only ${result.ok} requests ran`);
  const metrics = (await plainGet(`http://127.0.0.1:${replicas[0]!.metricsPort}/metrics`)).body;
  assert.match(metrics, /pgtrickle_webhook_certificate_expiry_timestamp_seconds\{certificate="serving"\} \d+/);
  process.stdout.write(`# renewal under load: ${result.ok} requests, 0 failed\n`);
});

test('restarting either of two replicas under steady admission load fails no request', async () => {
  const restarts = (async () => {
    await sleep(1000);
    for (const r of replicas) {
      await r.stop();
      await sleep(500);
      await r.start();
      await sleep(1500);
    }
  })();
  const result = await load(4, restarts);
  await restarts;
  assert.equal(result.failed, 0, `${result.failed} of ${result.ok + result.failed} requests failed: ${result.errors.join(' | ')}`);
  assert.ok(result.ok > 20, `only ${result.ok} requests ran`);
  process.stdout.write(`# restarts under load: ${result.ok} requests, 0 failed\n`);
});

const firstCert = (bundle: string): string => bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/)![0];

test('a CA renewal under steady admission load fails no request: the new CA is trusted before it is served', async () => {
  const startCa = firstCert((await readSecret())['ca.crt']!);
  let secret: Record<string, string> = {};
  const rotated = (async () => {
    await waitFor('a new CA served by both replicas', async () => {
      secret = await readSecret();
      const ca = firstCert(secret['ca.crt']!);
      if (ca === startCa) return false;
      if (!new X509Certificate(secret['tls.crt']!).verify(new X509Certificate(ca).publicKey)) return false;
      const expected = new X509Certificate(secret['tls.crt']!).fingerprint256;
      return (await Promise.all(replicas.map((r) => servedFingerprint(r.port)))).every((fp) => fp === expected);
    }, { timeoutMs: 120_000, intervalMs: 250 });
    await sleep(3000);
  })();
  const result = await load(4, rotated);
  await rotated;
  assert.equal(result.failed, 0, `${result.failed} of ${result.ok + result.failed} requests failed: ${result.errors.join(' | ')}`);
  assert.ok(result.ok > 20, `only ${result.ok} requests ran`);
  // The old CA stays in the bundle (certificates it signed are still valid), the new one first.
  const bundle = (await readSecret())['ca.crt']!;
  assert.ok(bundle.includes(startCa), 'previous CA still trusted');
  for (const b of await caBundles()) assert.equal(b, bundle);
  process.stdout.write(`# CA renewal under load: ${result.ok} requests, 0 failed\n`);
});

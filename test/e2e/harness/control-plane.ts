// A real control plane on loopback, envtest-style: etcd + kube-apiserver with a throwaway
// CA, a client certificate for the admin (group system:masters) and a service-account
// signing key. Everything lives in one temporary directory removed by stop().
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { recordAdmissionLatency } from './admission-latency.js';
import { ensureBinaries, type ControlPlaneBinaries } from './binaries.js';
import { createCa, createSigningKeyPair } from './pki.js';
import { freePorts } from './ports.js';
import { removeTempDir, startProcess, trackTempDir, waitFor, type Managed } from './processes.js';

export interface ControlPlaneOptions {
  /** "1.36", "1.34" or a full "v1.34.4"; default PGT_K8S_VERSION or v1.36.3. */
  k8sVersion?: string;
  /** Passed as --feature-gates, e.g. { ImageVolume: false }. */
  featureGates?: Record<string, boolean>;
  /** Appended to the kube-apiserver command line (later flags win). */
  extraApiserverArgs?: string[];
  /** Bound on the whole start-up (default 120 s). */
  startTimeoutMs?: number;
}

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ControlPlane {
  /** Admin kubeconfig file (client certificate, system:masters). */
  kubeconfigPath: string;
  kc: KubeConfig;
  /** https://127.0.0.1:<port> */
  server: string;
  versions: { kubeApiserver: string; etcd: string };
  /** The CA that signed the API server's serving certificate and the admin's client certificate. */
  caCertPem: string;
  /** Temporary directory of this control plane (logs in `*.log`). */
  dir: string;
  /** A raw authenticated GET as admin, e.g. `/metrics`, `/version`, `/readyz?verbose`. */
  get(path: string): Promise<RawResponse>;
  /** A raw authenticated request as admin; a non-string body is sent as JSON. */
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<RawResponse>;
  /** Stops kube-apiserver and etcd and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

interface Tls {
  ca: string;
  cert: string;
  key: string;
}

function rawRequest(method: string, url: string, tls: Tls | undefined, body?: unknown, contentType = 'application/json', timeoutMs = 10_000): Promise<RawResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(url, { method, timeout: timeoutMs, headers, ...(tls ?? {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const rawGet = (url: string, tls?: Tls, timeoutMs?: number): Promise<RawResponse> => rawRequest('GET', url, tls, undefined, undefined, timeoutMs);

function kubeconfigYaml(server: string, ca: string, cert: string, key: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: e2e',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(ca)}`,
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate-data: ${b64(cert)}`,
    `    client-key-data: ${b64(key)}`,
    'contexts:',
    '- name: e2e',
    '  context: {cluster: e2e, user: admin, namespace: default}',
    'current-context: e2e',
    '',
  ].join('\n');
}

export function versionLine(v: { kubeApiserver: string; etcd: string }): string {
  return `control plane: kube-apiserver ${v.kubeApiserver}, etcd ${v.etcd}`;
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const bins = await ensureBinaries(opts.k8sVersion);
  // A free port can be taken between our probe and the server's bind: retry with new ones.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bins, opts);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error && /address already in use/.test(err.message))) throw err;
    }
  }
}

async function startOnce(bins: ControlPlaneBinaries, opts: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'pgt-e2e-cp-'));
  trackTempDir(dir);
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const procs: Managed[] = [];
  const stopAll = async (): Promise<void> => {
    // API server first, etcd last; each group SIGKILLed if it lingers.
    for (const p of [...procs].reverse()) await p.stop(3000);
    procs.length = 0;
  };
  try {
    const ca = await createCa('pg-trickle-webhook e2e control-plane CA');
    const serving = await ca.issue({
      commonName: 'kube-apiserver',
      usage: 'server',
      ips: ['127.0.0.1', '10.0.0.1'],
      dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    });
    const admin = await ca.issue({ commonName: 'e2e-admin', organizations: ['system:masters'], usage: 'client' });
    const files = {
      ca: join(dir, 'ca.crt'),
      servingCert: join(dir, 'apiserver.crt'),
      servingKey: join(dir, 'apiserver.key'),
      saKey: join(dir, 'sa.key'),
      saPub: join(dir, 'sa.pub'),
    };
    writeFileSync(files.ca, ca.certPem);
    writeFileSync(files.servingCert, serving.certPem);
    writeFileSync(files.servingKey, serving.keyPem, { mode: 0o600 });
    const sa = await createSigningKeyPair();
    writeFileSync(files.saKey, sa.privateKeyPem, { mode: 0o600 });
    writeFileSync(files.saPub, sa.publicKeyPem);
    mkdirSync(join(dir, 'etcd'), { mode: 0o700 });

    const [etcdClient, etcdPeer, securePort] = (await freePorts(3)) as [number, number, number];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    const etcd = startProcess('etcd', bins.etcd, [
      '--name=e2e',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      '--unsafe-no-fsync', // throwaway data: durability buys nothing here
      '--log-level=warn',
    ], { logFile: join(dir, 'etcd.log') });
    procs.push(etcd);
    await waitFor('etcd', async () => (await rawGet(`${etcdUrl}/health`, undefined, 2000)).body.includes('"health":"true"'), { timeoutMs, proc: etcd });

    const gates = Object.entries(opts.featureGates ?? {}).map(([k, v]) => `${k}=${v}`);
    const server = `https://127.0.0.1:${securePort}`;
    const apiserver = startProcess('kube-apiserver', bins.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${files.servingCert}`,
      `--tls-private-key-file=${files.servingKey}`,
      `--client-ca-file=${files.ca}`,
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      '--disable-admission-plugins=ServiceAccount', // no controller-manager mints tokens here
      '--profiling=false',
      ...(gates.length > 0 ? [`--feature-gates=${gates.join(',')}`] : []),
      ...(opts.extraApiserverArgs ?? []),
    ], { logFile: join(dir, 'kube-apiserver.log') });
    procs.push(apiserver);

    const tls = { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem };
    const get = (path: string): Promise<RawResponse> => rawGet(`${server}${path}`, tls);
    const request = (method: string, path: string, body?: unknown, contentType?: string): Promise<RawResponse> =>
      rawRequest(method, `${server}${path}`, tls, body, contentType);
    await waitFor('kube-apiserver /readyz', async () => (await get('/readyz')).status === 200, { timeoutMs, intervalMs: 250, proc: apiserver });
    // NamespaceLifecycle refuses objects until the bootstrap controller made "default".
    await waitFor('namespace default', async () => (await get('/api/v1/namespaces/default')).status === 200, { timeoutMs: 30_000, proc: apiserver });

    const kubeconfigPath = join(dir, 'kubeconfig');
    const yaml = kubeconfigYaml(server, ca.certPem, admin.certPem, admin.keyPem);
    writeFileSync(kubeconfigPath, yaml, { mode: 0o600 });
    const kc = new KubeConfig();
    kc.loadFromString(yaml);

    // `npm run test:e2e` announces the default versions once; anything else is told here.
    if (process.env.PGT_E2E_ANNOUNCED !== `${bins.versions.kubeApiserver} ${bins.versions.etcd}`) {
      process.stdout.write(`${versionLine(bins.versions)}\n`);
    }

    let stopped = false;
    return {
      kubeconfigPath,
      kc,
      server,
      versions: bins.versions,
      caCertPem: ca.certPem,
      dir,
      get,
      request,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        try {
          const metrics = await get('/metrics');
          if (metrics.status === 200) recordAdmissionLatency(metrics.body);
        } catch {
          // the API server already died: nothing to record
        }
        await stopAll();
        removeTempDir(dir);
      },
    };
  } catch (err) {
    await stopAll();
    removeTempDir(dir);
    throw err;
  }
}

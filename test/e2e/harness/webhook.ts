// Runs the real webhook server (`node dist/cli/main.js serve`) as a child process with a
// serving certificate from a throwaway CA, on free loopback ports, pointed at the control
// plane with --kubeconfig so its discovery runs against the real API server.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PolicyInput } from '../../../src/core/policy/schema.js';
import { REPO_ROOT } from '../../support/shared.js';
import type { ControlPlane } from './control-plane.js';
import { createCa } from './pki.js';
import { freePorts } from './ports.js';
import { parsePrometheus, sumSamples } from './prometheus.js';
import { removeTempDir, startProcess, trackTempDir, waitFor, type Managed } from './processes.js';

export const WEBHOOK_MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface WebhookOptions {
  /** Policy as an object (written as YAML) or as YAML text; none = the built-in defaults. */
  policy?: PolicyInput | string;
  /** Extra `serve` arguments. */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Bound on start-up until /readyz answers 200 (default 30 s). */
  startTimeoutMs?: number;
}

export interface Webhook {
  /** https://127.0.0.1:<port> */
  url: string;
  /** PEM of the CA that signed the serving certificate: the caBundle. */
  caPem: string;
  port: number;
  metricsPort: number;
  /** Directory with cert, key, policy and `webhook.log`. */
  dir: string;
  policyFile: string | undefined;
  /** Kills the process (group); idempotent. The directory stays until dispose(). */
  stop(): Promise<void>;
  /** Starts it again on the same ports with the same certificate. */
  restart(): Promise<void>;
  /** stop() and remove the directory. */
  dispose(): Promise<void>;
  /** Admission requests the webhook counted on its /metrics, optionally for one `webhook` label value. */
  requestCount(webhook?: string): Promise<number>;
  /** Raw /metrics text of the webhook. */
  metrics(): Promise<string>;
  /** POST an AdmissionReview straight to the webhook (bypassing the API server). */
  review(path: '/mutate' | '/validate', review: unknown): Promise<unknown>;
  logTail(chars?: number): string;
}

function plainGet(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

export async function startWebhook(cp: ControlPlane, opts: WebhookOptions = {}): Promise<Webhook> {
  if (!existsSync(WEBHOOK_MAIN)) throw new Error(`${WEBHOOK_MAIN} is missing: run "npm run build" first (npm run test:e2e does)`);
  const dir = mkdtempSync(join(tmpdir(), 'pgt-e2e-webhook-'));
  trackTempDir(dir);
  try {
    const ca = await createCa('pg-trickle-webhook e2e webhook CA');
    const serving = await ca.issue({ commonName: 'pg-trickle-webhook', usage: 'server', ips: ['127.0.0.1'], dnsNames: ['localhost'] });
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    writeFileSync(certFile, serving.certPem);
    writeFileSync(keyFile, serving.keyPem, { mode: 0o600 });
    let policyFile: string | undefined;
    if (opts.policy !== undefined) {
      policyFile = join(dir, 'policy.yaml');
      writeFileSync(policyFile, typeof opts.policy === 'string' ? opts.policy : stringify(opts.policy));
    }
    const [port, metricsPort] = (await freePorts(2)) as [number, number];
    const args = [
      WEBHOOK_MAIN, 'serve',
      '--host', '127.0.0.1',
      '--port', String(port),
      '--metrics-port', String(metricsPort),
      '--tls-cert', certFile,
      '--tls-key', keyFile,
      '--kubeconfig', cp.kubeconfigPath,
      ...(policyFile ? ['--policy', policyFile] : []),
      ...(opts.args ?? []),
    ];
    const metricsBase = `http://127.0.0.1:${metricsPort}`;
    let proc: Managed | undefined;
    const start = async (): Promise<void> => {
      proc = startProcess('webhook', process.execPath, args, { logFile: join(dir, 'webhook.log'), env: { ...process.env, ...opts.env }, cwd: REPO_ROOT });
      const p = proc;
      await waitFor('webhook /readyz', async () => (await plainGet(`${metricsBase}/readyz`, 2000)).status === 200, { timeoutMs: opts.startTimeoutMs ?? 30_000, proc: p });
    };
    const stop = async (): Promise<void> => {
      await proc?.stop(5000);
    };
    await start().catch(async (err: unknown) => {
      await stop();
      throw err;
    });
    const metrics = async (): Promise<string> => {
      const res = await plainGet(`${metricsBase}/metrics`);
      if (res.status !== 200) throw new Error(`webhook /metrics: HTTP ${res.status}`);
      return res.body;
    };
    const review = (path: string, body: unknown): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const payload = JSON.stringify(body);
        const req = httpsRequest(`https://127.0.0.1:${port}${path}`, {
          method: 'POST', ca: ca.certPem, timeout: 10_000,
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
        }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`${path}: HTTP ${res.statusCode ?? '?'} not JSON: ${text.slice(0, 300)}`));
            }
          });
        });
        req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
        req.on('error', reject);
        req.end(payload);
      });
    return {
      url: `https://127.0.0.1:${port}`,
      caPem: ca.certPem,
      port,
      metricsPort,
      dir,
      policyFile,
      stop,
      restart: async () => {
        await stop();
        await start();
      },
      dispose: async () => {
        await stop();
        removeTempDir(dir);
      },
      requestCount: async (webhook?: string) =>
        sumSamples(parsePrometheus(await metrics()), 'pgtrickle_webhook_admission_requests_total', webhook ? { webhook } : {}),
      metrics,
      review,
      logTail: (chars?: number) => proc?.logTail(chars) ?? '',
    };
  } catch (err) {
    removeTempDir(dir);
    throw err;
  }
}

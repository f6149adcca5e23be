// `npm run bench`: throughput and latency of the webhook against a bare Node HTTPS server
// answering a fixed AdmissionReview of the same size. Both run in child processes so the
// load generator (autocannon, this process) never shares their event loop.
//   --json           print a last line {"webhook_rps","baseline_rps","ratio","p50_ms","p99_ms","rss_mb"}
//   --duration S     seconds per measured run (default 10)
//   --connections N  concurrent keep-alive connections (default 32)
//   --profile        run the webhook with --cpu-prof and print where its time goes
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import fjp, { type Operation } from 'fast-json-patch';
import { ensureDevCertificate } from '../src/certs/dev-certificate.js';
import { CNPG_SAMPLES_DIR, REPO_ROOT } from '../test/support/shared.js';
import { admissionBody, sampleClusters } from './bodies.js';
import { hotSpots } from './cpu-profile.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    profile: { type: 'boolean', default: false },
  },
});
const DURATION = Math.max(1, Number(args.duration) || 10);
const CONNECTIONS = Math.max(1, Number(args.connections) || 32);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured {
  name: string;
  /** CPU time (user+system) the server process spent per answered request, µs. */
  cpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  for (let waited = 0; waited < ms; waited += 50) {
    const v = probe();
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function post(port: number, path: string, body: string, ca: string): Promise<string> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', servername: 'localhost', ca, timeout: 5000, headers: { 'content-type': 'application/json' } }, (r) => {
      let text = '';
      r.on('data', (d: Buffer) => (text += d.toString()));
      r.on('end', () => (r.statusCode === 200 ? res(text) : rej(new Error(`${path}: HTTP ${r.statusCode} ${text}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', rej);
    req.end(body);
  });
}

/** utime+stime of a process in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

async function load(name: string, port: number, path: string, bodies: string[], seconds: number, pid?: number): Promise<Measured> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: `https://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    servername: 'localhost',
    requests: bodies.map((body) => ({ method: 'POST' as const, path, headers: { 'content-type': 'application/json' }, body })),
  });
  const cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { name, cpuUs, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'pgt-bench-'));
  const children: ChildProcess[] = [];
  try {
    const clusters = sampleClusters(CNPG_SAMPLES_DIR);
    if (clusters.length === 0) throw new Error(`no Cluster manifests in ${CNPG_SAMPLES_DIR} (set CNPG_SAMPLES_DIR)`);
    const bodies = clusters.map(admissionBody);
    const passthrough = bodies.map((b) => b.replace('"kind":"Cluster"}', '"kind":"ClusterPassthrough"}'));
    const certs = await ensureDevCertificate(join(work, 'certs'));
    const ca = readFileSync(certs.ca, 'utf8');
    // A platform that supports everything, so every rule and mutation really runs.
    const policy = join(work, 'policy.yaml');
    await writeFile(policy, 'environment:\n  kubernetesVersion: "1.35"\n  cnpgVersion: "1.30.0"\n  imageVolume: enabled\n');

    const logFile = join(work, 'webhook.log');
    const logFd = openSync(logFile, 'w');
    const profDir = join(work, 'profile');
    const webhook = spawn(
      process.execPath,
      [
        ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
        resolve(REPO_ROOT, 'dist', 'cli', 'main.js'),
        'serve', '--port', '0', '--metrics-port', '0', '--host', '127.0.0.1', '--no-discovery',
        '--tls-cert', certs.cert, '--tls-key', certs.key, '--policy', policy,
      ],
      { stdio: ['ignore', logFd, 'inherit'] },
    );
    closeSync(logFd);
    children.push(webhook);
    const port = await waitFor('the webhook to listen', () => {
      const m = /"msg":"listening"/.test(readFileSync(logFile, 'utf8')) ? /"port":(\d+)/.exec(readFileSync(logFile, 'utf8')) : null;
      return m ? Number(m[1]) : undefined;
    });

    // Answers of the webhook, to give the baseline the same response size.
    // /validate gets what the API server sends it: the object after the mutating webhook.
    const answers: string[] = [];
    const validateBodies: string[] = [];
    for (const b of bodies) {
      const mutateAnswer = await post(port, '/mutate', b, ca);
      const review = JSON.parse(b) as { request: { object: object } };
      const patch = (JSON.parse(mutateAnswer) as { response: { patch?: string } }).response.patch;
      if (patch) review.request.object = fjp.applyPatch(review.request.object, JSON.parse(Buffer.from(patch, 'base64').toString()) as Operation[], false, false).newDocument;
      validateBodies.push(JSON.stringify(review));
      answers.push(mutateAnswer, await post(port, '/validate', validateBodies[validateBodies.length - 1] as string, ca));
    }
    const answerBytes = Math.round(answers.reduce((n, a) => n + Buffer.byteLength(a), 0) / answers.length);

    const baseline = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'bench', 'baseline-server.ts'), certs.cert, certs.key, String(answerBytes)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: REPO_ROOT,
    });
    children.push(baseline);
    let baselineOut = '';
    baseline.stdout?.on('data', (d: Buffer) => (baselineOut += d.toString()));
    const baselinePort = await waitFor('the baseline server', () => {
      const m = /"port":(\d+)/.exec(baselineOut);
      return m ? Number(m[1]) : undefined;
    });

    const say = (s: string): void => {
      if (!args.json) process.stdout.write(`${s}\n`);
    };
    const avgBody = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);
    say(`bench: ${bodies.length} Cluster bodies from ${CNPG_SAMPLES_DIR} (avg ${avgBody} B), answers avg ${answerBytes} B`);
    say(`bench: ${CONNECTIONS} keep-alive HTTPS connections, ${DURATION} s per run after a 2 s warm-up`);

    const runs: Measured[] = [];
    for (const [name, p, path, pid] of [
      ['baseline', baselinePort, '/validate', baseline.pid],
      ['webhook /validate', port, '/validate', webhook.pid],
      ['webhook /mutate', port, '/mutate', webhook.pid],
      // Same bodies as a kind the webhook passes untouched: the server's own cost, no engine.
      ['webhook passthrough', port, '/validate', webhook.pid],
    ] as const) {
      const b = name === 'webhook passthrough' ? passthrough : name === 'webhook /validate' ? validateBodies : bodies;
      await load(name, p, path, b, 2);
      const m = await load(name, p, path, b, DURATION, pid);
      runs.push(m);
      say(`  ${name.padEnd(18)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  server CPU ${m.cpuUs.toFixed(0)} µs/req  errors ${m.errors}  non-2xx ${m.non2xx}`);
    }
    const rss = peakRssMb(webhook.pid);
    const [base, validate, mutate] = runs as [Measured, Measured, Measured];
    const webhookRps = (validate.rps + mutate.rps) / 2;
    const summary = {
      webhook_rps: Math.round(webhookRps),
      baseline_rps: Math.round(base.rps),
      ratio: Math.round((webhookRps / base.rps) * 1000) / 1000,
      p50_ms: Math.max(validate.p50, mutate.p50),
      p99_ms: Math.max(validate.p99, mutate.p99),
      rss_mb: rss,
    };
    // On a shared machine throughput follows whoever else runs; CPU per request does not.
    const cpuRatio = base.cpuUs / ((validate.cpuUs + mutate.cpuUs) / 2);
    say(`CPU cost ratio baseline/webhook ${cpuRatio.toFixed(3)} (baseline ${base.cpuUs.toFixed(0)} µs/req; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs)`);
    say(`webhook/baseline ratio ${summary.ratio} (target >= 0.5), p99 ${summary.p99_ms} ms (target <= 5), peak RSS ${rss} MB`);

    await stopChild(webhook);
    await stopChild(baseline);
    if (args.profile) {
      const prof = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (prof) {
        say('where the webhook spends its CPU (self time, whole run):');
        for (const h of hotSpots(join(profDir, prof))) say(`  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.where}`);
      }
    }
    const failed = runs.some((r) => r.errors > 0 || r.non2xx > 0);
    if (failed) process.stderr.write('bench: some requests failed (see errors/non-2xx above)\n');
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const c of children) await stopChild(c).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

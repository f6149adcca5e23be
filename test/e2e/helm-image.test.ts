// The container image the chart deploys, without a Docker engine: the Dockerfile is parsed
// and its stages are reproduced in temporary directories (same COPY lists, the build, a
// production-only `npm ci`), then the runtime stage's ENTRYPOINT + CMD is started and must
// answer /healthz and /readyz and stop cleanly on SIGTERM. The test follows the file: a
// COPY or RUN it does not understand fails it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from '../support/shared.js';
import { freePorts, waitFor } from './harness/index.js';
import { removeTempDir, startProcess, trackTempDir, type Managed } from './harness/processes.js';

interface Stage {
  base: string;
  name: string;
  workdir: string;
  env: Record<string, string>;
  copies: { from?: string; sources: string[]; dest: string }[];
  runs: string[];
  user?: string;
  entrypoint?: string[];
  cmd?: string[];
}

/** Parses the instructions this project's Dockerfile uses; anything else is an error. */
function parseDockerfile(text: string): Stage[] {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const expand = (s: string): string => s.replace(/\$\{(\w+)\}/g, (_m, k: string) => args[k] ?? '');
  for (const line of lines) {
    const [instr = '', ...rest] = line.split(/\s+/);
    const value = line.slice(instr.length).trim();
    const stage = stages[stages.length - 1];
    switch (instr.toUpperCase()) {
      case 'ARG': {
        const [k, v = ''] = value.split('=');
        args[k!] = v;
        break;
      }
      case 'FROM': {
        const m = /^(\S+)\s+AS\s+(\S+)$/i.exec(value);
        assert.ok(m, `FROM needs "image AS name": ${line}`);
        stages.push({ base: expand(m[1]!), name: m[2]!, workdir: '/', env: {}, copies: [], runs: [] });
        break;
      }
      case 'WORKDIR':
        stage!.workdir = posix.resolve(stage!.workdir, value);
        break;
      case 'ENV': {
        const [k, v = ''] = value.split('=');
        stage!.env[k!] = v;
        break;
      }
      case 'COPY': {
        const from = rest[0]?.startsWith('--from=') ? rest.shift()!.slice('--from='.length) : undefined;
        assert.ok(!rest.some((r) => r.startsWith('--')), `unsupported COPY flag: ${line}`);
        stage!.copies.push({ ...(from ? { from } : {}), sources: rest.slice(0, -1), dest: rest[rest.length - 1]! });
        break;
      }
      case 'RUN':
        stage!.runs.push(value);
        break;
      case 'USER':
        stage!.user = value;
        break;
      case 'ENTRYPOINT':
        stage!.entrypoint = JSON.parse(value) as string[];
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(value) as string[];
        break;
      case 'EXPOSE':
        break;
      default:
        assert.fail(`unsupported Dockerfile instruction: ${line}`);
    }
  }
  return stages;
}

let work: string;
let stages: Stage[];
let runtimeDir: string;
let proc: Managed | undefined;

/** Where a path inside a stage's filesystem lives in our reproduction. */
const hostPath = (root: string, stage: Stage, p: string): string => join(root, posix.resolve(stage.workdir, p));

function reproduce(stage: Stage, root: string, built: Map<string, string>): void {
  mkdirSync(hostPath(root, stage, '.'), { recursive: true });
  const copy = (c: Stage['copies'][number]): void => {
    for (const src of c.sources) {
      const from = c.from ? hostPath(built.get(c.from)!, stages.find((s) => s.name === c.from)!, src) : join(REPO_ROOT, src);
      assert.ok(existsSync(from), `COPY source missing: ${from}`);
      const dest = c.dest.endsWith('/') || c.sources.length > 1 ? join(hostPath(root, stage, c.dest), posix.basename(src)) : hostPath(root, stage, c.dest);
      cpSync(from, dest, { recursive: true });
    }
  };
  // Docker runs the instructions in order; COPY --from and RUN order matters only for the build.
  const [contextCopies, stageCopies] = [stage.copies.filter((c) => !c.from), stage.copies.filter((c) => c.from)];
  contextCopies.forEach(copy);
  const cwd = hostPath(root, stage, '.');
  for (const run of stage.runs) {
    for (const step of run.split('&&').map((s) => s.trim())) {
      if (/^npm ci\b/.test(step) && step.includes('--omit=dev')) {
        // The real production install, from the lock file; the local npm cache may answer it.
        execFileSync('npm', [...step.split(/\s+/).slice(1), '--prefer-offline'], { cwd, stdio: 'pipe', timeout: 300_000 });
      } else if (/^npm ci\b/.test(step)) {
        // The build stage's full install equals the repository's node_modules (same lock file).
        symlinkSync(join(REPO_ROOT, 'node_modules'), join(cwd, 'node_modules'), 'dir');
      } else if (step === 'npm run build') {
        execFileSync('npm', ['run', 'build'], { cwd, stdio: 'pipe', timeout: 300_000 });
      } else if (step.startsWith('npm cache clean')) {
        // Image size only; cleaning would empty this machine's cache.
      } else if (step.startsWith('mkdir -p ')) {
        for (const d of step.slice('mkdir -p '.length).split(/\s+/)) mkdirSync(join(root, d), { recursive: true });
      } else if (step.startsWith('chown ')) {
        // Ownership cannot be reproduced without root; USER is checked separately.
      } else {
        assert.fail(`RUN step this test cannot reproduce: ${step}`);
      }
    }
  }
  stageCopies.forEach(copy);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'pgtw-image-'));
  trackTempDir(work);
  stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  const built = new Map<string, string>();
  for (const s of stages) {
    const root = join(work, s.name);
    reproduce(s, root, built);
    built.set(s.name, root);
  }
  const runtime = stages[stages.length - 1]!;
  runtimeDir = hostPath(built.get(runtime.name)!, runtime, '.');
});

after(async () => {
  await proc?.stop(5000);
  if (work) removeTempDir(work);
});

test('Dockerfile: multi-stage on Node 20, non-root numeric user, exec-form entrypoint', () => {
  assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
  for (const s of stages) assert.match(s.base, /^(node:20-bookworm-slim|gcr\.io\/distroless\/nodejs20-debian\d+)(@sha256:[a-f0-9]{64})?$/, s.base);
  const runtime = stages[stages.length - 1]!;
  assert.match(runtime.user ?? '', /^[1-9]\d*(:\d+)?$/, 'numeric non-root USER');
  assert.deepEqual(runtime.entrypoint, ['node', 'dist/cli/main.js']);
  assert.deepEqual(runtime.cmd, ['serve']);
  assert.ok(runtime.runs.some((r) => /npm ci\b.*--omit=dev/.test(r)), 'production dependencies only');
});

test('the runtime stage holds production dependencies only', () => {
  // The lock file marks packages only development needs ("dev": true).
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const entries = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
  const devOnly = entries.filter(([, e]) => e.dev === true);
  assert.ok(devOnly.length > 0);
  for (const [path] of devOnly) assert.ok(!existsSync(join(runtimeDir, path)), `dev-only ${path} absent`);
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies)) assert.ok(existsSync(join(runtimeDir, 'node_modules', dep)), `${dep} installed`);
  assert.ok(existsSync(join(runtimeDir, 'dist', 'cli', 'main.js')));
  assert.ok(!existsSync(join(runtimeDir, 'src')), 'no sources in the runtime stage');
});

test('the runtime stage starts with ENTRYPOINT + CMD, answers /healthz and /readyz, and stops on SIGTERM', async () => {
  const runtime = stages[stages.length - 1]!;
  const [port, metricsPort] = (await freePorts(2)) as [number, number];
  const [cmd, ...args] = [...runtime.entrypoint!, ...runtime.cmd!];
  // Loopback ports for the test; discovery off (no cluster here).
  const extra = ['--host', '127.0.0.1', '--port', String(port), '--metrics-port', String(metricsPort), '--no-discovery'];
  assert.equal(cmd, 'node');
  const env = { ...process.env, ...runtime.env };
  delete env.KUBECONFIG;
  const p = startProcess('image', process.execPath, [...args, ...extra], { logFile: join(work, 'image.log'), cwd: runtimeDir, env });
  proc = p;
  const status = async (path: string): Promise<number> => (await fetch(`http://127.0.0.1:${metricsPort}${path}`, { signal: AbortSignal.timeout(2000) })).status;
  await waitFor('image /healthz', async () => (await status('/healthz')) === 200, { timeoutMs: 30_000, intervalMs: 200, proc: p });
  assert.equal(await status('/readyz'), 200);
  await p.stop(10_000);
  assert.equal(await p.exited, 'exit code 0');
});

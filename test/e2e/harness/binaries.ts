// Finds (or builds, once, cached) kube-apiserver and etcd and reports their versions.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../support/shared.js';

const run = promisify(execFile);

/** Newest patch release per minor that the build script is known to build. */
export const KNOWN_K8S_VERSIONS: Readonly<Record<string, string>> = { '1.36': 'v1.36.3', '1.34': 'v1.34.4' };
export const DEFAULT_K8S_VERSION = 'v1.36.3';
export const DEFAULT_ETCD_VERSION = 'v3.6.16';

export interface ControlPlaneBinaries {
  dir: string;
  kubeApiserver: string;
  etcd: string;
  versions: { kubeApiserver: string; etcd: string };
}

/** "1.34" → "v1.34.4", "1.36.3" → "v1.36.3", undefined → the default. */
export function normaliseK8sVersion(v: string | undefined): string {
  const requested = v ?? process.env.PGT_K8S_VERSION ?? DEFAULT_K8S_VERSION;
  const bare = requested.replace(/^v/, '');
  if (/^\d+\.\d+$/.test(bare)) {
    const known = KNOWN_K8S_VERSIONS[bare];
    if (!known) throw new Error(`no known patch release for Kubernetes ${bare}; pass a full version (known: ${Object.keys(KNOWN_K8S_VERSIONS).join(', ')})`);
    return known;
  }
  if (!/^\d+\.\d+\.\d+$/.test(bare)) throw new Error(`not a Kubernetes version: "${requested}" (expected e.g. 1.36 or v1.36.3)`);
  return `v${bare}`;
}

export async function binaryVersions(dir: string): Promise<{ kubeApiserver: string; etcd: string }> {
  const k = await run(join(dir, 'kube-apiserver'), ['--version'], { timeout: 30_000 });
  const e = await run(join(dir, 'etcd'), ['--version'], { timeout: 30_000 });
  const kv = /v\d+\.\d+\.\d+\S*/.exec(k.stdout)?.[0];
  const ev = /etcd Version:\s*(\S+)/.exec(e.stdout)?.[1];
  if (!kv || !ev) throw new Error(`cannot read versions: kube-apiserver said "${k.stdout.trim()}", etcd said "${e.stdout.trim()}"`);
  return { kubeApiserver: kv, etcd: ev.startsWith('v') ? ev : `v${ev}` };
}

const resolved = new Map<string, Promise<ControlPlaneBinaries>>();

/**
 * KUBEBUILDER_ASSETS when it holds both binaries of the requested version; otherwise
 * `scripts/build-control-plane.sh` (a no-op when the cache already has them; the first
 * build takes a long while and streams its progress to stderr).
 */
export function ensureBinaries(k8sVersion?: string): Promise<ControlPlaneBinaries> {
  const version = normaliseK8sVersion(k8sVersion);
  let p = resolved.get(version);
  if (!p) {
    p = locate(version, k8sVersion !== undefined);
    resolved.set(version, p);
    p.catch(() => resolved.delete(version));
  }
  return p;
}

async function locate(version: string, explicit: boolean): Promise<ControlPlaneBinaries> {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets && existsSync(join(assets, 'kube-apiserver')) && existsSync(join(assets, 'etcd'))) {
    const versions = await binaryVersions(assets);
    // Pre-built assets serve the default run; an explicitly requested other version is built.
    if (!explicit || versions.kubeApiserver === version) return withPaths(resolve(assets), versions);
  }
  const dir = await buildWithScript(version);
  return withPaths(dir, await binaryVersions(dir));
}

function withPaths(dir: string, versions: { kubeApiserver: string; etcd: string }): ControlPlaneBinaries {
  return { dir, kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd'), versions };
}

async function buildWithScript(version: string): Promise<string> {
  const script = join(REPO_ROOT, 'scripts', 'build-control-plane.sh');
  const env = { ...process.env };
  delete env.KUBEBUILDER_ASSETS; // the script would hand them back whatever their version
  return new Promise((resolvePath, reject) => {
    const child = spawn('bash', [script, version], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && dir && existsSync(join(dir, 'kube-apiserver'))) resolvePath(dir);
      else reject(new Error(`${script} ${version} failed (exit ${code ?? '?'}); see its output above`));
    });
  });
}

// Renders the chart with the helm CLI built by scripts/build-helm.sh (cached after the first
// build) and parses the manifests, so tests assert fields rather than snapshot text.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../support/shared.js';

export const CHART_DIR = join(REPO_ROOT, 'charts', 'pg-trickle-webhook');
export const RELEASE = 'hook';
export const NAMESPACE = 'pgtw-system';
/** What the chart names things for RELEASE (release-chart). */
export const FULLNAME = `${RELEASE}-pg-trickle-webhook`;

let helmPath: string | undefined;
export function helm(): string {
  helmPath ??= execFileSync(join(REPO_ROOT, 'scripts', 'build-helm.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 })
    .trim()
    .split('\n')
    .pop()!;
  return helmPath;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

function withValuesFile<T>(values: object, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pgtw-chart-'));
  try {
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify(values));
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template`; throws with helm's message when rendering fails. */
export function render(values: object = {}): Manifest[] {
  const out = withValuesFile(values, (file) => {
    const r = spawnSync(helm(), ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, '-f', file], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr.trim()}`);
    return r.stdout;
  });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

/** The rendered YAML text (for checks on what must never appear). */
export function renderText(values: object = {}): string {
  return withValuesFile(values, (file) => execFileSync(helm(), ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, '-f', file], { encoding: 'utf8' }));
}

/** `helm lint --strict`: exit status and output. */
export function lint(values: object = {}): { ok: boolean; output: string } {
  return withValuesFile(values, (file) => {
    const r = spawnSync(helm(), ['lint', '--strict', CHART_DIR, '--namespace', NAMESPACE, '-f', file], { encoding: 'utf8', timeout: 60_000 });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  });
}

export function find(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found[0]!;
}

export const kinds = (manifests: Manifest[]): string[] => manifests.map((m) => m.kind).sort();

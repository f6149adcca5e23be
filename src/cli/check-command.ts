// `pg-trickle-webhook check`: every Cluster and Database of the input through the engine's
// check() (operation CREATE), with Databases from the input and --databases-from counted
// toward their Cluster.
import semver from 'semver';
import { loadPolicyFile } from '../config/policy-file.js';
import { StaticDirectory } from '../core/directory.js';
import { check } from '../core/engine.js';
import { resolveEnvironment } from '../core/environment.js';
import { defaultPolicy, type Policy } from '../core/policy/schema.js';
import type { EngineContext, Environment, Finding, JsonPatch, KubeObject, MutationId } from '../core/types.js';
import { InputError, readManifests, type Manifest } from './manifest-input.js';

export interface CheckOptions {
  policy?: string | undefined;
  kubernetesVersion?: string | undefined;
  cnpgVersion?: string | undefined;
  imageVolume?: string | undefined;
  databasesFrom?: string | undefined;
}

export interface CheckResult {
  manifest: Manifest;
  kind: string;
  namespace: string;
  name: string;
  allowed: boolean;
  findings: Finding[];
  mutations: MutationId[];
  patch: JsonPatch;
  mutated: KubeObject;
}

export interface CheckRun {
  results: CheckResult[];
  /** Every input document in order, mutated where checked (for --output yaml). */
  documents: KubeObject[];
  skipped: number;
}

const CHECKED_KINDS = new Set(['Cluster', 'Database']);
const CNPG_API_PREFIX = 'postgresql.cnpg.io/';

/**
 * A CNPG Cluster or Database, as the server judges them: other groups' kinds of the same
 * name (Cluster API's `cluster.x-k8s.io` Cluster, …) are skipped, not injected into. A
 * manifest without apiVersion is taken to be CNPG's.
 */
function isChecked(o: KubeObject): boolean {
  if (!CHECKED_KINDS.has(String(o.kind))) return false;
  const apiVersion: unknown = o.apiVersion;
  return apiVersion === undefined || apiVersion === '' || (typeof apiVersion === 'string' && apiVersion.startsWith(CNPG_API_PREFIX));
}

/** Normalises "v1.35", "1.35.2" to "1.35"; undefined when not a version. */
export function kubernetesMinor(v: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(v.trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The policy with the environment flags applied on top (flags win). */
export function applyFlags(policy: Policy, opts: CheckOptions): Policy {
  const environment = { ...policy.environment };
  if (opts.kubernetesVersion !== undefined) {
    const v = kubernetesMinor(opts.kubernetesVersion);
    if (!v) throw new InputError(`--kubernetes-version: expected X.Y (e.g. 1.35), got "${opts.kubernetesVersion}"`);
    environment.kubernetesVersion = v;
  }
  if (opts.cnpgVersion !== undefined) {
    const v = semver.valid(semver.coerce(opts.cnpgVersion, { includePrerelease: false }) ?? '');
    if (!v || !/^v?\d+\.\d+\.\d+$/.test(opts.cnpgVersion.trim())) {
      throw new InputError(`--cnpg-version: expected X.Y.Z (e.g. 1.28.0), got "${opts.cnpgVersion}"`);
    }
    environment.cnpgVersion = v;
  }
  if (opts.imageVolume !== undefined) {
    if (opts.imageVolume !== 'enabled' && opts.imageVolume !== 'disabled') {
      throw new InputError(`--image-volume: expected enabled or disabled, got "${opts.imageVolume}"`);
    }
    environment.imageVolume = opts.imageVolume;
  }
  return { ...policy, environment };
}

/** Offline environment: what policy/flags pin; the CRD has `extensions` from CNPG 1.27.0. */
export function offlineEnvironment(policy: Policy): Environment {
  const cnpg = policy.environment.cnpgVersion;
  const crdHasExtensions = cnpg === 'auto' ? undefined : semver.gte(cnpg, '1.27.0');
  return resolveEnvironment(policy, { crdHasExtensions });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function judge(m: Manifest, ctx: EngineContext): CheckResult {
  const o = m.object;
  const namespace = str(o.metadata?.namespace) ?? 'default';
  const { mutation, validation } = check({ operation: 'CREATE', kind: String(o.kind), namespace, object: o }, ctx);
  return {
    manifest: m,
    kind: String(o.kind),
    namespace,
    name: str(o.metadata?.name) ?? str(o.metadata?.generateName) ?? '',
    allowed: validation.allowed,
    findings: validation.findings,
    mutations: mutation.mutations,
    patch: mutation.patch,
    mutated: mutation.object,
  };
}

export async function runCheck(inputs: readonly string[], opts: CheckOptions, stdin?: NodeJS.ReadableStream): Promise<CheckRun> {
  if (inputs.length === 0) throw new InputError('no input: give one or more files, or - for stdin');
  if (inputs.filter((i) => i === '-').length + (opts.databasesFrom === '-' ? 1 : 0) > 1) throw new InputError('stdin (-) can be read only once');
  const basePolicy = opts.policy ? (await loadPolicyFile(opts.policy)).policy : defaultPolicy();
  const policy = applyFlags(basePolicy, opts);
  const environment = offlineEnvironment(policy);

  const manifests: Manifest[] = [];
  for (const input of inputs) manifests.push(...(await readManifests(input, stdin)));
  const extra = opts.databasesFrom ? await readManifests(opts.databasesFrom, stdin) : [];
  const extraDatabases = extra.map((m) => m.object).filter((o) => o.kind === 'Database' && isChecked(o));

  const checked = manifests.filter((m) => isChecked(m.object));
  const databases = [...checked.map((m) => m.object).filter((o) => o.kind === 'Database'), ...extraDatabases];

  // Clusters first (their Databases count toward the budget); then Databases against the
  // Clusters as the API server would store them, i.e. mutated.
  const clusterCtx: EngineContext = { policy, environment, directory: new StaticDirectory(databases) };
  const byManifest = new Map<Manifest, CheckResult>();
  for (const m of checked) if (m.object.kind === 'Cluster') byManifest.set(m, judge(m, clusterCtx));
  const mutatedClusters = [...byManifest.values()].map((r) => r.mutated);
  const databaseCtx: EngineContext = { policy, environment, directory: new StaticDirectory([...mutatedClusters, ...databases]) };
  for (const m of checked) if (m.object.kind === 'Database') byManifest.set(m, judge(m, databaseCtx));

  const results = checked.map((m) => byManifest.get(m) as CheckResult);
  const documents = manifests.map((m) => byManifest.get(m)?.mutated ?? m.object);
  return { results, documents, skipped: manifests.length - checked.length };
}

// What a user of a real cluster sees: kube-apiserver calls the webhook, stores the mutated
// Cluster (with the real CNPG 1.30.0 CRD), refuses what the rules deny with the rule id in
// the API error, and never calls the webhook for Clusters that do not use pg_trickle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import jsonpatch from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';
import { readCluster } from '../../src/core/cluster/read.js';
import { usesPgTrickle } from '../../src/core/cluster/intent.js';
import type { JsonPatch, KubeObject } from '../../src/core/types.js';
import { CNPG_SAMPLES_DIR } from '../support/shared.js';
import {
  cnpgClient, installCnpgCrds, refusal, registerWebhooks, startControlPlane, startWebhook,
  type CnpgClient, type ControlPlane, type Registration, type Webhook,
} from './harness/index.js';

const EXT_IMAGE = 'ghcr.io/trickle-labs/pg_trickle-ext:0.67.0';
let cp: ControlPlane | undefined;
let wh: Webhook | undefined;
let reg: Registration | undefined;
let client: CnpgClient;

before(async () => {
  cp = await startControlPlane();
  await installCnpgCrds(cp, '1.30.0');
  // No CNPG operator runs here: pin its version; Kubernetes version, ImageVolume and the
  // CRD's extensions field are discovered from this API server.
  wh = await startWebhook(cp, { policy: { environment: { cnpgVersion: '1.30.0' }, injection: { defaultParameters: { 'pg_trickle.enabled': 'on' } } } });
  reg = await registerWebhooks(cp, wh, { failurePolicy: 'Fail' });
  client = cnpgClient(cp);
});
after(async () => {
  await reg?.remove();
  await wh?.dispose();
  await cp?.stop();
});

function webhook(): Webhook {
  assert.ok(wh, 'webhook not started');
  return wh;
}

interface ClusterOpts {
  labels?: Record<string, string>;
  image?: string;
  postgresql?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

function cluster(name: string, o: ClusterOpts = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'default', ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      instances: 1,
      imageName: o.image ?? 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie',
      storage: { size: '1Gi' },
      ...(o.postgresql ? { postgresql: o.postgresql } : {}),
    },
  };
}
const INJECT = { 'pgtrickle.io/inject': 'true' };

interface PgSpec {
  shared_preload_libraries?: string[];
  extensions?: Array<{ name: string; image?: { reference?: string } }>;
  parameters?: Record<string, string>;
}
const pgOf = (obj: KubeObject | null): PgSpec => ((obj?.spec as { postgresql?: PgSpec } | undefined)?.postgresql ?? {});

describe('CREATE', () => {
  test('a labelled PG18 Cluster is stored with the extension, the preload and the annotation, and the client gets the warnings', async () => {
    // max_worker_processes 12: above the minimum budget (8), below the recommended (16) → PGT004 warning.
    const sent = cluster('create-labelled', { labels: INJECT, postgresql: { parameters: { max_worker_processes: '12' } } });
    const { warnings } = await client.create('clusters', sent);
    const stored = await client.get('clusters', 'default', 'create-labelled');
    const pg = pgOf(stored);
    assert.deepEqual(pg.extensions, [{ name: 'pg-trickle', image: { reference: EXT_IMAGE } }]);
    assert.deepEqual(pg.shared_preload_libraries, ['pg_trickle']);
    assert.equal(pg.parameters?.['pg_trickle.enabled'], 'on', 'the policy default parameter (M05)');
    assert.equal(pg.parameters?.max_worker_processes, '12', 'an explicit value is never overwritten');
    assert.equal(stored?.metadata?.annotations?.['pgtrickle.io/injected-image'], EXT_IMAGE);
    assert.ok(warnings.some((w) => w.includes('PGT004')), `expected a PGT004 warning, got ${JSON.stringify(warnings)}`);
  });

  test('a PG17 Cluster is refused, the API error names PGT001, and nothing is stored', async () => {
    const err = await refusal(() => client.create('clusters', cluster('create-pg17', { labels: INJECT, image: 'ghcr.io/cloudnative-pg/postgresql:17.5' })));
    assert.equal(err.code, 403);
    assert.match(err.apiMessage, /cluster\.validate\.pgtrickle\.io.*denied the request/);
    assert.match(err.apiMessage, /PGT001/);
    assert.equal(await client.get('clusters', 'default', 'create-pg17'), null);
  });

  test('a server-side dry-run create shows the mutation and stores nothing', async () => {
    const { object } = await client.create('clusters', cluster('create-dry-run', { labels: INJECT }), { dryRun: true });
    assert.deepEqual(pgOf(object).shared_preload_libraries, ['pg_trickle']);
    assert.equal(pgOf(object).extensions?.[0]?.name, 'pg-trickle');
    assert.equal(object.metadata?.annotations?.['pgtrickle.io/injected-image'], EXT_IMAGE);
    assert.equal(await client.get('clusters', 'default', 'create-dry-run'), null);
  });
});

describe('UPDATE', () => {
  const name = 'update-image';
  before(async () => {
    await client.create('clusters', cluster(name, { labels: INJECT }));
  });
  // Each test edits what is stored now (a refused update leaves it unchanged).
  const latest = async (): Promise<KubeObject> => {
    const got = await client.get('clusters', 'default', name);
    assert.ok(got, `${name} is stored`);
    return got;
  };
  const withImage = (obj: KubeObject, reference: string): KubeObject => {
    const copy = structuredClone(obj);
    const ext = pgOf(copy).extensions?.[0];
    assert.ok(ext?.image, 'stored Cluster has the injected extension entry');
    ext.image.reference = reference;
    return copy;
  };

  test('an extension image downgrade is refused with PGT010', async () => {
    const downgraded = withImage(await latest(), 'ghcr.io/trickle-labs/pg_trickle-ext:0.66.0');
    const err = await refusal(() => client.replace('clusters', downgraded));
    assert.equal(err.code, 403);
    assert.match(err.apiMessage, /PGT010/);
    assert.equal(pgOf(await client.get('clusters', 'default', name)).extensions?.[0]?.image?.reference, EXT_IMAGE);
  });

  test('removing pg_trickle is refused with PGT012', async () => {
    // Everything that marks it as a pg_trickle Cluster goes, or the mutating webhook completes it again.
    const removed = await latest();
    delete removed.metadata?.labels?.['pgtrickle.io/inject'];
    const pg = pgOf(removed);
    delete pg.extensions;
    pg.shared_preload_libraries = [];
    for (const k of Object.keys(pg.parameters ?? {})) if (k.startsWith('pg_trickle.')) delete pg.parameters?.[k];
    const err = await refusal(() => client.replace('clusters', removed));
    assert.match(err.apiMessage, /PGT012/);
    assert.deepEqual(pgOf(await client.get('clusters', 'default', name)).shared_preload_libraries, ['pg_trickle']);
  });

  test('an upgrade is stored with the PGT011 warning', async () => {
    const upgraded = 'ghcr.io/trickle-labs/pg_trickle-ext:0.68.0';
    const { warnings } = await client.replace('clusters', withImage(await latest(), upgraded));
    assert.ok(warnings.some((w) => w.includes('PGT011') && w.includes('ALTER EXTENSION pg_trickle UPDATE')), `expected PGT011, got ${JSON.stringify(warnings)}`);
    assert.equal(pgOf(await client.get('clusters', 'default', name)).extensions?.[0]?.image?.reference, upgraded);
  });
});

/** Leaf paths of `expected` whose value is missing or different in `actual` (extra fields in `actual`, e.g. CRD defaults, are fine). */
function missingLeaves(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [path || '/'];
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) return [path];
      return expected.flatMap((v, i) => missingLeaves(v, actual[i], `${path}/${i}`));
    }
    return Object.entries(expected).flatMap(([k, v]) => missingLeaves(v, (actual as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return expected === actual ? [] : [path];
}

function sampleCluster(file: string): KubeObject {
  const docs = parseAllDocuments(readFileSync(join(CNPG_SAMPLES_DIR, file), 'utf8')).map((d) => d.toJS() as KubeObject);
  const found = docs.find((d) => d.kind === 'Cluster');
  assert.ok(found, `${file} has a Cluster`);
  return found;
}

/** The webhook's JSON patch for a CREATE of `obj`, straight from its /mutate endpoint. */
async function webhookPatch(obj: KubeObject): Promise<{ allowed: boolean | undefined; patch: JsonPatch }> {
  const answer = (await webhook().review('/mutate', {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `e2e-${obj.metadata?.name ?? ''}`, kind: { group: 'postgresql.cnpg.io', version: 'v1', kind: 'Cluster' },
      resource: { group: 'postgresql.cnpg.io', version: 'v1', resource: 'clusters' },
      name: obj.metadata?.name, namespace: 'default', operation: 'CREATE', object: obj, userInfo: { username: 'e2e' }, dryRun: true,
    },
  })) as { response?: { allowed?: boolean; patch?: string } };
  const patch = answer.response?.patch ? (JSON.parse(Buffer.from(answer.response.patch, 'base64').toString('utf8')) as JsonPatch) : [];
  return { allowed: answer.response?.allowed, patch };
}

test('the mutated Cluster is accepted by the real CNPG 1.30.0 CRD schema with no field pruned', async () => {
  const sent = sampleCluster('cluster-example-full.yaml');
  sent.metadata = { ...sent.metadata, name: 'schema-full', namespace: 'default', labels: { ...sent.metadata?.labels, ...INJECT } };
  // The webhook's own answer for exactly this object, straight from its /mutate endpoint.
  const { allowed, patch } = await webhookPatch(sent);
  assert.equal(allowed, true);
  assert.ok(patch.length > 0, 'the webhook mutates the labelled sample');
  const expected = jsonpatch.applyPatch(structuredClone(sent), patch, true, false).newDocument;

  await client.create('clusters', sent);
  const stored = await client.get('clusters', 'default', 'schema-full');
  assert.deepEqual(missingLeaves(expected.spec, stored?.spec, '/spec'), [], 'fields of the mutated object the API server pruned or changed');
  assert.deepEqual(missingLeaves(expected.metadata?.annotations ?? {}, stored?.metadata?.annotations, '/metadata/annotations'), []);
  assert.ok(patch.some((op) => op.path.startsWith('/spec/postgresql/extensions')), 'the patch added the extension entry the schema must keep');
});

test('every CNPG sample Cluster, labelled: what the webhook adds survives the 1.30.0 schema, or our validator refuses it (never the schema)', async (t) => {
  const samples = readdirSync(CNPG_SAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort();
  let compared = 0;
  let refused = 0;
  const problems: string[] = [];
  for (const [i, file] of samples.entries()) {
    const docs = parseAllDocuments(readFileSync(join(CNPG_SAMPLES_DIR, file), 'utf8')).map((d) => d.toJS() as KubeObject | null);
    for (const doc of docs.filter((d): d is KubeObject => d?.kind === 'Cluster')) {
      const sent: KubeObject = { ...doc, metadata: { ...doc.metadata, name: `sample-${i}-${compared + refused}`, namespace: 'default', labels: { ...doc.metadata?.labels, ...INJECT } } };
      const { patch } = await webhookPatch(sent);
      try {
        const { object } = await client.create('clusters', sent, { dryRun: true });
        compared++;
        for (const op of patch) {
          if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') continue;
          let got: unknown;
          try {
            got = jsonpatch.getValueByPointer(object, op.path);
          } catch {
            got = undefined;
          }
          const lost = op.op === 'remove' ? (got === undefined ? [] : [op.path]) : missingLeaves(op.value, got, op.path);
          if (lost.length > 0) problems.push(`${file}: ${op.op} ${op.path}: stored ${JSON.stringify(got)}, lost ${lost.join(', ')}`);
        }
      } catch (err) {
        refused++;
        const msg = err instanceof Error ? err.message : String(err);
        if (/admission webhook "cluster\.validate\.pgtrickle\.io" denied the request/.test(msg)) continue;
        // A sample the schema refuses even without our label (and so without our webhook) is not ours to judge.
        const alone = { ...doc, metadata: { ...doc.metadata, name: sent.metadata?.name, namespace: 'default' } };
        const invalidAlone = await client.create('clusters', alone, { dryRun: true }).then(() => false, () => true);
        if (!invalidAlone) problems.push(`${file}: valid as sent, refused once labelled, by something else than our validator: ${msg.slice(0, 300)}`);
      }
    }
  }
  t.diagnostic(`${compared} samples stored (dry-run) and compared, ${refused} refused`);
  assert.deepEqual(problems, []);
  assert.ok(compared >= 40, `only ${compared} samples were stored (dry-run), ${refused} refused`);
});

describe('matchConditions', () => {
  const base = { parameters: { shared_buffers: '256MB' } };
  // Each variant against the engine's own notion of "uses pg_trickle" (SPEC §2).
  const variants: Array<[string, ClusterOpts]> = [
    ['plain', { postgresql: base }],
    ['label false', { labels: { 'pgtrickle.io/inject': 'false' }, postgresql: base }],
    ['label yes (not "true")', { labels: { 'pgtrickle.io/inject': 'yes' } }],
    ['other preload', { postgresql: { shared_preload_libraries: ['pg_stat_statements'] } }],
    ['label true', { labels: INJECT }],
    ['preload list', { postgresql: { shared_preload_libraries: ['pg_stat_statements', 'pg_trickle'] } }],
    ['preload parameter', { postgresql: { parameters: { shared_preload_libraries: 'pg_stat_statements,pg_trickle' } } }],
    ['extension entry', { postgresql: { extensions: [{ name: 'pg-trickle', image: { reference: EXT_IMAGE } }] } }],
    ['pg_trickle.* parameter', { postgresql: { parameters: { 'pg_trickle.enabled': 'on' } } }],
  ];
  let i = 0;
  for (const [label, opts] of variants) {
    const obj = cluster(`match-${i++}`, opts);
    const uses = usesPgTrickle(readCluster(obj));
    test(`${label}: the webhook is ${uses ? '' : 'never '}called`, async () => {
      const before = await webhook().requestCount();
      await client.create('clusters', obj, { dryRun: true }).catch(() => undefined); // a refusal still counts as a call
      const calls = (await webhook().requestCount()) - before;
      if (uses) assert.ok(calls >= 1, `expected the webhook to be called, counter moved by ${calls}`);
      else assert.equal(calls, 0, 'a Cluster that does not use pg_trickle must not reach the webhook');
    });
  }

  test('a real non-pg_trickle Cluster is stored without any call to the webhook', async () => {
    const before = await webhook().requestCount();
    await client.create('clusters', cluster('plain-stored'));
    assert.equal((await webhook().requestCount()) - before, 0);
    assert.ok(await client.get('clusters', 'default', 'plain-stored'));
  });
});

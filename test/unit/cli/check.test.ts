// `check` as a real process: exit codes, output formats, stdin, Databases counting.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { labelledCluster } from '../server/fixtures.js';
import { runCli } from './run-cli.js';

const PLATFORM = ['--kubernetes-version', '1.35', '--cnpg-version', '1.30.0', '--image-volume', 'enabled'];

function database(name: string, cluster: string): Record<string, unknown> {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Database',
    metadata: { name, namespace: 'shop' },
    spec: { name, owner: 'app', cluster: { name: cluster } },
  };
}

const yamlDocs = (...docs: unknown[]): string => docs.map((d) => stringify(d)).join('---\n');

describe('check command', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgt-check-'));
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: 'b' } };
    await writeFile(file('good.yaml'), yamlDocs(labelledCluster(), configMap));
    await writeFile(file('pg17.yaml'), yamlDocs(labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:17' })));
    await writeFile(file('tight.yaml'), yamlDocs(labelledCluster({ parameters: { max_worker_processes: '9' } })));
    await writeFile(file('tight-with-dbs.yaml'), yamlDocs(labelledCluster({ parameters: { max_worker_processes: '9' } }), database('a', 'orders'), database('b', 'orders')));
    await writeFile(file('dbs.yaml'), yamlDocs(database('a', 'orders'), database('b', 'orders')));
    await writeFile(file('broken.yaml'), 'kind: Cluster\nmetadata:\n  name: [x\n');
    await writeFile(file('scalar.yaml'), yamlDocs(labelledCluster()) + '---\njust a string\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and prints an ok line with the mutations for an allowed Cluster', async () => {
    const r = await runCli(['check', ...PLATFORM, file('good.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /good\.yaml:1 {2}Cluster shop\/orders {2}ok {2}mutations M01,M02(,M0\d)*,M06/);
    assert.match(r.stdout, /1 object checked: 1 allowed, 0 denied, 0 warnings, 1 other object skipped/);
  });

  it('skips a Cluster of another API group (Cluster API): never judged or injected, even with injection.mode always', async () => {
    const capi = { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'capi', namespace: 'shop' }, spec: { clusterNetwork: {} } };
    await writeFile(file('always.yaml'), 'injection:\n  mode: always\n');
    await writeFile(file('capi.yaml'), yamlDocs(capi));
    const r = await runCli(['check', ...PLATFORM, '--policy', file('always.yaml'), '--output', 'json', file('capi.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { results: [] });
    const y = await runCli(['check', ...PLATFORM, '--policy', file('always.yaml'), '--output', 'yaml', file('capi.yaml')]);
    assert.deepEqual(parseAllDocuments(y.stdout).map((d) => d.toJS()), [capi], 'printed unchanged');
    assert.match(y.stderr, /0 objects checked: 0 allowed, 0 denied, 0 warnings, 1 other object skipped/);
  });

  it('exits 1 with one line per finding naming file, document, object, rule and path', async () => {
    const r = await runCli(['check', ...PLATFORM, file('pg17.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /pg17\.yaml:1 {2}Cluster shop\/orders {2}PGT001 deny {2}spec\.imageName {2}\S.*18/);
    assert.match(r.stdout, /1 object checked: 0 allowed, 1 denied/);
  });

  it('counts Databases from the input and from --databases-from toward the worker budget', async () => {
    const alone = await runCli(['check', ...PLATFORM, file('tight.yaml')]);
    assert.equal(alone.code, 0, alone.stdout);
    assert.match(alone.stdout, /PGT004 warn/);
    const inInput = await runCli(['check', ...PLATFORM, file('tight-with-dbs.yaml')]);
    assert.equal(inInput.code, 1, inInput.stdout);
    assert.match(inInput.stdout, /Cluster shop\/orders {2}PGT004 deny {2}spec\.postgresql\.parameters\.max_worker_processes/);
    const fromFlag = await runCli(['check', ...PLATFORM, '--databases-from', file('dbs.yaml'), file('tight.yaml')]);
    assert.equal(fromFlag.code, 1, fromFlag.stdout);
    assert.match(fromFlag.stdout, /PGT004 deny/);
  });

  it('reads stdin with - and prints the stable JSON shape', async () => {
    const r = await runCli(['check', ...PLATFORM, '--output', 'json', '-'], { stdin: JSON.stringify(labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:16' })) });
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { results: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out), ['results']);
    assert.equal(out.results.length, 1);
    const res = out.results[0] as { kind: string; namespace: string; name: string; allowed: boolean; violations: Record<string, unknown>[]; patch: unknown[] };
    assert.deepEqual(Object.keys(res), ['kind', 'namespace', 'name', 'allowed', 'violations', 'patch']);
    assert.deepEqual([res.kind, res.namespace, res.name, res.allowed], ['Cluster', 'shop', 'orders', false]);
    assert.ok(res.violations.some((v) => v.rule === 'PGT001' && v.severity === 'deny' && v.path === 'spec.imageName'));
    for (const v of res.violations) assert.deepEqual(Object.keys(v), ['rule', 'severity', 'path', 'message']);
    assert.ok(Array.isArray(res.patch) && res.patch.length > 0);
  });

  it('prints the mutated manifests as YAML, other objects unchanged, findings on stderr', async () => {
    const r = await runCli(['check', ...PLATFORM, '--output', 'yaml', file('good.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout);
    assert.ok(Array.isArray(docs));
    const [cluster, cm] = docs.map((d) => d.toJS()) as [{ spec: { postgresql: { extensions: { name: string }[]; shared_preload_libraries: string[] } } }, { kind: string; data: unknown }];
    assert.deepEqual(cluster.spec.postgresql.extensions.map((e) => e.name), ['pg-trickle']);
    assert.ok(cluster.spec.postgresql.shared_preload_libraries.includes('pg_trickle'));
    assert.deepEqual([cm.kind, cm.data], ['ConfigMap', { a: 'b' }]);
    assert.match(r.stderr, /1 object checked/);
  });

  it('exits 2 for input and usage errors with a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [[file('missing.yaml')], /missing\.yaml: cannot read: no such file/],
      [[file('broken.yaml')], /broken\.yaml:\d+:\d+: YAML syntax error/],
      [[file('scalar.yaml')], /scalar\.yaml:\d+: document 2 is not an object/],
      [['--kubernetes-version', 'latest', file('good.yaml')], /--kubernetes-version: expected X\.Y/],
      [['--image-volume', 'maybe', file('good.yaml')], /image-volume/],
      [['--output', 'xml', file('good.yaml')], /output/],
      [[], /missing required argument/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['check', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Container, V1Deployment, V1PodDisruptionBudget, V1Service } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { policySchema } from '../../../src/core/policy/schema.js';
import { FULLNAME, find, render } from './helm.js';

const container = (d: V1Deployment): V1Container => d.spec!.template.spec!.containers[0]!;
const arg = (c: V1Container, flag: string): string | undefined => c.args?.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);

describe('chart: Deployment, Service, PodDisruptionBudget', () => {
  const manifests = render();
  const deploy = find(manifests, 'Deployment') as unknown as V1Deployment;
  const c = container(deploy);

  it('runs two replicas that roll without losing capacity and spread across nodes', () => {
    assert.equal(deploy.spec!.replicas, 2);
    assert.equal(deploy.spec!.strategy!.rollingUpdate!.maxUnavailable, 0);
    const spread = deploy.spec!.template.spec!.topologySpreadConstraints!;
    assert.equal(spread[0]!.topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(spread[0]!.labelSelector!.matchLabels, deploy.spec!.selector.matchLabels);
    const pdb = find(manifests, 'PodDisruptionBudget') as unknown as V1PodDisruptionBudget;
    assert.equal(pdb.spec!.minAvailable, 1);
    assert.deepEqual(pdb.spec!.selector!.matchLabels, deploy.spec!.selector.matchLabels);
  });

  it('renders no PodDisruptionBudget for a single replica (minAvailable 1 would block every node drain)', () => {
    const single = render({ replicaCount: 1 });
    assert.equal(single.filter((m) => m.kind === 'PodDisruptionBudget').length, 0);
    assert.equal((find(single, 'Deployment') as unknown as V1Deployment).spec!.replicas, 1);
    assert.equal(render({ replicaCount: 3 }).filter((m) => m.kind === 'PodDisruptionBudget').length, 1);
    assert.equal(render({ podDisruptionBudget: { enabled: false } }).filter((m) => m.kind === 'PodDisruptionBudget').length, 0);
  });

  it('gives in-flight reviews longer than the 10 s drain before SIGKILL', () => {
    assert.ok(deploy.spec!.template.spec!.terminationGracePeriodSeconds! > 10);
  });

  it('probes /healthz and /readyz on the metrics port 8080', () => {
    assert.equal(c.livenessProbe!.httpGet!.path, '/healthz');
    assert.equal(c.readinessProbe!.httpGet!.path, '/readyz');
    const metrics = c.ports!.find((p) => p.name === c.livenessProbe!.httpGet!.port);
    assert.equal(metrics?.containerPort, 8080);
    assert.equal(c.readinessProbe!.httpGet!.port, c.livenessProbe!.httpGet!.port);
  });

  it('runs restricted: non-root, read-only root, no capabilities, RuntimeDefault seccomp', () => {
    const sc = c.securityContext!;
    assert.equal(sc.runAsNonRoot, true);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.deepEqual(sc.capabilities!.drop, ['ALL']);
    assert.equal(sc.seccompProfile!.type, 'RuntimeDefault');
    assert.equal(deploy.spec!.template.spec!.securityContext!.runAsNonRoot, true);
    assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory, 'resource requests set');
  });

  it('sets priorityClassName only when asked', () => {
    assert.equal(deploy.spec!.template.spec!.priorityClassName, undefined);
    const d = find(render({ priorityClassName: 'system-cluster-critical' }), 'Deployment') as unknown as V1Deployment;
    assert.equal(d.spec!.template.spec!.priorityClassName, 'system-cluster-critical');
  });

  it('exposes admission on 443 → the named https port 8443, and metrics on 8080', () => {
    const svc = find(manifests, 'Service') as unknown as V1Service;
    const https = svc.spec!.ports!.find((p) => p.name === 'https')!;
    assert.equal(https.port, 443);
    assert.equal(https.targetPort, 'https');
    assert.equal(c.ports!.find((p) => p.name === 'https')?.containerPort, 8443);
    assert.equal(svc.spec!.ports!.find((p) => p.name === 'metrics')?.port, 8080);
    assert.deepEqual(svc.spec!.selector, deploy.spec!.selector.matchLabels);
    assert.equal(arg(c, '--port'), '8443');
    assert.equal(arg(c, '--metrics-port'), '8080');
  });

  it('starts `serve` with the policy from a ConfigMap mounted as a directory (so updates reach the pod)', () => {
    assert.equal(c.args![0], 'serve');
    const policyFile = arg(c, '--policy')!;
    const mount = c.volumeMounts!.find((m) => policyFile.startsWith(`${m.mountPath}/`))!;
    assert.equal(mount.subPath, undefined);
    const volume = deploy.spec!.template.spec!.volumes!.find((v) => v.name === mount.name)!;
    const cm = find(manifests, 'ConfigMap', volume.configMap!.name);
    const key = policyFile.slice(mount.mountPath.length + 1);
    assert.deepEqual(policySchema.parse(parse((cm.data as Record<string, string>)[key]!)), policySchema.parse({}));
  });

  it('renders the policy values into that ConfigMap as the server will read them', () => {
    const policy = { injection: { mode: 'label', defaultParameters: { 'pg_trickle.enabled': 'on' } }, rules: { PGT014: 'deny' }, exemptNamespaces: ['legacy'] };
    const cm = find(render({ policy }), 'ConfigMap', `${FULLNAME}-policy`);
    const parsed = policySchema.parse(parse((cm.data as Record<string, string>)['policy.yaml']!));
    assert.deepEqual(parsed.rules, { PGT014: 'deny' });
    assert.deepEqual(parsed.injection.defaultParameters, { 'pg_trickle.enabled': 'on' });
    assert.deepEqual(parsed.exemptNamespaces, ['legacy']);
  });

  it('passes the CNPG operator namespace once, and never sets an environment variable twice', () => {
    const d = find(render({ cnpgNamespace: 'cnpg-system', extraEnv: [{ name: 'EXTRA', value: '1' }] }), 'Deployment') as unknown as V1Deployment;
    const env = container(d).env!;
    assert.deepEqual(env.filter((e) => e.name === 'PGT_CNPG_NAMESPACE').map((e) => e.value), ['cnpg-system']);
    const names = env.map((e) => e.name);
    assert.deepEqual(names, [...new Set(names)], 'duplicate env names (server-side apply refuses them)');
    assert.equal(c.env!.some((e) => e.name === 'PGT_CNPG_NAMESPACE'), false, 'unset by default: all namespaces');
  });

  it('pins the image by digest when one is given', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const d = find(render({ image: { repository: 'registry.example/pgtw', digest } }), 'Deployment') as unknown as V1Deployment;
    assert.equal(container(d).image, `registry.example/pgtw@${digest}`);
  });
});

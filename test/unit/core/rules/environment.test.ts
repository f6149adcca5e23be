import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import type { Environment, KubeObject, RuleId } from '../../../../src/core/types.js';
import { context, ofRule, pg, plainCluster, readyCluster, request } from '../fixtures.js';
import type { PolicyInput } from '../../../../src/core/policy/schema.js';

function findings(environment: Partial<Environment>, rule: RuleId, c: KubeObject = readyCluster(), policy: PolicyInput = {}) {
  return ofRule(validate(request(c), context({ environment, policy })).findings, rule);
}

describe('PGT008 Kubernetes cannot mount ImageVolume', () => {
  it('denies Kubernetes 1.32 and suggests the custom image path', () => {
    const [f] = findings({ kubernetesVersion: '1.32' }, 'PGT008');
    assert.equal(f?.severity, 'deny');
    assert.equal(f?.path, 'spec.postgresql.extensions[0]');
    assert.match(f?.message ?? '', /re-tagged as <registry>\/pg_trickle:18\.3-<ver>/);
  });

  it('suggests a custom image that the other rules then accept (PostgreSQL major first in the tag)', () => {
    const c = readyCluster();
    const spec = c.spec as { imageName: string; postgresql: Record<string, unknown> };
    spec.imageName = 'registry.example.com/pg_trickle:18.3-0.67.0';
    delete spec.postgresql['extensions'];
    const ctx = context({ environment: { kubernetesVersion: '1.32' }, policy: { extension: { customImages: ['registry.example.com/pg_trickle:*'] } } });
    const out = validate(request(c), ctx);
    assert.deepEqual(out.findings.filter((f) => f.severity === 'deny'), []);
    assert.equal(out.allowed, true);
  });

  it('denies a known-disabled ImageVolume gate', () => {
    assert.equal(findings({ kubernetesVersion: '1.34', imageVolume: false }, 'PGT008')[0]?.severity, 'deny');
  });

  it('denies an injection label on an old Kubernetes even before the entry exists', () => {
    const c = plainCluster();
    c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true' } };
    assert.equal(findings({ kubernetesVersion: '1.30' }, 'PGT008', c)[0]?.severity, 'deny');
  });

  it('applies onUnknown when the version and gate are unknown, naming the policy keys', () => {
    const env = { kubernetesVersion: undefined, imageVolume: undefined };
    const [warn] = findings(env, 'PGT008');
    assert.equal(warn?.severity, 'warn');
    assert.match(warn?.message ?? '', /environment\.kubernetesVersion/);
    assert.equal(findings(env, 'PGT008', readyCluster(), { environment: { onUnknown: 'deny' } })[0]?.severity, 'deny');
  });

  it('treats 1.33/1.34 with an unknown gate as unknown, 1.35 as on by default', () => {
    assert.equal(findings({ kubernetesVersion: '1.34', imageVolume: undefined }, 'PGT008')[0]?.severity, 'warn');
    assert.deepEqual(findings({ kubernetesVersion: '1.35', imageVolume: undefined }, 'PGT008'), []);
  });

  it('passes a custom-image Cluster on an old Kubernetes', () => {
    const c = readyCluster();
    delete pg(c)['extensions'];
    (c.spec as Record<string, unknown>)['imageName'] = 'ghcr.io/trickle-labs/pg_trickle:18.3-0.67.0';
    c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true' } };
    assert.deepEqual(findings({ kubernetesVersion: '1.30', imageVolume: false }, 'PGT008', c), []);
  });
});

describe('PGT009 CNPG cannot keep the extension entry', () => {
  it('denies CNPG below the policy minimum', () => {
    const [f] = findings({ cnpgVersion: '1.27.1' }, 'PGT009');
    assert.equal(f?.severity, 'deny');
    assert.match(f?.message ?? '', /1\.27\.1 is below 1\.28\.0/);
  });

  it('denies a CRD without spec.postgresql.extensions (pruned)', () => {
    const [f] = findings({ crdHasExtensions: false }, 'PGT009');
    assert.match(f?.message ?? '', /prune/);
  });

  it('applies onUnknown for an unknown operator version', () => {
    const [f] = findings({ cnpgVersion: undefined }, 'PGT009');
    assert.equal(f?.severity, 'warn');
    assert.match(f?.message ?? '', /environment\.cnpgVersion/);
  });

  it('passes CNPG 1.28.0 and the policy minimum is honoured', () => {
    assert.deepEqual(findings({ cnpgVersion: '1.28.0' }, 'PGT009'), []);
    assert.equal(findings({ cnpgVersion: '1.28.0' }, 'PGT009', readyCluster(), { requirements: { minCnpg: '1.29.0' } })[0]?.severity, 'deny');
  });
});

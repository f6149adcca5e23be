import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/core/types.js';
import { operatorImage, operatorVersion, versionFromImage } from '../../../src/kube/operator-version.js';

test('semver from the image tag', () => {
  assert.equal(versionFromImage('ghcr.io/cloudnative-pg/cloudnative-pg:1.27.0'), '1.27.0');
  assert.equal(versionFromImage('ghcr.io/cloudnative-pg/cloudnative-pg:v1.30.1'), '1.30.1');
  assert.equal(versionFromImage('registry:5000/cloudnative-pg:1.28.2@sha256:' + 'a'.repeat(64)), '1.28.2');
  assert.equal(versionFromImage('ghcr.io/cloudnative-pg/cloudnative-pg:1.28'), '1.28.0');
});

test('digest-only, latest, untagged and port-only references are unknown', () => {
  assert.equal(versionFromImage('ghcr.io/cloudnative-pg/cloudnative-pg@sha256:' + 'b'.repeat(64)), undefined);
  assert.equal(versionFromImage('ghcr.io/cloudnative-pg/cloudnative-pg:latest'), undefined);
  assert.equal(versionFromImage('ghcr.io/cloudnative-pg/cloudnative-pg'), undefined);
  assert.equal(versionFromImage('registry:5000/cloudnative-pg'), undefined);
});

const deployment = (containers: unknown): KubeObject => ({
  kind: 'Deployment',
  metadata: { namespace: 'cnpg-system', name: 'cnpg-controller-manager' },
  spec: { template: { spec: { containers } } },
});

test('the manager container is the operator, else the first one', () => {
  assert.equal(operatorImage(deployment([{ name: 'proxy', image: 'proxy:1' }, { name: 'manager', image: 'cnpg:1.27.0' }])), 'cnpg:1.27.0');
  assert.equal(operatorImage(deployment([{ name: 'x', image: 'cnpg:1.26.0' }])), 'cnpg:1.26.0');
  assert.equal(operatorImage(deployment('nonsense')), undefined);
});

test('several operators: the lowest counts; one unreadable makes it unknown', () => {
  const a = deployment([{ name: 'manager', image: 'cnpg:1.30.0' }]);
  const b = deployment([{ name: 'manager', image: 'cnpg:1.27.1' }]);
  const c = deployment([{ name: 'manager', image: 'cnpg@sha256:' + 'c'.repeat(64) }]);
  assert.equal(operatorVersion([a, b]), '1.27.1');
  assert.equal(operatorVersion([a, c]), undefined);
  assert.equal(operatorVersion([]), undefined);
});

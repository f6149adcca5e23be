import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageVolumeDefault, parseVersionInfo } from '../../../src/kube/kubernetes-version.js';

test('major.minor from /version, "+" suffixes stripped', () => {
  assert.equal(parseVersionInfo({ major: '1', minor: '36', gitVersion: 'v1.36.3' }), '1.36');
  assert.equal(parseVersionInfo({ major: '1', minor: '33+', gitVersion: 'v1.33.2-eks-1' }), '1.33');
});

test('falls back to gitVersion when major/minor are empty', () => {
  assert.equal(parseVersionInfo({ major: '', minor: '', gitVersion: 'v1.35.1-gke.100' }), '1.35');
});

test('unusable answers are unknown, not a crash', () => {
  for (const bad of [null, 'x', 42, {}, { major: 'one', minor: '2' }, { gitVersion: 'dev' }]) {
    assert.equal(parseVersionInfo(bad), undefined, JSON.stringify(bad));
  }
});

test('ImageVolume default by version follows SPEC §1', () => {
  assert.equal(imageVolumeDefault('1.30'), false);
  assert.equal(imageVolumeDefault('1.31'), false);
  assert.equal(imageVolumeDefault('1.32'), false);
  assert.equal(imageVolumeDefault('1.33'), false);
  assert.equal(imageVolumeDefault('1.34'), false);
  assert.equal(imageVolumeDefault('1.35'), true);
  assert.equal(imageVolumeDefault('1.36'), true);
  assert.equal(imageVolumeDefault(undefined), undefined);
  assert.equal(imageVolumeDefault('garbage'), undefined);
});

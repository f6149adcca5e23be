import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeatureGate } from '../../../src/kube/feature-gates.js';

const METRICS = `# HELP kubernetes_feature_enabled [BETA] This metric records the data about the stage and enablement of a k8s feature.
# TYPE kubernetes_feature_enabled gauge
kubernetes_feature_enabled{name="ImageMaximumGCAge",stage="BETA"} 1
kubernetes_feature_enabled{name="ImageVolume",stage="BETA"} %V
kubernetes_feature_enabled{name="InPlacePodVerticalScaling",stage=""} 1
apiserver_request_total{code="200",verb="GET"} 12
`;

test('reads the ImageVolume gate, on and off', () => {
  assert.equal(parseFeatureGate(METRICS.replace('%V', '1'), 'ImageVolume'), true);
  assert.equal(parseFeatureGate(METRICS.replace('%V', '0'), 'ImageVolume'), false);
});

test('label order and a timestamp do not matter', () => {
  assert.equal(parseFeatureGate('kubernetes_feature_enabled{stage="ALPHA",name="ImageVolume"} 0 1700000000000\n', 'ImageVolume'), false);
});

test('a gate with a similar name is not mistaken for it', () => {
  assert.equal(parseFeatureGate('kubernetes_feature_enabled{name="ImageVolumeWithDigest",stage="ALPHA"} 1\n', 'ImageVolume'), undefined);
});

test('absent or unparseable samples are unknown', () => {
  assert.equal(parseFeatureGate('', 'ImageVolume'), undefined);
  assert.equal(parseFeatureGate('<html>forbidden</html>', 'ImageVolume'), undefined);
  assert.equal(parseFeatureGate(METRICS.replace('%V', 'NaN'), 'ImageVolume'), undefined);
});

// The end-to-end harness: a real kube-apiserver + etcd on loopback (built from Go modules
// by scripts/build-control-plane.sh, or KUBEBUILDER_ASSETS), the real CNPG CRDs, the real
// webhook process, registered with the API server. Typical test file:
//
//   let cp: ControlPlane, wh: Webhook, reg: Registration;
//   before(async () => {
//     cp = await startControlPlane();                 // { k8sVersion: '1.34', featureGates: {...} }
//     await installCnpgCrds(cp, '1.30.0');
//     wh = await startWebhook(cp, { policy: { environment: { cnpgVersion: '1.30.0' } } });
//     reg = await registerWebhooks(cp, wh, { failurePolicy: 'Fail' });
//   });
//   after(async () => { await reg?.remove(); await wh?.dispose(); await cp?.stop(); });
//   test('...', async () => { const { object, warnings } = await cnpgClient(cp).create('clusters', obj); });
//
// Everything started is stopped by stop()/dispose(); a process-exit hook kills any
// process group left behind and removes the temporary directories (PGT_E2E_KEEP=1 keeps
// them for a post-mortem: kube-apiserver.log, etcd.log, webhook.log).
export { startControlPlane, versionLine, type ControlPlane, type ControlPlaneOptions, type RawResponse } from './control-plane.js';
export { ensureBinaries, normaliseK8sVersion, KNOWN_K8S_VERSIONS, DEFAULT_K8S_VERSION, DEFAULT_ETCD_VERSION, type ControlPlaneBinaries } from './binaries.js';
export { installCrds, installCnpgCrds } from './crds.js';
export { startWebhook, WEBHOOK_MAIN, type Webhook, type WebhookOptions } from './webhook.js';
export { registerWebhooks, WEBHOOK_NAMES, type FailurePolicy, type Registration, type RegisterOptions } from './registration.js';
export { USES_PG_TRICKLE, clusterMatchConditions, usesPgTrickleCel, type MatchCondition } from './match-conditions.js';
export { cnpgClient, refusal, parseWarnings, Refused, CNPG_GROUP, CNPG_VERSION, type CnpgClient, type CnpgPlural, type Written } from './objects.js';
export { ourWebhookHistograms, formatLatency, ADMISSION_HISTOGRAM } from './admission-latency.js';
export { parsePrometheus, sumSamples, histogramQuantile, histogramsBy, type Sample, type Buckets } from './prometheus.js';
export { createCa, type TestCa, type PemPair } from './pki.js';
export { freePort, freePorts } from './ports.js';
export { waitFor } from './processes.js';

// `npm run test:e2e` after the build: makes sure the control-plane binaries exist (the
// first build streams its progress), prints the versions once, runs every
// test/e2e/**/*.test.ts and finally prints the latency our webhooks added, merged over
// every control plane of the run. Exit status is the tests'.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/shared.js';
import { formatLatency, readRunLatency } from './admission-latency.js';
import { ensureBinaries } from './binaries.js';
import { versionLine } from './control-plane.js';

const started = Date.now();
const bins = await ensureBinaries();
process.stdout.write(`${versionLine(bins.versions)}\n`);

const runDir = mkdtempSync(join(tmpdir(), 'pgt-e2e-run-'));
const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'run-tests.mjs'), join(REPO_ROOT, 'test', 'e2e')], {
  stdio: 'inherit',
  cwd: REPO_ROOT,
  env: {
    ...process.env,
    KUBEBUILDER_ASSETS: bins.dir,
    PGT_E2E_RUN_DIR: runDir,
    PGT_E2E_ANNOUNCED: `${bins.versions.kubeApiserver} ${bins.versions.etcd}`,
  },
});

const latency = readRunLatency(runDir);
rmSync(runDir, { recursive: true, force: true });
const lines = latency.size > 0 ? formatLatency(latency) : ['  (no calls to our webhooks were recorded)'];
process.stdout.write(['', 'admission latency added by our webhooks (kube-apiserver histogram, whole run):', ...lines, `e2e wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`, ''].join('\n'));
process.exit(result.status ?? 1);

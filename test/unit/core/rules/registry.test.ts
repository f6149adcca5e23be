// The registry's default severities are what the rules actually emit: one minimal trigger per rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../../../src/core/engine.js';
import { RULES } from '../../../../src/core/rules/registry.js';
import type { KubeObject, ReviewRequest, RuleId } from '../../../../src/core/types.js';
import { context, database, params, pg, plainCluster, readyCluster, request, type ContextOptions } from '../fixtures.js';

interface Trigger {
  req: ReviewRequest;
  opts?: ContextOptions;
}

const spec = (c: KubeObject) => c.spec as Record<string, unknown>;
const withParams = (set: Record<string, string>): KubeObject => {
  const c = readyCluster();
  Object.assign(params(c), set);
  return c;
};
const tweak = (f: (c: KubeObject) => void): KubeObject => {
  const c = readyCluster();
  f(c);
  return c;
};
const image = (v: string) => tweak((c) => { pg(c)['extensions'] = [{ name: 'pg-trickle', image: { reference: `ghcr.io/trickle-labs/pg_trickle-ext:${v}` } }]; });
const trickleDb = database('sales', 'pg', { extensions: [{ name: 'pg_trickle' }] });

const TRIGGERS: Record<RuleId, Trigger> = {
  PGT001: { req: request(tweak((c) => { spec(c)['imageName'] = 'postgres:17'; })) },
  PGT002: { req: request(tweak((c) => { delete pg(c)['extensions']; })) },
  PGT003: { req: request(tweak((c) => { delete pg(c)['shared_preload_libraries']; })) },
  PGT004: { req: request(withParams({ max_worker_processes: '2' })) },
  PGT005: { req: request(withParams({ 'pg_trickle.max_workers': '4' })) },
  PGT006: { req: request(withParams({ 'pg_trickle.enabled': 'maybe' })) },
  PGT007: { req: request(withParams({ 'pg_trickle.cdc_mode': 'wal', wal_level: 'minimal' })) },
  PGT008: { req: request(readyCluster()), opts: { environment: { kubernetesVersion: '1.30' } } },
  PGT009: { req: request(readyCluster()), opts: { environment: { cnpgVersion: '1.26.0' } } },
  PGT010: { req: request(image('0.60.0'), 'UPDATE', image('0.67.0')) },
  PGT011: { req: request(image('0.67.0'), 'UPDATE', image('0.60.0')) },
  PGT012: { req: request(plainCluster('pg'), 'UPDATE', readyCluster()) },
  PGT013: { req: request(tweak((c) => { pg(c)['extensions'] = [{ name: 'pg-trickle', image: { reference: 'evil/ext:1.0.0' } }]; })) },
  PGT014: { req: request(image('latest')) },
  PGT015: { req: request(withParams({ 'pg_trickle.enabled': 'off' })) },
  PGT016: { req: request(withParams({ 'pg_trickle.cdc_paused': 'true' })) },
  PGT017: { req: request(tweak((c) => { spec(c)['replica'] = { enabled: true }; })) },
  PGT018: { req: request(withParams({ 'pg_trickle.ducklake_sink_s3_secret_key': 'x' })) },
  PGT019: { req: request(withParams({ 'pg_trickle.metrics_port': '9000' })), opts: { objects: [database('two', 'pg')] } },
  PGT020: { req: request(withParams({ 'pg_trickle.spill_threshold_blocks': '10' })) },
  PGT021: { req: request(trickleDb), opts: { objects: [plainCluster('pg')], clustersKnown: true } },
  PGT022: { req: request(trickleDb), opts: { objects: [withParams({ max_worker_processes: '2' })], clustersKnown: true } },
  PGT023: { req: request(tweak((c) => { c.metadata = { ...c.metadata, labels: { 'pgtrickle.io/inject': 'true' } }; delete pg(c)['extensions']; })) },
};

describe('registry default severities match the rules', () => {
  for (const rule of RULES) {
    it(`${rule.id} emits ${rule.defaultSeverity} by default`, () => {
      const { req, opts } = TRIGGERS[rule.id];
      const severities = validate(req, context(opts)).findings.filter((f) => f.rule === rule.id).map((f) => f.severity);
      assert.ok(severities.length > 0, `${rule.id} did not fire`);
      assert.ok(severities.every((s) => s === rule.defaultSeverity), `${rule.id}: ${severities.join(',')}`);
    });
  }
});

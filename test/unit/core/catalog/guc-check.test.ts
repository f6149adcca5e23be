import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkParameter, gucDefault, parsePgBool, type GucVerdict } from '../../../../src/core/catalog/guc-check.js';
import { GUC_CATALOG } from '../../../../src/core/catalog/guc-catalog.generated.js';

function problem(verdict: GucVerdict): string {
  return verdict.ok ? 'ok' : verdict.problem;
}

function message(verdict: GucVerdict): string {
  assert.equal(verdict.ok, false, 'expected a refusal');
  return verdict.ok ? '' : verdict.message;
}

test('accepted values, one row per type and spelling', () => {
  const cases: Array<[string, string]> = [
    ['pg_trickle.enabled', 'on'], ['pg_trickle.enabled', 'OFF'], ['pg_trickle.enabled', 'true'], ['pg_trickle.enabled', 'No'],
    ['pg_trickle.enabled', '1'], ['pg_trickle.enabled', '0'], ['pg_trickle.cdc_paused', 'f'],
    ['pg_trickle.max_dynamic_refresh_workers', '1'], ['pg_trickle.max_dynamic_refresh_workers', '64'], ['pg_trickle.max_dynamic_refresh_workers', ' 8 '],
    ['pg_trickle.publication_lag_warn_bytes', '2147483647'],
    ['pg_trickle.cost_model_safety_margin', '0.1'], ['pg_trickle.cost_model_safety_margin', '2'], ['pg_trickle.cost_model_safety_margin', '1.25'],
    ['pg_trickle.cdc_mode', 'wal'], ['pg_trickle.cdc_mode', 'WAL'], ['pg_trickle.parallel_refresh_mode', 'Dry_Run'],
    ['pg_trickle.change_buffer_schema', 'anything at all'], ['pg_trickle.otel_endpoint', ''], ['pg_trickle.trace_id', ' x '],
    ['pg_trickle.frontier_holdback_mode', 'xmin'], ['pg_trickle.frontier_holdback_mode', 'none'], ['pg_trickle.frontier_holdback_mode', 'lsn:42'],
  ];
  for (const [name, value] of cases) assert.deepEqual(checkParameter(name, value), { ok: true }, `${name}=${value}`);
});

test('names are case-insensitive, as in PostgreSQL', () => {
  assert.deepEqual(checkParameter('PG_TRICKLE.ENABLED', 'on'), { ok: true });
  assert.deepEqual(checkParameter('pg_trickle.Max_Dynamic_Refresh_Workers', '4'), { ok: true });
  assert.equal(problem(checkParameter('PG_Trickle.Max_Dynamic_Refresh_Workers', '0')), 'bad-value');
});

test('bad values name the parameter, the value and what is allowed', () => {
  const cases: Array<[string, string, RegExp[]]> = [
    ['pg_trickle.enabled', 'maybe', [/pg_trickle\.enabled/, /"maybe"/, /on\/off, true\/false, yes\/no or 1\/0/]],
    ['pg_trickle.enabled', '', [/the empty string/]],
    ['pg_trickle.enabled', ' on', [/" on"/, /Remove the surrounding spaces/]],
    ['pg_trickle.scheduler_interval_ms', '5s', [/without a unit/, /"5s"/, /from 100 to 600000/]],
    ['pg_trickle.slot_lag_warning_threshold_mb', '100MB', [/without a unit/, /"100MB"/]],
    ['pg_trickle.scheduler_interval_ms', '99', [/from 100 to 600000/, /"99" is out of range/]],
    ['pg_trickle.scheduler_interval_ms', '600001', [/"600001" is out of range/]],
    ['pg_trickle.max_dynamic_refresh_workers', '0', [/integer from 1 to 64/]],
    ['pg_trickle.max_dynamic_refresh_workers', '-1', [/"-1" is out of range/]],
    ['pg_trickle.max_dynamic_refresh_workers', '4.5', [/whole number/, /round "4.5"/]],
    ['pg_trickle.max_dynamic_refresh_workers', '010', [/octal/, /leading zeros/]],
    ['pg_trickle.max_dynamic_refresh_workers', '0x10', [/plain decimal integer/, /"0x10"/, /from 1 to 64/]],
    ['pg_trickle.max_dynamic_refresh_workers', '+8', [/plain decimal integer/]],
    ['pg_trickle.max_dynamic_refresh_workers', 'four', [/must be an integer from 1 to 64; got "four"/]],
    ['pg_trickle.cost_model_safety_margin', '0.09', [/number from 0\.1 to 2\.0/, /"0.09" is out of range/]],
    ['pg_trickle.cost_model_safety_margin', '2.01', [/out of range/]],
    ['pg_trickle.cost_model_safety_margin', 'high', [/must be a number from 0\.1 to 2\.0; got "high"/]],
    ['pg_trickle.cdc_mode', 'wall', [/pg_trickle\.cdc_mode must be one of auto, trigger, wal; got "wall"/]],
    ['pg_trickle.cdc_mode', 'wal ', [/Remove the surrounding spaces/]],
    ['pg_trickle.parallel_refresh_mode', 'true', [/one of on, dry_run, off/]],
    ['pg_trickle.merge_strategy', 'delete_insert', [/one of auto, merge/, /removed in 0\.19\.0/]],
    ['pg_trickle.frontier_holdback_mode', 'lsn:0', [/'lsn:<N>' with N a positive integer/, /"lsn:0"/]],
    ['pg_trickle.frontier_holdback_mode', 'lsn', [/"lsn"/]],
  ];
  for (const [name, value, patterns] of cases) {
    const verdict = checkParameter(name, value);
    assert.equal(problem(verdict), 'bad-value', `${name}=${value}`);
    for (const p of patterns) assert.match(message(verdict), p, `${name}=${value}`);
  }
});

test('a note only joins an enum refusal when it speaks about that value', () => {
  assert.doesNotMatch(message(checkParameter('pg_trickle.cdc_mode', 'logical')), /wal_level/);
});

test('removed and never-existing names carry the catalog note and the replacement', () => {
  const cases: Array<[string, RegExp, string | undefined]> = [
    ['pg_trickle.max_workers', /not a GUC; see pg_trickle\.max_dynamic_refresh_workers/, 'pg_trickle.max_dynamic_refresh_workers'],
    ['pg_trickle.backpressure_enabled', /appears only in a blog post/, 'pg_trickle.enforce_backpressure'],
    ['pg_trickle.backpressure_max_lag_mb', /appears only in a blog post/, undefined],
    ['pg_trickle.default_schedule', /integer seconds/, 'pg_trickle.default_schedule_seconds'],
    ['pg_trickle.event_driven_wake', /removed in 0\.51\.0/, undefined],
    ['PG_TRICKLE.Schedule_Interval', /see pg_trickle\.scheduler_interval_ms/, 'pg_trickle.scheduler_interval_ms'],
  ];
  for (const [name, note, suggestion] of cases) {
    const verdict = checkParameter(name, 'on');
    assert.equal(problem(verdict), 'unknown-name', name);
    assert.match(message(verdict), note, name);
    assert.ok(message(verdict).startsWith(name), name);
    assert.equal(verdict.ok ? undefined : 'suggestion' in verdict ? verdict.suggestion : undefined, suggestion, name);
  }
});

test('whole families moved to pg_tide are refused with their note', () => {
  for (const name of ['pg_trickle.outbox_enabled', 'pg_trickle.inbox_retention_days', 'pg_trickle.consumer_batch_size', 'PG_TRICKLE.OUTBOX_X']) {
    const verdict = checkParameter(name, '1');
    assert.equal(problem(verdict), 'unknown-name', name);
    assert.match(message(verdict), /moved to the pg_tide extension in 0\.46\.0/, name);
  }
});

test('typos get "did you mean"', () => {
  const cases: Array<[string, string]> = [
    ['pg_trickle.enalbed', 'pg_trickle.enabled'],
    ['pg_trickle.enable', 'pg_trickle.enabled'],
    ['pg_trickle.max_dynamic_refresh_worker', 'pg_trickle.max_dynamic_refresh_workers'],
    ['pg_trickle.scheduler_interval', 'pg_trickle.scheduler_interval_ms'],
    ['pg_trickle.cdcmode', 'pg_trickle.cdc_mode'],
    ['PG_TRICKLE.LOG_FROMAT', 'pg_trickle.log_format'],
  ];
  for (const [name, expected] of cases) {
    const verdict = checkParameter(name, 'on');
    assert.equal(problem(verdict), 'unknown-name', name);
    assert.equal(verdict.ok ? undefined : 'suggestion' in verdict ? verdict.suggestion : undefined, expected, name);
    assert.match(message(verdict), new RegExp(`did you mean ${expected.replace('.', '\\.')}\\?`), name);
  }
});

test('names far from every parameter get no suggestion', () => {
  for (const name of ['pg_trickle.foo', 'pg_trickle.shared_buffers', 'pg_trickle.', 'pg_trickle.completely_unrelated_setting_name']) {
    const verdict = checkParameter(name, '1');
    assert.equal(problem(verdict), 'unknown-name', name);
    assert.equal('suggestion' in verdict, false, name);
    assert.doesNotMatch(message(verdict), /did you mean/i, name);
  }
});

test('near misses of the pg_trickle. prefix are caught; other namespaces are not judged', () => {
  for (const name of ['pgtrickle.enabled', 'pg_trikle.enabled', 'pg-trickle.enabled', 'PG_TRICKEL.cdc_mode']) {
    const verdict = checkParameter(name, 'on');
    assert.equal(problem(verdict), 'unknown-name', name);
    assert.match(message(verdict), /prefix must be exactly "pg_trickle\."/, name);
  }
  for (const name of ['work_mem', 'max_worker_processes', 'pg_stat_statements.max', 'pgtrickle.not_a_setting', 'citus.enabled']) {
    assert.deepEqual(checkParameter(name, 'anything'), { ok: true }, name);
  }
});

test('every catalog default, bound and enum value is accepted; one step outside a bound is not', () => {
  for (const guc of GUC_CATALOG) {
    assert.deepEqual(checkParameter(guc.name, guc.default), { ok: true }, `${guc.name} default ${guc.default}`);
    if (guc.type === 'integer' || guc.type === 'real') {
      const step = guc.type === 'integer' ? 1 : 0.001;
      assert.deepEqual(checkParameter(guc.name, guc.min), { ok: true }, `${guc.name} min`);
      assert.deepEqual(checkParameter(guc.name, guc.max), { ok: true }, `${guc.name} max`);
      assert.equal(problem(checkParameter(guc.name, String(Number(guc.min) - step))), 'bad-value', `${guc.name} below min`);
      assert.equal(problem(checkParameter(guc.name, String(Number(guc.max) + step))), 'bad-value', `${guc.name} above max`);
    }
    if (guc.type === 'string' && 'values' in guc) {
      for (const v of guc.values) assert.deepEqual(checkParameter(guc.name, v.toUpperCase()), { ok: true }, `${guc.name}=${v}`);
    }
  }
});

test('the parameters of the pg_trickle-on-CNPG blog post (seed 001): two are made up, one is a renamed setting', () => {
  const blog: Record<string, string> = {
    'pg_trickle.enabled': 'on',
    'pg_trickle.max_parallel_workers': '4',
    'pg_trickle.backpressure_enabled': 'on',
    'pg_trickle.backpressure_max_lag_mb': '128',
    'pg_trickle.default_schedule': '5 seconds',
    'pg_trickle.log_format': 'json',
  };
  const refused = Object.entries(blog).filter(([name, value]) => !checkParameter(name, value).ok).map(([name]) => name);
  assert.deepEqual(refused, ['pg_trickle.backpressure_enabled', 'pg_trickle.backpressure_max_lag_mb', 'pg_trickle.default_schedule']);
  assert.equal(problem(checkParameter('pg_trickle.default_schedule_seconds', '5 seconds')), 'bad-value');
});

test('gucDefault gives the catalog default, any case; unknown names have none', () => {
  assert.equal(gucDefault('pg_trickle.max_dynamic_refresh_workers'), '4');
  assert.equal(gucDefault('PG_TRICKLE.PARALLEL_REFRESH_MODE'), 'on');
  assert.equal(gucDefault('pg_trickle.max_workers'), undefined);
  assert.equal(gucDefault('work_mem'), undefined);
});

test('parsePgBool is exported for the rules that read on/off settings', () => {
  assert.equal(parsePgBool('Off'), false);
  assert.equal(parsePgBool('yes'), true);
});

test('never throws, and every refusal is a sentence naming the parameter', () => {
  const names = fc.oneof(
    fc.string(),
    fc.constantFrom(...GUC_CATALOG.map((g) => g.name)),
    fc.string().map((s) => `pg_trickle.${s}`),
  );
  fc.assert(
    fc.property(names, fc.string(), (name, value) => {
      const verdict = checkParameter(name, value);
      if (!verdict.ok) {
        assert.ok(verdict.message.includes(name), verdict.message);
        assert.match(verdict.message, /[.?]$/);
      }
    }),
    { numRuns: 2000 },
  );
});

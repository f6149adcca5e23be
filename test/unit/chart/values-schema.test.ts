import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from './helm.js';

describe('chart: values.schema.json', () => {
  it('refuses misspelt keys instead of silently ignoring them', () => {
    assert.throws(() => render({ replicas: 3 }), /replicas/);
    assert.throws(() => render({ webhooks: { failurePolicy: 'Fail' } }), /failurePolicy/);
    assert.throws(() => render({ policy: { injection: { mdoe: 'always' } } }), /mdoe/);
  });

  it('refuses values of the wrong kind', () => {
    assert.throws(() => render({ certificates: { mode: 'letsencrypt' } }), /mode/);
    assert.throws(() => render({ webhooks: { timeoutSeconds: 31 } }), /timeoutSeconds/);
    assert.throws(() => render({ webhooks: { mutating: { failurePolicy: 'Retry' } } }), /failurePolicy/);
    assert.throws(() => render({ terminationGracePeriodSeconds: 5 }), /terminationGracePeriodSeconds/);
    assert.throws(() => render({ policy: { rules: { PGT099: 'deny' } } }), /PGT099/);
    assert.throws(() => render({ policy: { injection: { defaultParameters: { work_mem: '1MB' } } } }), /work_mem/);
  });
});

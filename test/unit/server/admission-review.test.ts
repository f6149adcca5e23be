import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAnswer, limitWarnings, parseEnvelope, parseReview } from '../../../src/server/admission-review.js';
import { labelledCluster, review } from './fixtures.js';

const runes = (s: string): number => Array.from(s).length;

describe('limitWarnings', () => {
  it('keeps short warnings as they are', () => {
    assert.deepEqual(limitWarnings(['PGT004: a', 'PGT014: b']), ['PGT004: a', 'PGT014: b']);
  });

  it('stays within the API server limits (256 runes each once over 4096 in total) and says what was left out', () => {
    const many = Array.from({ length: 40 }, (_, i) => `PGT0${10 + (i % 10)}: ${'é'.repeat(400)}`);
    const out = limitWarnings(many);
    assert.ok(out.reduce((n, w) => n + runes(w), 0) <= 4096);
    for (const w of out) assert.ok(runes(w) <= 256, `${runes(w)} runes`);
    assert.match(out[out.length - 1] ?? '', /\d+ more warning\(s\) not shown/);
    assert.ok(out[0]?.startsWith('PGT010: '));
  });

  it('removes control characters that would break the Warning header', () => {
    assert.deepEqual(limitWarnings(['PGT015: line\nbreak\u0007']), ['PGT015: line break']);
  });
});

describe('buildAnswer', () => {
  it('includes a base64 JSONPatch only when the patch changes something', () => {
    const empty = buildAnswer('admission.k8s.io/v1', 'u', { allowed: true, patch: [] });
    assert.equal(empty.response.patch, undefined);
    assert.equal(empty.response.patchType, undefined);
    const some = buildAnswer('admission.k8s.io/v1', 'u', { allowed: true, patch: [{ op: 'add', path: '/a', value: 1 }] });
    assert.equal(some.response.patchType, 'JSONPatch');
    assert.deepEqual(JSON.parse(Buffer.from(some.response.patch ?? '', 'base64').toString()), [{ op: 'add', path: '/a', value: 1 }]);
  });

  it('drops audit annotation keys Kubernetes would reject', () => {
    const a = buildAnswer('admission.k8s.io/v1', 'u', { allowed: true, auditAnnotations: { mutations: 'M01', 'Bad Key': 'x', [`k${'x'.repeat(70)}`]: 'y' } });
    assert.deepEqual(a.response.auditAnnotations, { mutations: 'M01' });
  });
});

describe('parseReview', () => {
  it('takes the namespace from the request, falling back to the object and then "default"', () => {
    const withNs = review(labelledCluster());
    (withNs.request as Record<string, unknown>).namespace = 'from-request';
    const a = parseEnvelope(withNs);
    assert.ok(a.ok);
    const r = parseReview(a.envelope);
    assert.ok(r.ok && r.review.namespace === 'from-request');

    const noNs = review(labelledCluster());
    delete (noNs.request as Record<string, unknown>).namespace;
    const b = parseEnvelope(noNs);
    assert.ok(b.ok);
    const r2 = parseReview(b.envelope);
    assert.ok(r2.ok && r2.review.namespace === 'shop');
  });

  it('reports an unknown operation as unjudgeable with the field named', () => {
    const e = parseEnvelope(review(labelledCluster(), { operation: 'PATCH' }));
    assert.ok(e.ok);
    const r = parseReview(e.envelope);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /request\.operation/);
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import fjp from 'fast-json-patch';
import request from 'supertest';
import type { Operation } from 'fast-json-patch';
import { createAdmissionApp } from '../../../src/server/app.js';
import { createLogger } from '../../../src/server/logger.js';
import { createMetrics } from '../../../src/server/metrics.js';
import type { EngineContext, KubeObject } from '../../../src/core/types.js';
import { labelledCluster, review, silentLogger, supportedContext } from './fixtures.js';

function appWith(context: () => EngineContext = supportedContext, bodyLimit?: string) {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createAdmissionApp({ context, metrics, logger: silentLogger, bodyLimit });
  return { app, metrics };
}

async function post(app: ReturnType<typeof appWith>['app'], path: string, body: unknown) {
  return request(app).post(path).set('content-type', 'application/json').send(JSON.stringify(body));
}

function decodePatch(b64: string): Operation[] {
  return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Operation[];
}

describe('admission app: HTTP-level problems', () => {
  it('answers 415 for a body that is not application/json', async () => {
    const { app } = appWith();
    const res = await request(app).post('/validate').set('content-type', 'text/plain').send('hello');
    assert.equal(res.status, 415);
    assert.match(res.body.error, /application\/json/);
  });

  it('answers 415 for a non-UTF-8 charset or a compressed body', async () => {
    const { app } = appWith();
    const body = JSON.stringify(review(labelledCluster()));
    const latin = await request(app).post('/validate').set('content-type', 'application/json; charset=iso-8859-1').send(body);
    assert.equal(latin.status, 415);
    const gzip = await request(app).post('/validate').set('content-type', 'application/json').set('content-encoding', 'gzip').send(body);
    assert.equal(gzip.status, 415);
    const utf8 = await request(app).post('/validate').set('content-type', 'application/json; charset=UTF-8').send(body);
    assert.equal(utf8.status, 200);
  });

  it('answers 400 for an empty body', async () => {
    const { app } = appWith();
    const res = await request(app).post('/validate').set('content-type', 'application/json').send('');
    assert.equal(res.status, 400);
  });

  it('answers 400 for malformed JSON', async () => {
    const { app } = appWith();
    const res = await request(app).post('/mutate').set('content-type', 'application/json').send('{"apiVersion": ');
    assert.equal(res.status, 400);
    assert.match(res.body.error, /malformed JSON/);
  });

  it('answers 413 for a body over the configured limit', async () => {
    const { app } = appWith(supportedContext, '1kb');
    const big = review(labelledCluster({ parameters: { 'pg_trickle.note': 'x'.repeat(4096) } }));
    const res = await post(app, '/validate', big);
    assert.equal(res.status, 413);
    // Without a content-length (chunked), the limit is enforced while reading.
    const server = createServer(app).listen(0, '127.0.0.1');
    try {
      await once(server, 'listening');
      const port = (server.address() as AddressInfo).port;
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/validate', method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on('error', reject);
        const text = JSON.stringify(big);
        for (let i = 0; i < text.length; i += 1000) req.write(text.slice(i, i + 1000));
        req.end();
      });
      assert.equal(status, 413);
    } finally {
      server.close();
    }
  });

  it('answers 400 naming what is missing when the JSON is not an AdmissionReview', async () => {
    const { app } = appWith();
    for (const body of [{ hello: 'world' }, [1, 2], 'text', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} }]) {
      const res = await post(app, '/validate', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error, /not an AdmissionReview/);
    }
  });

  it('answers 404 for unknown paths', async () => {
    const { app } = appWith();
    const res = await post(app, '/admit', review(labelledCluster()));
    assert.equal(res.status, 404);
  });
});

describe('admission app: AdmissionReview answers', () => {
  it('echoes the request uid and apiVersion', async () => {
    const { app } = appWith();
    const res = await post(app, '/validate', review(labelledCluster(), { uid: 'uid-1234' }));
    assert.equal(res.status, 200);
    assert.equal(res.body.apiVersion, 'admission.k8s.io/v1');
    assert.equal(res.body.kind, 'AdmissionReview');
    assert.equal(res.body.response.uid, 'uid-1234');
  });

  it('denies a PostgreSQL 17 Cluster labelled for injection with PGT001, status 403 and the fix', async () => {
    const { app, metrics } = appWith();
    const res = await post(app, '/validate', review(labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:17' })));
    assert.equal(res.status, 200);
    assert.equal(res.body.response.allowed, false);
    assert.equal(res.body.response.status.code, 403);
    assert.match(res.body.response.status.message, /PGT001/);
    assert.match(res.body.response.status.message, /18/);
    assert.equal(res.body.response.patch, undefined);
    const text = await metrics.registry.metrics();
    assert.match(text, /pgtrickle_webhook_admission_requests_total\{webhook="validate",operation="CREATE",kind="Cluster",decision="denied"\} 1/);
    assert.match(text, /pgtrickle_webhook_rule_findings_total\{rule="PGT001",severity="deny"\} 1/);
  });

  it('mutates a labelled PostgreSQL 18 Cluster: the patch applies and adds extension, preload and annotation', async () => {
    const { app } = appWith();
    const cluster = labelledCluster();
    const res = await post(app, '/mutate', review(cluster));
    const r = res.body.response;
    assert.equal(r.allowed, true);
    assert.equal(r.patchType, 'JSONPatch');
    const mutated = fjp.applyPatch(structuredClone(cluster), decodePatch(r.patch), true, false).newDocument as KubeObject;
    const pg = (mutated.spec as { postgresql: { extensions: { name: string; image: { reference: string } }[]; shared_preload_libraries: string[] } }).postgresql;
    assert.deepEqual(pg.extensions.map((e) => e.name), ['pg-trickle']);
    assert.match(pg.extensions[0]?.image.reference ?? '', /^ghcr\.io\/trickle-labs\/pg_trickle-ext:/);
    assert.ok(pg.shared_preload_libraries.includes('pg_trickle'));
    assert.equal(mutated.metadata?.annotations?.['pgtrickle.io/injected-image'], pg.extensions[0]?.image.reference);
    const audit = String(r.auditAnnotations.mutations).split(',');
    for (const m of ['M01', 'M02', 'M06']) assert.ok(audit.includes(m), `auditAnnotations.mutations has ${m}`);

    // The mutated object is complete: the validating webhook allows it, and mutating again changes nothing.
    const again = await post(app, '/mutate', review(mutated));
    assert.equal(again.body.response.patch, undefined);
    assert.equal(again.body.response.auditAnnotations, undefined);
    const validated = await post(app, '/validate', review(mutated));
    assert.equal(validated.body.response.allowed, true);
  });

  it('allows with warnings (PGT004) when the worker budget is below the recommendation', async () => {
    const { app } = appWith();
    const mutated = await post(app, '/mutate', review(labelledCluster({ parameters: { max_worker_processes: '10' } })));
    const cluster = fjp.applyPatch(labelledCluster({ parameters: { max_worker_processes: '10' } }), decodePatch(mutated.body.response.patch), true, false).newDocument;
    const res = await post(app, '/validate', review(cluster));
    assert.equal(res.body.response.allowed, true);
    assert.ok(res.body.response.warnings.some((w: string) => w.startsWith('PGT004: ')), JSON.stringify(res.body.response.warnings));
    assert.equal(res.body.response.status, undefined);
  });

  it('allows other kinds and DELETE untouched', async () => {
    const { app } = appWith();
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } };
    for (const path of ['/mutate', '/validate']) {
      const res = await post(app, path, review(cm));
      assert.deepEqual(res.body.response, { uid: res.body.response.uid, allowed: true });
    }
    const del = await post(app, '/validate', review(null, { operation: 'DELETE', oldObject: labelledCluster({ imageName: 'postgres:16' }) }));
    assert.equal(del.body.response.allowed, true);
  });

  it('answers a dryRun request exactly like the real one', async () => {
    const { app } = appWith();
    const bad = labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:16' });
    const real = await post(app, '/validate', review(bad, { uid: 'u' }));
    const dry = await post(app, '/validate', review(bad, { uid: 'u', dryRun: true }));
    assert.deepEqual(dry.body, real.body);
  });

  it('answers an unsupported AdmissionReview version with a clear message (validate refuses, mutate allows)', async () => {
    const { app } = appWith();
    const v = await post(app, '/validate', review(labelledCluster(), { apiVersion: 'admission.k8s.io/v1beta1', uid: 'b' }));
    assert.equal(v.status, 200);
    assert.equal(v.body.apiVersion, 'admission.k8s.io/v1beta1');
    assert.equal(v.body.response.uid, 'b');
    assert.equal(v.body.response.allowed, false);
    assert.match(v.body.response.status.message, /unsupported AdmissionReview version.*admission\.k8s\.io\/v1/);
    const m = await post(app, '/mutate', review(labelledCluster(), { apiVersion: 'admission.k8s.io/v1beta1' }));
    assert.equal(m.body.response.allowed, true);
    assert.equal(m.body.response.patch, undefined);
    assert.match(m.body.response.warnings[0], /cannot judge/);
  });

  it('answers a Cluster CREATE without an object with a clear message instead of an error', async () => {
    const { app } = appWith();
    const res = await post(app, '/validate', review(null, { kind: 'Cluster' }));
    assert.equal(res.status, 200);
    assert.equal(res.body.response.allowed, false);
    assert.match(res.body.response.status.message, /request\.object is missing/);
  });

  it('turns an exception in the engine into an AdmissionReview answer and counts it', async () => {
    const { app, metrics } = appWith(() => {
      throw new Error('boom');
    });
    const v = await post(app, '/validate', review(labelledCluster()));
    assert.equal(v.status, 200);
    assert.equal(v.body.response.allowed, false);
    assert.equal(v.body.response.status.code, 500);
    const m = await post(app, '/mutate', review(labelledCluster()));
    assert.equal(m.status, 200);
    assert.equal(m.body.response.allowed, true);
    assert.match(await metrics.registry.metrics(), /decision="error"\} 1/);
  });
});

describe('admission app: log line', () => {
  it('writes one JSON line per admission request with the decision, rules and mutations, no object body', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = createAdmissionApp({ context: supportedContext, metrics: createMetrics({ defaultMetrics: false }), logger: createLogger({ level: 'info', destination: sink }) });
    const cluster = labelledCluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:17' });
    await post(app, '/validate', review(cluster, { uid: 'log-1', dryRun: true }));
    await post(app, '/mutate', review(labelledCluster(), { uid: 'log-2' }));
    assert.equal(lines.length, 2);
    const [v, m] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(v?.uid, 'log-1');
    assert.equal(v?.webhook, 'validate');
    assert.equal(v?.kind, 'Cluster');
    assert.equal(v?.namespace, 'shop');
    assert.equal(v?.name, 'orders');
    assert.equal(v?.operation, 'CREATE');
    assert.equal(v?.dryRun, true);
    assert.equal(v?.decision, 'denied');
    assert.ok((v?.rules as string[]).includes('PGT001:deny'));
    assert.equal(typeof v?.duration_ms, 'number');
    assert.equal(m?.decision, 'mutated');
    assert.ok((m?.mutations as string[]).includes('M01'));
    for (const l of lines) assert.doesNotMatch(l, /cloudnative-pg\/postgresql|storage/, 'no object body at info');
  });
});


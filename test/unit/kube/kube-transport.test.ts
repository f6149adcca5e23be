import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { HttpsKubeTransport, KubeApiError } from '../../../src/kube/kube-transport.js';

let server: Server;
let transport: HttpsKubeTransport;
const seen: Array<{ url: string; auth: string | undefined }> = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ url: req.url ?? '', auth: req.headers.authorization });
  if (req.url === '/version') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ major: '1', minor: '36' }));
  } else if (req.url === '/metrics') {
    res.statusCode = 403;
    res.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'forbidden: User "x" cannot get path "/metrics"' }));
  } else if (req.url === '/big') {
    res.end('x'.repeat(10_000));
  } else if (req.url?.startsWith('/watch-events')) {
    res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"2"}}}\n');
    res.write('\n{"type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":"3"}}}\n');
    res.end();
  } else if (req.url?.startsWith('/watch-silent')) {
    res.write('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n'); // then nothing, connection open
  } else if (req.url?.startsWith('/watch-garbage')) {
    res.end('this is not json\n');
  } else {
    res.statusCode = 404;
    res.end('{"kind":"Status","reason":"NotFound","message":"the server could not find the requested resource"}');
  }
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  transport = new HttpsKubeTransport(kc);
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test('GET sends the kubeconfig credentials and returns the body', async () => {
  assert.equal(JSON.parse(await transport.get('/version')).minor, '36');
  assert.equal(seen.find((s) => s.url === '/version')?.auth, 'Bearer secret-token');
});

test('a refusal becomes a KubeApiError with status, reason and the server message', async () => {
  await assert.rejects(transport.get('/metrics'), (e: unknown) => e instanceof KubeApiError && e.status === 403 && e.reason === 'Forbidden' && /cannot get path/.test(e.message));
  await assert.rejects(transport.get('/apis/x/v1/things'), (e: unknown) => e instanceof KubeApiError && e.status === 404);
});

test('an answer over the size limit is refused', async () => {
  await assert.rejects(transport.get('/big', { maxBytes: 1000 }), /larger than 1000 bytes/);
});

test('watch yields events line by line and ends with the stream', async () => {
  const events: string[] = [];
  for await (const ev of transport.watch('/watch-events?watch=1', { idleTimeoutMs: 5000, signal: new AbortController().signal })) events.push(`${ev.type}:${ev.object.metadata?.resourceVersion ?? ''}`);
  assert.deepEqual(events, ['ADDED:2', 'DELETED:3']);
});

test('a silent watch connection is given up after the idle timeout', async () => {
  const t0 = Date.now();
  const events: string[] = [];
  await assert.rejects(async () => {
    for await (const ev of transport.watch('/watch-silent?watch=1', { idleTimeoutMs: 300, signal: new AbortController().signal })) events.push(ev.type);
  }, KubeApiError);
  assert.deepEqual(events, ['BOOKMARK']);
  assert.ok(Date.now() - t0 < 3000);
});

test('an unparseable watch line is an error, not a crash', async () => {
  await assert.rejects(async () => {
    for await (const _ev of transport.watch('/watch-garbage?watch=1', { idleTimeoutMs: 5000, signal: new AbortController().signal })) {
      // nothing expected
    }
  }, /unparseable event/);
});

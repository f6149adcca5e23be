// The benchmark's baseline: a bare Node HTTPS server that reads the body and answers a
// fixed AdmissionReview of the given size — TLS + HTTP cost without any webhook work.
// Usage: baseline-server.ts CERT KEY RESPONSE_BYTES; prints {"port":N} when listening.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [certFile, keyFile, sizeArg] = process.argv.slice(2);
if (!certFile || !keyFile) {
  process.stderr.write('usage: baseline-server.ts CERT KEY RESPONSE_BYTES\n');
  process.exit(2);
}
const size = Number(sizeArg ?? 200);
const head = '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"00000000-0000-4000-8000-000000000000","allowed":true,"warnings":["';
const tail = '"]}}';
const answer = Buffer.from(head + 'x'.repeat(Math.max(0, size - head.length - tail.length)) + tail);

const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2', keepAliveTimeout: 30_000 }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// closeGracefully's quiet period: before the listener closes, keep-alive clients are told
// `Connection: close` on every answer, so none has a connection closed under a request.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { generateServingCertificate } from '../../../src/certs/dev-certificate.js';
import { closeGracefully, createHttpsServer } from '../../../src/server/https-server.js';

function get(port: number, ca: string, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, servername: 'localhost', path: '/', ca, agent, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('closeGracefully with a quiet period', () => {
  it('keeps answering during the quiet period, with Connection: close, then stops listening', async () => {
    const cert = await generateServingCertificate();
    const server = createHttpsServer({ cert: Buffer.from(cert.certPem), key: Buffer.from(cert.keyPem) }, (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await get(port, cert.caPem, agent)).connection, 'keep-alive');
      const closing = closeGracefully(server, 3000, 400);
      const during = await get(port, cert.caPem, agent);
      assert.deepEqual(during, { status: 200, connection: 'close' });
      assert.equal(await closing, 'drained');
      await assert.rejects(get(port, cert.caPem, agent), /ECONNREFUSED/);
    } finally {
      agent.destroy();
      server.close();
    }
  });
});

// Proves a serving pair works the way the API server uses it: a TLS handshake that verifies
// the server certificate against `ca` for `servername`, on a loopback port.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';

export async function handshake(pair: { cert: string; key: string }, ca: string, servername: string): Promise<void> {
  const server = tls.createServer({ cert: pair.cert, key: pair.key }, (s) => s.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca, servername, timeout: 5000 }, () => {
        socket.end();
        resolve();
      });
      socket.on('error', reject);
      socket.on('timeout', () => socket.destroy(new Error('TLS handshake timed out')));
    });
  } finally {
    server.close();
  }
}

// Reads a JSON request body with a size limit, without body-parser: the admission hot
// path needs no decompression, charsets or async-hooks bookkeeping, and each of those
// costs measurable time per request (see bench/).
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string } | { ok: false; status: 0; message: string };

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "3mb", "512kb", "1024" or a number → bytes. Throws on anything else. */
export function parseByteSize(size: string | number): number {
  if (typeof size === 'number' && Number.isFinite(size) && size > 0) return Math.floor(size);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(String(size));
  if (!m) throw new Error(`--body-limit: expected a size like 3mb, 512kb or 1048576, got "${size}"`);
  const bytes = Math.floor(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1));
  if (bytes <= 0) throw new Error(`--body-limit: must be above 0, got "${size}"`);
  return bytes;
}

/** null when the content type is acceptable, else the reason for a 415. */
export function contentTypeProblem(req: IncomingMessage): string | null {
  const header = req.headers['content-type'];
  if (!header) return 'content type must be application/json, got none';
  const [type, ...params] = header.split(';');
  if (type?.trim().toLowerCase() !== 'application/json') return `content type must be application/json, got ${header}`;
  for (const p of params) {
    const [k, v] = p.split('=');
    if (k?.trim().toLowerCase() === 'charset' && !/^"?utf-?8"?$/i.test(v?.trim() ?? '')) return `unsupported charset in ${header}: the body must be UTF-8`;
  }
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return `unsupported content encoding ${encoding}`;
  return null;
}

/** Reads and parses the body; status 0 means the client went away (nothing to answer). */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // discard; the answer goes out right away
    return Promise.resolve({ ok: false, status: 413, message: `request body of ${declared} bytes is larger than the limit of ${limit} bytes` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return resolve({ ok: false, status: 413, message: `request body is larger than the limit of ${limit} bytes` });
      const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ ok: false, status: 400, message: 'malformed JSON: the body is empty' });
      try {
        resolve({ ok: true, value: JSON.parse(text) as unknown });
      } catch (err) {
        resolve({ ok: false, status: 400, message: `malformed JSON: ${err instanceof Error ? err.message : String(err)}` });
      }
    });
    req.on('aborted', () => resolve({ ok: false, status: 0, message: 'client aborted the request' }));
    req.on('error', (err) => resolve({ ok: false, status: 0, message: `request stream error: ${err.message}` }));
  });
}

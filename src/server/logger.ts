// The process logger: pino JSON on stdout, level from PGT_LOG_LEVEL (default info).
import { pino, type Logger } from 'pino';

export type { Logger };

/** Lines are written in batches of this many bytes... */
const BATCH_BYTES = 4096;
/** ...or after this long, whichever comes first, so a quiet webhook's lines are not held back. */
const FLUSH_INTERVAL_MS = 200;

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.PGT_LOG_LEVEL ?? 'info';
  const options = { name: 'pg-trickle-webhook', level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (opts.destination) return pino(options, opts.destination);
  // One write(2) per request line cost more CPU than the policy engine (bench/): batch
  // them. pino flushes what is left synchronously when the process exits.
  const destination = pino.destination({ fd: 1, sync: false, minLength: BATCH_BYTES });
  setInterval(() => destination.flush(), FLUSH_INTERVAL_MS).unref();
  return pino(options, destination);
}

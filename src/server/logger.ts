// The process logger: pino JSON on stdout, level from PGT_LOG_LEVEL (default info).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.PGT_LOG_LEVEL ?? 'info';
  return pino(
    { name: 'pg-trickle-webhook', level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

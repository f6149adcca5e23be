// The express app of the HTTPS admission server: POST /mutate and POST /validate.
// HTTP-level problems get 4xx with a JSON {error}; every AdmissionReview gets a 200 answer.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { EngineContext } from '../core/types.js';
import { judge, type Judgement } from './admission-handler.js';
import { parseEnvelope } from './admission-review.js';
import type { Logger } from './logger.js';
import type { Decision, Metrics, Webhook } from './metrics.js';

export const DEFAULT_BODY_LIMIT = '3mb';

export interface AdmissionAppOptions {
  /** The engine context in force; called per request (policy and environment may change). */
  context: () => EngineContext;
  metrics: Metrics;
  logger: Logger;
  /** Largest accepted body, bytes or a string like "3mb". */
  bodyLimit?: string | number;
}

interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

function bodyError(err: unknown): { status: number; message: string } {
  const e = (err ?? {}) as BodyParserError;
  switch (e.type) {
    case 'entity.too.large':
      return { status: 413, message: 'request body is larger than the limit' };
    case 'entity.parse.failed':
      return { status: 400, message: `malformed JSON: ${e.message ?? 'parse error'}` };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, message: e.message ?? 'unsupported encoding' };
    default:
      // Other body-parser errors carry a 4xx; anything else is still the client's request.
      return { status: e.status && e.status >= 400 && e.status < 500 ? e.status : 400, message: e.message ?? 'bad request' };
  }
}

export function createAdmissionApp(opts: AdmissionAppOptions): express.Express {
  const { metrics, logger } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const record = (webhook: Webhook, started: bigint, decision: Decision, kind = 'unknown', operation = 'unknown'): number => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = { webhook, operation, kind, decision };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, seconds);
    return seconds * 1000;
  };

  const reject = (req: Request, res: Response, status: number, message: string): void => {
    const webhook: Webhook = req.path === '/mutate' ? 'mutate' : 'validate';
    const started = (res.locals.started as bigint | undefined) ?? process.hrtime.bigint();
    const ms = record(webhook, started, 'bad_request');
    logger.warn({ webhook, status, error: message, duration_ms: round(ms) }, 'rejected admission request');
    res.status(status).json({ error: message });
  };

  const onlyJson = (req: Request, res: Response, next: NextFunction): void => {
    res.locals.started = process.hrtime.bigint();
    if (req.is('application/json') === 'application/json') return next();
    reject(req, res, 415, `content type must be application/json, got ${req.get('content-type') ?? 'none'}`);
  };

  const parseJson = express.json({ limit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT, strict: false, type: () => true });

  const handle = (webhook: Webhook) => (req: Request, res: Response): void => {
    const started = res.locals.started as bigint;
    const env = parseEnvelope(req.body);
    if (!env.ok) return reject(req, res, 400, env.message);
    const j = judge(webhook, env.envelope, opts.context);
    const kind = j.review?.kind ?? 'unknown';
    const operation = j.review?.operation ?? 'unknown';
    const ms = record(webhook, started, j.decision, kind, operation);
    for (const f of j.findings) metrics.findings.inc({ rule: f.rule, severity: f.severity });
    logJudgement(logger, webhook, j, ms);
    res.status(200).json(j.answer);
  };

  app.post('/mutate', onlyJson, parseJson, handle('mutate'));
  app.post('/validate', onlyJson, parseJson, handle('validate'));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found: the webhook serves POST /mutate and POST /validate' });
  });
  // Express error handler: needs the 4-argument signature.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, message } = bodyError(err);
    if (res.headersSent) return;
    reject(req, res, status, message);
  });
  return app;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function logJudgement(logger: Logger, webhook: Webhook, j: Judgement, ms: number): void {
  const r = j.review;
  const fields = {
    uid: j.answer.response.uid,
    webhook,
    kind: r?.kind,
    namespace: r?.namespace,
    name: r?.name,
    operation: r?.operation,
    dryRun: r?.dryRun ?? false,
    decision: j.decision,
    rules: j.findings.map((f) => `${f.rule}:${f.severity}`),
    mutations: j.mutations,
    duration_ms: round(ms),
    ...(j.reason ? { reason: j.reason } : {}),
  };
  if (j.decision === 'error') logger.error({ ...fields, err: j.error }, 'admission request failed in the engine');
  else logger.info(fields, 'admission');
}

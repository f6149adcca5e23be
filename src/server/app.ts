// The request listener of the HTTPS admission server: POST /mutate and POST /validate.
// HTTP-level problems get 4xx with a JSON {error}; every AdmissionReview gets a 200 answer.
// The two admission routes are served directly on node's req/res; express only serves the
// rest (404, /healthz). Measured (bench/): routing admission through express cost ~110 µs
// of CPU per request, twice the whole cost of a bare TLS request/response.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EngineContext } from '../core/types.js';
import { judge, type Judgement } from './admission-handler.js';
import { parseEnvelope } from './admission-review.js';
import { contentTypeProblem, parseByteSize, readJsonBody } from './json-body.js';
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

/** One write with a content-length: header and body leave in a single TLS record batch. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createAdmissionApp(opts: AdmissionAppOptions): RequestListener {
  const { metrics, logger } = opts;
  const limit = parseByteSize(opts.bodyLimit ?? DEFAULT_BODY_LIMIT);

  const record = (webhook: Webhook, started: bigint, decision: Decision, kind = 'unknown', operation = 'unknown'): number => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = { webhook, operation, kind, decision };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, seconds);
    return seconds * 1000;
  };

  const reject = (webhook: Webhook, started: bigint, res: ServerResponse, status: number, message: string): void => {
    const ms = record(webhook, started, 'bad_request');
    logger.warn({ webhook, status, error: message, duration_ms: round(ms) }, 'rejected admission request');
    if (status === 413) res.setHeader('connection', 'close'); // the rest of the body is not worth reading
    sendJson(res, status, { error: message });
  };

  // /mutate/always and /validate/always: namespaces the chart selects for injection into every
  // Cluster (values injection.alwaysNamespaceSelector) are judged with injection.mode always.
  const alwaysContext = (): EngineContext => {
    const c = opts.context();
    return { ...c, policy: { ...c.policy, injection: { ...c.policy.injection, mode: 'always' } } };
  };

  const handle = async (webhook: Webhook, req: IncomingMessage, res: ServerResponse, context = opts.context): Promise<void> => {
    const started = process.hrtime.bigint();
    const badType = contentTypeProblem(req);
    if (badType) {
      req.resume();
      return reject(webhook, started, res, 415, badType);
    }
    const body = await readJsonBody(req, limit);
    if (!body.ok) {
      if (body.status === 0) return void logger.warn({ webhook, error: body.message }, 'admission request aborted');
      return reject(webhook, started, res, body.status, body.message);
    }
    const env = parseEnvelope(body.value);
    if (!env.ok) return reject(webhook, started, res, 400, env.message);
    const j = judge(webhook, env.envelope, context);
    const ms = record(webhook, started, j.decision, j.review?.kind ?? 'unknown', j.review?.operation ?? 'unknown');
    for (const f of j.findings) metrics.findings.inc({ rule: f.rule, severity: f.severity });
    logJudgement(logger, webhook, j, ms);
    sendJson(res, 200, j.answer);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  app.use((_req: Request, res: Response) => {
    sendJson(res, 404, { error: 'not found: the webhook serves POST /mutate and POST /validate' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err }, 'unexpected error while handling a request');
    if (!res.headersSent) sendJson(res, 400, { error: 'the request could not be processed' });
  });

  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const fullPath = q === -1 ? url : url.slice(0, q);
    const always = fullPath.endsWith('/always');
    const path = always ? fullPath.slice(0, -'/always'.length) : fullPath;
    const webhook: Webhook | undefined = path === '/mutate' ? 'mutate' : path === '/validate' ? 'validate' : undefined;
    if (req.method !== 'POST' || webhook === undefined) return void app(req, res);
    handle(webhook, req, res, always ? alwaysContext : opts.context).catch((err: unknown) => {
      // Last resort (a bug of ours): logged at error, still answered without a 5xx.
      logger.error({ err, webhook }, 'unexpected error while handling an admission request');
      if (!res.headersSent) sendJson(res, 400, { error: 'the request could not be processed' });
    });
  };
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

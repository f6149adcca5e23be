// Turns one AdmissionReview into an answer by calling the engine. No HTTP here: the
// express layer (app.ts) parses the body, this decides, and reports what to log/count.
import { mutate, validate } from '../core/engine.js';
import type { EngineContext, Finding, MutationId, ReviewRequest } from '../core/types.js';
import {
  buildAnswer,
  CNPG_GROUP,
  parseReview,
  type AdmissionReviewAnswer,
  type Envelope,
  type ParsedReview,
} from './admission-review.js';
import type { Decision, Webhook } from './metrics.js';

export const JUDGED_KINDS: ReadonlySet<string> = new Set(['Cluster', 'Database']);

export interface Judgement {
  answer: AdmissionReviewAnswer;
  decision: Decision;
  review: ParsedReview | undefined;
  findings: Finding[];
  mutations: MutationId[];
  /** Set for `unjudgeable` and `error`. */
  reason?: string;
  error?: unknown;
}

/** Formats a finding for a warning or a deny message: "PGT004: message". */
export function findingText(f: Finding): string {
  return `${f.rule}: ${f.message}`;
}

/** The deny message: each rule id with its path and message (which carries the fix). */
export function denyMessage(findings: readonly Finding[]): string {
  const denies = findings.filter((f) => f.severity === 'deny');
  const head = `pg_trickle: ${denies.length} problem${denies.length === 1 ? '' : 's'} must be fixed`;
  const body = denies.map((f) => `[${f.rule}] ${f.path}: ${f.message}`).join('; ');
  const text = `${head}: ${body}`;
  return text.length > 16_384 ? `${text.slice(0, 16_383)}…` : text;
}

function isJudgedKind(r: ParsedReview): boolean {
  return JUDGED_KINDS.has(r.kind) && (r.group === undefined || r.group === '' || r.group === CNPG_GROUP);
}

/**
 * What happens when the webhook cannot judge a well-formed request: /validate refuses
 * (fail closed, as failurePolicy Fail would), /mutate allows without a patch and warns
 * (the validating webhook still guards the object).
 */
function unjudgeable(webhook: Webhook, apiVersion: string, uid: string, reason: string, review?: ParsedReview): Judgement {
  const message = `pg-trickle-webhook cannot judge this request: ${reason}`;
  const answer =
    webhook === 'validate'
      ? buildAnswer(apiVersion, uid, { allowed: false, status: { code: 400, reason: 'BadRequest', message } })
      : buildAnswer(apiVersion, uid, { allowed: true, warnings: [message] });
  return { answer, decision: 'unjudgeable', review, findings: [], mutations: [], reason };
}

export function judge(webhook: Webhook, envelope: Envelope, ctx: () => EngineContext): Judgement {
  const uid = envelope.request.uid;
  const parsed = parseReview(envelope);
  if (!parsed.ok) return unjudgeable(webhook, envelope.apiVersion, uid, parsed.message);
  const review = parsed.review;
  const v = review.apiVersion;

  // Only CREATE/UPDATE of CNPG Clusters and Databases are judged; the rest passes untouched.
  if (!isJudgedKind(review) || (review.operation !== 'CREATE' && review.operation !== 'UPDATE')) {
    return { answer: buildAnswer(v, uid, { allowed: true }), decision: 'allowed', review, findings: [], mutations: [] };
  }
  if (review.object === undefined) return unjudgeable(webhook, v, uid, `request.object is missing for ${review.operation}`, review);
  if (review.operation === 'UPDATE' && review.oldObject === undefined) {
    return unjudgeable(webhook, v, uid, 'request.oldObject is missing for UPDATE', review);
  }

  const req: ReviewRequest = {
    operation: review.operation,
    kind: review.kind,
    namespace: review.namespace,
    object: review.object,
    oldObject: review.oldObject,
    dryRun: review.dryRun,
  };
  try {
    if (webhook === 'mutate') {
      const out = mutate(req, ctx());
      const answer = buildAnswer(v, uid, {
        allowed: true,
        patch: out.patch,
        auditAnnotations: out.mutations.length > 0 ? { mutations: out.mutations.join(',') } : undefined,
      });
      const decision: Decision = out.patch.length > 0 ? 'mutated' : 'allowed';
      return { answer, decision, review, findings: [], mutations: out.mutations };
    }
    const out = validate(req, ctx());
    const warnings = out.findings.filter((f) => f.severity === 'warn').map(findingText);
    const ruleIds = [...new Set(out.findings.map((f) => f.rule))].join(',');
    const answer = buildAnswer(v, uid, {
      allowed: out.allowed,
      status: out.allowed ? undefined : { code: 403, reason: 'Forbidden', message: denyMessage(out.findings) },
      warnings,
      auditAnnotations: ruleIds ? { findings: ruleIds } : undefined,
    });
    return { answer, decision: out.allowed ? 'allowed' : 'denied', review, findings: out.findings, mutations: [] };
  } catch (error) {
    // An engine bug is answered like unjudgeable input, never with an HTTP 5xx: /mutate allows
    // without a patch, /validate refuses (fail closed, status 500 inside the answer).
    const j = unjudgeable(webhook, v, uid, 'internal error while evaluating the policy (see the webhook log)', review);
    if (webhook === 'validate') {
      j.answer.response.status = { code: 500, reason: 'InternalError', message: j.answer.response.status?.message ?? '' };
    }
    return { ...j, decision: 'error', error };
  }
}

// The AdmissionReview protocol (admission.k8s.io/v1): parsing a request in two stages
// (is it an AdmissionReview at all? can we judge it?) and building the answer.
import { z } from 'zod';
import type { JsonPatch, KubeObject, Operation } from '../core/types.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const CNPG_GROUP = 'postgresql.cnpg.io';

/** Just enough to answer: anything that fails this gets HTTP 400 (no uid to answer to). */
const envelopeSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.literal('AdmissionReview'),
  request: z.looseObject({ uid: z.string().min(1).max(256) }),
});

// A plain JSON object, checked without copying it (z.record would rebuild every key of
// what can be a large manifest on each request).
const objectSchema = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'expected an object' },
);

/** Everything the webhook reads from a v1 request. */
const requestSchema = z.looseObject({
  uid: z.string(),
  kind: z.looseObject({ group: z.string().optional(), version: z.string().optional(), kind: z.string().min(1) }),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  object: objectSchema.nullish(),
  oldObject: objectSchema.nullish(),
  dryRun: z.boolean().nullish(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export interface ParsedReview {
  uid: string;
  apiVersion: string;
  kind: string;
  group: string | undefined;
  operation: Operation;
  namespace: string;
  name: string;
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  dryRun: boolean;
}

export type EnvelopeResult = { ok: true; envelope: Envelope } | { ok: false; message: string };
export type ReviewResult = { ok: true; review: ParsedReview } | { ok: false; message: string };

function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string {
  return issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`)
    .join('; ');
}

export function parseEnvelope(body: unknown): EnvelopeResult {
  const r = envelopeSchema.safeParse(body);
  if (r.success) return { ok: true, envelope: r.data };
  return { ok: false, message: `not an AdmissionReview: ${describeIssues(r.error.issues, '')}` };
}

export function parseReview(envelope: Envelope): ReviewResult {
  if (envelope.apiVersion !== ADMISSION_API_VERSION) {
    return { ok: false, message: `unsupported AdmissionReview version "${envelope.apiVersion}": this webhook speaks ${ADMISSION_API_VERSION}` };
  }
  const r = requestSchema.safeParse(envelope.request);
  if (!r.success) return { ok: false, message: `malformed AdmissionReview request: ${describeIssues(r.error.issues, 'request')}` };
  const q = r.data;
  const object = (q.object ?? undefined) as KubeObject | undefined;
  const oldObject = (q.oldObject ?? undefined) as KubeObject | undefined;
  const metaNamespace = object?.metadata?.namespace ?? oldObject?.metadata?.namespace;
  const metaName = object?.metadata?.name ?? oldObject?.metadata?.name;
  return {
    ok: true,
    review: {
      uid: q.uid,
      apiVersion: envelope.apiVersion,
      kind: q.kind.kind,
      group: q.kind.group,
      operation: q.operation,
      namespace: q.namespace || (typeof metaNamespace === 'string' && metaNamespace) || 'default',
      name: q.name || (typeof metaName === 'string' ? metaName : '') || '',
      object,
      oldObject,
      dryRun: q.dryRun === true,
    },
  };
}

// Kubernetes' warning recorder: at most 4096 runes in total, items cut to 256 runes
// once the total is exceeded. Stay inside so nothing is silently dropped by the API server.
const WARNINGS_TOTAL_RUNES = 4096;
const WARNING_ITEM_RUNES = 256;

function truncateRunes(text: string, max: number): string {
  const runes = Array.from(text);
  return runes.length <= max ? text : `${runes.slice(0, max - 1).join('')}…`;
}

/** Makes warnings safe for the API server: printable, within its size limits. */
export function limitWarnings(warnings: readonly string[]): string[] {
  // eslint-disable-next-line no-control-regex
  const clean = warnings.map((w) => w.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()).filter((w) => w !== '');
  const runes = (s: string): number => Array.from(s).length;
  // Fast path: UTF-16 length is an upper bound of the rune count.
  if (clean.reduce((n, w) => n + w.length, 0) <= WARNINGS_TOTAL_RUNES) return clean;
  if (clean.reduce((n, w) => n + runes(w), 0) <= WARNINGS_TOTAL_RUNES) return clean;
  const out: string[] = [];
  let total = 0;
  const reserve = 64; // room for the "N more" line
  for (let i = 0; i < clean.length; i++) {
    const w = truncateRunes(clean[i] as string, WARNING_ITEM_RUNES);
    if (total + runes(w) > WARNINGS_TOTAL_RUNES - reserve) {
      out.push(`pg-trickle-webhook: ${clean.length - i} more warning(s) not shown`);
      break;
    }
    out.push(w);
    total += runes(w);
  }
  return out;
}

export interface AdmissionStatus {
  code: number;
  reason?: string;
  message: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  patchType?: 'JSONPatch';
  patch?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewAnswer {
  apiVersion: string;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export interface AnswerParts {
  allowed: boolean;
  status?: AdmissionStatus | undefined;
  patch?: JsonPatch | undefined;
  warnings?: readonly string[] | undefined;
  auditAnnotations?: Record<string, string> | undefined;
}

// Audit annotation keys become "<webhook name>/<key>": a qualified name part, ≤ 63 chars.
const AUDIT_KEY = /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/;

/** Builds the answer; the patch is included (base64) only when it changes something. */
export function buildAnswer(apiVersion: string, uid: string, parts: AnswerParts): AdmissionReviewAnswer {
  const response: AdmissionResponse = { uid, allowed: parts.allowed };
  if (parts.status) response.status = parts.status;
  if (parts.allowed && parts.patch && parts.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(parts.patch)).toString('base64');
  }
  const warnings = limitWarnings(parts.warnings ?? []);
  if (warnings.length > 0) response.warnings = warnings;
  const audit = Object.entries(parts.auditAnnotations ?? {}).filter(([k, v]) => AUDIT_KEY.test(k) && v !== '');
  if (audit.length > 0) response.auditAnnotations = Object.fromEntries(audit);
  return { apiVersion, kind: 'AdmissionReview', response };
}

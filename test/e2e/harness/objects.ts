// CNPG objects through @kubernetes/client-node, keeping what a user would see: the stored
// object, the admission warnings (HTTP `Warning` headers) and, on refusal, the API error.
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeObject } from '../../../src/core/types.js';
import type { ControlPlane } from './control-plane.js';

export const CNPG_GROUP = 'postgresql.cnpg.io';
export const CNPG_VERSION = 'v1';
export type CnpgPlural = 'clusters' | 'databases';

export interface Written {
  object: KubeObject;
  /** Admission warnings, decoded from `Warning: 299 - "..."` headers. */
  warnings: string[];
}

/** What the API server answered when it refused a write. */
export class Refused extends Error {
  constructor(
    readonly code: number,
    /** The Status message, e.g. `admission webhook "..." denied the request: ...`. */
    readonly apiMessage: string,
    readonly reason: string | undefined,
  ) {
    super(`HTTP ${code}: ${apiMessage}`);
    this.name = 'Refused';
  }
}

/** Decodes RFC 7234 warn-values (`299 - "text"`), several per header joined by commas. */
export function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const m of header.matchAll(/\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) out.push((m[1] ?? '').replace(/\\(.)/g, '$1'));
  return out;
}

function toRefused(err: unknown): unknown {
  if (!(err instanceof ApiException)) return err;
  const body: unknown = err.body;
  let status: { message?: string; reason?: string } = {};
  try {
    status = (typeof body === 'string' ? JSON.parse(body) : body) as typeof status;
  } catch {
    status = { message: String(body) };
  }
  return new Refused(err.code, status.message ?? String(body), status.reason);
}

export interface CnpgClient {
  create(plural: CnpgPlural, obj: KubeObject, opts?: { dryRun?: boolean }): Promise<Written>;
  replace(plural: CnpgPlural, obj: KubeObject, opts?: { dryRun?: boolean }): Promise<Written>;
  /** The stored object; null when it does not exist. */
  get(plural: CnpgPlural, namespace: string, name: string): Promise<KubeObject | null>;
  delete(plural: CnpgPlural, namespace: string, name: string): Promise<void>;
}

export function cnpgClient(cp: ControlPlane): CnpgClient {
  const api = cp.kc.makeApiClient(CustomObjectsApi);
  const target = (plural: CnpgPlural, obj: KubeObject): { group: string; version: string; plural: string; namespace: string } => ({
    group: CNPG_GROUP,
    version: CNPG_VERSION,
    plural,
    namespace: obj.metadata?.namespace ?? 'default',
  });
  return {
    async create(plural, obj, opts = {}) {
      try {
        const res = await api.createNamespacedCustomObjectWithHttpInfo({ ...target(plural, obj), body: obj, ...(opts.dryRun ? { dryRun: 'All' } : {}) });
        return { object: res.data as KubeObject, warnings: parseWarnings(res.headers.warning) };
      } catch (err) {
        throw toRefused(err);
      }
    },
    async replace(plural, obj, opts = {}) {
      try {
        const res = await api.replaceNamespacedCustomObjectWithHttpInfo({ ...target(plural, obj), name: obj.metadata?.name ?? '', body: obj, ...(opts.dryRun ? { dryRun: 'All' } : {}) });
        return { object: res.data as KubeObject, warnings: parseWarnings(res.headers.warning) };
      } catch (err) {
        throw toRefused(err);
      }
    },
    async get(plural, namespace, name) {
      try {
        return (await api.getNamespacedCustomObject({ group: CNPG_GROUP, version: CNPG_VERSION, plural, namespace, name })) as KubeObject;
      } catch (err) {
        const e = toRefused(err);
        if (e instanceof Refused && e.code === 404) return null;
        throw e;
      }
    },
    async delete(plural, namespace, name) {
      try {
        await api.deleteNamespacedCustomObject({ group: CNPG_GROUP, version: CNPG_VERSION, plural, namespace, name });
      } catch (err) {
        const e = toRefused(err);
        if (!(e instanceof Refused && e.code === 404)) throw e;
      }
    },
  };
}

/** Runs `fn`, expecting the API server to refuse; returns the refusal (fails if it was accepted). */
export async function refusal(fn: () => Promise<unknown>): Promise<Refused> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Refused) return err;
    throw err;
  }
  throw new Error('expected the API server to refuse the request, but it was accepted');
}

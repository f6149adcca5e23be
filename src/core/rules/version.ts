// PGT001: pg_trickle 0.67.0 runs on PostgreSQL 18 only.
import { pgMajor } from '../cluster/pg-major.js';
import type { Finding } from '../types.js';
import { finding, type ClusterRule } from './review.js';

export const checkPostgresMajor: ClusterRule = ({ view, ctx }): Finding[] => {
  const min = ctx.policy.requirements.minPostgresMajor;
  const pg = pgMajor(view, ctx.environment);
  const fix =
    pg.path === 'spec.imageCatalogRef.major'
      ? `set spec.imageCatalogRef.major to ${min} and reference a catalog entry for PostgreSQL ${min}`
      : `use a PostgreSQL ${min} operand image whose tag starts with the major version, e.g. imageName: ghcr.io/cloudnative-pg/postgresql:${min} (for a custom image, tag it "${min}-…", e.g. ${min}.3-pg_trickle-0.67.0)`;
  if (pg.major === undefined) {
    return [finding('PGT001', 'warn', pg.path,
      `cannot tell the PostgreSQL major version: ${pg.how}. pg_trickle needs PostgreSQL ${min}; on another major the extension does not load and no stream table is refreshed. Fix: ${fix}`)];
  }
  if (pg.major >= min) return [];
  return [finding('PGT001', 'deny', pg.path,
    `PostgreSQL major ${pg.major} is below ${min} (${pg.how}). pg_trickle is built for PostgreSQL ${min} only: the library fails to load and the scheduler never starts. Fix: ${fix}`)];
};

// Where the test data shared with the project lives (never copied into the repo).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `PGT_SHARED_DIR`, default `../shared` beside the checkout. */
export const SHARED_DIR = resolve(process.env.PGT_SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared'));
export const CNPG_SAMPLES_DIR = resolve(process.env.CNPG_SAMPLES_DIR ?? resolve(SHARED_DIR, 'cnpg', 'samples'));
export const CNPG_CRDS_DIR = resolve(process.env.CNPG_CRDS_DIR ?? resolve(SHARED_DIR, 'cnpg', 'crds'));
export const K8S_CRDS_DIR = resolve(process.env.K8S_CRDS_DIR ?? resolve(SHARED_DIR, 'k8s-crds'));
export const GUC_CATALOG_FILE = resolve(SHARED_DIR, 'pg_trickle', 'guc-catalog-0.67.0.json');

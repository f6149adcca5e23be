// The PostgreSQL major version as CNPG reads it (SPEC §1): catalog major, else the imageName tag, else the operator default.
import semver from 'semver';
import { parseImageReference } from '../image/reference.js';
import type { Environment } from '../types.js';
import { recordAt } from '../util/json.js';
import type { ClusterView } from './read.js';

export interface PgMajor {
  /** Undefined when CNPG could not determine it from the manifest either. */
  major: number | undefined;
  /** Field the version was read from, for the finding's path. */
  path: string;
  /** How it was determined, for messages. */
  how: string;
}

/** CNPG switched its default operand image to PostgreSQL 18 in 1.28; earlier releases default to 17. */
function operatorDefault(cnpgVersion: string | undefined): PgMajor {
  const path = 'spec.imageName';
  const v = cnpgVersion === undefined ? null : semver.coerce(cnpgVersion);
  if (!v) return { major: 18, path, how: 'no imageName: assumed the operator default PostgreSQL 18 (CNPG version unknown)' };
  const major = semver.gte(v, '1.28.0') ? 18 : 17;
  return { major, path, how: `no imageName: the default image of CNPG ${cnpgVersion} is PostgreSQL ${major}` };
}

export function pgMajor(view: ClusterView, env: Environment): PgMajor {
  const catalog = recordAt(view.spec, 'imageCatalogRef');
  if (catalog !== undefined) {
    const major = catalog['major'];
    const path = 'spec.imageCatalogRef.major';
    if (typeof major === 'number' && Number.isInteger(major)) return { major, path, how: `imageCatalogRef.major is ${major}` };
    return { major: undefined, path, how: 'imageCatalogRef.major is missing or not an integer' };
  }
  if (view.imageName === undefined) return operatorDefault(env.cnpgVersion);
  const path = 'spec.imageName';
  const ref = parseImageReference(view.imageName);
  const tag = ref?.tag;
  if (tag === undefined) return { major: undefined, path, how: `imageName "${view.imageName}" has no tag CNPG can read a version from` };
  const m = /^(\d+)/.exec(tag);
  if (!m?.[1]) return { major: undefined, path, how: `the tag "${tag}" of imageName does not start with a version number` };
  const major = Number(m[1]);
  return { major, path, how: `CNPG reads the leading number of the tag "${tag}" as major ${major}` };
}

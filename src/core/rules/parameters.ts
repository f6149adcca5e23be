// PGT005 (unknown pg_trickle.* names), PGT006 (bad values) and PGT007 (cdc_mode=wal without logical WAL).
import { checkParameter } from '../catalog/guc-check.js';
import { PARAMETERS_PATH } from '../cluster/names.js';
import type { Finding } from '../types.js';
import { fieldPath } from '../util/json.js';
import { parameterPath } from '../cluster/read.js';
import { sentence, finding, type ClusterRule } from './review.js';

const SILENT = 'pg_trickle does not reject it: the setting is silently ignored or defaulted, so the scheduler runs with a configuration you did not ask for';

export const checkTrickleParameters: ClusterRule = ({ view }): Finding[] => {
  const found: Finding[] = [];
  for (const [name, value] of view.parameterEntries) {
    // Other names too: checkParameter also catches near misses of the prefix (pg_trikle.enabled).
    const verdict = checkParameter(name, value);
    if (verdict.ok) continue;
    const path = fieldPath(PARAMETERS_PATH, name);
    if (verdict.problem === 'unknown-name') {
      const fix = verdict.suggestion ? `rename it to ${verdict.suggestion}` : `remove ${name}`;
      found.push(finding('PGT005', 'deny', path, `${sentence(verdict.message)} ${SILENT}. Fix: ${fix}`));
    } else {
      found.push(finding('PGT006', 'deny', path, `${sentence(verdict.message)} ${SILENT}. Fix: set ${name} to a value it accepts, as stated above`));
    }
  }
  return found;
};

export const checkWalLevel: ClusterRule = ({ view }): Finding[] => {
  const mode = view.parameters.get('pg_trickle.cdc_mode');
  const walLevel = view.parameters.get('wal_level');
  if (mode?.trim().toLowerCase() !== 'wal' || walLevel === undefined || walLevel.trim().toLowerCase() === 'logical') return [];
  return [finding('PGT007', 'deny', parameterPath(view, 'wal_level'),
    `pg_trickle.cdc_mode is "wal" but wal_level is "${walLevel}": WAL-based change capture needs logical decoding, so changes are not captured and stream tables do not refresh. ` +
    `Fix: set wal_level: "logical" (or remove it: CNPG's default is logical), or set pg_trickle.cdc_mode: "trigger"`)];
};

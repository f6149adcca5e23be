// M03 (move parameters.shared_preload_libraries into the list) and M02 (preload pg_trickle).
import { PRELOAD_LIBRARY } from '../cluster/names.js';
import { splitLibraries } from '../cluster/read.js';
import { recordAt, type JsonRecord } from '../util/json.js';
import { childList, postgresqlOf, writablePath } from './containers.js';
import type { Mutator } from './mutator.js';

const LIST = 'shared_preload_libraries';

/** The preload list can take new entries: absent (created on write) or a list; not a value of another type. */
function listWritable(copy: JsonRecord): boolean {
  const current = recordAt(recordAt(copy, 'spec'), 'postgresql')?.[LIST];
  return writablePath(copy, ['spec', 'postgresql']) && (current === undefined || Array.isArray(current));
}

/** Appends the libraries missing from the list, keeping its order and any entries already there. */
function appendLibraries(copy: JsonRecord, libraries: readonly string[]): void {
  const postgresql = postgresqlOf(copy);
  const list = postgresql && childList(postgresql, LIST);
  if (!list) return;
  for (const lib of libraries) if (!list.includes(lib)) list.push(lib);
}

export const moveParameterPreload: Mutator = {
  id: 'M03',
  apply(copy) {
    const parameters = recordAt(recordAt(recordAt(copy, 'spec'), 'postgresql'), 'parameters');
    if (!parameters || !listWritable(copy)) return false;
    // Every spelling (PostgreSQL names ignore case), in manifest order, so one run moves them all.
    const keys = Object.keys(parameters).filter((k) => k.toLowerCase() === LIST && typeof parameters[k] === 'string');
    if (keys.length === 0) return false;
    for (const key of keys) {
      appendLibraries(copy, splitLibraries(parameters[key] as string));
      delete parameters[key];
    }
    return true;
  },
};

export const preloadTrickle: Mutator = {
  id: 'M02',
  apply(copy) {
    const current = recordAt(recordAt(copy, 'spec'), 'postgresql')?.[LIST];
    if (!listWritable(copy) || (Array.isArray(current) && current.includes(PRELOAD_LIBRARY))) return false;
    appendLibraries(copy, [PRELOAD_LIBRARY]);
    return true;
  },
};

// Runs the mutators over a deep copy and diffs it against the request object (the patch never replaces whole maps).
import jsonpatch from 'fast-json-patch';
import { MUTATION_IDS, type KubeObject, type MutateOutcome, type MutationId } from '../types.js';
import { cloneJson } from '../util/json.js';
import { addExtensionEntry, annotateInjectedImage } from './extension.js';
import type { MutationContext, Mutator } from './mutator.js';
import { addDefaultParameters, sizeWorkerProcesses } from './parameters.js';
import { moveParameterPreload, preloadTrickle } from './preload.js';

/** Run order: preload first, then the extension and its annotation, defaults before the budget they feed. */
const MUTATORS: readonly Mutator[] = [
  moveParameterPreload,
  preloadTrickle,
  addExtensionEntry,
  annotateInjectedImage,
  addDefaultParameters,
  sizeWorkerProcesses,
];

export function unchanged(object: KubeObject): MutateOutcome {
  return { mutations: [], patch: [], object: cloneJson(object) };
}

export function runMutations(object: KubeObject, ctx: Omit<MutationContext, 'applied'>): MutateOutcome {
  const copy = cloneJson(object);
  const applied = new Set<MutationId>();
  for (const m of MUTATORS) if (m.apply(copy, { ...ctx, applied })) applied.add(m.id);
  const patch = jsonpatch.compare(object, copy);
  return { mutations: MUTATION_IDS.filter((id) => applied.has(id)), patch, object: copy };
}

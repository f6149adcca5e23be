// Reads the parts of a CNPG Cluster the policy looks at, tolerating any field of the wrong type.
import type { KubeObject } from '../types.js';
import { fieldPath, isRecord, recordAt, settingText, stringAt, type JsonRecord } from '../util/json.js';
import { EXTENSION_ENTRY_NAMES, PARAMETERS_PATH } from './names.js';

export interface ExtensionEntry {
  /** Position in `spec.postgresql.extensions`. */
  index: number;
  name: string;
  /** `image.reference`, undefined when absent or not a string. */
  reference: string | undefined;
}

export interface ClusterView {
  spec: JsonRecord | undefined;
  /** `spec.postgresql.shared_preload_libraries` (strings only); undefined when absent or not a list. */
  preloadList: string[] | undefined;
  /** True when `shared_preload_libraries` is present but not a list. */
  preloadListMalformed: boolean;
  /** Libraries named in `parameters.shared_preload_libraries` (CNPG refuses that parameter). */
  preloadParameter: string[];
  /**
   * `spec.postgresql.parameters` as text, keyed by lower-case name (PostgreSQL setting names are
   * case-insensitive); values that are not scalars are left out.
   */
  parameters: Map<string, string>;
  /** Lower-case name → the key as written in the manifest, for field paths and patches. */
  parameterKeys: Map<string, string>;
  /** The parameters as written, in manifest order. */
  parameterEntries: Array<[string, string]>;
  /** pg_trickle's ImageVolume extension entry, if any. */
  extensionEntry: ExtensionEntry | undefined;
  imageName: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Splits a `shared_preload_libraries` setting: comma separated, optionally double-quoted names. */
export function splitLibraries(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1').trim())
    .filter((s) => s !== '');
}

function findExtensionEntry(postgresql: JsonRecord | undefined): ExtensionEntry | undefined {
  const list = postgresql?.['extensions'];
  if (!Array.isArray(list)) return undefined;
  for (const [index, entry] of list.entries()) {
    const name = stringAt(entry, 'name');
    if (name !== undefined && EXTENSION_ENTRY_NAMES.includes(name)) {
      return { index, name, reference: stringAt(recordAt(entry, 'image'), 'reference') };
    }
  }
  return undefined;
}

/** Field path of parameter `name` (lower case), spelt as the manifest spells it. */
export function parameterPath(view: ClusterView, name: string): string {
  return fieldPath(PARAMETERS_PATH, view.parameterKeys.get(name) ?? name);
}

export function readCluster(object: KubeObject): ClusterView {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  const postgresql = recordAt(spec, 'postgresql');
  const rawPreload = postgresql?.['shared_preload_libraries'];
  const parameters = new Map<string, string>();
  const parameterKeys = new Map<string, string>();
  const parameterEntries: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(recordAt(postgresql, 'parameters') ?? {})) {
    const text = settingText(v);
    if (text === undefined) continue;
    parameters.set(k.toLowerCase(), text);
    parameterKeys.set(k.toLowerCase(), k);
    parameterEntries.push([k, text]);
  }
  const preloadParam = parameters.get('shared_preload_libraries');
  const metadata: unknown = object.metadata;
  return {
    spec,
    preloadList: Array.isArray(rawPreload) ? rawPreload.filter((s): s is string => typeof s === 'string') : undefined,
    preloadListMalformed: rawPreload !== undefined && !Array.isArray(rawPreload),
    preloadParameter: preloadParam === undefined ? [] : splitLibraries(preloadParam),
    parameters,
    parameterKeys,
    parameterEntries,
    extensionEntry: findExtensionEntry(postgresql),
    imageName: stringAt(spec, 'imageName'),
    labels: stringMap(recordAt(metadata, 'labels') ?? {}),
    annotations: stringMap(recordAt(metadata, 'annotations') ?? {}),
  };
}

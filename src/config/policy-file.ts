// Loads the policy file (SPEC §7): YAML parsed with source positions, validated with the
// shared zod schema; every problem is reported as "FILE:LINE:COL key.path: message".
import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { defaultPolicy, policySchema, type Policy } from '../core/policy/schema.js';

export interface PolicyProblem {
  line: number;
  column: number;
  /** Dotted key path, e.g. `rules.PGT099`; empty for the document itself. */
  path: string;
  message: string;
}

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: PolicyProblem[],
  ) {
    super(
      `invalid policy file ${file}:\n` +
        problems.map((p) => `  ${file}${p.line > 0 ? `:${p.line}:${p.column}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`).join('\n'),
    );
    this.name = 'PolicyFileError';
  }
}

type Path = readonly PropertyKey[];

/** Start offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document, path: Path, unknownKey?: string): number {
  const keys = path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  for (let depth = keys.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
    if (!isNode(node)) continue;
    // An unrecognised key points at the key itself, not at its parent map.
    if (depth === keys.length && unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((it) => isNode(it.key) && (it.key as Node & { value?: unknown }).value === unknownKey);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return 0;
}

function dotted(path: Path): string {
  return path.map(String).join('.');
}

/** Whether a string would have been accepted where `issue` was raised (for quoting hints). */
function expectsString(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return issue.expected === 'string';
  if (issue.code === 'invalid_union') return issue.errors.some((branch) => branch.some(expectsString));
  return false;
}

/**
 * The message of a value problem. zod says only "Invalid input" for a union (e.g.
 * environment.kubernetesVersion: "auto" or "major.minor"), and a version written without
 * quotes is a YAML number (1.30 reads as 1.3) — say so, with the fix.
 */
function valueMessage(doc: Document, path: Path, issue: z.core.$ZodIssue): string {
  const keys = path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  const node: unknown = keys.length > 0 ? doc.getIn(keys, true) : undefined;
  if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') && expectsString(issue)) {
    const source = node.source ?? String(node.value);
    return `expected a string, but YAML reads ${source} as the ${typeof node.value} ${String(node.value)}: quote it ("${source}")`;
  }
  // Our regexes carry what they accept ('"auto" or "major.minor"'); zod's own messages say "Invalid …".
  if (issue.code === 'invalid_format' && !issue.message.startsWith('Invalid')) return `expected ${issue.message}`;
  if (issue.code === 'invalid_union') {
    const custom = [...new Set(issue.errors.flat().map((i) => i.message).filter((m) => !m.startsWith('Invalid input')))];
    if (custom.length > 0) return `expected ${custom.join(' or ')}`;
    return [...new Set(issue.errors.flat().map((i) => i.message))].join('; ');
  }
  return issue.message;
}

function problemsFromZod(doc: Document, lc: LineCounter, issues: readonly z.core.$ZodIssue[]): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const at = (path: Path, message: string, unknownKey?: string): void => {
    const { line, col } = lc.linePos(offsetOf(doc, path, unknownKey));
    out.push({ line, column: col, path: dotted(unknownKey === undefined ? path : [...path, unknownKey]), message });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) at(issue.path, 'unknown key', k);
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues.map((i) => i.message).join('; ');
      // Point at the offending key, not at its value.
      const parent = issue.path.slice(0, -1);
      const key = issue.path[issue.path.length - 1];
      if (typeof key === 'string') at(parent, `invalid key: expected ${inner}`, key);
      else at(issue.path, `invalid key: expected ${inner}`);
    } else {
      at(issue.path, valueMessage(doc, issue.path, issue));
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Parses policy YAML text; `file` is only used in error messages. Throws PolicyFileError. */
export function parsePolicy(text: string, file: string): Policy {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyFileError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) return defaultPolicy();
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyFileError(file, [{ line: 1, column: 1, path: '', message: 'the policy must be a YAML mapping' }]);
  }
  const parsed = policySchema.safeParse(data);
  if (!parsed.success) throw new PolicyFileError(file, problemsFromZod(doc, lc, parsed.error.issues));
  return parsed.data;
}

/** Reads and parses a policy file; unreadable files are reported as a PolicyFileError too. */
export async function loadPolicyFile(path: string): Promise<{ policy: Policy; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new PolicyFileError(path, [{ line: 0, column: 0, path: '', message: `cannot read the file (${code})` }]);
  }
  return { policy: parsePolicy(text, path), text };
}

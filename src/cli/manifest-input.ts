// Reads Kubernetes manifests for `check`: multi-document YAML or JSON from files or stdin,
// `kind: List` expanded. Problems are reported as "FILE:LINE:COL: message".
import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../core/types.js';

export interface Manifest {
  /** File name as given (`-` shows as `<stdin>`). */
  file: string;
  /** 1-based document number in the file; `3.2` for the 2nd item of a List in document 3. */
  doc: string;
  line: number;
  object: KubeObject;
}

export class InputError extends Error {
  override name = 'InputError';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the text of one file; throws InputError naming file and line. */
export function parseManifests(text: string, file: string): Manifest[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  if (!Array.isArray(docs)) return []; // an empty stream
  const out: Manifest[] = [];
  docs.forEach((doc, i) => {
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0] ?? lc.linePos(first.pos[0]);
      throw new InputError(`${file}:${pos.line}:${pos.col}: YAML syntax error: ${first.message.split('\n')[0]}`);
    }
    const line = lc.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // empty document (e.g. a trailing ---)
    const docNo = String(i + 1);
    if (!isPlainObject(value)) {
      throw new InputError(`${file}:${line}: document ${docNo} is not an object (got ${Array.isArray(value) ? 'a list' : typeof value})`);
    }
    if (value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item: unknown, j: number) => {
        if (!isPlainObject(item)) throw new InputError(`${file}:${line}: document ${docNo} item ${j + 1} is not an object`);
        out.push({ file, doc: `${docNo}.${j + 1}`, line, object: item as KubeObject });
      });
      return;
    }
    out.push({ file, doc: docNo, line, object: value as KubeObject });
  });
  return out;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses one input (`-` = stdin). */
export async function readManifests(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<Manifest[]> {
  if (path === '-') return parseManifests(await readStdin(stdin), '<stdin>');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err));
    throw new InputError(`${path}: cannot read: ${why}`);
  }
  return parseManifests(text, path);
}

// Judges one `pg_trickle.*` parameter (name and value) against the 0.67.0 catalog. pg_trickle
// itself ignores unknown names and bad values silently, so these verdicts are the only
// place a user learns about them (rules PGT005 and PGT006).
import { closestMatch } from './edit-distance.js';
import { GUC_CATALOG_VERSION } from './guc-catalog.generated.js';
import { findGuc, gucNames, removedGuc, TRICKLE_PREFIX } from './guc-lookup.js';
import type { GucSpec, IntegerGuc, RealGuc, StringGuc } from './guc-spec.js';
import { parsePgBool, parsePgInteger, parsePgReal, type NumberReading } from './pg-values.js';

export { parsePgBool } from './pg-values.js';
export { findGuc } from './guc-lookup.js';

export type GucVerdict =
  | { ok: true }
  | { ok: false; problem: 'unknown-name'; message: string; suggestion?: string }
  | { ok: false; problem: 'bad-value'; message: string };

const OK: GucVerdict = { ok: true };
const NAMESPACE = TRICKLE_PREFIX.slice(0, -1);
const SUFFIXES: readonly string[] = gucNames().map((n) => n.slice(TRICKLE_PREFIX.length));

/** The catalog default of `name` (any case) as PostgreSQL shows it, or undefined when unknown. */
export function gucDefault(name: string): string | undefined {
  return findGuc(name)?.default;
}

/**
 * Verdict for setting `name` to `value`. Names outside the `pg_trickle.` namespace are not
 * judged (ok), except near misses of it such as `pg_trikle.enabled` or `pgtrickle.enabled`,
 * which PostgreSQL would accept as an unrelated placeholder and pg_trickle never read.
 */
export function checkParameter(name: string, value: string): GucVerdict {
  const guc = findGuc(name);
  if (guc === undefined) return unknownName(name);
  return checkValue(guc, name, value);
}

function unknownName(name: string): GucVerdict {
  const dot = name.indexOf('.');
  const namespace = dot < 0 ? '' : name.slice(0, dot).toLowerCase();
  const rest = dot < 0 ? name : name.slice(dot + 1);
  if (namespace !== NAMESPACE) {
    const known = findGuc(TRICKLE_PREFIX + rest);
    if (dot < 0 || known === undefined || closestMatch(namespace.replace(/-/g, '_'), [NAMESPACE]) === undefined) return OK;
    return {
      ok: false,
      problem: 'unknown-name',
      message: `${name} is not a pg_trickle parameter: the prefix must be exactly "${TRICKLE_PREFIX}". Did you mean ${known.name}?`,
      suggestion: known.name,
    };
  }
  const gone = removedGuc(name);
  if (gone !== undefined) {
    const family = gone.label.endsWith('*') ? ` (${gone.label})` : '';
    const hint = mentionedGuc(gone.note);
    const message = `${name} is not a pg_trickle ${GUC_CATALOG_VERSION} parameter${family}: ${gone.note}.`;
    return hint === undefined ? { ok: false, problem: 'unknown-name', message } : { ok: false, problem: 'unknown-name', message, suggestion: hint };
  }
  const near = closestMatch(rest.toLowerCase(), SUFFIXES);
  if (near === undefined) {
    return { ok: false, problem: 'unknown-name', message: `${name} is not a pg_trickle ${GUC_CATALOG_VERSION} parameter.` };
  }
  const suggestion = TRICKLE_PREFIX + near;
  return {
    ok: false,
    problem: 'unknown-name',
    message: `${name} is not a pg_trickle ${GUC_CATALOG_VERSION} parameter; did you mean ${suggestion}?`,
    suggestion,
  };
}

/** The first real parameter a catalog note points to ("see pg_trickle.x", "the closest is pg_trickle.y"). */
function mentionedGuc(note: string): string | undefined {
  for (const m of note.matchAll(/pg_trickle\.[a-z0-9_]+/g)) {
    const guc = findGuc(m[0]);
    if (guc !== undefined) return guc.name;
  }
  return undefined;
}

function checkValue(guc: GucSpec, name: string, value: string): GucVerdict {
  switch (guc.type) {
    case 'bool':
      if (parsePgBool(value) !== undefined) return OK;
      return bad(name, value, 'a Boolean: on/off, true/false, yes/no or 1/0', value.trim() !== value && parsePgBool(value.trim()) !== undefined);
    case 'integer':
      return checkNumber(guc, name, value, parsePgInteger(value), 'an integer');
    case 'real':
      return checkNumber(guc, name, value, parsePgReal(value), 'a number');
    case 'string':
      return checkString(guc, name, value);
  }
}

function checkNumber(guc: IntegerGuc | RealGuc, name: string, value: string, reading: NumberReading, kind: string): GucVerdict {
  const allowed = `${kind} from ${guc.min} to ${guc.max}`;
  if (reading.ok) {
    if (reading.value >= Number(guc.min) && reading.value <= Number(guc.max)) return OK;
    return badValue(`${name} must be ${allowed}; "${value}" is out of range.`);
  }
  switch (reading.reason) {
    case 'unit':
      return badValue(`${name} takes a bare number without a unit (pg_trickle registers it without units); "${value}" has one. Allowed: ${allowed}.`);
    case 'fraction':
      return badValue(`${name} must be a whole number; PostgreSQL would round "${value}". Allowed: ${allowed}.`);
    case 'leading-zero':
      return badValue(`${name}: "${value}" starts with 0, which PostgreSQL reads as octal; write it without leading zeros. Allowed: ${allowed}.`);
    case 'notation':
      return badValue(`${name} takes a plain decimal integer; write "${value}" as digits only (no plus sign, exponent, decimal point or hex). Allowed: ${allowed}.`);
    case 'not-a-number':
      return bad(name, value, allowed, false);
  }
}

// Formats pg_trickle checks itself, for string parameters whose catalog note describes one.
const STRING_FORMATS: Readonly<Record<string, { test: (v: string) => boolean; allowed: string }>> = {
  'pg_trickle.frontier_holdback_mode': {
    test: (v) => /^(xmin|none|lsn:[1-9]\d*)$/i.test(v),
    allowed: `'xmin', 'none' or 'lsn:<N>' with N a positive integer`,
  },
};

function checkString(guc: StringGuc, name: string, value: string): GucVerdict {
  const format = STRING_FORMATS[guc.name];
  if (format !== undefined) return format.test(value) ? OK : bad(name, value, format.allowed, value.trim() !== value && format.test(value.trim()));
  if (guc.values === undefined) return OK;
  const lower = value.toLowerCase();
  if (guc.values.some((v) => v.toLowerCase() === lower)) return OK;
  const trimmed = value.trim().toLowerCase();
  const verdict = bad(name, value, `one of ${guc.values.join(', ')}`, guc.values.some((v) => v.toLowerCase() === trimmed));
  // A note that quotes the rejected value explains it, e.g. merge_strategy 'delete_insert'.
  if (!verdict.ok && guc.note !== undefined && lower.length > 0 && guc.note.toLowerCase().includes(`'${lower}'`)) {
    return badValue(`${verdict.message} Note: ${guc.note}.`);
  }
  return verdict;
}

function bad(name: string, value: string, allowed: string, onlyWhitespace: boolean): GucVerdict {
  const shown = value.length === 0 ? 'the empty string' : `"${value}"`;
  const fix = onlyWhitespace ? ' Remove the surrounding spaces: PostgreSQL does not trim them.' : '';
  return badValue(`${name} must be ${allowed}; got ${shown}.${fix}`);
}

function badValue(message: string): GucVerdict {
  return { ok: false, problem: 'bad-value', message };
}

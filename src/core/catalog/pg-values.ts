// How PostgreSQL reads GUC values of type bool, integer and real (guc.c parse_bool/parse_int/
// parse_real), so the webhook accepts exactly what the server would use as written.

/**
 * PostgreSQL's Boolean spellings, case-insensitive: on/off, true/false, yes/no, 1/0, and
 * unique prefixes (t, tr, f, y, n, of; a lone "o" is ambiguous). Like the server's GUC
 * parser it does not trim: " on" is not a Boolean. Anything else is `undefined`.
 */
export function parsePgBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v.length === 0) return undefined;
  if (v === '1') return true;
  if (v === '0') return false;
  const prefixOf = (word: string, minLength: number): boolean => v.length >= minLength && word.startsWith(v);
  if (prefixOf('true', 1) || prefixOf('yes', 1) || prefixOf('on', 2)) return true;
  if (prefixOf('false', 1) || prefixOf('no', 1) || prefixOf('off', 2)) return false;
  return undefined;
}

export type NumberReading =
  | { ok: true; value: number }
  | { ok: false; reason: 'not-a-number' | 'unit' | 'fraction' | 'leading-zero' | 'notation' };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^[+-]?0[xX][0-9a-fA-F]+$/;
// PostgreSQL's memory and time units, and the spellings people write for them.
const WITH_UNIT = /^[+-]?(?:\d+\.?\d*|\.\d+)\s*(?:[kmgt]?b|us|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;

/**
 * An integer GUC value: a bare decimal integer, optionally negative, surrounding whitespace
 * allowed (PostgreSQL skips it). PostgreSQL would also take `+8`, hex, `1e3` and `100.0`,
 * but reads a leading 0 as octal ("010" is 8) and silently rounds fractions ("1.5" is 2);
 * the webhook asks for the plain form SPEC §1 documents, so every reader of the manifest
 * (people and the worker-budget arithmetic) sees the number the server uses.
 */
export function parsePgInteger(value: string): NumberReading {
  const v = value.trim();
  if (/^-?\d+$/.test(v)) {
    if (/^-?0\d/.test(v)) return { ok: false, reason: 'leading-zero' };
    return { ok: true, value: Number(v) };
  }
  if (HEX.test(v)) return { ok: false, reason: 'notation' };
  if (DECIMAL.test(v)) {
    const n = Number(v);
    if (!Number.isFinite(n)) return { ok: false, reason: 'not-a-number' };
    return { ok: false, reason: Number.isInteger(n) ? 'notation' : 'fraction' };
  }
  return { ok: false, reason: WITH_UNIT.test(v) ? 'unit' : 'not-a-number' };
}

/** A real GUC value without unit (decimal or exponent notation, surrounding whitespace allowed). */
export function parsePgReal(value: string): NumberReading {
  const v = value.trim();
  if (DECIMAL.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: 'not-a-number' };
  }
  return { ok: false, reason: WITH_UNIT.test(v) ? 'unit' : 'not-a-number' };
}

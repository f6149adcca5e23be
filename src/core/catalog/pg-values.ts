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
  | { ok: false; reason: 'not-a-number' | 'unit' | 'fraction' | 'leading-zero' };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^[+-]?0[xX][0-9a-fA-F]+$/;
// PostgreSQL's memory and time units, and the spellings people write for them.
const WITH_UNIT = /^[+-]?(?:\d+\.?\d*|\.\d+)\s*(?:[kmgt]?b|us|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;

/**
 * An integer GUC value without unit. PostgreSQL skips surrounding whitespace and accepts
 * hex; it reads a leading 0 as octal ("010" is 8) and silently rounds fractions ("1.5" is 2),
 * so both are refused here rather than let the server use a number the user did not write.
 */
export function parsePgInteger(value: string): NumberReading {
  const v = value.trim();
  if (HEX.test(v)) {
    const magnitude = Number.parseInt(v.replace(/^[+-]?0[xX]/, ''), 16);
    return { ok: true, value: v.startsWith('-') ? -magnitude : magnitude };
  }
  if (DECIMAL.test(v)) {
    const n = Number(v);
    if (!Number.isFinite(n)) return { ok: false, reason: 'not-a-number' };
    if (!Number.isInteger(n)) return { ok: false, reason: 'fraction' };
    if (/^[+-]?0\d/.test(v)) return { ok: false, reason: 'leading-zero' };
    return { ok: true, value: n };
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

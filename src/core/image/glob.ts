// The policy's image patterns (SPEC §7): `*` matches any run of characters, `/`, `:` and `@`
// included; every other character is literal. Matched without regular expressions, so a
// pattern can neither smuggle in regex syntax nor backtrack exponentially on a long reference.
import { formatImageReference, parseImageReference } from './reference.js';

/** Whether `text` matches `pattern` as a whole. O(pattern × text) worst case. */
export function matchesGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (starP >= 0) {
      // Let the last star swallow one more character and retry from there.
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Whether any pattern matches the reference as written or its fully qualified form, so
 * `docker.io/library/postgres:*` also admits `postgres:18` (the same image).
 */
export function matchesAny(patterns: readonly string[], ref: string): boolean {
  const parsed = parseImageReference(ref);
  const full = parsed === undefined ? undefined : formatImageReference(parsed);
  return patterns.some((pattern) => matchesGlob(pattern, ref) || (full !== undefined && full !== ref && matchesGlob(pattern, full)));
}

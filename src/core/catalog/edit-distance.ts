// Typo distance for "did you mean": optimal string alignment (Levenshtein plus adjacent
// transposition), so "enalbed" is one edit from "enabled". Hand-written rather than a
// dependency: ~30 lines, and no package in the tree does transpositions.

// Rows reused between calls: suggestions run on the admission path, once per unknown
// parameter against every catalog name, and allocation dominated the cost.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Edits (insert, delete, substitute, swap neighbours) turning `a` into `b`. With `limit`,
 * stops as soon as the answer must exceed it and returns `limit + 1`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  // Values are capped at `cap`; min and +1 commute with capping, so results below it are exact.
  const cap = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) + 1 : a.length + b.length + 1;
  if (Math.abs(a.length - b.length) >= cap) return cap;
  if (a.length === 0 || b.length === 0) return Math.max(a.length, b.length);
  if (rows[0].length <= b.length) rows = [new Int32Array(b.length + 1), new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  // Three rolling rows: two back is needed for transpositions.
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = Math.min(j, cap);
  let previousMin = 0;
  for (let i = 1; i <= a.length; i++) {
    current[0] = Math.min(i, cap);
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      if (best > cap) best = cap;
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // Later cells build on this row or the one before it (transpositions), never on less.
    if (rowMin >= cap && previousMin >= cap) return cap;
    previousMin = rowMin;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo: at most
 * 1 edit for words up to 4 characters, 2 up to 10, 3 beyond. Ties go to the first candidate.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate, bestDistance - 1);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Typos: how many a word of some length may have, how far apart two words are, and the
 * typo neighbourhood the phrase index looks words up by.
 */

/** Typos tolerated in a word of this length: none below 5 letters, where they make other words. */
export function maxTypos(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: one transposition of neighbours
 * counts as one typo). Gives up with `max + 1` as soon as the distance must exceed `max`.
 */
export function typoDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/*
 * The typo neighbourhood of a word is every string made by deleting up to `typoDepth` of its
 * letters; two words within k typos (transpositions included) always share a string of
 * their k-deletion neighbourhoods, so looking a word up by its neighbourhood finds every
 * word a typo could reach (typoDistance then says whether it does).
 */

/** Deletions enough to meet every typo: 2 typos need 9 letters on one side, so 7+ on both. */
export function typoDepth(length: number): number {
  return length >= 7 ? 2 : 1;
}

/** The word and every string made by deleting up to `depth` of its letters. */
export function deletionNeighbourhood(word: string, depth: number): Set<string> {
  const found = new Set([word]);
  let frontier = [word];
  for (let round = 0; round < depth; round++) {
    const next: string[] = [];
    for (const variant of frontier) {
      for (let i = 0; i < variant.length; i++) {
        const shorter = variant.slice(0, i) + variant.slice(i + 1);
        if (!found.has(shorter)) {
          found.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return found;
}

/**
 * Calls `visit` with the word and every string made by deleting up to `depth` (one or two)
 * of its letters, the strings deletionNeighbourhood gives, without collecting them: one may
 * come twice (a doubled letter deleted either way). A typed word is looked up by its
 * neighbourhood once, and collecting it in a set cost as much as the lookups.
 */
export function forEachDeletion(word: string, depth: number, visit: (variant: string) => void): void {
  if (depth > 2) throw new RangeError('forEachDeletion: at most two deletions');
  visit(word);
  if (depth < 1) return;
  for (let i = 0; i < word.length; i++) {
    const head = word.slice(0, i);
    visit(head + word.slice(i + 1));
    if (depth < 2) continue;
    // The second deletion after the first: every pair of letters once.
    for (let j = i + 1; j < word.length; j++) visit(head + word.slice(i + 1, j) + word.slice(j + 1));
  }
}

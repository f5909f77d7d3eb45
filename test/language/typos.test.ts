import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deletionNeighbourhood, forEachDeletion } from '../../src/language/typos.js';

function visited(word: string, depth: number): Set<string> {
  const variants = new Set<string>();
  forEachDeletion(word, depth, (variant) => variants.add(variant));
  return variants;
}

describe('forEachDeletion', () => {
  it('visits exactly the typo neighbourhood, for one and for two deletions', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'e', 'l', 'o'), maxLength: 12 }), fc.constantFrom(1, 2), (word, depth) => {
        expect(visited(word, depth)).toEqual(deletionNeighbourhood(word, depth));
      }),
    );
  });

  it('visits a word of four letters once whole, 4 times with one letter less and 6 times with two less', () => {
    const seen: string[] = [];
    forEachDeletion('abcd', 2, (variant) => seen.push(variant));
    expect(seen).toEqual(['abcd', 'bcd', 'cd', 'bd', 'bc', 'acd', 'ad', 'ac', 'abd', 'ab', 'abc']);
  });

  it('refuses a depth it would get wrong', () => {
    expect(() => forEachDeletion('abcdef', 3, () => undefined)).toThrow(RangeError);
  });
});

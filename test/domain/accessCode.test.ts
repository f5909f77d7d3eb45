import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatAccessCode, lookAlikeCharacters, normalizeAccessCode } from '../../src/domain/accessCode.js';

describe('normalizeAccessCode', () => {
  it.each([
    ['OAK7Q2M9', 'OAK7Q2M9'],
    ['oak7q2m9', 'OAK7Q2M9'],
    ['oak7 q2m9', 'OAK7Q2M9'],
    ['  OAK7-Q2M9  ', 'OAK7Q2M9'],
    ['oak7_q2m9.', 'OAK7Q2M9'],
    ['OAK7\tQ2M9\n', 'OAK7Q2M9'],
    ['OAK7\u00A0Q2M9', 'OAK7Q2M9'], // non-breaking space
    ['OAK7\u2013Q2M9', 'OAK7Q2M9'], // en dash, as word processors and PDFs print it
    ['OAK7\u2011Q2M9', 'OAK7Q2M9'], // non-breaking hyphen
    ['OAK7\u2212Q2M9', 'OAK7Q2M9'], // minus sign
    ['OAK7\u200BQ2M9', 'OAK7Q2M9'], // zero-width space
    ['', ''],
    [' - ', ''],
  ])('%j → %j', (raw, normalized) => {
    expect(normalizeAccessCode(raw)).toBe(normalized);
  });
  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeAccessCode(normalizeAccessCode(s)) === normalizeAccessCode(s)));
  });
  it('keeps letters and digits, in order', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Z0-9]{0,12}$/), fc.array(fc.constantFrom(' ', '-', '_', '.'), { maxLength: 12 }), (code, noise) => {
      const typed = [...code].map((c, i) => (i % 2 ? c.toLowerCase() : c) + (noise[i] ?? '')).join('');
      return normalizeAccessCode(typed) === code;
    }));
  });
});

describe('formatAccessCode', () => {
  it.each([
    ['oak7q2m9', 'OAK7 Q2M9'],
    ['OAK7-Q2M9', 'OAK7 Q2M9'],
    ['kdg4 77qp', 'KDG4 77QP'],
    ['ABC', 'ABC'],
    ['ABCD', 'ABCD'],
    ['ABCDE', 'ABCD E'],
    ['ABCDEFGHIJKL', 'ABCD EFGH IJKL'],
    ['', ''],
  ])('%j → %j', (raw, formatted) => {
    expect(formatAccessCode(raw)).toBe(formatted);
  });
  it('formats back to the same code', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Z0-9]{0,16}$/), (code) => normalizeAccessCode(formatAccessCode(code)) === code));
  });
});

describe('lookAlikeCharacters', () => {
  it('lists each look-alike once, in order of appearance', () => {
    expect(lookAlikeCharacters('o0o1 i')).toEqual([
      { typed: 'O', maybe: '0' },
      { typed: '0', maybe: 'O' },
      { typed: '1', maybe: 'I' },
      { typed: 'I', maybe: '1' },
    ]);
  });
  it('knows the usual confusions', () => {
    expect(lookAlikeCharacters('L5S8B2Z')).toEqual([
      { typed: 'L', maybe: '1' },
      { typed: '5', maybe: 'S' },
      { typed: 'S', maybe: '5' },
      { typed: '8', maybe: 'B' },
      { typed: 'B', maybe: '8' },
      { typed: '2', maybe: 'Z' },
      { typed: 'Z', maybe: '2' },
    ]);
  });
  it('is empty for a code without look-alikes', () => {
    expect(lookAlikeCharacters('KDG4 77QP')).toEqual([]);
    expect(lookAlikeCharacters('')).toEqual([]);
  });
  it('works on the normalised code (lower case, separators)', () => {
    expect(lookAlikeCharacters('-o-')).toEqual([{ typed: 'O', maybe: '0' }]);
  });
  it('never suggests the character itself, and only characters of the code', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const code = normalizeAccessCode(s);
      const found = lookAlikeCharacters(s);
      return found.every((l) => l.typed !== l.maybe && code.includes(l.typed)) && new Set(found.map((l) => l.typed)).size === found.length;
    }));
  });
});

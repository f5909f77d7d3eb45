import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accessCodeKey, formatAccessCode, lookAlikeCharacters, normalizeAccessCode, sameAccessCode } from '../../src/domain/accessCode.js';

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
    expect(lookAlikeCharacters('s5s8 b')).toEqual([
      { typed: 'S', maybe: '5' },
      { typed: '5', maybe: 'S' },
      { typed: '8', maybe: 'B' },
      { typed: 'B', maybe: '8' },
    ]);
  });
  it('knows the usual confusions, except those that already match (O/0, I/L/1)', () => {
    expect(lookAlikeCharacters('OIL015S8B2Z')).toEqual([
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
    expect(lookAlikeCharacters('-s-')).toEqual([{ typed: 'S', maybe: '5' }]);
  });
  it('never suggests the character itself, and only characters of the code', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const code = normalizeAccessCode(s);
      const found = lookAlikeCharacters(s);
      return found.every((l) => l.typed !== l.maybe && code.includes(l.typed)) && new Set(found.map((l) => l.typed)).size === found.length;
    }));
  });
});

describe('accessCodeKey: look-alikes read as Crockford Base32 reads them', () => {
  it.each<[string, string]>([
    ['OAK7Q2M9', '0AK7Q2M9'],
    ['0AK7Q2M9', '0AK7Q2M9'],
    ['oak7-q2m9', '0AK7Q2M9'],
    ['F0XB1K7T', 'F0XB1K7T'],
    ['FOXBIK7T', 'F0XB1K7T'],
    ['foxblk7t', 'F0XB1K7T'],
    ['KDG4 77QP', 'KDG477QP'],
  ])('%s → %s', (typed, key) => {
    expect(accessCodeKey(typed)).toBe(key);
  });
  it('matches O with 0 and I, L with 1, nothing else', () => {
    expect(sameAccessCode('0AK7Q2M9', 'OAK7Q2M9')).toBe(true);
    expect(sameAccessCode('FOXBLK7T', 'F0XB1K7T')).toBe(true);
    expect(sameAccessCode('RJ6TCX9B', 'RJ6TCX98')).toBe(false);
    expect(sameAccessCode('MXR29PLT', 'MXRZ9PLT')).toBe(false);
  });
  it('is idempotent and agrees with normalisation', () => {
    fc.assert(fc.property(fc.string(), (s) => accessCodeKey(accessCodeKey(s)) === accessCodeKey(s) && accessCodeKey(normalizeAccessCode(s)) === accessCodeKey(s)));
  });
});

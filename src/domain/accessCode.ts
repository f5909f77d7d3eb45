/**
 * Access codes as people type them. Codes match case-insensitively, ignore spaces, dashes
 * and dots, and read look-alike characters as the same (O and 0; I, L and 1), the way
 * Crockford's Base32 reads them: everything inside the bot works on the normalised form,
 * and the platform compares codes by their key.
 */

/** How many characters the codes on the cards have (printed as two groups of four). */
export const PRINTED_CODE_LENGTH = 8;

/**
 * Uppercase, without spaces, dashes, dots or underscores. "Dashes" include the Unicode
 * ones (en dash, non-breaking hyphen, minus sign…) and "spaces" the zero-width ones, which
 * a code copied out of a PDF letter or a word processor often carries.
 */
export function normalizeAccessCode(raw: string): string {
  return raw.replace(/[\s\p{Pd}\u2212_.\u200B-\u200D\u2060\uFEFF]/gu, '').toUpperCase();
}

/** Groups of four, the way codes are printed on cards: `OAK7 Q2M9`. */
export function formatAccessCode(code: string): string {
  return normalizeAccessCode(code).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The form two codes are compared in: normalised, with O read as 0 and I and L as 1
 * (Crockford's Base32 decoding). "0AK7-Q2M9" and "oak7q2m9" have the same key, so a code
 * typed with a zero for the letter O still finds its gallery.
 */
export function accessCodeKey(code: string): string {
  return normalizeAccessCode(code).replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Whether two spellings are the same code (see accessCodeKey). */
export function sameAccessCode(a: string, b: string): boolean {
  return accessCodeKey(a) === accessCodeKey(b);
}

/**
 * Characters printed codes are easily misread by, each with what it is often confused with.
 * O/0 and I/L/1 are not among them: those already match (accessCodeKey).
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '5': 'S',
  S: '5',
  '8': 'B',
  B: '8',
  '2': 'Z',
  Z: '2',
};

export interface LookAlike {
  typed: string;
  maybe: string;
}

/** The look-alike characters in a code, each once, in the order they appear. */
export function lookAlikeCharacters(code: string): LookAlike[] {
  const seen = new Set<string>();
  const result: LookAlike[] = [];
  for (const typed of normalizeAccessCode(code)) {
    const maybe = LOOK_ALIKES[typed];
    if (maybe !== undefined && !seen.has(typed)) {
      seen.add(typed);
      result.push({ typed, maybe });
    }
  }
  return result;
}

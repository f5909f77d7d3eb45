/**
 * Access codes as people type them. Codes match case-insensitively and ignore spaces
 * and dashes, so everything inside the bot works on the normalised form.
 */

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

/** Characters printed codes are easily misread by: each with what it is often confused with. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '0': 'O',
  O: '0',
  '1': 'I',
  I: '1',
  L: '1',
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

/**
 * Text as the bot compares it: folded into plain lowercase letters, so that case, accents
 * and typographic variants never make two spellings differ. The one folding of the bot:
 * the recognizer (./phraseMatching.ts, ./accessCodes.ts, ./phraseLanguage.ts), the date
 * parser and the platform's job search all fold with these two functions, so "Décembre",
 * "décembre" and "DECEMBRE" are one word everywhere. Also blanks out markup that is never a
 * phrase or an access code.
 */
import { rememberRecentTexts } from './recentTexts.js';

/**
 * Lowercase, without accents; ß→ss, œ→oe, æ→ae, ø→o, ł→l; one kind of apostrophe and of
 * dash; single spaces. Punctuation stays, for readers to whom it means something (a date's
 * dots and slashes, a job name's dash).
 */
export const foldLetters: (text: string) => string = rememberRecentTexts((text) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/[\p{Pd}\u2212]/gu, '-')
    .replace(/\s+/gu, ' ')
    .trim(),
);

/**
 * Folded letters (foldLetters) as words: no punctuation or emoji. English negations stay one
 * word ("doesn't" → "doesnt") so the rewrite table can expand them; other apostrophes split
 * words ("d'accès" → "d acces", "foto's" → "foto s").
 */
export const foldText: (text: string) => string = rememberRecentTexts((text) =>
  foldLetters(text)
    .replace(/n't\b/g, 'nt')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim(),
);

/** Folded words made of two letters or more, not codes or numbers: "hi??" has one, "ABCD 2345" none. */
export function letterWords(text: string): string[] {
  return splitWords(foldText(text)).filter((word) => /^\p{L}{2,}$/u.test(word));
}

/** The words of a folded text. */
export function splitWords(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

/**
 * HTML tags, e-mail addresses and links: never a phrase, never an access code. Blanked with
 * as many spaces as they had characters, so positions in the result are positions in the text.
 */
export function stripMarkup(text: string): string {
  const blank = (match: string): string => ' '.repeat(match.length);
  return blankEmailAddresses(text.replace(/<[^<>]{0,500}>/g, blank).replace(/\b(?:https?:\/\/|www\.)\S+/gi, blankLink));
}

/** A code in a link's query, as shop e-mails send it (`…/login?code=QF7MZ3KD`). */
const LINK_CODE = /[?&](?:access_?code|code|zugangscode)=([A-Za-z0-9-]{4,16})(?=$|[&#])/i;

/** A link blanked, but for the value of its `code` parameter, in the same place. */
function blankLink(link: string): string {
  const match = LINK_CODE.exec(link);
  if (match === null) return ' '.repeat(link.length);
  const value = match[1]!;
  const start = match.index + match[0].length - value.length;
  return ' '.repeat(start) + value + ' '.repeat(link.length - start - value.length);
}

/**
 * Blanks every whitespace-delimited word holding an "@". Done by hand: a regex such as
 * /\S+@\S+/ takes quadratic time on a long run of characters without a space.
 */
function blankEmailAddresses(text: string): string {
  let at = text.indexOf('@');
  if (at < 0) return text;
  let result = '';
  let position = 0;
  while (at >= 0) {
    let start = at;
    while (start > position && !/\s/.test(text[start - 1] ?? ' ')) start--;
    let end = at + 1;
    while (end < text.length && !/\s/.test(text[end] ?? ' ')) end++;
    result += text.slice(position, start) + ' '.repeat(end - start);
    position = end;
    at = text.indexOf('@', end);
  }
  return result + text.slice(position);
}

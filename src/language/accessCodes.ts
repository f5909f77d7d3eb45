/**
 * Access codes in what people write: every code in a message, however it is grouped, and
 * nothing that only looks like one.
 *
 * The rule. Codes are printed as 8 letters and digits, usually in two groups of four
 * ("RIV5 T4W7", "MXR2-9PLT", "OAK7Q2M9"), and people regroup them as they read them off a
 * card: "RJ6 TCX 9B", "RJ-6T-CX-9B", "rj6.tcx.9b", or with invisible characters copied out
 * of a PDF. A candidate is a run of one to four groups of ASCII letters and digits, joined by
 * one to three spaces, a dash (spaces around it allowed), a dot or an underscore, where
 * - the whole holds at least one letter and one digit, and is 6–12 characters long;
 * - several groups are 2–6 characters each; three or four groups, or a group of two, must
 *   make exactly the printed 8 ("RJ6 TCX 9B");
 * - groups joined only by spaces include one that mixes letters and digits ("riv5 t4w7"),
 *   so two ordinary words and a number never make a code;
 * - no all-letter group is a word the phrase files know ("photos", "code", "room") or a
 *   word that names a numbered thing ("job-4102", "Auftrag 4102", "commande 4102": the
 *   number after such a word is theirs, never part of a code);
 * - no group mixing letters and digits is an ordinal, a time or a unit ("2nd", "10am",
 *   "12h30", "1920x1080"), a date with a month ("20dec2026"), a word followed by a short
 *   number or a year ("covid19", "summer2025") or a known word glued to a number ("photos2024"),
 *   unless it has only two characters ("8P") or is one of three or four groups glued by dashes
 *   or dots, as printed ("GPF-3HR-8N");
 * Numbers alone (dates, prices, phone numbers, years) never have letters, so are never codes;
 * e-mail addresses, links and HTML tags are blanked before looking.
 *
 * Where candidates overlap, the printed length wins, then the one with more groups mixing
 * letters and digits ("2026 KDG4 77QP" is KDG477QP), then the first. When the message holds a
 * candidate of the printed length, shorter or longer ones are not taken for codes.
 */
import { accessCodeKey, normalizeAccessCode, PRINTED_CODE_LENGTH } from '../domain/accessCode.js';
import { rememberRecentTexts } from './recentTexts.js';
import { foldText, splitWords, stripMarkup } from './textFolding.js';
import { CODE_ANSWER_FILLER, KNOWN_WORDS, REFERENCE_WORDS } from './vocabulary.js';

/** Characters searched for access codes (linear work, so it can afford more than the phrase matchers). */
const MAX_CODE_INPUT = 20_000;
/** How many characters a code has on the card. */
const PRINTED_LENGTH = PRINTED_CODE_LENGTH;
const MAX_GROUPS = 4;

/** Characters nobody sees: copied with a code out of a PDF letter or a word processor. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/gu;

const SPACES = /^[ \t]{1,3}$/;
/** A dash (any kind) with at most one space either side, a dot or an underscore. */
const JOINER = /^(?:[ \t]?[\p{Pd}\u2212][ \t]?|\.|_)$/u;

const NUMBER_WITH_UNIT =
  /^\d+(?:st|nd|rd|th|er|e|eme|am|pm|h|hrs?|mins?|sec|uhr|eur|euros?|usd|chf|gbp|px|cm|mm|km|kg|gb|mb|kb|tb|p|k|x|fps|mp)$/;

interface Token {
  text: string;
  start: number;
  end: number;
  /** Only letters A–Z and digits. */
  ascii: boolean;
  /** A number right after a word such as "job" or "Auftrag": part of that reference. */
  referenced: boolean;
}

interface Candidate {
  start: number;
  end: number;
  code: string;
  /** Groups that mix letters and digits: the more, the more it looks like a code. */
  mixedGroups: number;
}

function hasLetter(text: string): boolean {
  return /[a-z]/i.test(text);
}

function hasDigit(text: string): boolean {
  return /\d/.test(text);
}

function mixes(group: string): boolean {
  return hasLetter(group) && hasDigit(group);
}

function isWord(lower: string): boolean {
  return KNOWN_WORDS.has(lower) || REFERENCE_WORDS.has(lower);
}

/** A known word, or a known word glued to a number ("photos2024", "4you", "password123"). */
function containsKnownWord(part: string): boolean {
  const lower = part.toLowerCase();
  if (isWord(lower)) return true;
  const glued = /^(\d*)([a-z]+)(\d*)$/.exec(lower);
  // Three letters at least: two-letter words ("ta", "de") are too common inside real codes.
  return glued !== null && (glued[1] !== '' || glued[3] !== '') && (glued[2] ?? '').length >= 3 && isWord(glued[2] ?? '');
}

function looksLikeNonCode(part: string): boolean {
  const lower = part.toLowerCase();
  return (
    NUMBER_WITH_UNIT.test(lower) ||
    /^\d+x\d+$/.test(lower) || // 1920x1080
    /^\d{1,2}h\d{2}$/.test(lower) || // 12h30
    /^\d{1,2}[a-z]{3,9}\d{2,4}$/.test(lower) || // 20dec2026
    /^[a-z]{4,}\d{1,2}$/.test(lower) || // covid19, windows10
    /^[a-z]{3,}(?:19|20)\d{2}$/.test(lower) || // summer2025
    containsKnownWord(lower)
  );
}

/** The code these groups make, normalised, when they make one (the rule above); else null. */
function codeOf(groups: readonly string[], spacedOnly: boolean): string | null {
  const code = groups.join('').toUpperCase();
  if (code.length < 6 || code.length > 12 || !hasLetter(code) || !hasDigit(code)) return null;
  if (groups.length === 1) return looksLikeNonCode(code) ? null : code;
  if (groups.some((group) => group.length < 2 || group.length > 6)) return null;
  if ((groups.length > 2 || groups.some((group) => group.length < 3)) && code.length !== PRINTED_LENGTH) return null;
  if (spacedOnly && !groups.some(mixes)) return null;
  for (const group of groups) {
    if (!hasDigit(group) && containsKnownWord(group)) return null;
    // Two characters say too little to be a unit or an ordinal ("8P"), and three or more
    // groups glued by dashes or dots are printed, not a time ("GPF-3HR-8N").
    const printedGroups = !spacedOnly && groups.length > 2;
    if (mixes(group) && group.length > 2 && !printedGroups && looksLikeNonCode(group)) return null;
  }
  return code;
}

/** The text as the code finder reads it: wide characters made narrow, invisible ones gone, markup blanked. */
function prepare(text: string): string {
  return stripMarkup(text.slice(0, MAX_CODE_INPUT).normalize('NFKC').replace(INVISIBLE, ''));
}

function tokensOf(text: string): Token[] {
  const tokens: Token[] = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
    ascii: /^[A-Za-z0-9]+$/.test(match[0]),
    referenced: false,
  }));
  tokens.forEach((token, i) => {
    const before = tokens[i - 1];
    if (!before || !/^\d+$/.test(token.text)) return;
    const between = text.slice(before.end, token.start);
    if (/^[ \t]{0,3}[\p{Pd}#:.°]?[ \t]{0,3}$/u.test(between) && REFERENCE_WORDS.has(foldText(before.text))) {
      token.referenced = true;
    }
  });
  return tokens;
}

/**
 * Whether the groups from token `first` to token `last` are glued (a dash, a dot or an
 * underscore, no space) to more letters or digits: then they are a piece of a longer
 * identifier ("INV-2026-0042", "photo_2026_ab12cd34"), and a code is never a piece.
 */
function partOfLongerId(text: string, tokens: readonly Token[], first: number, last: number): boolean {
  const glued = /^[\p{Pd}\u2212._]$/u;
  const before = tokens[first - 1];
  const after = tokens[last + 1];
  return (
    (before !== undefined && glued.test(text.slice(before.end, tokens[first]!.start))) ||
    (after !== undefined && glued.test(text.slice(tokens[last]!.end, after.start)))
  );
}

/** Between the characters of a code spelled out: one space, or a dash with a space or none around it. */
const SPELLED_APART = /^(?: |[ ]?[\p{Pd}][ ]?)$/u;

/**
 * A code spelled out one character at a time, as people read it off a card: "P Z 8 V K E 2 W",
 * "P-Z-8-V-K-E-2-W". Eight single letters and digits, one space or dash apart; null otherwise.
 */
function spelledOut(text: string, tokens: readonly Token[], first: number): Candidate | null {
  if (tokens[first]!.text.length !== 1) return null;
  const singles = tokens.slice(first, first + PRINTED_LENGTH);
  if (singles.length < PRINTED_LENGTH || singles.some((token) => token.text.length !== 1 || !token.ascii || token.referenced)) return null;
  const apart = singles.slice(1).every((token, k) => SPELLED_APART.test(text.slice(singles[k]!.end, token.start)));
  const code = singles.map((token) => token.text).join('').toUpperCase();
  if (!apart || !hasLetter(code) || !hasDigit(code) || partOfLongerId(text, tokens, first, first + PRINTED_LENGTH - 1)) return null;
  // A ninth single character right before or after it: a longer spelled-out string, not a code of eight.
  const before = tokens[first - 1];
  const after = tokens[first + PRINTED_LENGTH];
  if (before !== undefined && before.text.length === 1 && SPELLED_APART.test(text.slice(before.end, singles[0]!.start))) return null;
  if (after !== undefined && after.text.length === 1 && SPELLED_APART.test(text.slice(singles.at(-1)!.end, after.start))) return null;
  return { start: singles[0]!.start, end: singles.at(-1)!.end, code, mixedGroups: 1 };
}

/** Every candidate in the prepared text, in text order (candidates may overlap). */
function candidatesIn(text: string): readonly Candidate[] {
  const tokens = tokensOf(text);
  const candidates: Candidate[] = [];
  tokens.forEach((first, i) => {
    if (!first.ascii || first.referenced) return;
    const spelled = spelledOut(text, tokens, i);
    if (spelled !== null) candidates.push(spelled);
    const groups = [first.text];
    let spacedOnly = true;
    for (let k = 1; ; k++) {
      const code = codeOf(groups, spacedOnly);
      const last = tokens[i + k - 1]!;
      if (code !== null && !partOfLongerId(text, tokens, i, i + k - 1)) candidates.push({ start: first.start, end: last.end, code, mixedGroups: groups.filter(mixes).length });
      const next = tokens[i + k];
      if (k >= MAX_GROUPS || !next || !next.ascii || next.referenced) break;
      const between = text.slice(last.end, next.start);
      if (!SPACES.test(between)) {
        if (!JOINER.test(between)) break;
        spacedOnly = false;
      }
      groups.push(next.text);
    }
  });
  return candidates;
}

/** The candidates taken for codes: best first where they overlap (see the rule), in text order. */
function chosen(candidates: readonly Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(b.code.length === PRINTED_LENGTH) - Number(a.code.length === PRINTED_LENGTH) ||
      b.mixedGroups - a.mixedGroups ||
      a.start - b.start,
  );
  const taken: Candidate[] = [];
  for (const candidate of ranked) {
    if (taken.every((other) => candidate.end <= other.start || candidate.start >= other.end)) taken.push(candidate);
  }
  const printed = taken.some((candidate) => candidate.code.length === PRINTED_LENGTH);
  return taken.filter((candidate) => !printed || candidate.code.length === PRINTED_LENGTH).sort((a, b) => a.start - b.start);
}

/** Each code once, in the order given; look-alike spellings of one code count as one. */
function distinct(codes: readonly string[]): string[] {
  const seen = new Set<string>();
  return codes.filter((code) => {
    const key = accessCodeKey(code);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface CodeReading {
  /** The text as the code finder reads it (prepare). */
  prepared: string;
  candidates: readonly Candidate[];
}

/**
 * A message read for codes, once: a turn asks for the codes in it and for the text without
 * them (the words left for the recognizer), and the same message again in the next dialog.
 */
const readForCodes = rememberRecentTexts((text): CodeReading => {
  const prepared = prepare(text);
  return { prepared, candidates: candidatesIn(prepared) };
});

/** Every access code written in a message, normalised (uppercase, no spaces or dashes), in text order. */
export function findAccessCodes(text: string): string[] {
  return distinct(chosen(readForCodes(text).candidates).map((candidate) => candidate.code));
}

/** The first access code written in a message, normalised; or null. */
export function extractAccessCode(text: string): string | null {
  return findAccessCodes(text)[0] ?? null;
}

/**
 * The text without anything that could be an access code in it, so code letters are not read
 * as words ("RJ6 TCX 9B" is no "tcx"). Also without invisible characters and markup.
 */
export function removeAccessCodes(text: string): string {
  const { prepared, candidates } = readForCodes(text);
  if (candidates.length === 0) return prepared;
  let result = '';
  let position = 0;
  for (const candidate of candidates) {
    if (candidate.start < position) {
      position = Math.max(position, candidate.end); // overlapping candidates: blank their union
      continue;
    }
    result += `${prepared.slice(position, candidate.start)} `;
    position = candidate.end;
  }
  return result + prepared.slice(position);
}

/**
 * The access codes in an answer to "what is your access code?". The whole answer counts as
 * a code (even without digits) when, without filler around it ("my code is", "c'est",
 * "thanks"), it is one token of 6–12 letters and digits, or 2–3 groups of 2–6 that make 6–12
 * together, or 4 groups that make 8, none of them a known word, with at least one letter (a
 * digits-only answer is more likely a phone or order number). A code of the printed length
 * found inside the answer comes first, and without one, the codes inside the answer as
 * findAccessCodes finds them ("I think it's kdg4 77qp").
 */
export function findAccessCodesInAnswer(text: string): string[] {
  const found = findAccessCodes(text);
  // A code as printed is the code, whatever word stands before it ("oops, QF7M Z3KD" is no UPSQ F7MZ 3KD).
  if (found.some((code) => code.length === PRINTED_LENGTH)) return found;
  const whole = wholeAnswerCode(text);
  return whole !== null ? [whole] : found;
}

/** The first access code of an answer (see findAccessCodesInAnswer); or null. */
export function extractAccessCodeFromAnswer(text: string): string | null {
  return findAccessCodesInAnswer(text)[0] ?? null;
}

function wholeAnswerCode(text: string): string | null {
  if (text.length > 200) return null;
  const words = splitWords(foldText(stripMarkup(text.normalize('NFKC').replace(INVISIBLE, ''))));
  let start = 0;
  let end = words.length;
  while (start < end && CODE_ANSWER_FILLER.has(words[start] ?? '')) start++;
  while (end > start && CODE_ANSWER_FILLER.has(words[end - 1] ?? '')) end--;
  const groups = words.slice(start, end);
  if (groups.length === 0 || groups.length > MAX_GROUPS) return null;
  if (groups.some((group) => !/^[a-z0-9]+$/.test(group) || isWord(group))) return null;
  const code = normalizeAccessCode(groups.join(''));
  if (code.length < 6 || code.length > 12 || !hasLetter(code)) return null;
  if (groups.length > 1 && groups.some((group) => group.length < 2 || group.length > 6)) return null;
  if (groups.length === MAX_GROUPS && code.length !== PRINTED_LENGTH) return null;
  return code;
}

/**
 * Phrases and how they are found in a message. A phrase is a short sequence of words
 * (syntax in ./phrases.ts); it matches when its words appear in order with at most MAX_GAP
 * other words between them, each word exactly, by prefix (`archiv*`), or with a small typo
 * (./typos.ts). Which phrases a message tries at all is the phrase index's business
 * (./phraseIndex.ts); this module compiles phrase sets and covers a message with them.
 */
import { EXACT, formNumber, MessageMatcher, TYPO_OF_KNOWN, type WordForm, whenFormsAdded } from './phraseIndex.js';
import { isFiller, meaningful, toWords } from './phraseWords.js';
import { rememberRecentTexts } from './recentTexts.js';
import { foldText, stripMarkup } from './textFolding.js';
import { STOPWORDS } from './vocabulary.js';

/**
 * Only the first characters of a message are read by the phrase matchers: nobody describes
 * a screen in more, and it keeps a pasted 10 MB page from costing anything.
 */
export const MAX_INPUT = 4000;
/** Words allowed between two words of a phrase ("missed *the* sale", "code *is really* wrong"). */
export const MAX_GAP = 2;

/** Where a clause ends: a comma, a semicolon, a full stop before more. */
const HAS_CLAUSE_END = /[,;]|\.(?=\s)/;
const CLAUSE_END = new RegExp(HAS_CLAUSE_END.source, 'g');
/**
 * A word no phrase has, put where a clause ends: no phrase reaches across it, and no negation
 * reaches a phrase past it. "Geht nicht, falscher Zugangscode" says the code is refused:
 * without the mark, "nicht" stood right before "falscher Zugangscode".
 */
const CLAUSE_WORD = 'xxclausexx';
const CLAUSE_MARK = ` ${CLAUSE_WORD} `;

export function hasClauseEnd(text: string): boolean {
  return HAS_CLAUSE_END.test(text);
}

export function markClauseEnds(text: string): string {
  return text.replace(CLAUSE_END, CLAUSE_MARK);
}

/** The text's clauses, for phrases that must not reach from one into the next. */
export function clausesOf(text: string): string[] {
  return text.split(CLAUSE_END);
}

export interface Pattern<L extends string> {
  label: L;
  weight: number;
  /** Each phrase word as the numbers of its alternative forms (`code|zugangscode`). */
  words: number[][];
  source: string;
}

/**
 * The compiled phrases of one kind, in matching order, with the phrases listed by the forms
 * of their first word: a message only tries the phrases whose words it contains (see
 * candidates).
 */
export interface PhraseSet<L extends string> {
  patterns: readonly Pattern<L>[];
  startingWith: ReadonlyMap<number, readonly number[]>;
}

function compilePattern<L extends string>(source: string, label: L, weight = 1): Pattern<L> {
  const slots: { forms: WordForm[]; plainWord: string | null }[] = [];
  for (const raw of source.trim().split(/\s+/)) {
    if (raw.includes('|') || raw.endsWith('*')) {
      const forms = raw.split('|').map((alternative) => {
        const prefix = alternative.endsWith('*');
        const folded = foldText(prefix ? alternative.slice(0, -1) : alternative);
        if (folded === '' || folded.includes(' ')) {
          throw new Error(`phrases: "${source}": "${alternative}" must be a single word`);
        }
        return { text: folded, prefix };
      });
      slots.push({ forms, plainWord: null });
    } else {
      for (const word of toWords(raw)) slots.push({ forms: [{ text: word, prefix: false }], plainWord: word });
    }
  }
  // Stopwords go, as they go from messages; a phrase made only of stopwords keeps them.
  const kept = slots.filter((slot) => slot.plainWord === null || !STOPWORDS.has(slot.plainWord));
  const words = (kept.length > 0 ? kept : slots).map((slot) => slot.forms.map(formNumber));
  if (words.length === 0) throw new Error(`phrases: "${source}" has no words`);
  return { label, weight, words, source };
}

function patternKey(pattern: Pattern<string>): string {
  return pattern.words.map((forms) => forms.join('|')).join(' ');
}

/**
 * Compiles labelled phrases (the syntax of the phrase files) once, when the module using them
 * loads: deduplicated (the same phrase often appears in two languages), strongest and longest first.
 */
export function compilePhrases<L extends string>(entries: readonly { label: L; phrases: readonly string[]; weight?: number }[]): PhraseSet<L> {
  const byKey = new Map<string, Pattern<L>>();
  for (const entry of entries) {
    for (const phrase of entry.phrases) {
      const pattern = compilePattern(phrase, entry.label, entry.weight ?? 1);
      const key = `${pattern.label}\u0000${patternKey(pattern)}`;
      const existing = byKey.get(key);
      if (!existing || existing.weight < pattern.weight) byKey.set(key, pattern);
    }
  }
  const patterns = [...byKey.values()].sort((a, b) => b.weight - a.weight || b.words.length - a.words.length);
  const startingWith = new Map<number, number[]>();
  patterns.forEach((pattern, index) => {
    for (const form of new Set(pattern.words[0])) {
      const list = startingWith.get(form);
      if (list) list.push(index);
      else startingWith.set(form, [index]);
    }
  });
  return { patterns, startingWith };
}

const NO_FORMS: readonly number[] = [];

/**
 * The phrases of the set that can occur in the message (every word of them matched by some
 * word of the message), in the set's order. Phrases left out could not be found.
 */
export function candidates<L extends string>(message: MessageMatcher, set: PhraseSet<L>): Pattern<L>[] {
  const indices: number[] = [];
  for (const form of message.found) {
    for (const index of set.startingWith.get(form) ?? NO_FORMS) {
      if (indices.includes(index)) continue;
      const pattern = set.patterns[index];
      if (pattern && pattern.words.every((forms) => forms.some((candidate) => message.found.has(candidate)))) indices.push(index);
    }
  }
  indices.sort((a, b) => a - b);
  return indices.map((index) => set.patterns[index]).filter((pattern) => pattern !== undefined);
}

/**
 * Where `pattern` occurs in the message (positions of its words), skipping words already used
 * by another phrase; null when it does not. `allowTypos: false` accepts exact and prefix matches only.
 */
export function findPattern(
  message: MessageMatcher,
  pattern: Pattern<string>,
  used: readonly boolean[],
  gap = MAX_GAP,
  allowTypos = true,
): number[] | null {
  const minimum = allowTypos ? TYPO_OF_KNOWN : EXACT;
  const length = message.words.length;
  const [first, ...rest] = pattern.words;
  if (!first) return null;
  starts: for (let start = 0; start < length; start++) {
    if (used[start]) continue;
    const startQuality = message.quality(start, first);
    if (startQuality < minimum) continue;
    const positions = [start];
    let exact = startQuality === EXACT ? 1 : 0;
    let typoOfKnown = startQuality === TYPO_OF_KNOWN ? 1 : 0;
    let previous = start;
    for (const forms of rest) {
      let found = -1;
      for (let j = previous + 1; j < length && j <= previous + 1 + gap; j++) {
        // A phrase ends with its clause: "Galerie geht nicht auf, Code …" is no "geht nicht … Code".
        if (message.words[j] === CLAUSE_WORD) break;
        if (used[j]) continue;
        const quality = message.quality(j, forms);
        if (quality >= minimum) {
          found = j;
          if (quality === EXACT) exact++;
          if (quality === TYPO_OF_KNOWN) typoOfKnown++;
          break;
        }
      }
      if (found < 0) continue starts;
      positions.push(found);
      previous = found;
    }
    // A known word read as a typo ("klar" for "klaar") needs an exact neighbour ("bijna").
    if (typoOfKnown > 0 && (pattern.words.length < 2 || exact === 0)) continue;
    return positions;
  }
  return null;
}

interface Coverage<L extends string> {
  labels: Set<L>;
  used: boolean[];
}

/** Matches the phrases (longest first) without letting two phrases share a word. */
export function cover<L extends string>(message: MessageMatcher, set: PhraseSet<L>, gap: number, allowTypos = true): Coverage<L> {
  const used = message.words.map(() => false);
  const labels = new Set<L>();
  const ordered = candidates(message, set).sort((a, b) => b.words.length - a.words.length);
  for (const pattern of ordered) {
    for (;;) {
      const positions = findPattern(message, pattern, used, gap, allowTypos);
      if (!positions) break;
      for (const position of positions) used[position] = true;
      labels.add(pattern.label);
    }
  }
  return { labels, used };
}

/** The one label the message consists of (everything else is filler), or null. */
export function wholeMessage<L extends string>(message: MessageMatcher, set: PhraseSet<L>): L | null {
  if (message.words.length === 0) return null;
  const { labels, used } = cover(message, set, 1);
  if (labels.size !== 1) return null;
  const everythingElseIsFiller = message.words.every((word, index) => used[index] || isFiller(word));
  return everythingElseIsFiller ? ([...labels][0] ?? null) : null;
}

/** The single label found anywhere in the message; exact words first, typos only if none. */
export function singleLabelAnywhere<L extends string>(message: MessageMatcher, set: PhraseSet<L>): L | null {
  for (const allowTypos of [false, true]) {
    const { labels } = cover(message, set, MAX_GAP, allowTypos);
    if (labels.size === 1) return [...labels][0] ?? null;
    if (labels.size > 1) return null;
  }
  return null;
}

/**
 * The meaningful words of a message (its first MAX_INPUT characters, markup aside), looked up
 * in the phrase index. A MessageMatcher never changes, so the command, intent and symptom
 * readers of one turn share one.
 */
export const readMessage = rememberRecentTexts((text) => new MessageMatcher(meaningful(toWords(stripMarkup(text.slice(0, MAX_INPUT))))));
// A phrase set compiled later (a recognizer's own, as in a test) adds forms a message read before would miss.
whenFormsAdded(() => readMessage.forget());

export interface PhraseMatch<L extends string> {
  /** Every label one of whose phrases occurs in the text (no two phrases sharing a word). */
  labels: Set<L>;
  /** Whether the text is nothing but those phrases, politeness and filler. */
  whole: boolean;
}

/** Which of the phrases a text contains, and whether it contains anything else. */
export function matchPhrases<L extends string>(text: string, phrases: PhraseSet<L>): PhraseMatch<L> {
  const message = readMessage(text);
  const { labels, used } = cover(message, phrases, MAX_GAP);
  return { labels, whole: message.words.length > 0 && message.words.every((word, index) => used[index] || isFiller(word)) };
}

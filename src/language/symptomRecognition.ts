/**
 * Which of the three shop messages ("almost ready", "incorrect access code", "missed the
 * sale") a person describes, in any of the four languages at once: a parent on an English
 * browser may still quote the German shop. Symptom phrases carry weights (strong 3, medium 2,
 * weak 1); the best-scoring symptom wins only when it scores at least MIN_SCORE and clearly
 * beats the runner-up, else `other`.
 */
import type { Symptom } from '../domain/symptoms.js';
import { removeAccessCodes } from './accessCodes.js';
import { EXACT, type MessageMatcher } from './phraseIndex.js';
import { candidates, compilePhrases, cover, findPattern, hasClauseEnd, markClauseEnds, matchPhrases, MAX_INPUT, type Pattern, type PhraseSet, readMessage, wholeMessage } from './phraseMatching.js';
import { PHRASE_FILES } from './vocabulary.js';

export interface SymptomRecognition {
  symptom: Symptom;
  /** A rough 0–1 score (not a probability): how clearly the text says this. */
  confidence: number;
}

const SYMPTOM_WEIGHT = { strong: 3, medium: 2, weak: 1 } as const;
/** One medium phrase is enough; one weak hint ("error", "almost") is not. */
const MIN_SCORE = 2;
/** The winner must beat the runner-up by this much, else saying `other` is safer. */
const MIN_MARGIN = 1;

const SHOP_SYMPTOMS = ['almost-ready', 'incorrect-code', 'missed-sale'] as const;
type ShopSymptom = (typeof SHOP_SYMPTOMS)[number];

const SYMPTOM_PATTERNS: Readonly<Record<ShopSymptom, PhraseSet<ShopSymptom>>> = {
  'almost-ready': symptomPatterns('almost-ready'),
  'incorrect-code': symptomPatterns('incorrect-code'),
  'missed-sale': symptomPatterns('missed-sale'),
};

function symptomPatterns(symptom: ShopSymptom): PhraseSet<ShopSymptom> {
  return compilePhrases(
    PHRASE_FILES.flatMap((file) =>
      (['strong', 'medium', 'weak'] as const).map((strength) => ({
        label: symptom,
        phrases: file.symptoms[symptom][strength],
        weight: SYMPTOM_WEIGHT[strength],
      })),
    ),
  );
}

/** "not", "nicht", "pas", "niet" and the rest of the phrase files' negations; also what keeps "ça ne marche pas" from being news that it works. */
export const NEGATION_PATTERNS = compilePhrases(PHRASE_FILES.map((file) => ({ label: 'negation' as const, phrases: file.negations })));

const OTHER_LABEL_PATTERNS = compilePhrases(PHRASE_FILES.map((file) => ({ label: 'other' as const, phrases: file.symptoms.otherLabels })));

const ABOUT_THE_PERSON_PATTERNS = compilePhrases(PHRASE_FILES.map((file) => ({ label: 'person' as const, phrases: file.symptoms.aboutThePerson })));

const OTHER_SCREEN_PATTERNS = compilePhrases(PHRASE_FILES.map((file) => ({ label: 'other-screen' as const, phrases: file.symptoms.otherScreens })));

/**
 * Whether the text describes a screen that is none of the three shop messages: an empty
 * gallery, missing photos, a blank page. Such a message says what the person sees (`other`),
 * so asking "which of these three do you see?" would ignore it.
 */
export function describesOtherScreen(text: string): boolean {
  return matchPhrases(removeAccessCodes(text.slice(0, MAX_INPUT)), OTHER_SCREEN_PATTERNS).labels.size > 0;
}

/**
 * Which of the three shop messages the text describes, in any of the four languages;
 * `other` when none, or when the text is unclear or names two of them about equally.
 *
 * confidence: 0.95 for a "something else" answer; for a symptom best/(best+runnerUp+1)
 * (one strong phrase alone: 0.75); for `other` 0.6 when nothing hinted at a symptom, 0.5
 * after a weak hint, 0.3 when two symptoms were too close to call.
 */
export function recognizeSymptom(text: string): SymptomRecognition {
  const cleaned = removeAccessCodes(text.slice(0, MAX_INPUT));
  const plain = readMessage(cleaned);
  // Clause ends matter only beside a negation: other messages keep the words the other readers of the turn share.
  const message = hasClauseEnd(cleaned) && candidates(plain, NEGATION_PATTERNS).length > 0 ? readMessage(markClauseEnds(cleaned)) : plain;
  if (wholeMessage(message, OTHER_LABEL_PATTERNS) === 'other') return { symptom: 'other', confidence: 0.95 };

  // "Not ready to order" is about the person: its words count for no shop message.
  const aboutThePerson = cover(message, ABOUT_THE_PERSON_PATTERNS, 0).used;
  const negations = candidates(message, NEGATION_PATTERNS);
  const scores = SHOP_SYMPTOMS.map((symptom) => ({ symptom, score: symptomScore(message, SYMPTOM_PATTERNS[symptom], aboutThePerson, negations) }));
  scores.sort((a, b) => b.score - a.score);
  const best = scores[0] ?? { symptom: 'other' as const, score: 0 };
  const runnerUp = scores[1]?.score ?? 0;

  if (best.score === 0) return { symptom: 'other', confidence: 0.6 };
  if (best.score < MIN_SCORE) return { symptom: 'other', confidence: 0.5 };
  if (best.score - runnerUp < MIN_MARGIN) return { symptom: 'other', confidence: 0.3 };
  return { symptom: best.symptom, confidence: round(best.score / (best.score + runnerUp + 1)) };
}

/**
 * Sum of the weights of the symptom's phrases found in the words, strongest first; a word
 * counts for one phrase only, so "missed the sale" is not also counted as "missed". A phrase
 * right after a negation ("doesn't say almost ready", "nicht Verkauf verpasst") counts zero:
 * people correct a wrong guess that way, and reading it the other way round would swap
 * two shop messages, the worst mistake this recognizer can make.
 */
function symptomScore(
  message: MessageMatcher,
  set: PhraseSet<ShopSymptom>,
  taken: readonly boolean[],
  negations: readonly Pattern<'negation'>[],
): number {
  const used = [...taken];
  let score = 0;
  for (const pattern of candidates(message, set)) {
    const positions = findPattern(message, pattern, used);
    if (!positions) continue;
    for (const position of positions) used[position] = true;
    if (!negatedAt(message, positions[0] ?? 0, negations)) score += pattern.weight;
  }
  return score;
}

/** Whether one of the negation phrases ends right before position `index`. */
function negatedAt(message: MessageMatcher, index: number, negations: readonly Pattern<'negation'>[]): boolean {
  return negations.some((negation) => {
    const start = index - negation.words.length;
    return start >= 0 && negation.words.every((forms, offset) => message.quality(start + offset, forms) === EXACT);
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

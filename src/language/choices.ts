/** Which of a question's buttons a typed answer means. */
import { FILLER } from './vocabulary.js';
import { meaningful, toWords } from './phraseWords.js';
import { foldText } from './textFolding.js';
import { maxTypos, typoDistance } from './typos.js';

/** A button: its id and the labels it may be typed as (in the person's language). */
export interface Choice<T extends string> {
  id: T;
  labels: readonly string[];
}

/**
 * Which button a typed answer means: its 1-based number ("2", "2.", "#2"), its id, or one of
 * its labels, ignoring case, accents, punctuation, politeness and small typos. Null when
 * nothing fits or two choices fit equally well.
 */
export function matchChoice<T extends string>(text: string, choices: readonly Choice<T>[]): T | null {
  const trimmed = text.slice(0, 300).trim();
  const number = /^(?:#|no\.?|nr\.?|n°|number|nummer|numero|numéro)?\s*(\d{1,3})\s*[.):]?$/i.exec(trimmed);
  if (number) return choices[Number(number[1]) - 1]?.id ?? null;

  const typed = foldText(trimmed);
  if (typed === '') return null;
  const keysOf = (choice: Choice<T>): string[] =>
    [choice.id.replace(/[-_]/g, ' '), ...choice.labels].map(foldText).filter((key) => key !== '');

  const exact = choices.filter((choice) => keysOf(choice).includes(typed));
  if (exact.length >= 1) return exact.length === 1 ? (exact[0]?.id ?? null) : null;

  // Without politeness and stopwords: "something else please" = "Something else".
  const core = (value: string): string => meaningful(toWords(value)).filter((word) => !FILLER.has(word)).join(' ');
  const typedCore = core(trimmed);
  if (typedCore !== '') {
    const byCore = choices.filter((choice) => keysOf(choice).some((key) => core(key) === typedCore));
    if (byCore.length === 1) return byCore[0]?.id ?? null;
    if (byCore.length > 1) return null;
  }

  // A label of several words said inside a longer answer: "do it for me, please", "ja, ändern bitte".
  const padded = ` ${typed} `;
  const inside = choices.filter((choice) => keysOf(choice).some((key) => key.includes(' ') && padded.includes(` ${key} `)));
  if (inside.length === 1) return inside[0]?.id ?? null;
  if (inside.length > 1) return null;

  // Small typos over the whole label: the closest choice, if it is the only one that close.
  let best: T | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const choice of choices) {
    for (const key of keysOf(choice)) {
      const typos = maxTypos(key.length);
      if (typos === 0) continue;
      const distance = typoDistance(typed, key, typos);
      if (distance > typos) continue;
      if (distance < bestDistance) {
        best = choice.id;
        bestDistance = distance;
        tie = false;
      } else if (distance === bestDistance && best !== choice.id) {
        tie = true;
      }
    }
  }
  return tie ? null : best;
}

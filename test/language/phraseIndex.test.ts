import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, phraseFiles } from '../../src/language/phrases.js';
import { recognizeJobStatus, recognizeRole, recognizeYesNo } from '../../src/language/answers.js';
import { recognizeCommand } from '../../src/language/commands.js';
import { recognizeSymptom } from '../../src/language/symptomRecognition.js';
import * as reference from './reference/recognizerWithoutIndex.js';

/**
 * The phrase index (src/language/phraseIndex.ts) only decides which phrases a message tries;
 * it must never change what is recognised. Compared with the old algorithm, which tried every
 * phrase (./reference/recognizerWithoutIndex.ts, reading the same phrase files), on every
 * labelled sentence, on every phrase of the phrase files said as a message, and on typo
 * variants of all of them (the typo neighbourhoods are where an index could miss a match).
 */

const here = dirname(fileURLToPath(import.meta.url));
const labelled = (JSON.parse(readFileSync(join(here, 'fixtures', 'symptom-sentences.json'), 'utf8')) as { text: string }[]).map(
  (sentence) => sentence.text,
);

/** Every phrase of every list, written as a person would: first alternative, prefixes completed. */
function phrasesAsMessages(): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      texts.push(
        value
          .split(/\s+/)
          .map((word) => (word.split('|')[0] ?? '').replace(/\*$/, 'ed'))
          .join(' '),
      );
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const language of LANGUAGES) {
    const file = phraseFiles()[language];
    walk([file.symptoms, file.commands, file.yesNo, file.roles, file.jobStatus, file.negations]);
  }
  return [...new Set(texts)];
}

/** The same text with one kind of typo in every word of 4+ letters. */
const TYPOS: readonly ((word: string) => string)[] = [
  (word) => word.slice(0, 2) + word.slice(3), // a letter left out
  (word) => word.slice(0, 1) + (word[2] ?? '') + (word[1] ?? '') + word.slice(3), // two letters swapped
  (word) => word.slice(0, 3) + (word[3] === 'x' ? 'y' : 'x') + word.slice(4), // one letter wrong
  (word) => word.slice(0, 2) + (word[2] ?? '') + word.slice(2), // one letter twice
  (word) => word.slice(0, -2) + (word.at(-1) ?? '') + (word.at(-2) ?? ''), // the end swapped
];

function withTypos(text: string, typo: (word: string) => string): string {
  return text.replace(/\p{L}{4,}/gu, typo);
}

/** The recognition functions as they are now, with the phrase index. */
const indexed = { recognizeSymptom, recognizeCommand, recognizeYesNo, recognizeRole, recognizeJobStatus };
const RECOGNIZERS = ['recognizeSymptom', 'recognizeCommand', 'recognizeYesNo', 'recognizeRole', 'recognizeJobStatus'] as const;

function differences(texts: readonly string[]): { text: string; recognizer: string; indexed: unknown; reference: unknown }[] {
  const found = [];
  for (const text of texts) {
    for (const name of RECOGNIZERS) {
      const now = indexed[name](text);
      const before = reference[name](text);
      if (JSON.stringify(now) !== JSON.stringify(before)) found.push({ text, recognizer: name, indexed: now, reference: before });
    }
  }
  return found;
}

describe('the phrase index recognises exactly what trying every phrase did', () => {
  const phrases = phrasesAsMessages();

  it('on every labelled sentence', () => {
    expect(labelled.length).toBeGreaterThan(300);
    expect(differences(labelled)).toEqual([]);
  });

  it('on every phrase of the phrase files said as a message', () => {
    expect(phrases.length).toBeGreaterThan(500);
    expect(differences(phrases)).toEqual([]);
  });

  it('on typo variants of the labelled sentences and of the phrases', { timeout: 300_000 }, () => {
    // Every kind of typo in every labelled sentence; one kind (in turn) in each phrase.
    const variants = new Set<string>();
    for (const typo of TYPOS) for (const text of labelled) variants.add(withTypos(text, typo));
    phrases.forEach((text, index) => variants.add(withTypos(text, TYPOS[index % TYPOS.length] ?? ((word) => word))));
    expect(differences([...variants])).toEqual([]);
  });

  it('still finds symptoms through typos (the variants are not trivially unrecognisable)', () => {
    const recognised = TYPOS.map(
      (typo) => labelled.filter((text) => indexed.recognizeSymptom(withTypos(text, typo)).symptom !== 'other').length,
    );
    for (const count of recognised) expect(count).toBeGreaterThan(50);
  });
});

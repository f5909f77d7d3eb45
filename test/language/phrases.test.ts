import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/language/textFolding.js';
import {
  LANGUAGES,
  parsePhraseFile,
  phraseFilePath,
  phraseFiles,
} from '../../src/language/phrases.js';
import { projectRoot } from '../../src/projectRoot.js';

function raw(language: (typeof LANGUAGES)[number]): unknown {
  return JSON.parse(readFileSync(phraseFilePath(language), 'utf8'));
}

/** Every key path of a JSON value; arrays are leaves (their length differs between languages). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`${prefix}:${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`];
  }
  return Object.entries(value as Record<string, unknown>)
    .flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
    .sort();
}

describe('phrase files', () => {
  it('are found from the project root', () => {
    expect(existsSync(join(projectRoot(), 'package.json'))).toBe(true);
    for (const language of LANGUAGES) expect(existsSync(phraseFilePath(language))).toBe(true);
  });

  it('all have the same structure (same keys) as the English file', () => {
    const english = keyPaths(raw('en'));
    for (const language of LANGUAGES) expect(keyPaths(raw(language)), language).toEqual(english);
  });

  it('are valid and name their own language', () => {
    for (const language of LANGUAGES) {
      expect(() => parsePhraseFile(raw(language), language)).not.toThrow();
      expect(phraseFiles()[language].language).toBe(language);
    }
  });

  it('reject a file with a missing or unknown key, naming the problem', () => {
    const broken = structuredClone(raw('de')) as Record<string, unknown>;
    delete broken['yesNo'];
    expect(() => parsePhraseFile(broken, 'de')).toThrow(/de\.phrases\.json: yesNo/);
    const extra = { ...(raw('de') as Record<string, unknown>), surprise: [] };
    expect(() => parsePhraseFile(extra, 'de')).toThrow(/de\.phrases\.json/);
    expect(() => parsePhraseFile(raw('de'), 'fr')).toThrow(/expected "fr"/);
  });

  it('never list the same phrase for two different shop messages', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const language of LANGUAGES) {
      const symptoms = phraseFiles()[language].symptoms;
      for (const symptom of ['almost-ready', 'incorrect-code', 'missed-sale'] as const) {
        for (const strength of ['strong', 'medium', 'weak'] as const) {
          for (const phrase of symptoms[symptom][strength]) {
            const key = foldText(phrase.replace(/\*/g, ' STAR '));
            const previous = owner.get(key);
            if (previous !== undefined && previous !== symptom) clashes.push(`${phrase} (${previous} / ${symptom})`);
            owner.set(key, symptom);
          }
        }
      }
    }
    expect(clashes).toEqual([]);
  });
});

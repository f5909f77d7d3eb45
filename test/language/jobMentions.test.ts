import { describe, expect, it } from 'vitest';
import { jobQueries, MAX_JOB_QUERIES } from '../../src/language/jobMentions.js';

const texts = (message: string): string[] => jobQueries(message).map((query) => query.text);

describe('jobQueries: what a photographer\'s sentence asks the platform for', () => {
  it.each<[string, string[]]>([
    ['job-4102 ist archiviert', ['job-4102']],
    ['Auftrag JOB_4102, bitte prüfen', ['JOB_4102']],
    ['a parent of the Spring Portraits 2027 job cannot order', ['Spring Portraits 2027', 'Portraits', 'Spring']],
    ['problème avec les photos du Collège Victor Hugo', ['Collège Victor Hugo', 'Collège', 'Victor', 'Hugo']],
  ])('%j → %j', (message, queries) => {
    expect(texts(message)).toEqual(expect.arrayContaining(queries));
    expect(texts(message)[0]).toBe(queries[0]);
  });

  it('keeps a name run with its dashes and stopwords inside', () => {
    expect(texts('Eine Mutter aus Grundschule Am Park – Herbst 2026 kommt nicht rein')).toContain('Grundschule');
    expect(texts('Grundschule Am Park – Herbst 2026')[0]).toBe('Grundschule Am Park – Herbst 2026');
  });

  it.each(['Die Fotos sind fast fertig', 'it says missed the sale', 'hi', '2026', 'ja', 'vente manquée', 'bijna klaar'])('%j names nothing', (message) => {
    expect(texts(message)).toEqual([]);
  });

  it('asks at most a few queries, however long the message', () => {
    expect(jobQueries('Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November '.repeat(40)).length).toBeLessThanOrEqual(MAX_JOB_QUERIES);
  });
});

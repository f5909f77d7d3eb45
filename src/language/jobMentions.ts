/**
 * Where a photographer's message names a job: its id ("job-4102") or a piece of its name
 * ("Oak Lane Kindergarten – Spring Portraits 2027", "the Spring Portraits job", "Regenboog").
 * The platform searches jobs one query at a time (an exact id, or text a job's name
 * contains), so a free sentence is turned into the few queries worth asking, most telling first.
 */
import { foldText, splitWords, stripMarkup } from './textFolding.js';
import { KNOWN_WORDS, REFERENCE_WORDS, STOPWORDS } from './vocabulary.js';

/** Queries asked for one message at most: each one is a platform call. */
export const MAX_JOB_QUERIES = 8;

export interface JobQuery {
  /** As typed (the platform folds case, accents and dashes itself). */
  text: string;
  /** How much of the message it stands for: an id, or a longer piece of a name, tells more. */
  weight: number;
}

/** A job id as platforms write them: letters, a dash or underscore, digits ("job-4102"). */
const JOB_ID = /(?<![\p{L}\p{N}])\p{L}{1,12}[-_]\d{2,10}(?![\p{L}\p{N}])/gu;

type Kind = 'name' | 'glue' | 'other';

/** A word that may belong to a job's name: none of the bot's own words (those describe the problem). */
function kindOf(token: string): Kind {
  if (/^[\p{Pd}&+]$/u.test(token)) return 'glue'; // "Am Park – Herbst", "Foto & Film"
  const words = splitWords(foldText(token));
  if (words.length === 0) return 'other';
  if (words.every((word) => STOPWORDS.has(word))) return 'glue';
  const named = words.some((word) => /^\d{2,4}$/.test(word) || (/\p{L}/u.test(word) && !KNOWN_WORDS.has(word) && !REFERENCE_WORDS.has(word) && !STOPWORDS.has(word)));
  return named ? 'name' : 'other';
}

/**
 * The queries for a message, most telling first: job-id-shaped tokens; then every run of words
 * that may belong to a name (stopwords and dashes inside, not at the ends: "Grundschule Am
 * Park"), longest first; then the single words of those runs of four letters or more, so a
 * name typed without its dash or with other words around it ("Grundschule Am Park Herbst")
 * is still found word by word. Numbers alone ("2026") are never a query.
 */
export function jobQueries(text: string): JobQuery[] {
  const sample = stripMarkup(text.slice(0, 500));
  const ids: JobQuery[] = [...sample.matchAll(JOB_ID)].map((match) => ({ text: match[0], weight: 100 }));
  const runs: JobQuery[] = [];
  const words: JobQuery[] = [];
  const withoutIds = sample.replace(JOB_ID, ' , ');
  for (const clause of withoutIds.split(/[,;:!?()[\]{}"“”„«»‹›\n]|\.(?=\s|$)/u)) {
    let run: string[] = [];
    const flush = (): void => {
      run = trimGlue(run);
      const names = run.filter((token) => kindOf(token) === 'name');
      if (names.length > 1 && names.some((token) => /\p{L}/u.test(token))) runs.push({ text: run.join(' '), weight: names.length });
      for (const token of names) if (/\p{L}{4}/u.test(token)) words.push({ text: token, weight: 1 });
      run = [];
    };
    for (const raw of clause.split(/\s+/)) {
      const token = raw.replace(/^['‘’]+|['‘’]+$/gu, '');
      if (token === '') continue;
      const kind = kindOf(token);
      if (kind === 'name') run.push(token);
      else if (kind === 'glue' && run.length > 0) run.push(token);
      else flush();
    }
    flush();
  }
  const byLength = (a: JobQuery, b: JobQuery): number => b.weight - a.weight || b.text.length - a.text.length;
  const seen = new Set<string>();
  return [...ids, ...runs.sort(byLength).slice(0, 2), ...words.sort(byLength)]
    .filter((query) => {
      const key = foldText(query.text);
      if (key === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_JOB_QUERIES);
}

function trimGlue(tokens: string[]): string[] {
  const result = [...tokens];
  while (result.length > 0 && kindOf(result[0] ?? '') === 'glue') result.shift();
  while (result.length > 0 && kindOf(result[result.length - 1] ?? '') === 'glue') result.pop();
  return result;
}

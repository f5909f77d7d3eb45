import { z } from 'zod';

const EMAIL = z.email();

/**
 * The e-mail addresses in a message, as people write them: alone, in a sentence ("it's
 * mike_t@yahoo.co.uk and hurry up", "meine Mail: t.weber@gmx.de"), in <…> or as mailto:;
 * each once, in the order written.
 */
export function findEmailAddresses(text: string): string[] {
  const candidates = text
    .slice(0, 2000)
    .split(/[\s<>()"“”„«»,;]+/u)
    .map((word) => word.replace(/^mailto:/i, '').replace(/[.:!?]+$/u, ''))
    .filter((word) => word.includes('@') && EMAIL.safeParse(word).success);
  return [...new Set(candidates)];
}

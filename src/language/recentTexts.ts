/**
 * A pure function of a text, remembered for the texts it was asked about lately. One turn
 * reads its message many times over (the command, the intent, the symptom, the access code and
 * the language each fold and split it), and a school's parents send the same few messages:
 * the second reading is a lookup. Emptied when full, so a flood of different texts costs
 * memory once, never more; long texts (a pasted page) are computed every time, not kept.
 */
export function rememberRecentTexts<T>(compute: (text: string) => T, { limit = 512, maxLength = 400 } = {}): RememberingFunction<T> {
  const remembered = new Map<string, T>();
  const remembering = (text: string): T => {
    if (text.length > maxLength) return compute(text);
    const known = remembered.get(text);
    if (known !== undefined) return known;
    const result = compute(text);
    if (remembered.size >= limit) remembered.clear();
    remembered.set(text, result);
    return result;
  };
  const forget = () => remembered.clear();
  EVERY_MEMORY.push(forget);
  return Object.assign(remembering, { forget });
}

const EVERY_MEMORY: (() => void)[] = [];

/** Every remembering function forgets: the recognizer's benchmark times each text as a new message, not a lookup. */
export function forgetRecentTexts(): void {
  for (const forget of EVERY_MEMORY) forget();
}

export interface RememberingFunction<T> {
  (text: string): T;
  /** Drops what it remembers: what it computes from has changed. */
  forget(): void;
}

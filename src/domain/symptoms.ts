/**
 * What a customer sees when their gallery will not open. The ids are part of the
 * diagnosis entity contract, so they never change meaning.
 */
export const SYMPTOMS = ['almost-ready', 'incorrect-code', 'missed-sale', 'other'] as const;

export type Symptom = (typeof SYMPTOMS)[number];

/** The three shop messages the bot can explain; `other` is everything else. */
export const SHOP_MESSAGES = ['almost-ready', 'incorrect-code', 'missed-sale'] as const satisfies readonly Symptom[];

export type ShopMessage = (typeof SHOP_MESSAGES)[number];

export function isSymptom(value: unknown): value is Symptom {
  return typeof value === 'string' && (SYMPTOMS as readonly string[]).includes(value);
}

/**
 * What a customer sees when their gallery will not open. The ids are part of the
 * diagnosis entity contract, so they never change meaning.
 */
export const SYMPTOMS = ['almost-ready', 'incorrect-code', 'missed-sale', 'other'] as const;

export type Symptom = (typeof SYMPTOMS)[number];

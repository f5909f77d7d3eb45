import type { Reply, Slot } from '../src/channels/replyModel.js';
import type { Recognizer } from '../src/language/recognizer.js';
import type { Turn } from '../src/bot/turn.js';
import { AskDialog, type AskOptions, type AskSpec } from './ask.js';

export interface ChoiceOption<T extends string> {
  id: T;
  label: string;
  /** Other words that mean this button (not shown). */
  also?: string[];
  /** Understood but not offered here, so `refuse` can say why (e.g. "do it for me" on a manual step). */
  hidden?: boolean;
}

export interface ChoiceSpec<T extends string, O extends AskOptions> {
  slot: Slot;
  /** The question's text, or a whole reply (a title, progress) whose buttons are added. */
  question(turn: Turn, options: O): string | Omit<Reply, 'choices'>;
  choices(turn: Turn, options: O): readonly ChoiceOption<T>[];
  /** What free text that names no button means, if anything. */
  understand?(text: string): T | null;
  /** A reason to refuse a valid button here (e.g. "do it for me" on a manual step), or null. */
  refuse?(id: T, turn: Turn, options: O): string | null;
  retry(turn: Turn, options: O): string;
}

/**
 * A question answered with one of a few buttons, each of which can also be typed: the
 * button's id (from a card), its label (fuzzy, in the person's language), its number,
 * or free text the spec understands.
 */
export function choiceDialog<T extends string, O extends AskOptions = AskOptions>(dialogId: string, spec: ChoiceSpec<T, O>, recognizer: Recognizer): AskDialog<T, O> {
  return new AskDialog<T, O>(dialogId, choiceQuestion(spec, recognizer), recognizer);
}

/** The question and reader of a choice, for a question that also understands more (a date, say). */
export function choiceQuestion<T extends string, O extends AskOptions = AskOptions>(spec: ChoiceSpec<T, O>, recognizer: Recognizer): AskSpec<T, O> {
  return {
    slot: spec.slot,
    answersBesideTopic: true,
    question: (turn, options) => {
      const question = spec.question(turn, options);
      return {
        ...(typeof question === 'string' ? { text: question } : question),
        choices: spec
        .choices(turn, options)
        .filter((choice) => !choice.hidden)
        .map(({ id, label }) => ({ id, label })),
      };
    },
    read: (text, turn, options) => {
      const choices = spec.choices(turn, options).map(({ id, label, also }) => ({ id, labels: [label, ...(also ?? [])] }));
      const id = recognizer.choice(turn.input.choiceId ?? text, choices) ?? spec.understand?.(text) ?? null;
      if (id === null) return { ok: false, retry: spec.retry(turn, options) };
      const refusal = spec.refuse?.(id, turn, options) ?? null;
      return refusal === null ? { ok: true, value: id } : { ok: false, retry: refusal, understood: true };
    },
  };
}

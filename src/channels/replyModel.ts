import type { ScenarioId } from '../domain/scenarios.js';
import type { Role } from '../domain/roles.js';
import type { Symptom } from '../domain/symptoms.js';

/**
 * The channel-neutral reply model. Dialogs say what to tell the person; one renderer
 * per channel turns it into activities (Web Chat, Teams, Slack).
 */

/** What the bot waits for after a message: the slots of the design's conversation flows. */
export const SLOTS = [
  'role',
  'symptom',
  'access-code',
  'confirm',
  'feedback',
  'job-status',
  'code-activated',
  'photos-linked',
  'photos-hidden',
  'step-result',
  'archive-date',
  'email',
] as const;

export type Slot = (typeof SLOTS)[number];

/** A picture of what the shop shows, for the symptom buttons. */
export type ShopPicture = Exclude<Symptom, 'other'>;

export interface ReplyChoice {
  /** Stable id a card submit carries; the label is what people see and may type. */
  id: string;
  label: string;
  /**
   * Sent as the message by channels whose buttons can only send text (Slack's hero cards),
   * where the label alone would not say enough: a notice's button names its job this way.
   */
  value?: string;
  /** A picture of the screen: `caption` is the shop's message drawn in it, `alt` says the whole picture in words. */
  picture?: { symptom: ShopPicture; caption: string; alt: string };
}

/** The choice a submitted date picker sends with the picked date (`{ choice, date }`). */
export const DATE_INPUT_CHOICE_ID = 'date-input';

/** A date picker for the archive date: cards show a calendar, other channels the suggestions as buttons. */
export interface DateInput {
  /** The earliest date the picker offers (yyyy-MM-dd). */
  min: string;
  /** The label of the button that submits the picked date. */
  submitLabel: string;
  /** Said by the picker when it is submitted empty. */
  requiredMessage: string;
}

/** One fact line of a summary card: "Status → Selling". */
export interface ReplyFact {
  label: string;
  value: string;
}

export interface Reply {
  /** A short heading; cards show it as their title, text channels as a bold first line. */
  title?: string;
  /** Markdown-light text: `**bold**` and line breaks only, so every channel can show it. */
  text: string;
  /** Numbered steps (a fix plan), shown as an ordered list under the text. */
  steps?: string[];
  /** Where in a fix plan this message stands: "step 2 of 4". */
  progress?: { step: number; steps: number };
  /** Label/value lines: what will change, what changed. */
  facts?: ReplyFact[];
  choices?: ReplyChoice[];
  dateInput?: DateInput;
  /**
   * The number of the question this reply asks. Cards send it back with a click, so a
   * click on an older card (a double click, a scrolled-up card) is not taken as an answer
   * to the question open now.
   */
  questionId?: number;
}


/** The state of the case that every reply of a turn reports in its diagnosis entity. */
export interface DiagnosisSnapshot {
  role: Role | null;
  locale: string;
  symptom: Symptom | null;
  scenario: ScenarioId | null;
  secondary: ScenarioId[];
  step: number | null;
  steps: number | null;
  awaiting: Slot | null;
}

/** A plan's progress as a small bar, "▰▰▱▱" for step 2 of 4 (empty for odd or very long plans). */
export function progressBar({ step, steps }: { step: number; steps: number }): string {
  const done = Math.max(0, Math.min(step, steps));
  return steps > 0 && steps <= 20 ? `${'▰'.repeat(done)}${'▱'.repeat(steps - done)}` : '';
}

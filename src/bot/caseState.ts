import { randomUUID } from 'node:crypto';
import type { FixStep, FixStepId, PlatformAction } from '../domain/fixPlans.js';
import type { ScenarioId } from '../domain/scenarios.js';
import type { Symptom } from '../domain/symptoms.js';
import type { DiagnosisSnapshot, Slot } from '../channels/replyModel.js';
import type { Role } from '../domain/roles.js';
import type { TranscriptLine } from '../handoff/caseRecord.js';

export const TRANSCRIPT_LINES = 60;
export const TRANSCRIPT_LINE_LENGTH = 1000;

/**
 * One troubleshooting case: what the bot knows so far in a conversation. It lives in
 * conversation state and is the source of every reply's diagnosis entity.
 */
export interface CaseState {
  id: string;
  role: Role | null;
  locale: string;
  symptom: Symptom | null;
  /** Normalised access code the person gave (kept out of logs). */
  accessCode: string | null;
  /** Further codes given at once (normalised), diagnosed one after the other once this case is done. */
  moreCodes: string[];
  /** Codes typed that the platform does not know; answers without a code don't count. */
  wrongCodes: number;
  jobId: string | null;
  /** The gallery of the access code, when the case is about one code. */
  galleryId: string | null;
  photographerId: string | null;
  scenario: ScenarioId | null;
  secondary: ScenarioId[];
  step: number | null;
  awaiting: Slot | null;
  /** Counts the questions asked in this conversation; the open one has this number. */
  questionId: number;
  /** The fix plan being walked through with a photographer. */
  plan: FixStep[];
  /** Steps of the plan that are done, by hand or applied by the bot. */
  done: FixStepId[];
  /** Changes applied in this case, so a repeated confirmation never applies one twice. */
  appliedChanges: string[];
  /** What those changes did, as the photographer is told it later in the case (after a cancelled change, say). */
  changesMade: ChangeMade[];
  /** How often the plan was made anew after a step did not work: once, then support takes over. */
  replans: number;
  stepsTried: string[];
  /** Waiting customers the bot told, in this case, that the gallery is open. */
  customersTold: number;
  transcript: TranscriptLine[];
  /** The greeting was said in this conversation. */
  greeted: boolean;
  /**
   * The recorded case a person has taken over (a handoff is open): what the person writes
   * now is added to it instead of starting the flow again. Null when no handoff is open.
   */
  handoffCaseId: string | null;
  /** When that handoff opened (ISO time): one that nobody closes ends by itself after a while (src/handoff/openHandoff.ts). */
  handoffOpenedAt: string | null;
  /**
   * A customer's answer to "which e-mail address may support write to?": null until asked;
   * `email` null when they chose not to give one. Later handoffs in this conversation (the
   * next of several codes, a new problem) use it instead of asking again.
   */
  contact: { email: string | null } | null;
  /**
   * Where `locale` comes from: the channel (browser, Teams), or the language the person
   * clearly wrote in, which then stays until they clearly write in another.
   */
  localeFrom: 'channel' | 'text';
  /**
   * The code of a customer's case before this one, so "any news?" after it ended looks at
   * that code again and says how the gallery is now.
   */
  lastCode: string | null;
}

/** One change the bot made in a case: the job's name, and the archive date or the code it was about. */
export interface ChangeMade {
  kind: PlatformAction;
  job: string;
  date: string | null;
  code: string | null;
}

/**
 * `previous`: the case before, whose person, greeting, question count, open handoff and contact
 * carry over, and a customer's code as `lastCode`.
 */
export function newCase(
  locale: string,
  previous?: Pick<CaseState, 'role' | 'greeted' | 'questionId'> &
    Partial<Pick<CaseState, 'handoffCaseId' | 'handoffOpenedAt' | 'localeFrom' | 'contact' | 'accessCode' | 'lastCode'>>,
): CaseState {
  return {
    id: randomUUID(),
    role: previous?.role ?? null,
    locale,
    symptom: null,
    accessCode: null,
    moreCodes: [],
    wrongCodes: 0,
    jobId: null,
    galleryId: null,
    photographerId: null,
    scenario: null,
    secondary: [],
    step: null,
    awaiting: null,
    questionId: previous?.questionId ?? 0,
    plan: [],
    done: [],
    appliedChanges: [],
    changesMade: [],
    replans: 0,
    stepsTried: [],
    customersTold: 0,
    transcript: [],
    greeted: previous?.greeted ?? false,
    handoffCaseId: previous?.handoffCaseId ?? null,
    handoffOpenedAt: previous?.handoffOpenedAt ?? null,
    contact: previous?.contact ?? null,
    localeFrom: previous?.localeFrom ?? 'channel',
    lastCode: previous?.role === 'customer' ? (previous.accessCode ?? previous.lastCode ?? null) : null,
  };
}

/**
 * The case of the next of several codes given at once, after `previous`: a case of its own
 * (a handoff of the code before stays with support), the conversation's transcript kept.
 */
export function nextCodeCase(previous: CaseState): CaseState {
  const [next, ...rest] = previous.moreCodes;
  return {
    ...newCase(previous.locale, previous),
    handoffCaseId: null,
    handoffOpenedAt: null,
    accessCode: next ?? null,
    moreCodes: rest,
    transcript: previous.transcript,
  };
}

export function snapshotOf(state: CaseState): DiagnosisSnapshot {
  return {
    role: state.role,
    locale: state.locale,
    symptom: state.symptom,
    scenario: state.scenario,
    secondary: state.secondary,
    step: state.step,
    steps: state.plan.length > 0 ? state.plan.length : null,
    awaiting: state.awaiting,
  };
}

export function appendTranscript(state: CaseState, from: TranscriptLine['from'], text: string, at = new Date()): void {
  if (text === '') return;
  state.transcript.push({ from, text: text.slice(0, TRANSCRIPT_LINE_LENGTH), at: at.toISOString() });
  if (state.transcript.length > TRANSCRIPT_LINES) state.transcript.splice(0, state.transcript.length - TRANSCRIPT_LINES);
}

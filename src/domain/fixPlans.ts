import { hiddenPhotos } from './facts.js';
import type { Gallery } from './platformModel.js';
import type { Diagnosis, ScenarioId } from './scenarios.js';
import type { Symptom } from './symptoms.js';

/** Changes the platform can make itself after a photographer confirms them. */
export const PLATFORM_ACTIONS = ['reopen-job', 'set-selling', 'activate-code', 'unhide-photos'] as const;
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];

/**
 * Every step the bot knows, in the order a combined plan carries them out: the
 * gallery is repaired before the shop opens (setting a job to Selling with a broken
 * gallery would only move the customer to another error message).
 */
export const FIX_STEP_IDS = [
  'check-code-typing',
  'compare-code-list',
  'recreate-codes-if-deleted-job',
  'recreate-job',
  'hand-out-new-codes',
  'confirm-photos-linked',
  'activate-code',
  'check-code-gallery',
  'assign-photos',
  'unhide-photos',
  'untick-archiving-set-date',
  'deactivate-campaign',
  'save-settings',
  'set-status-selling',
  'escalate-to-support',
  'tell-customer',
] as const;

export type FixStepId = (typeof FIX_STEP_IDS)[number];

export interface FixStep {
  id: FixStepId;
  /** Set when the platform can carry the step out; steps sharing an action are applied together. */
  action: PlatformAction | null;
}

const step = (id: FixStepId, action: PlatformAction | null = null): FixStep => ({ id, action });

/** The photographer's ordered fix for each scenario, as the help article describes it. */
const SCENARIO_STEPS: Readonly<Record<ScenarioId, readonly FixStep[]>> = {
  'unknown-code': [step('check-code-typing'), step('compare-code-list')],
  'code-from-deleted-job': [step('recreate-job'), step('hand-out-new-codes')],
  'job-archived': [
    step('untick-archiving-set-date', 'reopen-job'),
    step('deactivate-campaign', 'reopen-job'),
    step('save-settings', 'reopen-job'),
    step('set-status-selling', 'reopen-job'),
  ],
  'job-in-planning': [step('confirm-photos-linked'), step('set-status-selling', 'set-selling')],
  'code-not-activated': [step('activate-code', 'activate-code'), step('check-code-gallery')],
  'code-without-photos': [step('assign-photos')],
  'photos-hidden': [step('unhide-photos', 'unhide-photos')],
  'no-known-cause': [step('escalate-to-support')],
};

/** Steps that only check something or hand the case on: they repair nothing a customer waits for. */
const NOT_A_REPAIR: ReadonlySet<FixStepId> = new Set(['check-code-typing', 'compare-code-list', 'escalate-to-support', 'hand-out-new-codes']);

/** What the gallery shows beyond the diagnosis: photos hidden while others are visible, which is no fault of the design's table. */
export interface GalleryDetails {
  someHidden?: boolean;
}

/** The details of the customer's gallery, when the case has one, for fixPlan. */
export function galleryDetails(gallery: Gallery | null | undefined): GalleryDetails {
  return { someHidden: gallery != null && hiddenPhotos(gallery).hidden > 0 };
}

/**
 * One plan that repairs the primary scenario and every secondary fault, each step
 * once, in the repair order of FIX_STEP_IDS, and ends by telling the customer when
 * the photographer repaired the gallery they wait for. When nothing in the data blocks
 * the gallery but some of its photos are hidden, those may be the ones the customer
 * misses: the plan makes them visible (and a step that did not help hands the case on).
 */
export function fixPlan(diagnosis: Pick<Diagnosis, 'scenario' | 'secondary'>, { someHidden = false }: GalleryDetails = {}): FixStep[] {
  const byId = new Map<FixStepId, FixStep>();
  const hiddenOnly = someHidden && diagnosis.scenario === 'no-known-cause' && diagnosis.secondary.length === 0;
  const scenarios: ScenarioId[] = hiddenOnly ? ['photos-hidden'] : [diagnosis.scenario, ...diagnosis.secondary];
  for (const scenario of scenarios) {
    for (const candidate of SCENARIO_STEPS[scenario]) {
      if (!byId.has(candidate.id)) byId.set(candidate.id, { ...candidate });
    }
  }
  const plan = FIX_STEP_IDS.flatMap((id) => byId.get(id) ?? []);
  const galleryRepaired = plan.some((s) => !NOT_A_REPAIR.has(s.id) && s.id !== 'recreate-job');
  if (galleryRepaired) plan.push(step('tell-customer'));
  return plan;
}

/**
 * The help article's fix for a shop message when no data can tell its cause, if the message
 * alone decides it: "incorrect access code" means the code does not exist in the account, for
 * one of two reasons only (a typing mistake, a code reused from a deleted job), so no question
 * about the job, the activation or the photos bears on it. Null for the other messages.
 */
export function messageFixPlan(symptom: Symptom): FixStep[] | null {
  if (symptom !== 'incorrect-code') return null;
  return [step('check-code-typing'), step('compare-code-list'), step('recreate-codes-if-deleted-job')];
}

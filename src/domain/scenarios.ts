import type { AskableFact, Facts } from './facts.js';
import type { Symptom } from './symptoms.js';

/**
 * The scenario state machine: facts map to exactly one primary scenario, and every
 * other fault that also blocks access is listed as secondary so a fix plan repairs
 * everything in one pass. `diagnose` is total: every combination of facts, including
 * statuses this bot does not know and facts nobody could tell, has an answer.
 */
export const SCENARIOS = [
  'unknown-code',
  'code-from-deleted-job',
  'job-archived',
  'job-in-planning',
  'code-not-activated',
  'code-without-photos',
  'photos-hidden',
  'no-known-cause',
] as const;

export type ScenarioId = (typeof SCENARIOS)[number];

/** Who can repair the scenario. */
export type FixedBy = 'customer' | 'photographer' | 'support';

interface ScenarioInfo {
  /** What the shop shows in this scenario; null when nothing explains the problem. */
  expectedSymptom: Symptom | null;
  fixedBy: FixedBy;
}

export const SCENARIO_INFO: Readonly<Record<ScenarioId, ScenarioInfo>> = {
  'unknown-code': { expectedSymptom: 'incorrect-code', fixedBy: 'customer' },
  'code-from-deleted-job': { expectedSymptom: 'incorrect-code', fixedBy: 'photographer' },
  'job-archived': { expectedSymptom: 'missed-sale', fixedBy: 'photographer' },
  'job-in-planning': { expectedSymptom: 'almost-ready', fixedBy: 'photographer' },
  'code-not-activated': { expectedSymptom: 'almost-ready', fixedBy: 'photographer' },
  'code-without-photos': { expectedSymptom: 'almost-ready', fixedBy: 'photographer' },
  'photos-hidden': { expectedSymptom: 'almost-ready', fixedBy: 'photographer' },
  'no-known-cause': { expectedSymptom: null, fixedBy: 'support' },
};

export interface Diagnosis {
  scenario: ScenarioId;
  /** Further faults that also block access, in the order they should be fixed. */
  secondary: ScenarioId[];
  reportedSymptom: Symptom;
  /**
   * The person reports one of the shop messages, but the data predicts another (or
   * none): the fix for the data would not help what they see.
   */
  symptomMismatch: boolean;
  /** A job status the bot does not know (for example `prepay`): it cannot diagnose the job. */
  unknownJobStatus: string | null;
  /** Facts nobody could tell that would have decided the diagnosis. */
  undetermined: AskableFact[];
}

/** Gallery faults that block access in any job status, in fixing order. */
function galleryFaults(facts: Facts): ScenarioId[] {
  const faults: ScenarioId[] = [];
  if (facts.codeActivated === false) faults.push('code-not-activated');
  if (facts.photosLinked === false) faults.push('code-without-photos');
  else if (facts.allPhotosHidden === true) faults.push('photos-hidden');
  return faults;
}

function undeterminedGalleryFacts(facts: Facts): AskableFact[] {
  const missing: AskableFact[] = [];
  if (facts.codeActivated === null) missing.push('codeActivated');
  if (facts.photosLinked === null) missing.push('photosLinked');
  else if (facts.photosLinked && facts.allPhotosHidden === null) missing.push('allPhotosHidden');
  return missing;
}

interface Finding {
  scenario: ScenarioId;
  secondary: ScenarioId[];
  unknownJobStatus: string | null;
  undetermined: AskableFact[];
}

function find(facts: Facts): Finding {
  const none = { secondary: [], unknownJobStatus: null, undetermined: [] };
  if (facts.code === 'unknown') return { scenario: 'unknown-code', ...none };
  if (facts.code === 'retired') return { scenario: 'code-from-deleted-job', ...none };

  const faults = galleryFaults(facts);
  switch (facts.jobStatus) {
    case 'archived':
      return { scenario: 'job-archived', secondary: faults, unknownJobStatus: null, undetermined: undeterminedGalleryFacts(facts) };
    case 'planning':
      return { scenario: 'job-in-planning', secondary: faults, unknownJobStatus: null, undetermined: undeterminedGalleryFacts(facts) };
    case 'selling': {
      const [primary, ...secondary] = faults;
      return {
        scenario: primary ?? 'no-known-cause',
        secondary,
        unknownJobStatus: null,
        undetermined: undeterminedGalleryFacts(facts),
      };
    }
    case null:
      return { scenario: 'no-known-cause', secondary: faults, unknownJobStatus: null, undetermined: ['jobStatus', ...undeterminedGalleryFacts(facts)] };
    default:
      // `prepay` and statuses added to the platform later: never guess what they mean.
      return { scenario: 'no-known-cause', secondary: faults, unknownJobStatus: facts.jobStatus, undetermined: [] };
  }
}

export function diagnose(facts: Facts, reportedSymptom: Symptom): Diagnosis {
  const finding = find(facts);
  // Without a known status, or with "nothing wrong" resting on facts nobody could
  // tell, there is no prediction to contradict.
  const predicted =
    finding.unknownJobStatus === null &&
    !finding.undetermined.includes('jobStatus') &&
    !(finding.scenario === 'no-known-cause' && finding.undetermined.length > 0);
  // Every fault found may be what the person sees (an archived job whose code is also
  // not activated may well show "almost ready"): only a message none of them explains
  // is a mismatch.
  const explained = [finding.scenario, ...finding.secondary].map((scenario) => SCENARIO_INFO[scenario].expectedSymptom);
  const symptomMismatch = reportedSymptom !== 'other' && predicted && !explained.includes(reportedSymptom);
  return { ...finding, reportedSymptom, symptomMismatch };
}

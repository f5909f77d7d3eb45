import { fixPlan } from '../src/domain/fixPlans.js';
import type { Diagnosis } from '../src/domain/scenarios.js';
import { SCENARIO_INFO } from '../src/domain/scenarios.js';
import type { Reply } from '../src/channels/replyModel.js';
import type { Localizer } from '../src/language/messages.js';

function symptomName(l: Localizer, symptom: string | null): string {
  return symptom === null || symptom === 'other' ? l.t('scenario.mismatch.none') : l.t(`shop.${symptom as 'almost-ready'}`);
}

/** The diagnosis for a photographer: the exact platform terms and the whole ordered plan. */
export function photographerPlan(l: Localizer, diagnosis: Diagnosis): Reply {
  const sentences: string[] = [];
  if (diagnosis.unknownJobStatus !== null) sentences.push(l.t('scenario.cannot-diagnose', { status: diagnosis.unknownJobStatus }));
  else if (diagnosis.scenario === 'no-known-cause' && diagnosis.undetermined.length > 0) sentences.push(l.t('scenario.undetermined'));
  else sentences.push(l.t(`scenario.${diagnosis.scenario}`));
  if (diagnosis.secondary.length > 0) {
    sentences.push(l.t('scenario.secondary', { faults: diagnosis.secondary.map((fault) => l.t(`scenario.${fault}`)).join(' ') }));
  }
  if (diagnosis.symptomMismatch) {
    sentences.push(
      l.t('scenario.mismatch', {
        reported: symptomName(l, diagnosis.reportedSymptom),
        expected: symptomName(l, SCENARIO_INFO[diagnosis.scenario].expectedSymptom),
      }),
    );
  }
  const steps = fixPlan(diagnosis).map((step) => l.t(`step.${step.id}`));
  sentences.push(l.t('plan.title', { count: steps.length }));
  return { text: sentences.join('\n\n'), steps };
}

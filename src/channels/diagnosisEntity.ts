import type { Entity } from 'botbuilder';
import type { DiagnosisSnapshot } from './replyModel.js';

export const DIAGNOSIS_ENTITY_TYPE = 'gallery-access/diagnosis';

export interface DiagnosisEntity extends Entity, DiagnosisSnapshot {
  type: typeof DIAGNOSIS_ENTITY_TYPE;
}

/**
 * Contract 1 of the design: every message of a troubleshooting conversation carries
 * exactly this entity. Tests, analytics and handoffs read it; channels ignore it.
 */
export function diagnosisEntity(snapshot: DiagnosisSnapshot): DiagnosisEntity {
  return {
    type: DIAGNOSIS_ENTITY_TYPE,
    role: snapshot.role,
    locale: snapshot.locale,
    symptom: snapshot.symptom,
    scenario: snapshot.scenario,
    secondary: [...snapshot.secondary],
    step: snapshot.step,
    steps: snapshot.steps,
    awaiting: snapshot.awaiting,
  };
}

import type { NewCase } from '../../src/handoff/caseRecord.js';
import { DEMO_CASES, DEMO_CODES } from './demoCodes.js';

/** A customer's escalation about the demo's archived job, in this conversation: a case to record in any outbox. */
export function archivedJobCase(conversationId: string): NewCase {
  return {
    kind: 'escalation',
    reason: 'requested',
    role: 'customer',
    channel: 'webchat',
    conversationId,
    locale: 'en-US',
    symptom: 'missed-sale',
    scenario: DEMO_CASES['job-archived'].scenario,
    secondary: [],
    accessCode: DEMO_CODES['job-archived'],
    jobId: DEMO_CASES['job-archived'].jobId,
    photographerId: null,
    stepsTried: [],
    transcript: [{ from: 'user', text: 'help', at: new Date().toISOString() }],
  };
}

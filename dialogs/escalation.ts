import type { CaseKind } from '../src/handoff/caseRecord.js';
import type { Turn } from '../src/bot/turn.js';
import type { DialogDependencies } from './dependencies.js';

/**
 * Records the case durably with everything collected so far, for a person to act on.
 * Returns false when it could not be stored, so the dialog can say so honestly.
 */
export async function recordCase(turn: Turn, { outbox, logger }: DialogDependencies, kind: CaseKind, reason: string): Promise<boolean> {
  const c = turn.case;
  try {
    const record = await outbox.record({
      kind,
      reason,
      role: c.role,
      channel: turn.channelId,
      conversationId: turn.conversationId,
      locale: c.locale,
      symptom: c.symptom,
      scenario: c.scenario,
      secondary: [...c.secondary],
      accessCode: c.accessCode,
      jobId: c.jobId,
      photographerId: c.photographerId,
      stepsTried: [...c.stepsTried],
      transcript: [...c.transcript, ...turn.replies.map((reply) => ({ from: 'bot' as const, text: reply.text, at: new Date().toISOString() }))],
    });
    logger.info('case recorded', { caseId: record.id, kind, reason, scenario: c.scenario, channel: turn.channelId });
    return true;
  } catch (error) {
    logger.error('case could not be recorded', { error, kind, reason });
    return false;
  }
}

/** A person asked for a human, or the bot could not help: record and say so. */
export async function escalate(turn: Turn, deps: DialogDependencies, reason: 'requested' | 'not-helped'): Promise<void> {
  const recorded = await recordCase(turn, deps, 'escalation', reason);
  turn.say({ text: turn.l.t(!recorded ? 'escalation.failed' : reason === 'requested' ? 'escalation.requested' : 'escalation.recorded') });
}

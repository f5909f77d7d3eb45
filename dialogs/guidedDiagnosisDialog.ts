import { type Dialog } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { type Facts, UNKNOWN_FACTS } from '../src/domain/facts.js';
import { messageFixPlan } from '../src/domain/fixPlans.js';
import { diagnose } from '../src/domain/scenarios.js';
import type { Symptom } from '../src/domain/symptoms.js';
import type { Slot } from '../src/channels/replyModel.js';
import type { MessageKey } from '../src/language/messages.js';
import type { JobStatusAnswer } from '../src/language/answers.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { turnOf } from '../src/bot/turn.js';
import { choiceDialog } from './choiceDialog.js';
import type { DialogDependencies } from './dependencies.js';
import type { Turn } from '../src/bot/turn.js';
import { messagePlan, photographerPlan } from './photographerPlan.js';
import { askSymptomUnlessKnown } from './symptomDialog.js';
import { FEEDBACK_DIALOG } from './feedbackDialog.js';

export const GUIDED_DIAGNOSIS_DIALOG = 'guided-diagnosis';
const JOB_STATUS = 'guided.job-status';
const YES_NO_FACT = { 'code-activated': 'guided.code-activated', 'photos-linked': 'guided.photos-linked', 'photos-hidden': 'guided.photos-hidden' } as const;

function jobStatusDialog(recognizer: Recognizer) {
  return choiceDialog<JobStatusAnswer>(JOB_STATUS, {
    slot: 'job-status',
    question: ({ l }) => l.t('guided.job-status'),
    choices: ({ l }) => [
      { id: 'planning', label: l.t('guided.job-status.planning') },
      { id: 'selling', label: l.t('guided.job-status.selling') },
      { id: 'archived', label: l.t('guided.job-status.archived') },
      { id: 'unknown', label: l.t('guided.dontKnow') },
    ],
    understand: (text) => recognizer.jobStatus(text),
    retry: ({ l }) => l.t('guided.retry'),
  }, recognizer);
}

type FactAnswer = 'yes' | 'no' | 'unknown';

/** A yes / no / don't know question about one fact; "don't know" leaves the fact open. */
function yesNoFactDialog(slot: keyof typeof YES_NO_FACT, recognizer: Recognizer) {
  const question: MessageKey = YES_NO_FACT[slot];
  return choiceDialog<FactAnswer>(`guided.${slot}`, {
    slot: slot satisfies Slot,
    question: ({ l }) => l.t(question),
    choices: ({ l }) => [
      { id: 'yes', label: l.t('guided.yes') },
      { id: 'no', label: l.t('guided.no') },
      { id: 'unknown', label: l.t('guided.dontKnow') },
    ],
    understand: (text) => (recognizer.jobStatus(text) === 'unknown' ? 'unknown' : recognizer.yesNo(text)),
    retry: ({ l }) => l.t('guided.retry'),
  }, recognizer);
}

/** An unlinked Teams or Slack account is told how to link it, so the bot can check and fix its jobs next time. */
function suggestLinking(turn: Turn): void {
  const { identity } = turn;
  if (identity.role === 'photographer' && identity.photographer === null && !identity.platformDown) {
    turn.say({ text: turn.l.t('guided.linkAccount', { channel: identity.channel === 'msteams' ? 'Microsoft Teams' : 'Slack' }) });
  }
}

function fact(answer: FactAnswer): boolean | null {
  return answer === 'unknown' ? null : answer === 'yes';
}

/**
 * Without platform data (a photographer whose account is not linked, or a role chosen
 * by typing) the bot asks for the facts and runs the same state machine on the answers.
 */
export function guidedDiagnosisDialogs(deps: DialogDependencies): Dialog[] {
  const facts = (step: WaterfallStep): Facts => ((step.values as { facts?: Facts }).facts ??= { ...UNKNOWN_FACTS });
  const flow = new Waterfall(GUIDED_DIAGNOSIS_DIALOG, [
    askSymptomUnlessKnown,
    async (step) => {
      const turn = turnOf(step.context);
      turn.case.symptom = step.result as Symptom;
      const steps = messageFixPlan(turn.case.symptom);
      if (steps !== null) {
        // "Incorrect access code": the code exists nowhere in the account, whatever the job's facts.
        turn.case.scenario = 'unknown-code';
        turn.case.secondary = [];
        turn.say(messagePlan(turn.l, steps));
        suggestLinking(turn);
        return step.replaceDialog(FEEDBACK_DIALOG);
      }
      return step.beginDialog(JOB_STATUS, { lead: turn.l.t('guided.intro') });
    },
    async (step) => {
      const status = step.result as JobStatusAnswer;
      facts(step).jobStatus = status === 'unknown' ? null : status;
      return step.beginDialog('guided.code-activated');
    },
    async (step) => {
      facts(step).codeActivated = fact(step.result as FactAnswer);
      return step.beginDialog('guided.photos-linked');
    },
    async (step) => {
      facts(step).photosLinked = fact(step.result as FactAnswer);
      if (facts(step).photosLinked === false) return step.next('unknown' satisfies FactAnswer);
      return step.beginDialog('guided.photos-hidden');
    },
    async (step) => {
      const turn = turnOf(step.context);
      facts(step).allPhotosHidden = fact(step.result as FactAnswer);
      const diagnosis = diagnose(facts(step), turn.case.symptom ?? 'other');
      turn.case.scenario = diagnosis.scenario;
      turn.case.secondary = diagnosis.secondary;
      turn.say(photographerPlan(turn.l, diagnosis));
      suggestLinking(turn);
      return step.beginDialog(FEEDBACK_DIALOG);
    },
  ]);
  const { recognizer } = deps;
  return [
    flow,
    jobStatusDialog(recognizer),
    yesNoFactDialog('code-activated', recognizer),
    yesNoFactDialog('photos-linked', recognizer),
    yesNoFactDialog('photos-hidden', recognizer),
  ];
}

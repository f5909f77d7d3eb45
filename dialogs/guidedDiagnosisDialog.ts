import { type Dialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { type Facts, UNKNOWN_FACTS } from '../src/domain/facts.js';
import { diagnose } from '../src/domain/scenarios.js';
import type { Symptom } from '../src/domain/symptoms.js';
import type { Slot } from '../src/channels/replyModel.js';
import type { MessageKey } from '../src/language/messages.js';
import { matchChoice, recognizeJobStatus, recognizeYesNo } from '../src/language/recognizer.js';
import { turnOf } from '../src/bot/turn.js';
import { AskDialog } from './ask.js';
import type { DialogDependencies } from './dependencies.js';
import { photographerPlan } from './photographerPlan.js';
import { askSymptomUnlessKnown } from './symptomDialog.js';
import { FEEDBACK_DIALOG } from './feedbackDialog.js';

export const GUIDED_DIAGNOSIS_DIALOG = 'guided-diagnosis';
const JOB_STATUS = 'guided.job-status';
const YES_NO_FACT = { 'code-activated': 'guided.code-activated', 'photos-linked': 'guided.photos-linked', 'photos-hidden': 'guided.photos-hidden' } as const;

const jobStatusDialog = new AskDialog<string | null>(JOB_STATUS, {
  slot: 'job-status',
  question: ({ l }) => ({
    text: l.t('guided.job-status'),
    choices: [
      { id: 'planning', label: l.t('guided.job-status.planning') },
      { id: 'selling', label: l.t('guided.job-status.selling') },
      { id: 'archived', label: l.t('guided.job-status.archived') },
      { id: 'unknown', label: l.t('guided.dontKnow') },
    ],
  }),
  read: (text, { l, input }) => {
    const status =
      matchChoice(input.choiceId ?? text, [
        { id: 'planning', labels: [l.t('guided.job-status.planning')] },
        { id: 'selling', labels: [l.t('guided.job-status.selling')] },
        { id: 'archived', labels: [l.t('guided.job-status.archived')] },
        { id: 'unknown', labels: [l.t('guided.dontKnow')] },
      ]) ?? recognizeJobStatus(text);
    if (status === null) return { ok: false, retry: l.t('guided.retry') };
    return { ok: true, value: status === 'unknown' ? null : status };
  },
  maxAttempts: 3,
  giveUp: () => null,
});

/** A yes / no / don't know question about one fact; "don't know" leaves the fact open. */
function yesNoFactDialog(slot: keyof typeof YES_NO_FACT): AskDialog<boolean | null> {
  const question: MessageKey = YES_NO_FACT[slot];
  return new AskDialog<boolean | null>(`guided.${slot}`, {
    slot: slot satisfies Slot,
    question: ({ l }) => ({
      text: l.t(question),
      choices: [
        { id: 'yes', label: l.t('guided.yes') },
        { id: 'no', label: l.t('guided.no') },
        { id: 'unknown', label: l.t('guided.dontKnow') },
      ],
    }),
    read: (text, { l, input }) => {
      const answer =
        matchChoice(input.choiceId ?? text, [
          { id: 'yes', labels: [l.t('guided.yes')] },
          { id: 'no', labels: [l.t('guided.no')] },
          { id: 'unknown', labels: [l.t('guided.dontKnow')] },
        ]) ??
        (recognizeJobStatus(text) === 'unknown' ? 'unknown' : recognizeYesNo(text));
      if (answer === null) return { ok: false, retry: l.t('guided.retry') };
      return { ok: true, value: answer === 'unknown' ? null : answer === 'yes' };
    },
    maxAttempts: 3,
    giveUp: () => null,
  });
}

/**
 * Without platform data (a photographer whose account is not linked, or a role chosen
 * by typing) the bot asks for the facts and runs the same state machine on the answers.
 */
export function guidedDiagnosisDialogs(deps: DialogDependencies): Dialog[] {
  const facts = (step: WaterfallStepContext): Facts => ((step.values as { facts?: Facts }).facts ??= { ...UNKNOWN_FACTS });
  const flow = new WaterfallDialog(GUIDED_DIAGNOSIS_DIALOG, [
    askSymptomUnlessKnown,
    async (step) => {
      const turn = turnOf(step.context);
      turn.case.symptom = step.result as Symptom;
      return step.beginDialog(JOB_STATUS, { lead: turn.l.t('guided.intro') });
    },
    async (step) => {
      facts(step).jobStatus = step.result as string | null;
      return step.beginDialog('guided.code-activated');
    },
    async (step) => {
      facts(step).codeActivated = step.result as boolean | null;
      return step.beginDialog('guided.photos-linked');
    },
    async (step) => {
      facts(step).photosLinked = step.result as boolean | null;
      if (facts(step).photosLinked === false) return step.next(null);
      return step.beginDialog('guided.photos-hidden');
    },
    async (step) => {
      const turn = turnOf(step.context);
      facts(step).allPhotosHidden = step.result as boolean | null;
      const diagnosis = diagnose(facts(step), turn.case.symptom ?? 'other');
      turn.case.scenario = diagnosis.scenario;
      turn.case.secondary = diagnosis.secondary;
      turn.say(photographerPlan(turn.l, diagnosis));
      const { identity } = turn;
      if (identity.role === 'photographer' && identity.photographer === null && !identity.platformDown) {
        turn.say({ text: turn.l.t('guided.linkAccount', { channel: identity.channel === 'msteams' ? 'Microsoft Teams' : 'Slack' }) });
      }
      return step.beginDialog(FEEDBACK_DIALOG);
    },
  ]);
  return [flow, jobStatusDialog, yesNoFactDialog('code-activated'), yesNoFactDialog('photos-linked'), yesNoFactDialog('photos-hidden')];
}

import { ComponentDialog, type DialogContext, type DialogTurnResult, DialogTurnStatus, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Role } from '../src/domain/roles.js';
import { recognizeCommand } from '../src/language/recognizer.js';
import { newCase } from '../src/bot/caseState.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { isUserInput } from '../src/bot/turnInput.js';
import { fixJobOf } from '../src/proactive/notices.js';
import { accessCodeDialog } from './accessCodeDialog.js';
import { applyChangeDialog } from './applyChangeDialog.js';
import { customerDialog, CUSTOMER_DIALOG } from './customerDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { HANDOFF_DIALOG, type HandoffOptions, handoffDialogs } from './escalation.js';
import { fixWalkthroughDialogs } from './fixWalkthroughDialog.js';
import { greetingLead } from './greeting.js';
import { guidedDiagnosisDialogs, GUIDED_DIAGNOSIS_DIALOG } from './guidedDiagnosisDialog.js';
import { jobReferenceDialog } from './jobReferenceDialog.js';
import { PHOTOGRAPHER_DIALOG, type PhotographerOptions, photographerDialogs } from './photographerDialog.js';
import { reopenJobDialogs } from './reopenJobDialog.js';
import { ROLE_DIALOG, roleDialog } from './roleDialog.js';
import { noteVolunteered, symptomDialog } from './symptomDialog.js';
import { feedbackDialogs } from './feedbackDialog.js';
import { confirmDialog } from './yesNoDialogs.js';

export const MAIN_DIALOG = 'main';
const ROUTE_DIALOG = 'route';

/** Asking for a person, at any point. */
const REQUESTED: HandoffOptions = { reason: 'requested' };

/**
 * The root of every conversation: routes by role and handles what works at any point
 * ("help", "restart", asking for a person) in every language.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDependencies) {
    super(MAIN_DIALOG);
    this.addDialog(
      new WaterfallDialog(ROUTE_DIALOG, [
        async (step: WaterfallStepContext) => {
          const turn = turnOf(step.context);
          if (turn.case.role !== null) return step.next(turn.case.role);
          return step.beginDialog(ROLE_DIALOG, { lead: greetingLead(turn) });
        },
        async (step: WaterfallStepContext) => {
          const turn = turnOf(step.context);
          turn.case.role = step.result as Role;
          if (turn.case.role === 'customer') return step.beginDialog(CUSTOMER_DIALOG);
          // Data and actions only for a photographer the channel identity maps to an account.
          return step.beginDialog(linkedPhotographer(turn.identity) !== null ? PHOTOGRAPHER_DIALOG : GUIDED_DIAGNOSIS_DIALOG);
        },
      ]),
    );
    const dialogs = [
      roleDialog,
      symptomDialog,
      accessCodeDialog(deps),
      confirmDialog,
      ...feedbackDialogs(),
      customerDialog(deps),
      ...guidedDiagnosisDialogs(deps),
      jobReferenceDialog(deps),
      ...photographerDialogs(deps),
      ...fixWalkthroughDialogs(deps),
      ...reopenJobDialogs(deps),
      applyChangeDialog(deps),
      ...handoffDialogs(deps),
    ];
    for (const dialog of dialogs) {
      this.addDialog(dialog);
    }
    this.initialDialogId = ROUTE_DIALOG;
  }

  /**
   * The job a linked photographer's "fix it now" button names (sent with a notice about
   * waiting customers), or null. Whose job it is, the job reference checks as for any job.
   */
  private fixJobRequested(innerDc: DialogContext, turn: Turn): string | null {
    if (linkedPhotographer(turn.identity) === null || !isUserInput(innerDc.context.activity)) return null;
    return fixJobOf(turn.input.choiceId ?? turn.input.text);
  }

  /** A new case for the job, walked through with the latest waiting customer's code and what they saw. */
  private async beginFix(innerDc: DialogContext, turn: Turn, jobId: string): Promise<DialogTurnResult> {
    const latest = await this.deps.notices.latestReport(jobId).catch(() => null);
    turn.case.symptom = latest?.symptom ?? 'other';
    return innerDc.beginDialog(PHOTOGRAPHER_DIALOG, { reference: latest?.accessCode ?? jobId } satisfies PhotographerOptions);
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    const turn = turnOf(innerDc.context);
    const fixJob = this.fixJobRequested(innerDc, turn);
    if (fixJob !== null) return this.beginFix(innerDc, turn, fixJob);
    const command = recognizeCommand(turn.input.text);
    if (command === 'agent') {
      return innerDc.beginDialog(HANDOFF_DIALOG, REQUESTED);
    }
    // No question is open, so a clicked card button belongs to an earlier case.
    if (turn.input.questionId !== null) turn.say({ text: turn.l.t('input.staleButton') });
    if (command === 'help') turn.say({ text: turn.l.t('help') });
    else if (command === null) noteVolunteered(turn, turn.input.text);
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const turn = turnOf(innerDc.context);
    const fixJob = this.fixJobRequested(innerDc, turn);
    if (fixJob !== null) {
      // Whatever was open, the button starts the fix of that job as a new case.
      await innerDc.cancelAllDialogs();
      restartCase(turn);
      return this.beginFix(innerDc, turn, fixJob);
    }
    const command = isUserInput(innerDc.context.activity) ? recognizeCommand(turn.input.text) : null;
    switch (command) {
      case 'help':
        turn.say({ text: turn.l.t('help') });
        await innerDc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'restart':
        restartCase(turn);
        turn.say({ text: turn.l.t('restart') });
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(ROUTE_DIALOG);
      case 'agent':
        await innerDc.cancelAllDialogs();
        turn.case.awaiting = null;
        return innerDc.beginDialog(HANDOFF_DIALOG, REQUESTED);
      default:
        return super.onContinueDialog(innerDc);
    }
  }
}

/** A new case in the same conversation: who the person is and the greeting carry over. */
function restartCase(turn: Turn): void {
  turn.case = newCase(turn.case.locale, turn.case);
}

import { ComponentDialog, type DialogContext, type DialogTurnResult, DialogTurnStatus } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { formatAccessCode, sameAccessCode } from '../src/domain/accessCode.js';
import type { Role } from '../src/domain/roles.js';
import type { Slot } from '../src/channels/replyModel.js';
import type { Command } from '../src/language/commands.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { newCase } from '../src/bot/caseState.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { isUserInput } from '../src/bot/turnInput.js';
import { fixJobOf } from '../src/proactive/notices.js';
import { accessCodeDialog } from './accessCodeDialog.js';
import { applyChangeDialogs } from './applyChangeDialog.js';
import { customerDialogs, CUSTOMER_DIALOG } from './customerDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { HANDOFF_DIALOG, type HandoffOptions, handoffDialogs, noteVolunteeredEmail } from './escalation.js';
import { fixWalkthroughDialogs } from './fixWalkthroughDialog.js';
import { greetingLead } from './greeting.js';
import { guidedDiagnosisDialogs, GUIDED_DIAGNOSIS_DIALOG } from './guidedDiagnosisDialog.js';
import { jobReferenceDialog, jobsNamedIn } from './jobReferenceDialog.js';
import { PHOTOGRAPHER_DIALOG, type PhotographerOptions, photographerDialogs } from './photographerDialog.js';
import { reopenJobDialogs } from './reopenJobDialog.js';
import { ROLE_DIALOG, roleDialog } from './roleDialog.js';
import { noteVolunteered, symptomDialog } from './symptomDialog.js';
import { feedbackDialogs } from './feedbackDialog.js';
import { confirmDialog } from './yesNoDialogs.js';
import { offerPersonThisTurn, PERSON_CHOICE, sideAnswer } from './sideTopics.js';

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
      new Waterfall(ROUTE_DIALOG, [
        async (step: WaterfallStep) => {
          const turn = turnOf(step.context);
          if (turn.case.role !== null) return step.next(turn.case.role);
          return step.beginDialog(ROLE_DIALOG, { lead: greetingLead(turn) });
        },
        async (step: WaterfallStep) => {
          const turn = turnOf(step.context);
          turn.case.role = step.result as Role;
          if (turn.case.role === 'customer') return step.beginDialog(CUSTOMER_DIALOG);
          // Data and actions only for a photographer the channel identity maps to an account.
          return step.beginDialog(linkedPhotographer(turn.identity) !== null ? PHOTOGRAPHER_DIALOG : GUIDED_DIAGNOSIS_DIALOG);
        },
      ]),
    );
    const dialogs = [
      roleDialog(deps.recognizer),
      symptomDialog(deps.recognizer),
      accessCodeDialog(deps),
      confirmDialog(deps.recognizer),
      ...feedbackDialogs(deps.recognizer, deps),
      ...customerDialogs(deps),
      ...guidedDiagnosisDialogs(deps),
      jobReferenceDialog(deps),
      ...photographerDialogs(deps),
      ...fixWalkthroughDialogs(deps),
      ...reopenJobDialogs(deps),
      ...applyChangeDialogs(deps),
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
    // Only the job's own photographer gets the job and a waiting customer's code; anyone else
    // is asked, as for any case, and learns nothing of another photographer's job.
    const job = await this.deps.platform.getJob(jobId).catch(() => null);
    const mine = job !== null && !job.deleted && job.photographerId === linkedPhotographer(turn.identity)?.id;
    const latest = mine ? await this.deps.notices.latestReport(jobId).catch(() => null) : null;
    turn.case.symptom = latest?.symptom ?? 'other';
    const options: PhotographerOptions = latest !== null ? { reference: latest.accessCode } : mine ? { jobId } : {};
    return innerDc.beginDialog(PHOTOGRAPHER_DIALOG, options);
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    const turn = turnOf(innerDc.context);
    const fixJob = this.fixJobRequested(innerDc, turn);
    if (fixJob !== null) return this.beginFix(innerDc, turn, fixJob);
    const command = commandOf(turn, this.deps.recognizer);
    if (command === 'agent') {
      return innerDc.beginDialog(HANDOFF_DIALOG, REQUESTED);
    }
    // No question is open, so a clicked card button belongs to an earlier case.
    if (turn.input.questionId !== null) turn.say({ text: turn.l.t('input.staleButton') });
    if (command === 'help') turn.say({ text: turn.l.t('help') });
    else if (command === null) {
      noteVolunteered(turn, turn.input.text, this.deps.recognizer);
      // Kept quietly: the handoff says which address support writes to.
      noteVolunteeredEmail(turn, this.deps.recognizer);
      if (answerBeforeTheCase(turn, this.deps.recognizer)) return { status: DialogTurnStatus.complete };
    }
    return super.onBeginDialog(innerDc, options);
  }

  /** A photographer at "did this help?" who names another of their jobs: a new request. */
  private async namesAnotherJob(turn: Turn): Promise<boolean> {
    const { case: c, input } = turn;
    const me = linkedPhotographer(turn.identity)?.id;
    if (me === undefined || c.awaiting !== 'feedback' || input.choiceId !== null || input.text.length > MAX_CORRECTION_LENGTH) return false;
    if (this.deps.recognizer.yesNo(input.text) !== null) return false;
    const named = await jobsNamedIn(this.deps, me, input.text).catch(() => []);
    return named.length > 0 && named.every((job) => job.id !== c.jobId);
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
    const command = isUserInput(innerDc.context.activity) ? commandOf(turn, this.deps.recognizer) : null;
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
      default: {
        if (command === null && isUserInput(innerDc.context.activity) && noteVolunteeredEmail(turn, this.deps.recognizer)) {
          turn.say({ text: turn.l.t('handoff.email.noted', { email: turn.case.contact?.email ?? '' }) });
        }
        const corrected = command === null && isUserInput(innerDc.context.activity) ? correctedCodes(turn, this.deps.recognizer) : [];
        if (corrected.length > 0) {
          // "Sorry, wrong code: it's KDG4 77QP" at a later question: that code is the case now.
          await innerDc.cancelAllDialogs();
          const [code, ...more] = corrected;
          turn.case = { ...newCase(turn.case.locale, turn.case), accessCode: code ?? null, moreCodes: more, transcript: turn.case.transcript };
          turn.say({ text: turn.l.t('code.corrected', { code: formatAccessCode(code ?? '') }) });
          return innerDc.beginDialog(ROUTE_DIALOG);
        }
        if (command === null && isUserInput(innerDc.context.activity) && (await this.namesAnotherJob(turn))) {
          // "Spring portraits 2027, mom says almost ready" at "did this help?": the next case, not a "no".
          await innerDc.cancelAllDialogs();
          turn.case = { ...newCase(turn.case.locale, turn.case), transcript: turn.case.transcript };
          return innerDc.beginDialog(ROUTE_DIALOG);
        }
        return super.onContinueDialog(innerDc);
      }
    }
  }
}

/**
 * Questions after the code at which another code is a correction, not an answer: "is that the
 * message you see?", an offer, "did this help?". A photographer's questions in a fix (step
 * results, a change's confirmation) are not among them: a code there is no reason to drop the fix.
 */
const CODE_CORRECTABLE: Readonly<Record<Role, readonly Slot[]>> = {
  customer: ['symptom', 'confirm', 'feedback'],
  // At a step or a change's confirmation too: "anderer Fall: RJ6TCX9B" is the next case, not an unreadable step result.
  photographer: ['symptom', 'feedback', 'step-result', 'confirm'],
};

/** A correction is a sentence or two; a long paste that happens to hold a code-like word is none. */
const MAX_CORRECTION_LENGTH = 300;

/** The codes of a message that corrects the case's code at one of those questions; none otherwise. */
function correctedCodes(turn: Turn, recognizer: Recognizer): string[] {
  const { case: c, input } = turn;
  if (c.role === null || c.awaiting === null || input.choiceId !== null || !CODE_CORRECTABLE[c.role].includes(c.awaiting)) return [];
  if (input.text.length > MAX_CORRECTION_LENGTH) return [];
  // Before any code, the symptom question takes one itself.
  if (c.awaiting === 'symptom' && c.accessCode === null) return [];
  const codes = recognizer.accessCodes(input.text);
  const current = c.accessCode;
  return current !== null && codes.every((code) => sameAccessCode(code, current)) ? [] : codes;
}

/** A command typed in any language, or the "Talk to a person" button. */
function commandOf(turn: Turn, recognizer: Recognizer): Command | null {
  return turn.input.choiceId === PERSON_CHOICE ? 'agent' : recognizer.command(turn.input.text);
}

/**
 * A message while no question is open (the first one, or one after a case ended) that is
 * no problem description: thanks and goodbyes get a short answer and start nothing (true);
 * a question or a topic gets its answer before the first question of a new case (false).
 */
function answerBeforeTheCase(turn: Turn, recognizer: Recognizer): boolean {
  const { l, case: c } = turn;
  if (turn.input.choiceId !== null || turn.input.text === '') return false;
  const { intent } = recognizer.intent(turn.input.text);
  if (intent === null) return false;
  if (intent === 'thanks' || intent === 'goodbye') {
    turn.say({ text: l.t(intent === 'thanks' ? 'end.thanks' : 'end.goodbye') });
    return true;
  }
  // "Why does it say almost ready?" and "missed the sale, can I still order?" describe the problem: the case answers them.
  if ((intent === 'question' || intent === 'what-next') && (c.symptom !== null || c.accessCode !== null)) return false;
  // "Any news?" after a case ended: that code looked at again says how the gallery is now.
  if (intent === 'what-next' && c.role === 'customer' && c.lastCode !== null) {
    c.accessCode = c.lastCode;
    // What they saw then may be gone now: the diagnosis tells how the gallery is, without holding it against the old message.
    c.symptom = 'other';
    turn.say({ text: [greetingLead(turn), l.t('code.again', { code: formatAccessCode(c.lastCode) })].filter(Boolean).join(' ') });
    return false;
  }
  const aside = sideAnswer(turn, intent);
  if (aside.offerPerson) offerPersonThisTurn(turn);
  turn.say({ text: [greetingLead(turn), aside.text, aside.offerPerson ? l.t('ask.offerPerson') : ''].filter(Boolean).join(' ') });
  return false;
}

/** A new case in the same conversation: who the person is and the greeting carry over. */
function restartCase(turn: Turn): void {
  turn.case = newCase(turn.case.locale, turn.case);
}

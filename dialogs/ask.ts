import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Reply, ReplyChoice, Slot } from '../src/channels/replyModel.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { isUserInput } from '../src/bot/turnInput.js';

/** What reading an answer gave: a value, or a reason to ask again. */
/** `choices` replace the question's buttons for the retry, e.g. "did you mean A or B?". */
export type Answer<T> = { ok: true; value: T } | { ok: false; retry: string; choices?: ReplyChoice[] };

export interface AskSpec<T, O> {
  /** The slot the diagnosis entity reports while the question is open. */
  slot: Slot;
  question(turn: Turn, options: O): Reply;
  read(text: string, turn: Turn, options: O, attempt: number): Answer<T> | Promise<Answer<T>>;
  /** After this many unreadable answers the question ends with `giveUp`'s value instead of looping. */
  maxAttempts?: number;
  giveUp?(turn: Turn, options: O): T;
}

export interface AskOptions {
  /** Text a person already gave (in an earlier message): read it before asking. */
  answer?: string;
  /** Said before the question in the same message, e.g. an acknowledgement. */
  lead?: string;
}

interface AskState<O> {
  options: O;
  attempts: number;
  /** The number this question was shown with (its cards send it back); set when first shown. */
  questionId?: number;
}

/**
 * One question of a flow: asks, reads the answer, asks again with a reason when the
 * answer can't be read. A small cousin of botbuilder's prompts that speaks the reply
 * model and keeps the `awaiting` slot of the case up to date.
 */
export class AskDialog<T, O extends AskOptions = AskOptions> extends Dialog<O> {
  constructor(
    dialogId: string,
    private readonly spec: AskSpec<T, O>,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    const opts = (options ?? {}) as O;
    const state: AskState<O> = { options: opts, attempts: 0 };
    dc.activeDialog!.state = state;
    const turn = turnOf(dc.context);
    if (opts.answer !== undefined && opts.answer !== '') return this.readAnswer(dc, turn, state, opts.answer);
    this.show(turn, state, opts.lead === undefined || opts.lead === '' ? {} : { lead: opts.lead });
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    // Typing indicators, reactions and other non-messages neither answer nor count as a try.
    if (!isUserInput(dc.context.activity)) return Dialog.EndOfTurn;
    const turn = turnOf(dc.context);
    const state = dc.activeDialog!.state as AskState<O>;
    if (turn.input.questionId !== null && turn.input.questionId !== state.questionId) {
      // A click on an older card (a double click, a card scrolled back to): never an answer to this question.
      this.show(turn, state, { lead: turn.l.t('input.staleButton') });
      return Dialog.EndOfTurn;
    }
    return this.readAnswer(dc, turn, state, turn.input.text);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    this.show(turnOf(context), instance.state as AskState<O>);
  }

  private async readAnswer(dc: DialogContext, turn: Turn, state: AskState<O>, text: string): Promise<DialogTurnResult> {
    state.attempts += 1;
    const answer: Answer<T> =
      text === '' && turn.input.choiceId === null
        ? { ok: false, retry: `${turn.l.t(turn.input.attachmentsOnly ? 'input.empty' : 'input.unreadable')} ${this.spec.question(turn, state.options).text}` }
        : await this.spec.read(text, turn, state.options, state.attempts);
    if (answer.ok) {
      turn.case.awaiting = null;
      return dc.endDialog(answer.value);
    }
    const maxAttempts = this.spec.maxAttempts;
    if (maxAttempts !== undefined && state.attempts >= maxAttempts && this.spec.giveUp) {
      turn.case.awaiting = null;
      return dc.endDialog(this.spec.giveUp(turn, state.options));
    }
    this.show(turn, state, { text: answer.retry, ...(answer.choices ? { choices: answer.choices } : {}) });
    return Dialog.EndOfTurn;
  }

  /**
   * Shows the question: with a lead before it, or with its text replaced by a reason to
   * ask again (its buttons stay). Shown again, it keeps its number.
   */
  private show(turn: Turn, state: AskState<O>, change: { lead?: string; text?: string; choices?: ReplyChoice[] } = {}): void {
    const question = this.spec.question(turn, state.options);
    if (state.questionId === undefined) {
      turn.case.questionId += 1;
      state.questionId = turn.case.questionId;
    }
    turn.case.awaiting = this.spec.slot;
    const text = change.text ?? (change.lead ? `${change.lead} ${question.text}` : question.text);
    turn.say({ ...question, text, ...(change.choices ? { choices: change.choices } : {}), questionId: state.questionId });
  }
}

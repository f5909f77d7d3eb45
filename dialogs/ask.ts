import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from '../src/bot/dialogKit.js';
import type { Reply, ReplyChoice, Slot } from '../src/channels/replyModel.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { isUserInput } from '../src/bot/turnInput.js';
import { type Intent, isTopic } from '../src/language/intents.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { foldText } from '../src/language/textFolding.js';
import { offerPersonThisTurn, personChoice, personOfferedThisTurn, shopMessageAnswer, type SideAnswer, sideAnswer } from './sideTopics.js';
import { changesMadeSentence } from './changesMade.js';

/** What reading an answer gave: a value, or a reason to ask again. */
/** `choices` replace the question's buttons for the retry, e.g. "did you mean A or B?". */
/**
 * `understood`: the answer was read but cannot be taken (a past date, a code not found, a
 * button not offered here): its reason is said, never a side answer, and it is no unclear answer.
 */
export type Answer<T> = { ok: true; value: T } | { ok: false; retry: string; choices?: ReplyChoice[]; understood?: boolean };

export interface AskSpec<T, O> {
  /** The slot the diagnosis entity reports while the question is open. */
  slot: Slot;
  question(turn: Turn, options: O): Reply;
  read(text: string, turn: Turn, options: O, attempt: number): Answer<T> | Promise<Answer<T>>;
  /**
   * The reader finds only its own kind of answer (a code, a date, an address) and reads
   * nothing into other text: it reads first, and a question or a topic around it counts only
   * when it found nothing. Otherwise a topic ("I want a refund") is answered before the
   * reader could take it for an answer.
   */
  strict?: boolean;
  /**
   * The reader has no side effects and its answers are short (buttons, yes or no): an answer
   * beside a topic ("yes please, how long will it take?") is taken, and the topic answered
   * on the way, instead of asking the question again.
   */
  answersBesideTopic?: boolean;
  /**
   * The reader's retries say what was wrong with the answer (a code not found, a date that
   * does not exist): asked again, they are kept, with a person offered from the second on.
   */
  explainsRetries?: boolean;
  /** Thanks, goodbyes, questions and topics are answered while this question is open (default true). */
  sideTopics?: boolean;
  /**
   * This question's own answer to a question or topic beside it, before the usual one ("any
   * news?" at "did this help?" looks whether the gallery has opened meanwhile); null: the usual one.
   */
  sideAnswer?(turn: Turn, intent: Exclude<Intent, 'goodbye' | 'thanks'>): Promise<SideAnswer | null>;
  /**
   * After this many unreadable answers the question ends with `giveUp`'s value instead of
   * looping; only for questions whose ending says so (no code given, no address given), never a guess.
   */
  maxAttempts?: number;
  giveUp?(turn: Turn, options: O): T;
}

export interface AskOptions {
  /** Text a person already gave (in an earlier message): read it before asking. */
  answer?: string;
  /** Said before the question in the same message, e.g. an acknowledgement. */
  lead?: string;
  /**
   * An earlier question whose card buttons still answer this one: the step card's "do it for
   * me", pressed after "didn't work" was answered by the offer to do the step.
   */
  continuesQuestion?: number;
}

interface AskState<O> {
  options: O;
  attempts: number;
  /** Answers that were neither an answer nor anything else the bot understood. */
  unclear?: number;
  /** "Talk to a person" is offered with the question from now on. */
  offerPerson?: boolean;
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
    /** Reads the thanks, questions and topics around an answer. */
    private readonly recognizer: Recognizer,
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
    const { questionId } = turn.input;
    if (questionId !== null && questionId !== state.questionId && questionId !== state.options.continuesQuestion) {
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
    if (text === '' && turn.input.choiceId === null) {
      return this.unclear(dc, turn, state, `${turn.l.t(turn.input.attachmentsOnly ? 'input.empty' : 'input.unreadable')} ${this.spec.question(turn, state.options).text}`);
    }
    if (turn.input.choiceId === null && turn.identity.role === 'customer' && this.spec.sideTopics !== false && this.recognizer.solved(text)) {
      // "Hat sich erledigt, geht jetzt", "c'est bon, ça marche maintenant": nothing is left to ask or
      // pass on (its "c'est bon" is no yes to telling the photographer); the case ends, as with a goodbye.
      turn.case.awaiting = null;
      turn.say({ text: turn.l.t('customer.solved') });
      return dc.cancelAllDialogs();
    }
    // A clicked button is an answer to this question, never a side topic; so is a button's
    // label typed as it is shown ("No, pass it to support" holds words of a question too).
    const asked = turn.input.choiceId === null && this.spec.sideTopics !== false && !this.namesAChoice(turn, state, text);
    const intent: Intent | null = asked ? this.recognizer.intent(text).intent : null;
    if (asked && intent !== 'goodbye' && turn.identity.role !== null && this.recognizer.withdraws(text)) {
      // "Never mind", "laisse tomber, je vais appeler l'école", "stopp": not a "no" to this question
      // but the end of the case, said kindly; nothing is passed on, and what was changed is said.
      turn.case.awaiting = null;
      turn.say({ text: [turn.l.t('case.withdrawn'), changesMadeSentence(turn)].filter((part) => part !== '').join(' ') });
      return dc.cancelAllDialogs();
    }
    if (!this.spec.strict && isTopic(intent)) {
      const besideTopic = this.spec.answersBesideTopic === true ? await this.spec.read(text, turn, state.options, state.attempts) : null;
      if (besideTopic?.ok !== true) return this.answerAside(dc, turn, state, intent, text);
      const aside = await this.asideFor(turn, intent, text);
      turn.say({ text: aside.text });
      if (aside.offerPerson) offerPersonThisTurn(turn);
      turn.case.awaiting = null;
      return dc.endDialog(besideTopic.value);
    }
    const answer: Answer<T> = await this.spec.read(text, turn, state.options, state.attempts);
    if (answer.ok) {
      turn.case.awaiting = null;
      if (intent === 'question' && this.spec.answersBesideTopic === true && this.recognizer.questionBesideAnswer(text)) {
        // "Nee, kan ik de fotograaf zelf bellen?": the answer is taken, and the question is not passed over in silence.
        const aside = sideAnswer(turn, 'question');
        turn.say({ text: aside.text });
        if (aside.offerPerson) offerPersonThisTurn(turn);
      }
      return dc.endDialog(answer.value);
    }
    if (answer.understood === true) {
      this.show(turn, state, { text: answer.retry, ...(answer.choices ? { choices: answer.choices } : {}) });
      return Dialog.EndOfTurn;
    }
    if (intent !== null) return this.answerAside(dc, turn, state, intent, text);
    const maxAttempts = this.spec.maxAttempts;
    if (maxAttempts !== undefined && state.attempts >= maxAttempts && this.spec.giveUp) {
      turn.case.awaiting = null;
      return dc.endDialog(this.spec.giveUp(turn, state.options));
    }
    return this.unclear(dc, turn, state, answer.retry, answer.choices);
  }

  private namesAChoice(turn: Turn, state: AskState<O>, text: string): boolean {
    const typed = foldText(text);
    return (this.spec.question(turn, state.options).choices ?? []).some((choice) => foldText(choice.label) === typed);
  }

  /**
   * An answer the bot could not read. Never a guess: the first time the question is asked
   * differently (the reader's reason); from the second time on, a person is offered with it.
   */
  private unclear(dc: DialogContext, turn: Turn, state: AskState<O>, retry: string, choices?: ReplyChoice[]): DialogTurnResult {
    state.unclear = (state.unclear ?? 0) + 1;
    // A question that ends by itself after a few tries (no code) offers a person on the way there
    // too; one on the way to a person already (the e-mail address) has nobody else to offer.
    if (state.unclear === 1 || this.spec.sideTopics === false) {
      this.show(turn, state, { text: retry, ...(choices ? { choices } : {}) });
      return Dialog.EndOfTurn;
    }
    state.offerPerson = true;
    const { l } = turn;
    const again = this.spec.explainsRetries ? retry : l.t('ask.unclearAgain', { question: this.spec.question(turn, state.options).text });
    this.show(turn, state, { text: `${again} ${l.t('ask.offerPerson')}`, ...(choices ? { choices } : {}) });
    return Dialog.EndOfTurn;
  }

  /** Thanks, a goodbye, a question or a topic while the question is open: answered, then the question again. */
  private async answerAside(dc: DialogContext, turn: Turn, state: AskState<O>, intent: Intent, text: string): Promise<DialogTurnResult> {
    const { l } = turn;
    if (intent === 'goodbye') {
      // Leaving is allowed at any question: the case ends here, and the next message starts a new one.
      turn.case.awaiting = null;
      turn.say({ text: l.t('side.goodbye') });
      return dc.cancelAllDialogs();
    }
    if (intent === 'thanks') {
      this.show(turn, state, { lead: l.t('side.thanks') });
      return Dialog.EndOfTurn;
    }
    const aside = await this.asideFor(turn, intent, text);
    if (aside.offerPerson) state.offerPerson = true;
    this.show(turn, state, { lead: aside.offerPerson ? `${aside.text} ${l.t('ask.offerPerson')}` : aside.text });
    return Dialog.EndOfTurn;
  }

  /** The answer to a question or topic beside the question: what a quoted shop message means, or the topic's answer. */
  private async asideFor(turn: Turn, intent: Exclude<Intent, 'goodbye' | 'thanks'>, text: string): Promise<SideAnswer> {
    const own = (await this.spec.sideAnswer?.(turn, intent)) ?? null;
    if (own !== null) return own;
    const shopMessage = intent === 'question' ? this.recognizer.symptom(text).symptom : 'other';
    return shopMessage === 'other' ? sideAnswer(turn, intent) : shopMessageAnswer(turn, shopMessage);
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
    if (personOfferedThisTurn(turn)) state.offerPerson = true;
    const text = change.text ?? (change.lead ? `${change.lead} ${question.text}` : question.text);
    const choices = change.choices ?? question.choices ?? [];
    const withPerson = state.offerPerson && !choices.some((choice) => choice.id === personChoice(turn).id) ? [...choices, personChoice(turn)] : choices;
    turn.say({ ...question, text, ...(withPerson.length > 0 ? { choices: withPerson } : {}), questionId: state.questionId });
  }
}

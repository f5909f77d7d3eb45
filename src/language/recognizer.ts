/**
 * What the dialogs ask of free text, as one object they are given (the way the
 * BotBuilder-Samples core-bot hands its recognizer to MainDialog): the conversation's rules
 * stay in dialogs/, the reading of words here, and the composition root decides which
 * recognizer a bot has. Everything is pure and synchronous; no Bot Framework import.
 */
import type { IsoDate } from '../domain/archiveDate.js';
import type { Role } from '../domain/roles.js';
import { extractAccessCode, extractAccessCodeFromAnswer, findAccessCodes } from './accessCodes.js';
import { type JobStatusAnswer, recognizeJobStatus, recognizeRole, recognizeYesNo, type YesNo } from './answers.js';
import { type Choice, matchChoice } from './choices.js';
import { type Command, recognizeCommand } from './commands.js';
import { type DateReading, parseArchiveDate } from './dateParser.js';
import { findEmailAddresses } from './emailAddresses.js';
import { type IntentRecognition, isTopic, recognizeIntent, recognizeSolved, recognizeSpeaksOfSolved, recognizeWhyAlone, recognizeWithdrawal } from './intents.js';
import { type JobQuery, jobQueries } from './jobMentions.js';
import type { Language } from './languages.js';
import { guessLanguage } from './phraseLanguage.js';
import { clausesOf } from './phraseMatching.js';
import { describesOtherScreen, recognizeSymptom, type SymptomRecognition } from './symptomRecognition.js';
import { writtenLanguage } from './writtenLanguage.js';

export interface Recognizer {
  /** Which of the three shop messages the text describes (`other` when none or unclear). */
  symptom(text: string): SymptomRecognition;
  /** Whether the text describes a screen that is none of the three messages (an empty gallery, a blank page). */
  otherScreen(text: string): boolean;
  /** "help", "restart" or asking for a person, at any point of the conversation. */
  command(text: string): Command | null;
  yesNo(text: string): YesNo | null;
  role(text: string): Role | null;
  /** A photographer's answer to "what is the job's status?". */
  jobStatus(text: string): JobStatusAnswer | null;
  /** Which button a typed answer means (its number, id or label). */
  choice<T extends string>(text: string, choices: readonly Choice<T>[]): T | null;
  /** Thanks, a goodbye, a common question or a topic the bot cannot handle. */
  intent(text: string): IntentRecognition;
  /** Whether the text says the problem went away ("it works now", "geht jetzt"). */
  solved(text: string): boolean;
  /** Whether a clause of its own asks something beside the one that answers ("no, can I call them myself?"; not "yes please?"). */
  questionBesideAnswer(text: string): boolean;
  /** "Why?" alone ("warum?", "pourquoi ?"): a question about what the bot just said. */
  whyAlone(text: string): boolean;
  /** The e-mail addresses written in the message, each once. */
  emailAddresses(text: string): string[];
  /** The message speaks of it working now, as news or as a question ("is it open now?", "geht es jetzt?"). */
  speaksOfSolved(text: string): boolean;
  /** "Never mind", "laisse tomber, je vais appeler l'école": what was asked for is taken back. */
  withdraws(text: string): boolean;
  /** Every access code written in the text, normalised, in text order. */
  accessCodes(text: string): string[];
  /** The first code-shaped token of the text ("MXR2 9PLT"), or null. */
  accessCode(text: string): string | null;
  /** The code an answer to "what is your access code?" gives, which may be the whole answer. */
  accessCodeAnswer(text: string): string | null;
  /** The date written in the text, for a person writing in `locale` on the day `today`. */
  archiveDate(text: string, locale: string, today: IsoDate): DateReading;
  /** The job ids and pieces of job names worth searching for, most telling first. */
  jobQueries(text: string): JobQuery[];
  /**
   * The language the person clearly writes in (the reply follows it), else null. `kept`: the
   * language the reply is in when this message tells none (the one the conversation keeps,
   * or the channel's), so a message that can only be in it needs no detector to say so.
   */
  writtenLanguage(text: string, kept?: Language | null): Language | null;
  /** A weaker guess from the phrase files' words alone, for a first message on a channel without a locale. */
  likelyLanguage(text: string): Language | null;
}

/**
 * The recognizer of the product: every word it knows comes from the locales' files
 * (`<lang>.phrases.json`, `<lang>.intents.json`, `<lang>.dates.json`), compiled once when
 * their modules load; all four languages are matched at once, whatever the conversation's.
 */
export class PhraseFileRecognizer implements Recognizer {
  symptom(text: string): SymptomRecognition {
    return recognizeSymptom(text);
  }

  otherScreen(text: string): boolean {
    return describesOtherScreen(text);
  }

  command(text: string): Command | null {
    return recognizeCommand(text);
  }

  yesNo(text: string): YesNo | null {
    return recognizeYesNo(text);
  }

  role(text: string): Role | null {
    return recognizeRole(text);
  }

  jobStatus(text: string): JobStatusAnswer | null {
    return recognizeJobStatus(text);
  }

  choice<T extends string>(text: string, choices: readonly Choice<T>[]): T | null {
    return matchChoice(text, choices);
  }

  intent(text: string): IntentRecognition {
    return recognizeIntent(text);
  }

  solved(text: string): boolean {
    return recognizeSolved(text);
  }

  questionBesideAnswer(text: string): boolean {
    const clauses = clausesOf(text);
    return clauses.length > 1 && clauses.some((clause) => recognizeIntent(clause).intent === 'question' && recognizeYesNo(clause) === null);
  }

  whyAlone(text: string): boolean {
    return recognizeWhyAlone(text);
  }

  emailAddresses(text: string): string[] {
    return findEmailAddresses(text);
  }

  speaksOfSolved(text: string): boolean {
    return recognizeSpeaksOfSolved(text);
  }

  withdraws(text: string): boolean {
    return recognizeWithdrawal(text);
  }

  accessCodes(text: string): string[] {
    return findAccessCodes(text);
  }

  accessCode(text: string): string | null {
    return extractAccessCode(text);
  }

  accessCodeAnswer(text: string): string | null {
    const code = extractAccessCodeFromAnswer(text);
    // "Ich habe die Karte verloren" would be the code VERLOREN: letters alone around words of
    // a topic ("lost card") say something about the code, they are none.
    if (code !== null && !/\d/.test(code) && isTopic(recognizeIntent(text).intent)) return null;
    return code;
  }

  archiveDate(text: string, locale: string, today: IsoDate): DateReading {
    return parseArchiveDate(text, locale, today);
  }

  jobQueries(text: string): JobQuery[] {
    return jobQueries(text);
  }

  writtenLanguage(text: string, kept: Language | null = null): Language | null {
    return writtenLanguage(text, this.intent(text).languages, kept);
  }

  likelyLanguage(text: string): Language | null {
    return guessLanguage(text);
  }
}

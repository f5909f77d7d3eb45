import { formatAccessCode, lookAlikeCharacters, normalizeAccessCode, PRINTED_CODE_LENGTH, sameAccessCode } from '../src/domain/accessCode.js';
import { type CodeLookup, type KeptCodeLookup, keptLookup } from '../src/domain/platformModel.js';
import { PlatformUnavailableError } from '../src/platform/port.js';
import type { Turn } from '../src/bot/turn.js';
import { requesterOf } from '../src/security/codeLookupLimit.js';
import { type Answer, AskDialog } from './ask.js';
import type { DialogDependencies } from './dependencies.js';

export const ACCESS_CODE_DIALOG = 'access-code';

/** Wrong codes a person may type before the bot stops asking. */
export const CODE_TRIES = 3;

export interface CodeResult {
  /** The code as the platform spells it once found, else as typed (normalised). */
  code: string | null;
  /** The platform spells the code differently from how it was typed (a 0 for the letter O): say which code was found. */
  readAs?: boolean;
  /** null: the platform could not be reached, or no code was given. Kept in the dialog's state, so without the job's other galleries. */
  lookup: KeptCodeLookup | null;
  /** The code was still unknown after the last try. */
  gaveUp: boolean;
  /** Too many codes of this person matched nothing lately: no lookup until this time. */
  limitedUntil?: Date;
}

/**
 * The code as the platform spells it: a look-alike typed for a look-alike ("0AK7Q2M9" for
 * OAK7Q2M9) finds the gallery, and the person is then told which code that was.
 */
export function platformSpelling(lookup: CodeLookup, typed: string): string {
  if (lookup.kind === 'found') return normalizeAccessCode(lookup.gallery.accessCode);
  if (lookup.kind === 'retired') {
    const gallery = lookup.job.galleries.find((candidate) => sameAccessCode(candidate.accessCode, typed));
    if (gallery !== undefined) return normalizeAccessCode(gallery.accessCode);
  }
  return typed;
}

/** "I read that as OAK7 Q2M9." when the code found is spelled otherwise than typed; else ''. */
export function readAsSentence(turn: Turn, result: { code: string | null; readAs?: boolean }): string {
  return result.readAs === true && result.code !== null ? turn.l.t('code.readAs', { code: formatAccessCode(result.code) }) : '';
}

/** Typed as on the card and still unknown: only a person can look further. */
function sameAsCard(turn: Turn, code: string): string {
  return turn.l.t('code.sameAsCard', { code: formatAccessCode(code) });
}

/** The same, with the code question again: the retry after the same code, or none, following a code nobody knows. */
function sameAsCardAgain(turn: Turn, code: string): string {
  return `${sameAsCard(turn, code)} ${turn.l.t('code.question')}`;
}

function notFound(turn: Turn, code: string): string {
  const { l } = turn;
  const pairs = lookAlikeCharacters(code).map((pair) => l.t('code.lookAlikePair', { typed: pair.typed, maybe: pair.maybe }));
  // A character left out or typed twice is likelier than a look-alike, and easy to say.
  const length =
    code.length === PRINTED_CODE_LENGTH ? '' : l.t('code.length', { count: code.length, printed: PRINTED_CODE_LENGTH, off: code.length < PRINTED_CODE_LENGTH ? 'short' : 'long' });
  return [
    l.t('code.notFound', { code: formatAccessCode(code) }),
    length,
    pairs.length > 0 ? l.t('code.lookAlikes', { pairs: l.list(pairs) }) : '',
    l.t('code.tryAgain'),
  ]
    .filter((sentence) => sentence !== '')
    .join(' ');
}

/**
 * Asks for the access code and looks it up. A code the platform does not know gets
 * help on typing mistakes and another try, up to CODE_TRIES; it never reveals whether
 * a similar code exists, since that code would be another customer's.
 */
export function accessCodeDialog({ platform, logger, codeLookups, recognizer }: DialogDependencies): AskDialog<CodeResult> {
  return new AskDialog<CodeResult>(ACCESS_CODE_DIALOG, {
    slot: 'access-code',
    question: ({ l, case: c }) => ({ text: l.t(c.role === 'photographer' ? 'code.questionPhotographer' : 'code.question') }),
    // A code next to a question ("ABCD 2345 – when can I order?") is the answer; the diagnosis answers the rest.
    strict: true,
    explainsRetries: true,
    read: async (text, turn): Promise<Answer<CodeResult>> => {
      const code = recognizer.accessCodeAnswer(text);
      const { case: c, l } = turn;
      const wrongBefore = c.role === 'customer' && c.wrongCodes > 0 && c.accessCode !== null ? c.accessCode : null;
      // "It IS exactly like on the card!!" after a code nobody knows: only a person can look further.
      if (code === null) return { ok: false, retry: wrongBefore === null ? l.t('code.retryNoCode') : sameAsCardAgain(turn, wrongBefore) };
      const repeated = wrongBefore !== null && sameAccessCode(wrongBefore, code);
      turn.case.accessCode = code;
      const person = requesterOf(turn);
      const blocked = await codeLookups.blockedUntil(person);
      if (blocked !== null) return { ok: true, value: { code, lookup: null, gaveUp: true, limitedUntil: blocked } };
      let lookup: CodeLookup;
      try {
        lookup = await platform.lookupCode(code);
      } catch (error) {
        if (!(error instanceof PlatformUnavailableError)) throw error;
        logger.warn('platform unavailable during code lookup', { error: error.message });
        return { ok: true, value: { code, lookup: null, gaveUp: false } };
      }
      if (lookup.kind !== 'unknown') {
        const spelled = platformSpelling(lookup, code);
        turn.case.accessCode = spelled;
        return { ok: true, value: { code: spelled, lookup: keptLookup(lookup), gaveUp: false, ...(spelled !== code ? { readAs: true } : {}) } };
      }
      turn.case.wrongCodes += 1;
      const limitedUntil = await codeLookups.failed(person);
      if (limitedUntil !== null) return { ok: true, value: { code, lookup, gaveUp: true, limitedUntil } };
      if (turn.case.wrongCodes >= CODE_TRIES) return { ok: true, value: { code, lookup, gaveUp: true } };
      // The same code again ("that's what it says, I checked 3 times"): not the same typing help once more.
      return { ok: false, retry: repeated ? sameAsCardAgain(turn, code) : notFound(turn, code), understood: true };
    },
    // "It IS the same, what now?" after a code nobody knows: the typing help said it all, only a person can look further.
    sideAnswer: async (turn, intent) =>
      turn.case.role === 'customer' && turn.case.wrongCodes > 0 && turn.case.accessCode !== null && (intent === 'what-next' || intent === 'question')
        ? { text: sameAsCard(turn, turn.case.accessCode), offerPerson: true }
        : null,
    // Wrong codes end the questions after CODE_TRIES; this bounds everything else (answers without a code).
    maxAttempts: CODE_TRIES * 2,
    // Three answers without anything like a code: stop asking; no code is not a wrong code.
    giveUp: (turn) => ({ code: turn.case.accessCode, lookup: turn.case.accessCode === null ? null : { kind: 'unknown' }, gaveUp: true }),
  }, recognizer);
}

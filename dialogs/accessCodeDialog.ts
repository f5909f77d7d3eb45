import { formatAccessCode, lookAlikeCharacters } from '../src/domain/accessCode.js';
import type { CodeLookup } from '../src/domain/platformModel.js';
import { extractAccessCodeFromAnswer } from '../src/language/recognizer.js';
import { PlatformUnavailableError } from '../src/platform/port.js';
import type { Turn } from '../src/bot/turn.js';
import { requesterOf } from '../src/security/codeLookupLimit.js';
import { type Answer, AskDialog } from './ask.js';
import type { DialogDependencies } from './dependencies.js';

export const ACCESS_CODE_DIALOG = 'access-code';

/** Wrong codes a person may type before the bot stops asking. */
export const CODE_TRIES = 3;

export interface CodeResult {
  code: string | null;
  /** null: the platform could not be reached, or no code was given. */
  lookup: CodeLookup | null;
  /** The code was still unknown after the last try. */
  gaveUp: boolean;
  /** Too many codes of this person matched nothing lately: no lookup until this time. */
  limitedUntil?: Date;
}

function notFound(turn: Turn, code: string): string {
  const { l } = turn;
  const pairs = lookAlikeCharacters(code).map((pair) => l.t('code.lookAlikePair', { typed: pair.typed, maybe: pair.maybe }));
  return [
    l.t('code.notFound', { code: formatAccessCode(code) }),
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
export function accessCodeDialog({ platform, logger, codeLookups }: DialogDependencies): AskDialog<CodeResult> {
  return new AskDialog<CodeResult>(ACCESS_CODE_DIALOG, {
    slot: 'access-code',
    question: ({ l, case: c }) => ({ text: l.t(c.role === 'photographer' ? 'code.questionPhotographer' : 'code.question') }),
    // A code next to a question ("ABCD 2345 – when can I order?") is the answer; the diagnosis answers the rest.
    strict: true,
    explainsRetries: true,
    read: async (text, turn): Promise<Answer<CodeResult>> => {
      const code = extractAccessCodeFromAnswer(text);
      if (code === null) return { ok: false, retry: turn.l.t('code.retryNoCode') };
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
      if (lookup.kind !== 'unknown') return { ok: true, value: { code, lookup, gaveUp: false } };
      turn.case.wrongCodes += 1;
      const limitedUntil = await codeLookups.failed(person);
      if (limitedUntil !== null) return { ok: true, value: { code, lookup, gaveUp: true, limitedUntil } };
      if (turn.case.wrongCodes >= CODE_TRIES) return { ok: true, value: { code, lookup, gaveUp: true } };
      return { ok: false, retry: notFound(turn, code), understood: true };
    },
    // Wrong codes end the questions after CODE_TRIES; this bounds everything else (answers without a code).
    maxAttempts: CODE_TRIES * 2,
    // Three answers without anything like a code: stop asking; no code is not a wrong code.
    giveUp: (turn) => ({ code: turn.case.accessCode, lookup: turn.case.accessCode === null ? null : { kind: 'unknown' }, gaveUp: true }),
  });
}

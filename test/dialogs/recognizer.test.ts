import { describe, expect, it } from 'vitest';
import type { YesNo } from '../../src/language/answers.js';
import { compilePhrases, matchPhrases } from '../../src/language/phraseMatching.js';
import { PhraseFileRecognizer, type Recognizer } from '../../src/language/recognizer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { type DialogHarness, lastDiagnosis, msg, textsOf, useHarnesses } from '../support/dialogHarness.js';

/**
 * The dialogs read free text with the recognizer they are given, not with one of their own:
 * given the product's recognizer with one more phrase set, a dialog understands those words
 * too, and the product's own words as before.
 */
const { harness } = useHarnesses();

/** The product's recognizer, which also takes a few Scots words for yes and no. */
class ScotsRecognizer extends PhraseFileRecognizer {
  private readonly scots = compilePhrases([
    { label: 'yes' as const, phrases: ['aye', 'och aye'] },
    { label: 'no' as const, phrases: ['nae', 'nae chance'] },
  ]);

  override yesNo(text: string): YesNo | null {
    const { labels, whole } = matchPhrases(text, this.scots);
    const [only] = labels;
    return whole && labels.size === 1 && only !== undefined ? only : super.yesNo(text);
  }
}

const RECOGNIZERS: Record<string, () => Recognizer> = {
  product: () => new PhraseFileRecognizer(),
  scots: () => new ScotsRecognizer(),
};

/** A web chat customer with an archived job, at "shall I tell the photographer?". */
async function atConfirm(recognizer: Recognizer): Promise<DialogHarness> {
  const h = await harness({ channelId: 'webchat', recognizer });
  await h.send(msg('en-US', 'symptom.choice.missed-sale'));
  const replies = await h.send(DEMO_CODES['job-archived']);
  expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  return h;
}

describe('a dialog uses the recognizer it is given', () => {
  it.each([
    // recognizer, typed at the confirmation, what the bot says next, the photographer notified
    ['product', 'aye', [msg('en-US', 'confirm.retry')], false],
    ['product', 'yes please', [msg('en-US', 'notify.recorded'), msg('en-US', 'feedback.question')], true],
    ['scots', 'aye', [msg('en-US', 'notify.recorded'), msg('en-US', 'feedback.question')], true],
    ['scots', 'och aye', [msg('en-US', 'notify.recorded'), msg('en-US', 'feedback.question')], true],
    ['scots', 'nae chance', [msg('en-US', 'notify.declined'), msg('en-US', 'feedback.question')], false],
    ['scots', 'yes please', [msg('en-US', 'notify.recorded'), msg('en-US', 'feedback.question')], true],
    ['scots', 'no', [msg('en-US', 'notify.declined'), msg('en-US', 'feedback.question')], false],
  ] as const)('%s recognizer, "%s" at the confirmation', async (name, typed, said, notified) => {
    const h = await atConfirm(RECOGNIZERS[name]!());
    const replies = await h.send(typed);
    expect(textsOf(replies)).toEqual(said);
    expect((await h.outbox.pending()).map((c) => c.kind)).toEqual(notified ? ['notify-photographer'] : []);
  });

  it.each([
    ['product', 'aye', msg('en-US', 'feedback.retry')],
    ['scots', 'aye', msg('en-US', 'feedback.thanks')],
  ] as const)('%s recognizer, "%s" at "did this help?"', async (name, typed, said) => {
    const h = await atConfirm(RECOGNIZERS[name]!());
    expect(lastDiagnosis(await h.send('no')).awaiting).toBe('feedback');
    expect(textsOf(await h.send(typed))[0]).toBe(said);
  });
});

import { describe, expect, it } from 'vitest';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { localizer } from '../../src/language/messages.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import {
  buttonsOf,
  type DialogHarness,
  type HarnessOptions,
  lastDiagnosis,
  msg,
  textsOf,
  unreachablePlatform,
  useHarnesses,
} from '../support/dialogHarness.js';

const { harness } = useHarnesses();
/** Web chat, symptom given, waiting for the code. */
async function atCode(locale: string, options: HarnessOptions = {}): Promise<DialogHarness> {
  const h = await harness(options);
  const replies = await h.send(msg(locale, 'symptom.choice.almost-ready'), { locale });
  expect(lastDiagnosis(replies).awaiting).toBe('access-code');
  return h;
}

describe('access code given in the first message', () => {
  it.each([
    ['en-US', `it says missed the sale, my code is MXR2 9PLT`, 'missed-sale', 'job-archived'],
    ['de-DE', 'Verkauf verpasst, mein Code ist MXR2 9PLT', 'missed-sale', 'job-archived'],
    ['fr-FR', "ça dit code d'accès incorrect, mon code est GPF3-HR8N", 'incorrect-code', 'code-from-deleted-job'],
    ['nl-NL', 'bijna klaar, code rj6t cx9b', 'almost-ready', 'photos-hidden'],
  ] as const)('%s: "%s" → the diagnosis is the very first reply, no question before it', async (locale, text, symptom, scenario) => {
    const h = await harness();
    const replies = await h.send(text, { locale });
    expect(replies).toHaveLength(2);
    expect(replies[0]!.text).not.toContain(msg(locale, 'symptom.question'));
    expect(replies[0]!.text).not.toContain(msg(locale, 'code.question'));
    expect(replies[0]!.text!.startsWith(msg(locale, `customer.${scenario}`).slice(0, 12))).toBe(true);
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'customer', locale, symptom, scenario, awaiting: 'confirm' });
  });

  it('a code without the symptom: the diagnosis at once, with the message the customer probably sees (test/dialogs/firstMessage.test.ts)', async () => {
    const h = await harness();
    const first = await h.send('my code is MXR29PLT');
    expect(lastDiagnosis(first)).toMatchObject({ symptom: null, scenario: 'job-archived', awaiting: 'symptom' });
    const second = await h.send('yes');
    expect(lastDiagnosis(second)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });
});

describe('access code: how it is typed', () => {
  it.each(['kdg4 77qp', 'KDG4-77QP', 'kdg477qp', ' Kdg4 - 77Qp ', 'my code is kdg4-77qp thanks', 'KDG4\u201177QP'])('"%s" finds KDG477QP', async (typed) => {
    const h = await atCode('en-US');
    const replies = await h.send(typed);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-in-planning', awaiting: 'confirm' });
    await h.send('yes');
    const cases = await h.outbox.pending();
    expect(cases.map((c) => c.accessCode)).toEqual(['KDG477QP']);
  });

  it.each([
    ['en-US', 'I have no idea'],
    ['de-DE', 'weiß ich nicht'],
    ['fr-FR', 'je ne le trouve pas'],
    ['nl-NL', 'geen idee'],
  ] as const)('%s: an answer without a code ("%s") gets a retry that explains what a code looks like', async (locale, typed) => {
    const h = await atCode(locale);
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'code.retryNoCode')]);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: null, awaiting: 'access-code' });
  });
});

describe('access code: unknown codes', () => {
  it('look-alike help names the characters that are easy to mix up (de-DE)', async () => {
    const h = await atCode('de-DE');
    const replies = await h.send(DEMO_CODES['unknown-look-alikes'], { locale: 'de-DE' });
    const text = replies[0]!.text!;
    expect(text).toContain(msg('de-DE', 'code.notFound', { code: formatAccessCode(DEMO_CODES['unknown-look-alikes']) }));
    expect(text).toContain(msg('de-DE', 'code.lookAlikePair', { typed: 'S', maybe: '5' }));
    expect(text).toContain(msg('de-DE', 'code.lookAlikePair', { typed: 'B', maybe: '8' }));
    expect(text).toContain(msg('de-DE', 'code.tryAgain'));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: null, awaiting: 'access-code' });
  });

  it('a code without look-alike characters gets no look-alike sentence', async () => {
    const h = await atCode('en-US');
    const replies = await h.send('HJKT4WRM');
    expect(replies[0]!.text).toBe(`${msg('en-US', 'code.notFound', { code: 'HJKT 4WRM' })} ${msg('en-US', 'code.tryAgain')}`);
  });

  it('a code a character short (or long) is told so before the look-alikes', async () => {
    const h = await atCode('en-US');
    const replies = await h.send('HJKT4WR');
    expect(replies[0]!.text).toBe(
      [msg('en-US', 'code.notFound', { code: 'HJKT 4WR' }), msg('en-US', 'code.length', { count: 7, printed: 8, off: 'short' }), msg('en-US', 'code.tryAgain')].join(' '),
    );
  });

  it.each([
    ['en-US', 'it IS the same. what now'],
    ['de-DE', 'ist genau wie auf der Karte!! was jetzt?'],
  ] as const)('%s: "%s" after a code nobody knows: only a person can look further, a person offered, and the code question again', async (locale, typed) => {
    const h = await atCode(locale);
    await h.send('HJKT4WRM', { locale });
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)[0]).toContain(msg(locale, 'code.sameAsCard', { code: 'HJKT 4WRM' }));
    expect(textsOf(replies)[0]).toContain(msg(locale, 'ask.offerPerson'));
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'access-code' });
  });

  it.each(['it IS exactly like on the card!!', 'HJKT4WRM'])('after a code nobody knows, "%s" (no code, or the same code again): only a person can look further, and the code question', async (typed) => {
    const h = await atCode('en-US');
    await h.send('HJKT4WRM');
    const replies = await h.send(typed);
    expect(textsOf(replies)).toEqual([`${msg('en-US', 'code.sameAsCard', { code: 'HJKT 4WRM' })} ${msg('en-US', 'code.question')}`]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'access-code' });
  });

  it('a wrong code, then the right one: diagnosed normally', async () => {
    const h = await atCode('en-US');
    await h.send(DEMO_CODES['unknown-look-alikes']);
    const replies = await h.send(DEMO_CODES['code-not-activated']);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'code-not-activated', awaiting: 'confirm' });
  });

  it.each(['en-US', 'fr-FR'] as const)('%s: after the third wrong code the bot stops asking: unknown-code, offer to pass to support', async (locale) => {
    const h = await atCode(locale);
    for (const wrong of [DEMO_CODES['unknown-code'], DEMO_CODES['unknown-look-alikes']]) {
      const retry = await h.send(wrong, { locale });
      expect(lastDiagnosis(retry).awaiting).toBe('access-code');
    }
    const replies = await h.send('HJKT4WRM', { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'code.giveUp'), msg(locale, 'notify.offerSupport')]);
    expect(buttonsOf(replies[1])).toEqual([msg(locale, 'notify.yes'), msg(locale, 'notify.no')]);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'unknown-code', secondary: [], awaiting: 'confirm' });
    // "Yes" hands the case to a person as asking for one does: the e-mail address first.
    const asked = await h.send(msg(locale, 'notify.yes'), { locale });
    expect(textsOf(asked)).toEqual([msg(locale, 'handoff.email.question')]);
    expect(await h.outbox.pending()).toEqual([]);
    const done = await h.send('parent@example.com', { locale });
    expect(textsOf(done)).toEqual([msg(locale, 'notify.recordedSupport'), msg(locale, 'handoff.email.known', { email: 'parent@example.com' })]);
    expect(lastDiagnosis(done).awaiting).toBeNull();
    const cases = await h.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'escalation', reason: 'wrong-codes', scenario: 'unknown-code', accessCode: 'HJKT4WRM', jobId: null, photographerId: null, email: 'parent@example.com' });
    expect(h.events.map((event) => [event.name, (event.value as { caseId: string; scenario: string }).caseId, (event.value as { scenario: string }).scenario])).toEqual([
      ['handoff.initiate', cases[0]!.id, 'unknown-code'],
    ]);
  });

  it('an answer without a code does not use up one of the three code tries', async () => {
    const h = await atCode('en-US');
    await h.send('where do I find the code?');
    await h.send(DEMO_CODES['unknown-code']);
    const replies = await h.send(DEMO_CODES['unknown-look-alikes']);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: null, awaiting: 'access-code' });
    expect(replies[0]!.text).toContain(msg('en-US', 'code.tryAgain'));
  });
});

describe('access code: the platform cannot be reached', () => {
  it.each(['en-US', 'nl-NL'] as const)('%s: a friendly message and the offer to record the case for support', async (locale) => {
    const h = await atCode(locale, { platform: unreachablePlatform() });
    const replies = await h.send('KDG4 77QP', { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'customer.platformDown'), msg(locale, 'notify.offerSupport')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'almost-ready', scenario: null, awaiting: 'confirm' });
    expect(textsOf(await h.send(msg(locale, 'notify.yes'), { locale }))).toEqual([msg(locale, 'handoff.email.question')]);
    const done = await h.send(msg(locale, 'handoff.email.skip'), { locale });
    expect(textsOf(done)).toEqual([msg(locale, 'handoff.email.skipped'), msg(locale, 'notify.recordedSupport')]);
    expect(lastDiagnosis(done).awaiting).toBeNull();
    const cases = await h.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'escalation', reason: 'platform-down', role: 'customer', locale, symptom: 'almost-ready', scenario: null, accessCode: 'KDG477QP', email: null });
    expect(h.events.map((event) => event.name)).toEqual(['handoff.initiate']);
  });

  it('code in the first message, platform down, offer declined: feedback, and the conversation goes on', async () => {
    const h = await harness({ platform: unreachablePlatform() });
    const first = await h.send('Verkauf verpasst, Code MXR2 9PLT', { locale: 'de-DE' });
    expect(first[0]!.text).toBe(msg('de-DE', 'customer.platformDown'));
    const declined = await h.send('nein', { locale: 'de-DE' });
    expect(textsOf(declined)).toEqual([msg('de-DE', 'notify.declined'), msg('de-DE', 'feedback.question')]);
    expect(await h.outbox.pending()).toEqual([]);
    const next = await h.send('ja', { locale: 'de-DE' });
    expect(textsOf(next)).toEqual([msg('de-DE', 'feedback.thanks')]);
    const again = await h.send('hallo', { locale: 'de-DE' });
    expect(lastDiagnosis(again).awaiting).toBe('symptom');
  });
});

describe('dates in the customer sentence', () => {
  it.each([
    ['de-DE', '12. Oktober 2026'],
    ['fr-FR', '12 octobre 2026'],
    ['nl-NL', '12 oktober 2026'],
  ] as const)('%s: the archive date is written "%s"', async (locale, written) => {
    const h = await harness();
    const replies = await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    expect(lastDiagnosis(replies).awaiting).toBe('access-code');
    const diagnosis = await h.send(DEMO_CODES['job-archived'], { locale });
    expect(diagnosis[0]!.text).toBe(msg(locale, 'customer.job-archived', { date: written }));
  });

  it('en-US: the archive date is written "October 12, 2026" (as Localizer.longDate documents)', async () => {
    expect(localizer('en-US').longDate('2026-10-12')).toBe('October 12, 2026');
    const h = await harness();
    const replies = await h.send(`missed the sale, code ${DEMO_CODES['job-archived']}`);
    expect(replies[0]!.text).toBe(msg('en-US', 'customer.job-archived', { date: 'October 12, 2026' }));
  });
});

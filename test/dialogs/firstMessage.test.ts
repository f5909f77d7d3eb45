import { describe, expect, it } from 'vitest';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { SCENARIO_INFO } from '../../src/domain/scenarios.js';
import type { Symptom } from '../../src/domain/symptoms.js';
import { archivedSentence } from '../support/customerSentences.js';
import { DEMO_CASES, DEMO_CODES, type DemoCodeName } from '../support/demoCodes.js';
import { allText, buttonsOf, type DialogHarness, lastDiagnosis, LOCALES, msg, textsOf, useHarnesses } from '../support/dialogHarness.js';

/**
 * Issue 11, "fewer questions": a code alone is enough. The data gives the diagnosis at once
 * and says which message the customer probably sees; the symptom is asked only when the data
 * cannot say. Several codes in one message are diagnosed one after the other, each naming its code.
 */

const { harness } = useHarnesses();

/** The customer sentence of a known code's scenario, as the flow says it. */
async function sentenceOf(h: DialogHarness, name: DemoCodeName, locale: string): Promise<string> {
  const demo = DEMO_CASES[name];
  if (demo.scenario === 'job-archived') {
    const job = await h.platform.getJob(demo.jobId!);
    return archivedSentence(locale, job!.archiving.date!, demo.secondary);
  }
  return msg(locale, `customer.${demo.scenario}`, { photos: demo.secondary.length === 0 ? 'ready' : 'other' });
}

/** Known codes whose data says what the shop shows. */
const PREDICTABLE: DemoCodeName[] = (Object.keys(DEMO_CODES) as DemoCodeName[]).filter(
  (name) => DEMO_CASES[name].jobId !== null && DEMO_CASES[name].unknownJobStatus === null && SCENARIO_INFO[DEMO_CASES[name].scenario].expectedSymptom !== null,
);

const expectedOf = (name: DemoCodeName): Symptom => SCENARIO_INFO[DEMO_CASES[name].scenario].expectedSymptom!;

describe('a code alone as the first message', () => {
  it.each(PREDICTABLE.map((name, index) => [name, LOCALES[index % LOCALES.length]!] as const))(
    '%s (%s): the diagnosis at once, the message they probably see, and "is that the message you see?"',
    async (name, locale) => {
      const h = await harness();
      const replies = await h.send(formatAccessCode(DEMO_CODES[name]).toLowerCase(), { locale });
      // The archived job's explanation quotes "Missed the Sale?" itself (unless other faults come with it): it is not said twice.
      const quotesMessage = DEMO_CASES[name].scenario === 'job-archived' && DEMO_CASES[name].secondary.length === 0;
      const probably = quotesMessage ? '' : ` ${msg(locale, 'customer.probablySees', { message: msg(locale, `symptom.choice.${expectedOf(name)}`) })}`;
      expect(textsOf(replies)).toEqual([`${await sentenceOf(h, name, locale)}${probably}`, msg(locale, 'customer.seen.question')]);
      expect(buttonsOf(replies[1])).toEqual([msg(locale, 'customer.seen.yes'), msg(locale, 'customer.seen.no')]);
      // The scenario is known from the first reply on; the symptom only once the customer confirms it.
      expect(lastDiagnosis(replies)).toMatchObject({ role: 'customer', locale, symptom: null, scenario: DEMO_CASES[name].scenario, awaiting: 'symptom' });

      const confirmed = await h.send(msg(locale, 'customer.seen.yes'), { locale });
      expect(textsOf(confirmed)).toEqual([msg(locale, 'notify.offerPhotographer')]);
      expect(lastDiagnosis(confirmed)).toMatchObject({ symptom: expectedOf(name), scenario: DEMO_CASES[name].scenario, awaiting: 'confirm' });
    },
  );

  it.each([
    ['en-US', 'yes'],
    ['de-DE', 'ja'],
    ['fr-FR', 'oui'],
    ['nl-NL', 'ja'],
  ] as const)('%s: "%s" typed confirms the message as well as the button', async (locale, typed) => {
    const h = await harness();
    await h.send(DEMO_CODES['job-in-planning'], { locale });
    const confirmed = await h.send(typed, { locale });
    expect(lastDiagnosis(confirmed)).toMatchObject({ symptom: 'almost-ready', awaiting: 'confirm' });
  });

  it.each(LOCALES.map((locale) => [locale] as const))('%s: "no, something else" → what they see instead → what that message means, then the offer the data calls for', async (locale) => {
    const h = await harness();
    await h.send(DEMO_CODES['code-not-activated'], { locale });
    const asked = await h.send(msg(locale, 'customer.seen.no'), { locale });
    expect(textsOf(asked)).toEqual([`${msg(locale, 'customer.seen.instead')} ${msg(locale, 'symptom.question')}`]);
    expect(lastDiagnosis(asked)).toMatchObject({ symptom: null, awaiting: 'symptom' });
    const replies = await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    const mismatch = msg(locale, 'customer.mismatch', { reported: 'missedSale', message: msg(locale, 'symptom.choice.missed-sale'), code: formatAccessCode(DEMO_CODES['code-not-activated']) });
    // What the data shows was said with "is that the message you see?": not again.
    expect(textsOf(replies)).toEqual([mismatch, msg(locale, 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'code-not-activated', awaiting: 'confirm' });
  });

  it.each([
    ['en-US', 'no it says incorrect access code'],
    ['de-DE', 'nein, da steht falscher Zugangscode'],
    ['fr-FR', "non, ça dit code d'accès incorrect"],
    ['nl-NL', 'nee, er staat onjuiste toegangscode'],
  ] as const)('%s: "%s" names the message instead: what it means for the code at once, without asking what they see', async (locale, typed) => {
    const h = await harness();
    await h.send(DEMO_CODES['code-not-activated'], { locale });
    const replies = await h.send(typed, { locale });
    const mismatch = msg(locale, 'customer.mismatch', { reported: 'incorrectCode', message: msg(locale, 'symptom.choice.incorrect-code'), code: formatAccessCode(DEMO_CODES['code-not-activated']) });
    expect(textsOf(replies)).toEqual([mismatch, msg(locale, 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'incorrect-code', scenario: 'code-not-activated', awaiting: 'confirm' });
  });

  it.each([
    ['de-DE', 'nein, da steht Verkauf verpasst'],
    ['en-US', 'no, missed the sale'],
  ] as const)('%s: "%s" names the very message the data predicted: taken as yes, whatever the "no" before it', async (locale, typed) => {
    const h = await harness();
    await h.send(DEMO_CODES['job-archived'], { locale });
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });

  it.each([
    ['en-US', 'no, the page is just blank white, nothing loads'],
    ['fr-FR', 'non, page blanche'],
  ] as const)('%s: "%s" is another screen: none of the three messages, and the offer the data calls for', async (locale, typed) => {
    const h = await harness();
    await h.send(DEMO_CODES['code-not-activated'], { locale });
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'other', scenario: 'code-not-activated', awaiting: 'confirm' });
  });

  it('"no" and then the very message the data predicted: the usual explanation and offer', async () => {
    const h = await harness();
    await h.send(DEMO_CODES['job-archived']);
    await h.send('no');
    const replies = await h.send(msg('en-US', 'symptom.choice.missed-sale'));
    expect(textsOf(replies)).toEqual([await sentenceOf(h, 'job-archived', 'en-US'), msg('en-US', 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });

  it.each([
    ['no-known-cause', 'en-US', 'other', 'customer.no-known-cause', 'feedback'],
    ['partially-hidden', 'de-DE', 'other', 'customer.someHidden', 'confirm'],
    ['prepay', 'fr-FR', 'almost-ready', 'customer.cannot-diagnose', 'confirm'],
    ['unknown-status', 'nl-NL', 'missed-sale', 'customer.cannot-diagnose', 'confirm'],
  ] as const)('%s (%s): the data cannot say what is on the screen, so that is asked, then explained', async (name, locale, seen, sentence, next) => {
    const h = await harness();
    const asked = await h.send(DEMO_CODES[name], { locale });
    expect(textsOf(asked)).toEqual([`${msg(locale, 'greeting')} ${msg(locale, 'customer.codeFound')} ${msg(locale, 'symptom.question')}`]);
    expect(lastDiagnosis(asked)).toMatchObject({ symptom: null, scenario: null, awaiting: 'symptom' });
    const replies = await h.send(msg(locale, `symptom.choice.${seen}`), { locale });
    expect(replies[0]!.text).toBe(msg(locale, sentence, DEMO_CASES[name].someHidden ?? {}));
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: seen, scenario: 'no-known-cause', awaiting: next });
  });

  it('an unknown code alone: the typing help at once, no question about the screen', async () => {
    const h = await harness();
    const replies = await h.send(DEMO_CODES['unknown-code']);
    expect(replies[0]!.text).toContain(msg('en-US', 'code.notFound', { code: formatAccessCode(DEMO_CODES['unknown-code']) }));
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: null, awaiting: 'access-code' });
  });

  it('a look-alike spelling alone says which code it read, once, before the question', async () => {
    const h = await harness();
    const asked = await h.send(DEMO_CODES['look-alike-typo']);
    const readAs = msg('en-US', 'code.readAs', { code: formatAccessCode(DEMO_CODES['look-alike-o']) });
    expect(textsOf(asked)).toEqual([`${msg('en-US', 'greeting')} ${readAs} ${msg('en-US', 'customer.codeFound')} ${msg('en-US', 'symptom.question')}`]);
    const replies = await h.send(msg('en-US', 'symptom.choice.other'));
    expect(textsOf(replies)).toEqual([msg('en-US', 'customer.no-known-cause'), msg('en-US', 'feedback.question')]);
  });

  it('the issue\'s message: "photos almost ready?? its been 3 weeks since picture day. code RJ6 TCX 9B" → the diagnosis first', async () => {
    const h = await harness();
    const replies = await h.send('photos almost ready?? its been 3 weeks since picture day. code RJ6 TCX 9B');
    expect(textsOf(replies)).toEqual([await sentenceOf(h, 'photos-hidden', 'en-US'), msg('en-US', 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'almost-ready', scenario: 'photos-hidden', awaiting: 'confirm' });
  });
});

describe('several codes in one message', () => {
  it('"my code is OAK7Q2M9 and also my sons code is KDG477QP": each gets its own diagnosis, one after the other, each naming its code', async () => {
    const h = await harness();
    const first = await h.send('my code is OAK7Q2M9 and also my sons code is KDG477QP');
    expect(textsOf(first)).toEqual([
      `${msg('en-US', 'greeting')} ${msg('en-US', 'code.several.first', { count: 2, code: 'OAK7 Q2M9' })}`,
      `${msg('en-US', 'customer.codeFound')} ${msg('en-US', 'symptom.question')}`,
    ]);
    expect(lastDiagnosis(first)).toMatchObject({ awaiting: 'symptom', scenario: null });

    // OAK7Q2M9: nothing wrong in the data; then KDG477QP, a job in Planning, follows at once.
    const second = await h.send(msg('en-US', 'symptom.choice.other'));
    const probably = msg('en-US', 'customer.probablySees', { message: msg('en-US', 'symptom.choice.almost-ready') });
    expect(textsOf(second)).toEqual([
      msg('en-US', 'customer.no-known-cause'),
      msg('en-US', 'code.several.next', { code: 'KDG4 77QP' }),
      `${await sentenceOf(h, 'job-in-planning', 'en-US')} ${probably}`,
      msg('en-US', 'customer.seen.question'),
    ]);
    expect(lastDiagnosis(second)).toMatchObject({ symptom: null, scenario: 'job-in-planning', awaiting: 'symptom' });

    await h.send('yes');
    const notified = await h.send(msg('en-US', 'notify.yes'));
    expect(lastDiagnosis(notified).awaiting).toBe('feedback');
    // One recorded case per code: the first needed nothing passed on; the second is the photographer's.
    const cases = await h.outbox.pending();
    expect(cases.map((c) => [c.accessCode, c.scenario])).toEqual([['KDG477QP', 'job-in-planning']]);
  });

  it.each([
    ['de-DE', 'Codes: MXR2 9PLT und JMV8-RT4X, beide gehen nicht, Verkauf verpasst', ['MXR29PLT', 'JMV8RT4X']],
    ['fr-FR', 'vente manquée pour VHC7 NQ3R et aussi pour MXR2.9PLT', ['VHC7NQ3R', 'MXR29PLT']],
    ['nl-NL', 'codes KDG4 77QP, JMN6 DY2H en RJ6 TCX 9B', ['KDG477QP', 'JMN6DY2H', 'RJ6TCX9B']],
  ] as const)('%s: "%s" → one case per code, in the order written', async (locale, text, codes) => {
    const h = await harness();
    let replies = await h.send(text, { locale });
    expect(textsOf(replies)[0]).toContain(msg(locale, 'code.several.first', { count: codes.length, code: formatAccessCode(codes[0]!) }));
    const said = [...textsOf(replies)];
    for (let turn = 0; turn < 12 && lastDiagnosis(replies).awaiting !== 'feedback'; turn++) {
      const { awaiting } = lastDiagnosis(replies);
      const answer = awaiting === 'symptom' ? (buttonsOf(replies.at(-1)).length === 2 ? msg(locale, 'customer.seen.yes') : msg(locale, 'symptom.choice.other')) : msg(locale, 'notify.no');
      replies = await h.send(answer, { locale });
      said.push(...textsOf(replies));
    }
    expect(lastDiagnosis(replies).awaiting).toBe('feedback');
    // Every later code is announced by name before its diagnosis, in the order written.
    const announced = said.filter((text) => codes.slice(1).some((code) => text === msg(locale, 'code.several.next', { code: formatAccessCode(code) })));
    expect(announced).toEqual(codes.slice(1).map((code) => msg(locale, 'code.several.next', { code: formatAccessCode(code) })));
  });
});

describe('several codes, and one of them goes to a person', () => {
  it('the first code\'s case is handed over (address, event), then the next code is diagnosed as a case of its own', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(`codes ${DEMO_CODES['unknown-status']} and ${DEMO_CODES['job-in-planning']}`);
    const offered = await h.send(msg('en-US', 'symptom.choice.missed-sale'));
    expect(textsOf(offered)).toEqual([msg('en-US', 'customer.cannot-diagnose'), msg('en-US', 'notify.offerSupport')]);
    const asked = await h.send(msg('en-US', 'notify.yes'));
    expect(textsOf(asked)).toEqual([msg('en-US', 'handoff.email.question')]);
    expect(lastDiagnosis(asked).awaiting).toBe('email');

    const handedOver = await h.send('parent@example.com');
    const probably = msg('en-US', 'customer.probablySees', { message: msg('en-US', 'symptom.choice.almost-ready') });
    expect(textsOf(handedOver)).toEqual([
      msg('en-US', 'notify.recordedSupport'),
      msg('en-US', 'handoff.email.known', { email: 'parent@example.com' }),
      msg('en-US', 'code.several.next', { code: formatAccessCode(DEMO_CODES['job-in-planning']) }),
      `${await sentenceOf(h, 'job-in-planning', 'en-US')} ${probably}`,
      msg('en-US', 'customer.seen.question'),
    ]);
    const [handed] = await h.outbox.pending();
    expect(handed).toMatchObject({ kind: 'escalation', reason: 'unknown-status', accessCode: DEMO_CODES['unknown-status'], email: 'parent@example.com' });
    expect(h.events.map((event) => [event.name, (event.value as { caseId: string }).caseId])).toEqual([['handoff.initiate', handed!.id]]);

    // The next answers are the next code's, not lines of the handed-over case.
    const seen = await h.send(msg('en-US', 'customer.seen.yes'));
    expect(textsOf(seen)).toEqual([msg('en-US', 'notify.offerPhotographer')]);
    expect(lastDiagnosis(seen)).toMatchObject({ scenario: 'job-in-planning', awaiting: 'confirm' });
    expect((await h.outbox.pending())[0]!.transcript.map((line) => line.text)).not.toContain(msg('en-US', 'customer.seen.yes'));
  });
});

describe('the e-mail address is asked once per conversation', () => {
  it.each([
    ['parent@example.com', 'parent@example.com'],
    ['skip', null],
  ] as const)('answered "%s": a later handoff in the same chat records the same answer without asking again', async (answer, email) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(`${msg('en-US', 'symptom.choice.missed-sale')} ${DEMO_CODES['unknown-status']}`);
    expect(textsOf(await h.send(msg('en-US', 'notify.yes')))).toEqual([msg('en-US', 'handoff.email.question')]);
    await h.send(answer);
    await h.send('restart');

    const again = await h.send('I want to talk to a person');
    expect(textsOf(again)).not.toContain(msg('en-US', 'handoff.email.question'));
    expect(textsOf(again)).not.toContain(msg('en-US', 'handoff.email.skipped'));
    expect(textsOf(again)[0]).toBe(msg('en-US', 'escalation.requested'));
    const records = await h.outbox.pending();
    expect(records.map((record) => [record.reason, record.email])).toEqual([
      ['unknown-status', email],
      ['requested', email],
    ]);
  });
});

describe('the person\'s own readiness is no shop message', () => {
  it.each([
    ['en-US', 'I am not ready to order yet'],
    ['de-DE', 'Ich bin noch nicht bereit zu bestellen'],
    ['fr-FR', 'Je ne suis pas encore prête à commander'],
    ['nl-NL', 'Ik ben nog niet klaar om te bestellen'],
  ] as const)('%s: "%s" is not read as “almost ready”: the bot asks what the page shows', async (locale, text) => {
    const h = await harness();
    const replies = await h.send(text, { locale });
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: null, awaiting: 'symptom' });
    expect(textsOf(replies).join(' ')).not.toContain(msg(locale, 'symptom.ack.almost-ready'));
  });
});

describe('a first message that describes another screen', () => {
  it.each([
    ['en-US', "the gallery opens but it's empty"],
    ['de-DE', 'die Galerie geht auf, aber es sind keine Bilder drin'],
    ['fr-FR', 'la galerie est vide'],
    ['nl-NL', "ik zie geen foto's"],
  ] as const)('%s: "%s" has said what they see: the code is asked, then the data explains it without "is that the message you see?"', async (locale, text) => {
    const h = await harness();
    const asked = await h.send(text, { locale });
    expect(textsOf(asked)).toEqual([`${msg(locale, 'greeting')} ${msg(locale, 'symptom.ack.other')} ${msg(locale, 'code.question')}`]);
    expect(lastDiagnosis(asked)).toMatchObject({ symptom: 'other', awaiting: 'access-code' });

    const replies = await h.send(DEMO_CODES['code-without-photos'], { locale });
    expect(textsOf(replies)).toEqual([await sentenceOf(h, 'code-without-photos', locale), msg(locale, 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'other', scenario: 'code-without-photos', awaiting: 'confirm' });
  });

  it.each([
    ['en-US', 'hi, I have a question'],
    ['de-DE', 'Hallo, ich brauche Hilfe mit meiner Galerie'],
  ] as const)('%s: "%s" describes no screen: the bot asks what the page shows', async (locale, text) => {
    const h = await harness();
    expect(lastDiagnosis(await h.send(text, { locale }))).toMatchObject({ symptom: null, awaiting: 'symptom' });
  });
});

describe('"my code doesn\'t work" in a first message is no quoted shop message', () => {
  it.each([
    ['en-US', "My code JMV8RT4X doesn't work"],
    ['de-DE', 'Code JMV8RT4X funktioniert nicht'],
    ['fr-FR', 'le code JMV8RT4X ne marche pas'],
    ['nl-NL', 'code JMV8RT4X werkt niet'],
  ] as const)('%s: "%s": the diagnosis, the message the data predicts, and "is that the message you see?"', async (locale, text) => {
    const h = await harness();
    const replies = await h.send(text, { locale });
    expect(textsOf(replies).at(-1)).toBe(msg(locale, 'customer.seen.question'));
    expect(allText(replies)).not.toContain(msg(locale, 'symptom.choice.incorrect-code'));
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: null, scenario: 'code-not-activated', awaiting: 'symptom' });
  });

  it('the message itself, quoted, is still taken: what it means for the code at once', async () => {
    const h = await harness();
    const replies = await h.send('it says incorrect access code, JMV8RT4X');
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'incorrect-code', scenario: 'code-not-activated', awaiting: 'confirm' });
  });
});

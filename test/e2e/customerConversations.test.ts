import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { SCENARIO_INFO, type ScenarioId } from '../../src/domain/scenarios.js';
import type { Symptom } from '../../src/domain/symptoms.js';
import type { CaseKind } from '../../src/handoff/caseRecord.js';
import { localizer } from '../../src/language/messages.js';
import { buttonsOf, lastDiagnosis, type TestBot, startTestBot } from '../support/botServer.js';
import { archivedSentence } from '../support/customerSentences.js';
import { DEMO_CASES, DEMO_CODES, type DemoCodeName, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { archiveDateOf, CheckedChat, contractStats, entitiesOf, healthz, LOCALES, messages, normalizeCode, t, type TestLocale } from './e2eSupport.js';

/**
 * Whole customer conversations over HTTP (Web Chat channel, expectReplies), one per demo
 * code and language: greeting → symptom → code → diagnosis → offer → feedback, with the
 * diagnosis entity of every reply and the cases recorded in the outbox.
 */

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
});

afterAll(async () => {
  await bot?.stop();
});

/** Free text that names each shop message, per language (the recognizer's job). */
const FREE_TEXT: Record<TestLocale, Record<Symptom, string>> = {
  'en-US': {
    'almost-ready': 'it just says my photos are almost ready??',
    'incorrect-code': 'it says error, incorrect access code',
    'missed-sale': 'the shop says i missed the sale',
    other: 'the page stays completely white and nothing loads',
  },
  'de-DE': {
    'almost-ready': 'da steht meine Fotos sind fast fertig',
    'incorrect-code': 'Fehler, falscher Zugangscode',
    'missed-sale': 'da steht Verkauf verpasst',
    other: 'die Seite bleibt einfach komplett weiß',
  },
  'fr-FR': {
    'almost-ready': 'il est écrit que mes photos sont presque prêtes',
    'incorrect-code': "erreur, code d'accès incorrect",
    'missed-sale': "ça dit que j'ai manqué la vente",
    other: 'la page reste toute blanche et rien ne charge',
  },
  'nl-NL': {
    'almost-ready': "er staat dat mijn foto's bijna klaar zijn",
    'incorrect-code': 'fout, onjuiste toegangscode',
    'missed-sale': 'er staat verkoop gemist',
    other: 'de pagina blijft helemaal wit en laadt niet',
  },
};

/** "my code is …" in each language. */
const CODE_SENTENCE: Record<TestLocale, (code: string) => string> = {
  'en-US': (code) => `my code is ${code}`,
  'de-DE': (code) => `der Code ist ${code}`,
  'fr-FR': (code) => `mon code est ${code}`,
  'nl-NL': (code) => `mijn code is ${code}`,
};

type Offer = 'photographer' | 'support' | null;

interface Expectation {
  scenario: ScenarioId;
  secondary: ScenarioId[];
  symptom: Symptom;
  /** The diagnosis sentence in the customer's words. */
  diagnosis: (locale: string) => string;
  offer: Offer;
}

/** What the customer flow should answer for a demo code, from DEMO_CASES and the design's tables. */
function expectationFor(name: DemoCodeName): Expectation {
  const demo = DEMO_CASES[name];
  const symptom: Symptom = SCENARIO_INFO[demo.scenario].expectedSymptom ?? 'other';
  if (demo.scenario === 'unknown-code') {
    return { scenario: demo.scenario, secondary: [], symptom, diagnosis: (locale) => t(locale, 'code.giveUp'), offer: 'support' };
  }
  if (demo.unknownJobStatus !== null) {
    return { scenario: demo.scenario, secondary: demo.secondary, symptom, diagnosis: (locale) => t(locale, 'customer.cannot-diagnose'), offer: 'support' };
  }
  if (demo.someHidden !== null) {
    // Nothing keeps the gallery shut, but some photos are hidden: said so, and the photographer offered.
    const someHidden = demo.someHidden;
    return { scenario: demo.scenario, secondary: [], symptom, diagnosis: (locale) => t(locale, 'customer.someHidden', someHidden), offer: 'photographer' };
  }
  if (demo.scenario === 'job-archived') {
    const date = archiveDateOf(demo.jobId ?? '');
    if (date === null) throw new Error(`no archive date for ${name}`);
    return {
      scenario: demo.scenario,
      secondary: demo.secondary,
      symptom,
      diagnosis: (locale) => archivedSentence(locale, date, demo.secondary),
      offer: 'photographer',
    };
  }
  return {
    scenario: demo.scenario,
    secondary: demo.secondary,
    symptom,
    diagnosis: (locale) => t(locale, `customer.${demo.scenario}`, { photos: demo.secondary.length === 0 ? 'ready' : 'other' }),
    offer: demo.scenario === 'no-known-cause' ? null : SCENARIO_INFO[demo.scenario].fixedBy === 'photographer' ? 'photographer' : 'support',
  };
}

interface Variant {
  locale: TestLocale;
  symptomAs: 'button' | 'free text';
  codeAs: 'spaced' | 'sentence';
  /** The answer to the offer, and to "did this help?". */
  answers: 'yes' | 'no';
}

function expectEntity(replies: readonly Partial<Activity>[], expected: Record<string, unknown>): void {
  expect(messages(replies).length).toBeGreaterThan(0);
  for (const entity of entitiesOf(replies)) {
    expect(entity).toEqual({ type: 'gallery-access/diagnosis', role: 'customer', secondary: [], step: null, steps: null, ...expected });
  }
}

function typedCode(code: string, variant: Variant): string {
  return variant.codeAs === 'spaced' ? formatAccessCode(code).toLowerCase() : CODE_SENTENCE[variant.locale](formatAccessCode(code).replace(' ', '-'));
}

async function casesOf(chat: CheckedChat) {
  return (await bot.outbox.pending()).filter((record) => record.conversationId === chat.conversationId);
}

/** One whole conversation; returns the chat for follow-up checks. */
async function converse(name: DemoCodeName, variant: Variant): Promise<CheckedChat> {
  const { locale } = variant;
  const code = DEMO_CODES[name];
  const demo = DEMO_CASES[name];
  const want = expectationFor(name);
  // One parent per conversation: the same parent asking again about the same code would add to their open case.
  const chat = new CheckedChat(bot.url, { locale, userId: `customer-${name}-${locale}` });
  const awaitingSequence: (string | null)[] = [];

  // Greeting.
  const greeting = await chat.join();
  expect(messages(greeting)).toHaveLength(1);
  expect(greeting[0]?.text).toBe(`${t(locale, 'greeting')} ${t(locale, 'symptom.question')}`);
  expect(buttonsOf(greeting[0])).toEqual(
    expect.arrayContaining(['almost-ready', 'incorrect-code', 'missed-sale', 'other'].map((symptom) => t(locale, `symptom.choice.${symptom as Symptom}`))),
  );
  expectEntity(greeting, { locale, symptom: null, scenario: null, awaiting: 'symptom' });
  awaitingSequence.push(lastDiagnosis(greeting).awaiting);

  // Symptom, tapped (typed label) or described.
  const symptomText = variant.symptomAs === 'button' ? t(locale, `symptom.choice.${want.symptom}`) : FREE_TEXT[locale][want.symptom];
  const afterSymptom = await chat.say(symptomText);
  expect(messages(afterSymptom)).toHaveLength(1);
  expect(afterSymptom[0]?.text).toBe(`${t(locale, `symptom.ack.${want.symptom}`)} ${t(locale, 'code.question')}`);
  expectEntity(afterSymptom, { locale, symptom: want.symptom, scenario: null, awaiting: 'access-code' });
  awaitingSequence.push(lastDiagnosis(afterSymptom).awaiting);

  // Code: an unknown code is asked for again until the bot gives up (three tries).
  let afterCode: Partial<Activity>[];
  if (want.scenario === 'unknown-code') {
    for (let attempt = 1; attempt < 3; attempt++) {
      const retry = await chat.say(attempt === 1 ? typedCode(code, variant) : code);
      expect(messages(retry)).toHaveLength(1);
      if (attempt === 1) {
        expect(retry[0]?.text?.startsWith(t(locale, 'code.notFound', { code: formatAccessCode(code) }))).toBe(true);
        expect(retry[0]?.text?.endsWith(t(locale, 'code.tryAgain'))).toBe(true);
      } else {
        // The same code again: not the same typing help, but that only a person can look further.
        expect(retry[0]?.text).toBe(`${t(locale, 'code.sameAsCard', { code: formatAccessCode(code) })} ${t(locale, 'code.question')}`);
      }
      expectEntity(retry, { locale, symptom: want.symptom, scenario: null, awaiting: 'access-code' });
      awaitingSequence.push(lastDiagnosis(retry).awaiting);
    }
    afterCode = await chat.say(code.toLowerCase());
  } else {
    afterCode = await chat.say(typedCode(code, variant));
  }

  // Diagnosis, then the offer (or straight to "did this help?" when nobody has to act).
  const nextQuestion = want.offer === 'photographer' ? 'notify.offerPhotographer' : want.offer === 'support' ? 'notify.offerSupport' : 'feedback.question';
  // A code typed with other look-alikes than printed is named as read first ("I read that as OAK7 Q2M9").
  const readAs = demo.stored === normalizeCode(code) ? '' : `${t(locale, 'code.readAs', { code: formatAccessCode(demo.stored) })} `;
  expect(messages(afterCode).map((reply) => reply.text)).toEqual([`${readAs}${want.diagnosis(locale)}`, t(locale, nextQuestion)]);
  const afterCodeSlot = want.offer === null ? 'feedback' : 'confirm';
  expectEntity(afterCode, { locale, symptom: want.symptom, scenario: want.scenario, secondary: want.secondary, awaiting: afterCodeSlot });
  awaitingSequence.push(lastDiagnosis(afterCode).awaiting);
  const yesNo = afterCodeSlot === 'confirm' ? (['notify.yes', 'notify.no'] as const) : (['feedback.yes', 'feedback.no'] as const);
  expect(buttonsOf(afterCode.at(-1))).toEqual(yesNo.map((key) => t(locale, key)));

  const expectedCases: { kind: CaseKind; reason: string }[] = [];
  let ended = false;
  if (want.offer !== null) {
    const afterOffer = await chat.say(t(locale, variant.answers === 'yes' ? 'notify.yes' : 'notify.no'));
    const scenarioFields = { locale, symptom: want.symptom, scenario: want.scenario, secondary: want.secondary };
    let lastTurn = afterOffer;
    if (variant.answers === 'yes' && want.offer === 'support') {
      // Handed to a person as asking for one is: where to reach the customer first.
      expect(messages(afterOffer).map((reply) => reply.text)).toEqual([t(locale, 'handoff.email.question')]);
      expectEntity(afterOffer, { ...scenarioFields, awaiting: 'email' });
      awaitingSequence.push(lastDiagnosis(afterOffer).awaiting);
      const handedOver = await chat.say('parent@example.com');
      expect(handedOver.filter((activity) => activity.type === 'event').map((event) => event.name)).toEqual(['handoff.initiate']);
      // Support has the case: the conversation ends without "did this help?".
      expect(messages(handedOver).map((reply) => reply.text)).toEqual([t(locale, 'notify.recordedSupport'), t(locale, 'handoff.email.known', { email: 'parent@example.com' })]);
      expectEntity(handedOver, { ...scenarioFields, awaiting: null });
      expectedCases.push({ kind: 'escalation', reason: want.scenario === 'unknown-code' ? 'wrong-codes' : 'unknown-status' });
      ended = true;
      lastTurn = messages(handedOver);
    } else {
      const first = variant.answers === 'yes' ? 'notify.recorded' : 'notify.declined';
      expect(messages(afterOffer).map((reply) => reply.text)).toEqual([t(locale, first), t(locale, 'feedback.question')]);
      expectEntity(afterOffer, { ...scenarioFields, awaiting: 'feedback' });
      // No photographer has talked to this bot: the request goes to support, saying why.
      if (variant.answers === 'yes') expectedCases.push({ kind: 'notify-photographer', reason: 'customer asked to notify the photographer; the photographer has never talked to the bot' });
    }
    awaitingSequence.push(lastDiagnosis(lastTurn).awaiting);
  }

  if (!ended) {
    // Feedback: typed in lower case to show the buttons are typed input too.
    let afterFeedback = await chat.say(t(locale, variant.answers === 'yes' ? 'feedback.yes' : 'feedback.no').toLowerCase());
    if (variant.answers === 'no') {
      // Before the handoff, where a person can reach the customer.
      expect(messages(afterFeedback).map((activity) => activity.text)).toEqual([t(locale, 'handoff.email.question')]);
      expectEntity(afterFeedback, { locale, symptom: want.symptom, scenario: want.scenario, secondary: want.secondary, awaiting: 'email' });
      awaitingSequence.push(lastDiagnosis(afterFeedback).awaiting);
      const handedOver = await chat.say('parent@example.com');
      expect(handedOver.filter((activity) => activity.type === 'event').map((event) => event.name)).toEqual(['handoff.initiate']);
      afterFeedback = messages(handedOver);
    }
    const replies = variant.answers === 'yes' ? [t(locale, 'feedback.thanks')] : [t(locale, 'escalation.recorded'), t(locale, 'handoff.email.known', { email: 'parent@example.com' })];
    expect(messages(afterFeedback).map((activity) => activity.text)).toEqual(replies);
    expectEntity(afterFeedback, { locale, symptom: want.symptom, scenario: want.scenario, secondary: want.secondary, awaiting: null });
    awaitingSequence.push(lastDiagnosis(afterFeedback).awaiting);
    if (variant.answers === 'no') expectedCases.push({ kind: 'escalation', reason: 'not-helped' });
  }

  const codeTries = want.scenario === 'unknown-code' ? ['access-code', 'access-code'] : [];
  const expectedSequence = [
    'symptom',
    'access-code',
    ...codeTries,
    afterCodeSlot,
    ...(want.offer !== null && !ended ? ['feedback'] : []),
    // "No" to "did this help?", or "yes" to the support offer: the e-mail address before the handoff.
    ...(variant.answers === 'no' || ended ? ['email'] : []),
    null,
  ];
  expect(awaitingSequence).toEqual(expectedSequence);

  // The outbox holds exactly what the customer asked for, with everything collected.
  const recorded = await casesOf(chat);
  expect(recorded.map(({ kind, reason }) => ({ kind, reason }))).toEqual(expectedCases);
  const photographer = demo.photographer === null ? null : DEMO_PHOTOGRAPHERS[demo.photographer].id;
  for (const record of recorded) {
    expect(record).toMatchObject({
      role: 'customer',
      channel: 'webchat',
      locale,
      symptom: want.symptom,
      scenario: want.scenario,
      secondary: want.secondary,
      accessCode: demo.stored,
      jobId: want.scenario === 'unknown-code' ? null : demo.jobId,
      photographerId: want.scenario === 'unknown-code' ? null : photographer,
    });
    // The transcript keeps the customer's words (with whitespace collapsed, as the bot reads them).
    const spaced = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(record.transcript.some((line) => line.from === 'user' && spaced(line.text) === spaced(symptomText))).toBe(true);
  }
  return chat;
}

const NAMES = Object.keys(DEMO_CODES) as DemoCodeName[];

describe('a whole customer conversation for every demo code, in two languages each', () => {
  NAMES.forEach((name, index) => {
    const variants: Variant[] = [
      { locale: LOCALES[index % 4] ?? 'en-US', symptomAs: 'button', codeAs: 'spaced', answers: 'yes' },
      { locale: LOCALES[(index + 1) % 4] ?? 'en-US', symptomAs: 'free text', codeAs: 'sentence', answers: 'no' },
    ];
    for (const variant of variants) {
      it(`${name} (${DEMO_CODES[name]}) in ${variant.locale}: symptom as ${variant.symptomAs}, answers "${variant.answers}"`, async () => {
        const chat = await converse(name, variant);

        // "No" to "did this help?", or "yes" to the support offer, handed the case to a person.
        if (variant.answers === 'no' || expectationFor(name).offer === 'support') {
          // A person has the case: what the customer writes is added to it, until the person closes it.
          const meanwhile = await chat.say(t(variant.locale, 'symptom.choice.missed-sale'));
          expect(messages(meanwhile).map((reply) => reply.text)).toEqual([t(variant.locale, 'handoff.added')]);
          // As the channel carried it (typed spaces may arrive as plain spaces).
          const added = (await casesOf(chat)).at(-1)?.transcript.at(-1);
          expect(added?.from).toBe('user');
          expect(added?.text.replace(/\s/gu, ' ')).toBe(t(variant.locale, 'symptom.choice.missed-sale').replace(/\s/gu, ' '));
          const closed = await chat.send({ type: 'event', name: 'handoff.status', value: { state: 'completed' }, text: undefined });
          expect(messages(closed).map((reply) => reply.text)).toEqual([t(variant.locale, 'handoff.completed')]);
        }
        // After the case ends, the next message opens a new case in the same conversation.
        const previousCases = (await casesOf(chat)).length;
        const next = await chat.say(t(variant.locale, 'symptom.choice.missed-sale'));
        expect(messages(next).map((reply) => reply.text)).toEqual([`${t(variant.locale, 'symptom.ack.missed-sale')} ${t(variant.locale, 'code.question')}`]);
        expectEntity(next, { locale: variant.locale, symptom: 'missed-sale', scenario: null, awaiting: 'access-code' });
        const diagnosed = await chat.say(formatAccessCode(DEMO_CODES['job-archived']));
        // A parent who already asked for this job's photographer is not asked again.
        const askedBefore = variant.answers === 'yes' && expectationFor(name).offer === 'photographer' && DEMO_CASES[name].jobId === DEMO_CASES['job-archived'].jobId;
        expectEntity(diagnosed, { locale: variant.locale, symptom: 'missed-sale', scenario: 'job-archived', awaiting: askedBefore ? 'feedback' : 'confirm' });
        expect(messages(diagnosed).some((reply) => reply.text === t(variant.locale, 'customer.notify.askedBefore', { code: 'same' }))).toBe(askedBefore);
        expect((await casesOf(chat)).length).toBe(previousCases);
      });
    }
  });
});

describe('the first message already holds the symptom and the code', () => {
  const archived = DEMO_CASES['job-archived'];
  const date = archiveDateOf(archived.jobId ?? '') ?? '';
  const firstMessages: [TestLocale, string][] = [
    ['en-US', 'it says missed the sale, my code is mxr2-9plt'],
    ['de-DE', 'Da steht Verkauf verpasst, Code MXR2 9PLT'],
    ['fr-FR', "Il est écrit que j'ai manqué la vente, mon code est MXR2 9PLT"],
    ['nl-NL', 'Er staat verkoop gemist, mijn code is mxr2 9plt'],
  ];
  for (const [locale, text] of firstMessages) {
    it(`${locale}: "${text}" → the very first reply is the diagnosis, and the case runs to the end`, async () => {
      const chat = new CheckedChat(bot.url, { locale });
      const first = await chat.say(text);
      expect(messages(first).map((reply) => reply.text)).toEqual([
        t(locale, 'customer.job-archived', { date: localizer(locale).longDate(date) }),
        t(locale, 'notify.offerPhotographer'),
      ]);
      expectEntity(first, { locale, symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });

      const afterYes = await chat.say(t(locale, 'notify.yes'));
      expectEntity(afterYes, { locale, symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'feedback' });
      const afterFeedback = await chat.say(t(locale, 'feedback.yes'));
      expect(messages(afterFeedback).map((reply) => reply.text)).toEqual([t(locale, 'feedback.thanks')]);
      expectEntity(afterFeedback, { locale, symptom: 'missed-sale', scenario: 'job-archived', awaiting: null });

      const recorded = await casesOf(chat);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ kind: 'notify-photographer', scenario: 'job-archived', accessCode: archived.code, jobId: archived.jobId, locale });

      // A new case: another code in one message is diagnosed on its own.
      const next = await chat.say(`${FREE_TEXT[locale]['almost-ready']} ${CODE_SENTENCE[locale](formatAccessCode(DEMO_CODES['job-in-planning']))}`);
      expect(messages(next)[0]?.text).toBe(t(locale, 'customer.job-in-planning', { photos: 'ready' }));
      expectEntity(next, { locale, symptom: 'almost-ready', scenario: 'job-in-planning', awaiting: 'confirm' });
    });
  }

  it('after the greeting, a message with both goes straight to the diagnosis', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    await chat.join();
    const replies = await chat.say('it says photos are almost ready, code rj6t-cx9b');
    expect(messages(replies)[0]?.text).toBe(t('en-US', 'customer.photos-hidden'));
    expectEntity(replies, { locale: 'en-US', symptom: 'almost-ready', scenario: 'photos-hidden', awaiting: 'confirm' });
  });
});

describe('the outbox after the conversations', () => {
  it('holds one notify-photographer case per "yes" to the photographer, each with its scenario and code', async () => {
    // One more "yes" of its own, so this holds when the test runs alone too.
    await converse('code-not-activated', { locale: 'nl-NL', symptomAs: 'free text', codeAs: 'spaced', answers: 'yes' });
    const all = await bot.outbox.pending();
    const notified = all.filter((record) => record.kind === 'notify-photographer');
    expect(notified.length).toBeGreaterThan(0);
    for (const record of notified) {
      expect(record.role).toBe('customer');
      expect(record.accessCode).not.toBeNull();
      const name = NAMES.find((candidate) => DEMO_CODES[candidate] === record.accessCode);
      expect(name, `a recorded code of the demo data: ${record.accessCode}`).toBeDefined();
      expect(record.scenario).toBe(DEMO_CASES[name as DemoCodeName].scenario);
    }
    expect(await healthz(bot.url)).toBe(200);
    expect(contractStats.messages).toBeGreaterThan(0);
  });
});

describe('their language, over HTTP', () => {
  it('nl-NL browser, "it says missed the sale, code MXR29PLT": the diagnosis in English, the entity says en-US', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'nl-NL' });
    const first = await chat.say('it says missed the sale, code MXR29PLT');
    const date = archiveDateOf(DEMO_CASES['job-archived'].jobId ?? '') ?? '';
    expect(messages(first).map((reply) => reply.text)).toEqual([
      t('en-US', 'customer.job-archived', { date: localizer('en-US').longDate(date) }),
      t('en-US', 'notify.offerPhotographer'),
    ]);
    for (const entity of entitiesOf(first)) expect(entity).toMatchObject({ locale: 'en-US', scenario: 'job-archived', awaiting: 'confirm' });
    const refund = await chat.say('ik wil mijn geld terug');
    expect(messages(refund).map((reply) => reply.text)).toEqual([`${t('nl-NL', 'side.refund')} ${t('nl-NL', 'ask.offerPerson')} ${t('nl-NL', 'notify.offerPhotographer')}`]);
    for (const entity of entitiesOf(refund)) expect(entity).toMatchObject({ locale: 'nl-NL', awaiting: 'confirm' });
  });

  it('after the end, "thanks!" and "bye" get a short answer; a new problem starts a new case', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    await chat.say('it says missed the sale, my code is mxr2-9plt');
    await chat.say(t('en-US', 'notify.no'));
    await chat.say(t('en-US', 'feedback.yes'));
    const thanks = await chat.say('thanks!');
    expect(messages(thanks).map((reply) => reply.text)).toEqual([t('en-US', 'end.thanks')]);
    const bye = await chat.say('bye');
    expect(messages(bye).map((reply) => reply.text)).toEqual([t('en-US', 'end.goodbye')]);
    for (const entity of entitiesOf([...thanks, ...bye])) expect(entity.awaiting).toBeNull();
    const refund = await chat.say('I want a refund');
    expect(messages(refund).map((reply) => reply.text)).toEqual([`${t('en-US', 'side.refund')} ${t('en-US', 'ask.offerPerson')}`, t('en-US', 'symptom.question')]);
    expect(buttonsOf(messages(refund).at(-1))).toContain(t('en-US', 'ask.person'));
  });
});

import { describe, expect, it } from 'vitest';
import { formatAccessCode, normalizeAccessCode } from '../../src/domain/accessCode.js';
import { SCENARIO_INFO } from '../../src/domain/scenarios.js';
import type { Symptom } from '../../src/domain/symptoms.js';
import { localizer } from '../../src/language/messages.js';
import { archivedSentence } from '../support/customerSentences.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS, type DemoCodeName } from '../support/demoCodes.js';
import {
  allDemoAccessCodes,
  allDemoJobNames,
  allText,
  buttonsOf,
  type DialogHarness,
  lastDiagnosis,
  LOCALES,
  msg,
  textsOf,
  useHarnesses,
} from '../support/dialogHarness.js';

const harnesses = useHarnesses();
const harness = (): Promise<DialogHarness> => harnesses.harness({ channelId: 'webchat' });

type Offer = 'photographer' | 'support' | null;

/** Codes that the platform knows (unknown codes take three tries, tested on their own). */
const KNOWN: DemoCodeName[] = (Object.keys(DEMO_CODES) as DemoCodeName[]).filter((name) => DEMO_CASES[name].scenario !== 'unknown-code');
const UNKNOWN: DemoCodeName[] = (Object.keys(DEMO_CODES) as DemoCodeName[]).filter((name) => DEMO_CASES[name].scenario === 'unknown-code');

/** What the customer reports: the message the data predicts, so nothing contradicts it. */
function reportedSymptom(name: DemoCodeName): Symptom {
  const demo = DEMO_CASES[name];
  if (demo.unknownJobStatus !== null) return 'almost-ready';
  return SCENARIO_INFO[demo.scenario].expectedSymptom ?? 'other';
}

/** The design's offer: the photographer where they must act, support when the bot can't tell, none when nothing is wrong. */
function expectedOffer(name: DemoCodeName): Offer {
  const demo = DEMO_CASES[name];
  if (demo.unknownJobStatus !== null || demo.scenario === 'unknown-code') return 'support';
  // Hidden photos only the photographer can show, though nothing blocks the gallery: the photographer.
  if (demo.scenario === 'no-known-cause' && demo.someHidden === null) return null;
  return 'photographer';
}

/** The customer sentence, from the locale files. */
async function expectedSentence(h: DialogHarness, name: DemoCodeName, locale: string): Promise<string> {
  const demo = DEMO_CASES[name];
  // A code typed with other look-alikes than printed is named first ("I read that as OAK7 Q2M9").
  if (demo.stored !== normalizeAccessCode(demo.code)) {
    return `${msg(locale, 'code.readAs', { code: formatAccessCode(demo.stored) })} ${await expectedSentence(h, 'look-alike-o', locale)}`;
  }
  if (demo.unknownJobStatus !== null) return msg(locale, 'customer.cannot-diagnose');
  if (demo.someHidden !== null) return msg(locale, 'customer.someHidden', demo.someHidden);
  if (demo.scenario === 'job-archived') {
    const job = await h.platform.getJob(demo.jobId!);
    return archivedSentence(locale, job!.archiving.date!, demo.secondary);
  }
  return msg(locale, `customer.${demo.scenario}`, { photos: demo.secondary.length === 0 ? 'ready' : 'other' });
}

const localeOf = (index: number): string => LOCALES[index % LOCALES.length]!;

/** A greeting, the symptom (button label typed), then the code typed the way it is printed on cards. */
async function diagnose(h: DialogHarness, name: DemoCodeName, locale: string) {
  const greeted = await h.send(locale.startsWith('en') ? 'hello' : 'hallo', { locale });
  expect(lastDiagnosis(greeted).awaiting).toBe('symptom');
  const asked = await h.send(msg(locale, `symptom.choice.${reportedSymptom(name)}`), { locale });
  expect(lastDiagnosis(asked).awaiting).toBe('access-code');
  return h.send(formatAccessCode(DEMO_CODES[name]).toLowerCase(), { locale });
}

describe('customer flow: every scenario of the demo data', () => {
  describe.each(KNOWN.map((name, index) => [name, localeOf(index)] as const))('%s (%s)', (name, locale) => {
    const demo = DEMO_CASES[name];
    const offer = expectedOffer(name);

    it('explains the diagnosis in the customer sentence and makes the right offer', async () => {
      const h = await harness();
      const replies = await diagnose(h, name, locale);
      expect(replies[0]!.text).toBe(await expectedSentence(h, name, locale));
      const entity = lastDiagnosis(replies);
      expect(entity).toMatchObject({ role: 'customer', locale, symptom: reportedSymptom(name), scenario: demo.scenario, secondary: demo.secondary });
      if (offer === null) {
        expect(textsOf(replies).slice(1)).toEqual([msg(locale, 'feedback.question')]);
        expect(entity.awaiting).toBe('feedback');
      } else {
        expect(textsOf(replies).slice(1)).toEqual([msg(locale, offer === 'photographer' ? 'notify.offerPhotographer' : 'notify.offerSupport')]);
        expect(buttonsOf(replies[1])).toEqual([msg(locale, 'notify.yes'), msg(locale, 'notify.no')]);
        expect(entity.awaiting).toBe('confirm');
      }
      // Customer words only: no platform jargon, no job or photographer names.
      for (const jobName of allDemoJobNames()) expect(allText(replies)).not.toContain(jobName);
      for (const photographer of Object.values(DEMO_PHOTOGRAPHERS)) expect(allText(replies)).not.toContain(photographer.name);
    });

    it('yes to the offer, then "it helped": the case is recorded and the conversation ends with thanks', async () => {
      const h = await harness();
      await diagnose(h, name, locale);
      if (offer === null) {
        const thanks = await h.send(msg(locale, 'feedback.yes'), { locale });
        expect(textsOf(thanks)).toEqual([msg(locale, 'feedback.thanks')]);
        expect(lastDiagnosis(thanks).awaiting).toBeNull();
        expect(await h.outbox.pending()).toEqual([]);
        return;
      }
      let yes = await h.send(msg(locale, 'notify.yes'), { locale });
      if (offer === 'support') {
        // Handed to a person as asking for one is: the e-mail address first, then the case.
        expect(textsOf(yes)).toEqual([msg(locale, 'handoff.email.question')]);
        expect(lastDiagnosis(yes).awaiting).toBe('email');
        expect(await h.outbox.pending()).toEqual([]);
        yes = await h.send('parent@example.com', { locale });
      }
      const cases = await h.outbox.pending();
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({
        kind: offer === 'photographer' ? 'notify-photographer' : 'escalation',
        role: 'customer',
        channel: 'webchat',
        locale,
        symptom: reportedSymptom(name),
        scenario: demo.scenario,
        secondary: demo.secondary,
        accessCode: DEMO_CASES[name].stored,
        jobId: demo.jobId,
        photographerId: demo.photographer === null ? null : DEMO_PHOTOGRAPHERS[demo.photographer].id,
      });
      if (offer === 'support') {
        expect(textsOf(yes)).toEqual([msg(locale, 'notify.recordedSupport'), msg(locale, 'handoff.email.known', { email: 'parent@example.com' })]);
        expect(lastDiagnosis(yes).awaiting).toBeNull();
        expect(cases[0]).toMatchObject({ reason: 'unknown-status', email: 'parent@example.com' });
        expect(h.events.map((event) => [event.name, (event.value as { caseId: string }).caseId])).toEqual([['handoff.initiate', cases[0]!.id]]);
        return;
      }
      expect(textsOf(yes)).toEqual([msg(locale, 'notify.recorded'), msg(locale, 'feedback.question')]);
      expect(lastDiagnosis(yes).awaiting).toBe('feedback');
      const thanks = await h.send(msg(locale, 'feedback.yes'), { locale });
      expect(textsOf(thanks)).toEqual([msg(locale, 'feedback.thanks')]);
      expect(lastDiagnosis(thanks)).toMatchObject({ scenario: demo.scenario, awaiting: null });
      expect(await h.outbox.pending()).toHaveLength(1);
    });

    it('no to the offer, then "it did not help": nothing passed on, then an escalation', async () => {
      const h = await harness();
      await diagnose(h, name, locale);
      if (offer !== null) {
        const no = await h.send(msg(locale, 'notify.no'), { locale });
        expect(textsOf(no)).toEqual([msg(locale, 'notify.declined'), msg(locale, 'feedback.question')]);
        expect(lastDiagnosis(no).awaiting).toBe('feedback');
        expect(await h.outbox.pending()).toEqual([]);
      }
      const notHelped = await h.send(msg(locale, 'feedback.no'), { locale });
      expect(textsOf(notHelped)).toEqual([msg(locale, 'handoff.email.question')]);
      expect(lastDiagnosis(notHelped).awaiting).toBe('email');
      const email = await h.send('parent@example.com', { locale });
      expect(textsOf(email)).toEqual([msg(locale, 'escalation.recorded'), msg(locale, 'handoff.email.known', { email: 'parent@example.com' })]);
      expect(lastDiagnosis(email).awaiting).toBeNull();
      const cases = await h.outbox.pending();
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({
        kind: 'escalation',
        reason: 'not-helped',
        scenario: demo.scenario,
        accessCode: demo.stored,
        jobId: demo.jobId,
        email: 'parent@example.com',
      });
    });
  });

  it.each(UNKNOWN.map((name, index) => [name, localeOf(index + 1)] as const))(
    '%s (%s): three tries, then unknown-code and the support offer',
    async (name, locale) => {
      const h = await harness();
      await h.send(msg(locale, 'symptom.choice.incorrect-code'), { locale });
      await h.send(DEMO_CODES[name], { locale });
      await h.send(DEMO_CODES[name], { locale });
      const replies = await h.send(DEMO_CODES[name], { locale });
      expect(textsOf(replies)).toEqual([msg(locale, 'code.giveUp'), msg(locale, 'notify.offerSupport')]);
      expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'incorrect-code', scenario: 'unknown-code', awaiting: 'confirm' });
      const no = await h.send(msg(locale, 'notify.no'), { locale });
      expect(lastDiagnosis(no).awaiting).toBe('feedback');
      expect(await h.outbox.pending()).toEqual([]);
    },
  );
});

describe('customer flow: the reported message does not fit the data', () => {
  /** The select key of `customer.mismatch` for each reported message. */
  const MISMATCH_ARGUMENT = { 'missed-sale': 'missedSale', 'almost-ready': 'almostReady', 'incorrect-code': 'incorrectCode' } as const;

  /** What the data shows for the code, in the customer's words: the sentence the customer gets without a mismatch. */
  function dataSentence(locale: string, name: DemoCodeName): string {
    const { scenario, secondary } = DEMO_CASES[name];
    if (scenario === 'no-known-cause') return msg(locale, 'customer.no-known-cause');
    if (scenario === 'job-archived') return msg(locale, 'customer.job-archived', { date: localizer(locale).longDate('2026-10-12') });
    return msg(locale, `customer.${scenario as 'job-in-planning'}`, { photos: secondary.length === 0 ? 'ready' : 'other' });
  }

  it.each([
    ['en-US', 'no-known-cause', 'missed-sale', null],
    ['de-DE', 'code-not-activated', 'missed-sale', 'photographer'],
    ['fr-FR', 'photos-hidden', 'missed-sale', 'photographer'],
    ['nl-NL', 'job-archived', 'almost-ready', 'photographer'],
    ['en-US', 'look-alike-o', 'incorrect-code', null],
  ] as const)('%s: %s reported as %s → what the data shows, that the message belongs to another situation, the offer the data calls for', async (locale, name, reported, offer) => {
    const h = await harness();
    await h.send(msg(locale, `symptom.choice.${reported}`), { locale });
    const replies = await h.send(DEMO_CODES[name], { locale });
    const mismatch = msg(locale, 'customer.mismatch', { reported: MISMATCH_ARGUMENT[reported], message: msg(locale, `symptom.choice.${reported}`), code: formatAccessCode(DEMO_CASES[name].stored) });
    const texts = textsOf(replies);
    expect(texts[0]).toBe(`${dataSentence(locale, name)} ${mismatch}`);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: reported, scenario: DEMO_CASES[name].scenario });
    if (offer === 'photographer') {
      expect(texts.slice(1)).toEqual([msg(locale, 'notify.offerPhotographer')]);
      expect(lastDiagnosis(replies).awaiting).toBe('confirm');
      const declined = await h.send(msg(locale, 'notify.no'), { locale });
      expect(lastDiagnosis(declined).awaiting).toBe('feedback');
    } else {
      expect(texts.slice(1)).toEqual([msg(locale, 'feedback.question')]);
      expect(lastDiagnosis(replies).awaiting).toBe('feedback');
    }
    expect(lastDiagnosis(await h.send(msg(locale, 'feedback.no'), { locale })).awaiting).toBe('email');
    const skipped = await h.send(msg(locale, 'handoff.email.skip'), { locale });
    expect((await h.outbox.pending()).map((c) => [c.kind, c.email])).toEqual([['escalation', null]]);
    expect(lastDiagnosis(skipped).awaiting).toBeNull();
  });

  // Issue 11: "Vente manquée ? … code VHC7NQ3R" for a job in Planning (Camille's Collège Victor Hugo).
  const PLANNING_CODE = 'VHC7NQ3R';
  it.each([
    ['en-US', 'it says missed the sale? code VHC7NQ3R'],
    ['de-DE', 'Da steht Verkauf verpasst? Mein Code ist VHC7NQ3R'],
    ['fr-FR', 'Vente manquée ? … code VHC7NQ3R'],
    ['nl-NL', 'Er staat verkoop gemist? code VHC7NQ3R'],
  ] as const)('%s: "%s" for a job in Planning → the gallery is not open yet, the message belongs elsewhere, a message to the photographer offered', async (locale, first) => {
    const h = await harness();
    const replies = await h.send(first, { locale });
    const mismatch = msg(locale, 'customer.mismatch', { reported: 'missedSale', message: msg(locale, 'symptom.choice.missed-sale'), code: formatAccessCode(PLANNING_CODE) });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'customer.job-in-planning', { photos: 'ready' })} ${mismatch}`, msg(locale, 'notify.offerPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ locale, symptom: 'missed-sale', scenario: 'job-in-planning', awaiting: 'confirm' });
    // A quoted message is never followed by a second full stop.
    expect(allText(replies)).not.toMatch(/[.!?]\s?[”“»"]\s?\./u);
    const told = await h.send(msg(locale, 'notify.yes'), { locale });
    expect(lastDiagnosis(told).awaiting).toBe('feedback');
    const [record] = await h.outbox.pending();
    // Camille has never talked to the bot: the request reaches her through support.
    expect(record).toMatchObject({ kind: 'notify-photographer', jobId: 'job-4251', scenario: 'job-in-planning', symptom: 'missed-sale' });
  });

  it('the English words, as a careful support agent would write them', async () => {
    const h = await harness();
    const replies = await h.send('it says missed the sale? code VHC7NQ3R');
    expect(textsOf(replies)[0]).toBe(
      "Thanks! Your code is right and your photos are there, but the photographer hasn't opened the gallery for ordering yet, so there is nothing wrong on your side. " +
        "The message “Missed the Sale?” that you describe belongs to another situation: the shop shows it when the ordering period is over, and that isn't the case for the code VHC7 NQ3R. " +
        'If you still see it, please check that you entered exactly this code on the page.',
    );
  });

  it('de-DE: the reported shop message is quoted with German quotation marks, the customer addressed with "Sie"', async () => {
    const h = await harness();
    await h.send(msg('de-DE', 'symptom.choice.missed-sale'), { locale: 'de-DE' });
    const replies = await h.send(DEMO_CODES['code-not-activated'], { locale: 'de-DE' });
    expect(replies[0]!.text).toContain('Die Meldung „Verkauf verpasst?“, die Sie beschreiben, gehört zu einer anderen Situation');
    expect(replies[0]!.text).not.toMatch(/\b(du|dein|deine)\b/u);
  });

  it('"no, something else" after the prediction, then a message that does not fit: only what that message means is new', async () => {
    const h = await harness();
    const predicted = await h.send(PLANNING_CODE);
    expect(lastDiagnosis(predicted)).toMatchObject({ scenario: 'job-in-planning', awaiting: 'symptom' });
    await h.send(msg('en-US', 'customer.seen.no'));
    const replies = await h.send(msg('en-US', 'symptom.choice.missed-sale'));
    const mismatch = msg('en-US', 'customer.mismatch', { reported: 'missedSale', message: msg('en-US', 'symptom.choice.missed-sale'), code: formatAccessCode(PLANNING_CODE) });
    expect(textsOf(replies)).toEqual([mismatch, msg('en-US', 'notify.offerPhotographer')]);
  });
});

describe('customer flow: another message named at the offer', () => {
  it.each([
    ['en-US', 'actually it says incorrect access code', 'incorrect-code', 'incorrectCode'],
    ['de-DE', 'ach nein, eigentlich steht da Ihre Fotos sind fast fertig', 'almost-ready', 'almostReady'],
    ['fr-FR', 'en fait ça dit vente manquée', 'missed-sale', 'missedSale'],
    ['nl-NL', 'eigenlijk staat er onjuiste toegangscode', 'incorrect-code', 'incorrectCode'],
  ] as const)('%s: "%s" is what they see now: what it means for the code, the offer again, and the notice carries it', async (locale, typed, named, argument) => {
    const h = await harness();
    await h.send('hi', { locale });
    await h.send(msg(locale, 'symptom.choice.other'), { locale });
    expect(lastDiagnosis(await h.send(DEMO_CODES['job-in-planning'], { locale }))).toMatchObject({ symptom: 'other', awaiting: 'confirm' });
    const replies = await h.send(typed, { locale });
    const mismatch = msg(locale, 'customer.mismatch', { reported: argument, message: msg(locale, `symptom.choice.${named}`), code: formatAccessCode(DEMO_CODES['job-in-planning']) });
    // "Almost ready" is what a job in Planning shows: no mismatch then, what happens next instead.
    const said = named === 'almost-ready' ? msg(locale, 'side.what-next', { next: 'photographer' }) : mismatch;
    expect(textsOf(replies)).toEqual([`${said} ${msg(locale, 'notify.offerPhotographer')}`]);
    expect(buttonsOf(replies[0])).toEqual([msg(locale, 'notify.yes'), msg(locale, 'notify.no')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: named, scenario: 'job-in-planning', awaiting: 'confirm' });
    await h.send(msg(locale, 'notify.yes'), { locale });
    expect((await h.outbox.pending()).map((record) => [record.kind, record.symptom])).toEqual([['notify-photographer', named]]);
  });

  it('the same message again is no correction: "still says missed the sale" is no yes or no, asked again', async () => {
    const h = await harness();
    await h.send(msg('en-US', 'symptom.choice.missed-sale'));
    await h.send(DEMO_CODES['job-archived']);
    const replies = await h.send('it says missed the sale');
    expect(textsOf(replies)).toEqual([msg('en-US', 'confirm.retry')]);
  });
});

describe('customer flow: a status the bot does not know', () => {
  it.each([
    ['prepay', 'en-US'],
    ['prepay+code-not-activated', 'de-DE'],
    ['unknown-status', 'nl-NL'],
  ] as const)('%s (%s): cannot diagnose, support offer, and yes records an escalation', async (name, locale) => {
    const h = await harness();
    await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    const replies = await h.send(DEMO_CODES[name], { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'customer.cannot-diagnose'), msg(locale, 'notify.offerSupport')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'no-known-cause', secondary: DEMO_CASES[name].secondary, awaiting: 'confirm' });
    // Never the status itself: it is platform jargon.
    expect(allText(replies)).not.toMatch(/prepay|paused/i);
    expect(lastDiagnosis(await h.send(msg(locale, 'notify.yes'), { locale })).awaiting).toBe('email');
    const handedOver = await h.send(msg(locale, 'handoff.email.skip'), { locale });
    expect(textsOf(handedOver)).toEqual([msg(locale, 'handoff.email.skipped'), msg(locale, 'notify.recordedSupport')]);
    const cases = await h.outbox.pending();
    expect(cases.map((c) => [c.kind, c.reason, c.scenario, c.jobId, c.email])).toEqual([['escalation', 'unknown-status', 'no-known-cause', DEMO_CASES[name].jobId, null]]);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({ name: 'handoff.initiate', value: { caseId: cases[0]!.id, scenario: 'no-known-cause', jobId: DEMO_CASES[name].jobId, email: null } });
  });
});

describe("customer flow: never another customer's data", () => {
  const everyCode = allDemoAccessCodes();
  const allNames = Object.keys(DEMO_CODES) as DemoCodeName[];

  it.each(allNames.map((name, index) => [name, localeOf(index + 2)] as const))('%s (%s): no reply holds another access code', async (name, locale) => {
    const h = await harness();
    const own = DEMO_CASES[name].stored;
    await h.send(msg(locale, 'symptom.choice.incorrect-code'), { locale });
    for (let attempt = 0; attempt < 3; attempt++) {
      const replies = await h.send(DEMO_CODES[name], { locale });
      if (lastDiagnosis(replies).awaiting !== 'access-code') break;
    }
    await h.send(msg(locale, 'notify.no'), { locale });
    await h.send(msg(locale, 'feedback.no'), { locale });
    const text = allText(h.allReplies).toUpperCase();
    expect(h.allReplies.length).toBeGreaterThan(3);
    for (const code of everyCode.filter((code) => normalizeAccessCode(code) !== own)) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(formatAccessCode(code));
    }
    const ownJob = DEMO_CASES[name].jobId;
    for (const job of allDemoJobNames()) {
      if (ownJob !== null && (await h.platform.getJob(ownJob))?.name === job) continue;
      expect(allText(h.allReplies)).not.toContain(job);
    }
  });

  it('an unknown code never reveals a code that differs from it in a look-alike the cards keep apart (S/5)', async () => {
    const h = await harness();
    await h.send('incorrect access code');
    const near = DEMO_CODES['code-not-activated'].replace('8', 'B'); // JMVBRT4X: B and 8 are different characters
    for (let attempt = 0; attempt < 3; attempt++) await h.send(near);
    const text = allText(h.allReplies).toUpperCase().replace(/\s+/g, '');
    expect(text).not.toContain(DEMO_CODES['code-not-activated']);
    expect(lastDiagnosis(h.allReplies.slice(-1)).scenario).toBe('unknown-code');
  });
});

describe('customer flow: look-alike characters (O and 0; I, L and 1) are the same code', () => {
  it.each([
    ['en-US', DEMO_CODES['look-alike-typo'], DEMO_CODES['look-alike-o']],
    ['de-DE', '0ak7 q2m9', DEMO_CODES['look-alike-o']],
    ['fr-FR', 'FOXB-IK7T', DEMO_CODES['look-alike-0-1']],
    ['nl-NL', 'foxblk7t', DEMO_CODES['look-alike-0-1']],
  ] as const)('%s: %s finds %s, and the diagnosis says which code it read', async (locale, typed, stored) => {
    const h = await harness();
    await h.send(locale === 'en-US' ? 'hello' : 'hallo', { locale });
    await h.send(msg(locale, 'symptom.choice.other'), { locale });
    const replies = await h.send(typed, { locale });
    // F0XB1K7T's gallery hides one of its two photos: said so, with a person offered.
    const someHidden = Object.values(DEMO_CASES).find((demo) => demo.code === stored)!.someHidden;
    const explained = someHidden === null ? msg(locale, 'customer.no-known-cause') : msg(locale, 'customer.someHidden', someHidden);
    expect(replies[0]!.text).toBe(`${msg(locale, 'code.readAs', { code: formatAccessCode(stored) })} ${explained}`);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'no-known-cause', awaiting: someHidden === null ? 'feedback' : 'confirm' });
    await h.send(msg(locale, someHidden === null ? 'feedback.no' : 'notify.yes'), { locale });
    await h.send(msg(locale, 'handoff.email.skip'), { locale });
    // The case carries the code as the platform has it.
    expect((await h.outbox.pending()).map((c) => c.accessCode)).toEqual([stored]);
  });

  it('a code typed as printed gets no "I read that as"', async () => {
    const h = await harness();
    await h.send('hello');
    await h.send(msg('en-US', 'symptom.choice.other'));
    const replies = await h.send('oak7-q2m9');
    expect(replies[0]!.text).toBe(msg('en-US', 'customer.no-known-cause'));
  });
});

describe('customer flow: another code at a later question corrects the code', () => {
  it.each([
    ['en-US', 'symptom', 'sorry, wrong code! it is VHC7NQ3R'],
    ['de-DE', 'confirm', 'Moment, falscher Code, richtig ist VHC7 NQ3R'],
    ['fr-FR', 'feedback', "pardon, je me suis trompé de code : c'est VHC7-NQ3R"],
    ['nl-NL', 'confirm', 'sorry, verkeerde code, het is VHC7NQ3R'],
  ] as const)('%s: at %s, "%s" → that code is diagnosed as a new case', async (locale, slot, correction) => {
    const h = await harness();
    let replies = await h.send(DEMO_CODES['job-archived'], { locale });
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'symptom' });
    if (slot !== 'symptom') {
      replies = await h.send(msg(locale, 'customer.seen.yes'), { locale });
      expect(lastDiagnosis(replies).awaiting).toBe('confirm');
    }
    if (slot === 'feedback') {
      replies = await h.send(msg(locale, 'notify.no'), { locale });
      expect(lastDiagnosis(replies).awaiting).toBe('feedback');
    }
    const corrected = await h.send(correction, { locale });
    const texts = textsOf(corrected);
    expect(texts[0]!.startsWith(msg(locale, 'code.corrected', { code: 'VHC7 NQ3R' }))).toBe(true);
    expect(texts.join(' ')).not.toContain(msg(locale, 'confirm.retry'));
    // VHC7 NQ3R is a job in Planning: its own diagnosis, and "is that the message you see?" again.
    expect(texts.join(' ')).toContain(msg(locale, 'customer.job-in-planning', { photos: 'ready' }));
    expect(lastDiagnosis(corrected)).toMatchObject({ symptom: null, scenario: 'job-in-planning', awaiting: 'symptom' });
  });

  it('the same code again is no correction: the question is asked again', async () => {
    const h = await harness();
    await h.send(DEMO_CODES['job-archived']);
    const again = await h.send(`yes, ${DEMO_CODES['job-archived']}`);
    expect(textsOf(again).join(' ')).not.toContain(msg('en-US', 'code.corrected', { code: formatAccessCode(DEMO_CODES['job-archived']) }));
  });
});

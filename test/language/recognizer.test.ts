import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYMPTOMS, type Symptom } from '../../src/domain/symptoms.js';
import { extractAccessCode, extractAccessCodeFromAnswer } from '../../src/language/accessCodes.js';
import { recognizeJobStatus, recognizeRole, recognizeYesNo } from '../../src/language/answers.js';
import { matchChoice } from '../../src/language/choices.js';
import { PhraseFileRecognizer } from '../../src/language/recognizer.js';
import { recognizeCommand } from '../../src/language/commands.js';
import { LANGUAGES } from '../../src/language/languages.js';
import { guessLanguage } from '../../src/language/phraseLanguage.js';
import { recognizeSymptom } from '../../src/language/symptomRecognition.js';
import { typoDistance } from '../../src/language/typos.js';

const fixtureSchema = z.array(
  z.strictObject({
    text: z.string(),
    lang: z.enum(LANGUAGES),
    symptom: z.enum(SYMPTOMS),
  }),
);

const here = dirname(fileURLToPath(import.meta.url));
const readSet = (file: string) => fixtureSchema.parse(JSON.parse(readFileSync(join(here, 'fixtures', file), 'utf8')));

const SHOP: readonly Symptom[] = ['almost-ready', 'incorrect-code', 'missed-sale'];

/**
 * Two sets, scored the same way. The labelled set is for tuning the phrases. The blind set
 * was written from the design and the help article only, by someone who never saw the
 * phrase files, and is never used for tuning: it says how the recognizer does on words it
 * was not fitted to. Each floor sits a little under what the set reaches today.
 */
const SETS = [
  { name: 'the labelled set', file: 'symptom-sentences.json', overall: 0.98, perLanguage: 0.97 },
  { name: 'the blind set', file: 'blind-sentences.json', overall: 0.94, perLanguage: 0.92 },
] as const;

describe.each(SETS)('recognizeSymptom on $name', ({ name, file, overall: overallFloor, perLanguage: languageFloor }) => {
  const sentences = readSet(file);
  const results = sentences.map((sentence) => ({ ...sentence, got: recognizeSymptom(sentence.text) }));
  const accuracy = (items: typeof results): number =>
    items.filter((item) => item.got.symptom === item.symptom).length / items.length;

  it('is a realistic set (≥200 sentences, ≥40 per language, about 20% other)', () => {
    expect(sentences.length).toBeGreaterThanOrEqual(200);
    for (const language of LANGUAGES) {
      expect(sentences.filter((sentence) => sentence.lang === language).length).toBeGreaterThanOrEqual(40);
    }
    const otherShare = sentences.filter((sentence) => sentence.symptom === 'other').length / sentences.length;
    expect(otherShare).toBeGreaterThan(0.15);
    expect(otherShare).toBeLessThan(0.3);
  });

  it(`is accurate overall (≥${overallFloor}) and in every language (≥${languageFloor})`, () => {
    const overall = accuracy(results);
    const perLanguage = Object.fromEntries(
      LANGUAGES.map((language) => [language, accuracy(results.filter((item) => item.lang === language))]),
    );
    const wrong = results.filter((item) => item.got.symptom !== item.symptom);
    console.log(
      `symptom accuracy on ${name}: overall ${overall.toFixed(3)} (${results.length} sentences); ` +
        LANGUAGES.map((language) => `${language} ${(perLanguage[language] ?? 0).toFixed(3)}`).join(', '),
    );
    for (const item of wrong) {
      console.log(`  misclassified [${item.lang}] expected ${item.symptom}, got ${item.got.symptom} (${item.got.confidence}): ${item.text}`);
    }
    expect(overall).toBeGreaterThanOrEqual(overallFloor);
    for (const language of LANGUAGES) expect(perLanguage[language]).toBeGreaterThanOrEqual(languageFloor);
  });

  it('almost never mistakes one shop message for another (≤3%; saying "other" is the safe error)', () => {
    const shopSentences = results.filter((item) => SHOP.includes(item.symptom));
    const confused = shopSentences.filter((item) => SHOP.includes(item.got.symptom) && item.got.symptom !== item.symptom);
    for (const item of confused) console.log(`  confused [${item.lang}] ${item.symptom} → ${item.got.symptom}: ${item.text}`);
    expect(confused.length / shopSentences.length).toBeLessThanOrEqual(0.03);
  });

  it('gives confidences between 0 and 1', () => {
    for (const item of results) {
      expect(item.got.confidence).toBeGreaterThanOrEqual(0);
      expect(item.got.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('recognizeSymptom, specific cases', () => {
  it.each<[string, Symptom]>([
    ['it just says my photos are almost ready??', 'almost-ready'],
    ['says pics nearly ready', 'almost-ready'],
    ['allmost redy', 'almost-ready'],
    ['bientot pretes', 'almost-ready'],
    ['incorect acess code', 'incorrect-code'],
    ["code doesn't work", 'incorrect-code'],
    ['falscher Zugangscode', 'incorrect-code'],
    ["code d'accès incorrect", 'incorrect-code'],
    ['onjuiste toegangscode', 'incorrect-code'],
    ['Er staat foutieve toegangscode', 'incorrect-code'],
    ['de toegangscode is foutief', 'incorrect-code'],
    ['Verkauf verpasst', 'missed-sale'],
    ['vente manquée', 'missed-sale'],
    ['verkoop gemist', 'missed-sale'],
    ['the gallery expired', 'missed-sale'],
    ['almost-ready', 'almost-ready'],
    ['incorrect-code', 'incorrect-code'],
    ['missed-sale', 'missed-sale'],
    ['I forgot my password', 'other'],
    ['how much are prints', 'other'],
    ['the page is blank', 'other'],
    ['hello', 'other'],
    ['xkqzvw plorf', 'other'],
    ['', 'other'],
    // Both messages named about equally: `other` rather than a guess.
    ['it says almost ready and also missed the sale', 'other'],
    // A negated message does not count (people correct a wrong guess this way).
    ["it doesn't say almost ready, it says incorrect code", 'incorrect-code'],
    ['not the missed sale one, the wrong code one', 'incorrect-code'],
    ['da steht nicht Verkauf verpasst sondern falscher Code', 'incorrect-code'],
    ["ce n'est pas vente manquée, c'est presque prêtes", 'almost-ready'],
    ['er staat niet bijna klaar maar verkoop gemist', 'missed-sale'],
    ["I didn't miss the sale", 'other'],
    // A negation ends with its clause: "doesn't work, incorrect code" names the refused code.
    ['zkn8sj3e geht nicht, falscher zugangscode sagt der kunde', 'incorrect-code'],
    ['Geht nicht. Falscher Zugangscode', 'incorrect-code'],
    ['werkt niet, onjuiste toegangscode', 'incorrect-code'],
    ['ça marche pas ; code incorrect', 'incorrect-code'],
    // …and so does a phrase: "the gallery won't open, code …" is no "won't … code".
    ['Meine Galerie geht nicht auf, Code ZKN8SJ3E', 'other'],
    ['de galerij werkt niet, code ZKN8SJ3E', 'other'],
    ['der Code sei nicht korrekt', 'incorrect-code'],
    // …but a negation inside the message itself is part of it.
    ['photos not ready yet', 'almost-ready'],
    ['Verkauf verpasst? Keine Sorge, deine Erinnerungen sind sicher', 'missed-sale'],
    ["pas d'inquiétude, vos souvenirs sont en sécurité", 'missed-sale'],
    // The person's own readiness is no shop message (issue 11).
    ['I am not ready to order yet', 'other'],
    ["i'm not ready to buy yet", 'other'],
    ['ich bin noch nicht bereit zu bestellen', 'other'],
    ['je ne suis pas encore prête à commander', 'other'],
    ['ik ben nog niet klaar om te bestellen', 'other'],
    // …while the shop message beside it still counts.
    ["I'm not ready to order yet, it says my photos are almost ready", 'almost-ready'],
  ])('%j → %s', (text, symptom) => {
    expect(recognizeSymptom(text).symptom).toBe(symptom);
  });

  it.each(['Something else', 'Etwas anderes', 'Autre chose', 'Iets anders', 'other'])(
    'the button label %j is `other` with high confidence',
    (text) => {
      expect(recognizeSymptom(text)).toEqual({ symptom: 'other', confidence: 0.95 });
    },
  );

  it('does not read the letters of an access code as words', () => {
    // Without removing the code, "expir3d9" would match the prefix "expir*" (missed-sale).
    expect(recognizeSymptom('my code EXPIR3D9 does not open anything').symptom).toBe('other');
    expect(recognizeSymptom('ARCHIV7X').symptom).toBe('other');
    expect(recognizeSymptom('ALMO 5TRE').symptom).toBe('other');
  });

  it('is more confident with more evidence', () => {
    const quote = recognizeSymptom('Missed the Sale? No Worries - Your Memories Are Safe!');
    const hint = recognizeSymptom('the gallery expired');
    expect(quote.symptom).toBe('missed-sale');
    expect(quote.confidence).toBeGreaterThan(hint.confidence);
  });
});

describe('recognizeCommand', () => {
  it.each<[string, 'help' | 'restart' | 'agent' | null]>([
    ['help', 'help'],
    ['Help!', 'help'],
    ['hilfe', 'help'],
    ['aide', 'help'],
    ['I need help', 'help'],
    ['can you help me please', 'help'],
    ['restart', 'restart'],
    ['start over', 'restart'],
    ['neu starten', 'restart'],
    ['von vorne', 'restart'],
    ['recommencer', 'restart'],
    ['opnieuw beginnen', 'restart'],
    ['agent', 'agent'],
    ['human', 'agent'],
    ['talk to a person', 'agent'],
    ['real person please', 'agent'],
    ['can I please talk to a real person', 'agent'],
    ['kan ik iemand aan de lijn krijgen?', 'agent'],
    ['kann ich jemanden sprechen?', 'agent'],
    ["je voudrais parler à quelqu'un", 'agent'],
    ['can I get someone on the phone', 'agent'],
    ['Mitarbeiter', 'agent'],
    ['Mensch', 'agent'],
    ['ich möchte mit einem Menschen sprechen', 'agent'],
    ['conseiller', 'agent'],
    ["je voudrais parler à quelqu'un", 'agent'],
    ['une personne', 'agent'],
    ['medewerker', 'agent'],
    ['ik wil een mens spreken', 'agent'],
    // not commands
    ['help! it says my photos are almost ready', null],
    ['I need help with my code', null],
    ['Mensch, das nervt, Code falsch', null],
    ['the person at school gave me the card', null],
    ['almost ready', null],
    ['', null],
  ])('%j → %s', (text, command) => {
    expect(recognizeCommand(text)).toBe(command);
  });
});

describe('recognizeYesNo', () => {
  it.each<[string, 'yes' | 'no' | null]>([
    ['yes', 'yes'],
    ['yes please', 'yes'],
    ['Yep!', 'yes'],
    ['sure', 'yes'],
    ['ok', 'yes'],
    ['ja bitte', 'yes'],
    ['gerne', 'yes'],
    ['oui', 'yes'],
    ["d'accord", 'yes'],
    ['ja graag', 'yes'],
    ['that helped, thanks', 'yes'],
    // "Why not" to an offer agrees; its "not" negates nothing.
    ['ok sure why not', 'yes'],
    ['warum nicht', 'yes'],
    ['pourquoi pas', 'yes'],
    ['waarom niet?', 'yes'],
    ['yes tell the photographer', 'yes'],
    ['no', 'no'],
    ['no thanks', 'no'],
    ['nein danke', 'no'],
    ['non merci', 'no'],
    ['nee dank je', 'no'],
    ['not really', 'no'],
    ['hat nicht geholfen', 'no'],
    ["it didn't help", 'no'],
    ['ça ne marche pas', 'no'],
    ['no, it still says almost ready', 'no'],
    ['not sure', null],
    ['yes but it did not help', null],
    ['bitte', null],
    ['almost ready', null],
    ['', null],
    // A clause that is nothing but a yes or a no answers, unless another clause says the opposite.
    ['ik heb al 5x herladen, werkt niet', 'no'],
    ['hab neu geladen, gleiche meldung', 'no'],
    ['reloaded the page, no', 'no'],
    ['reloaded the page. yes, no', null],
    ['reloaded the page, the code is right', null],
    // A question that opens the message asks; a plain yes or no before it still answers.
    ['cant you check that yourself? you have the data', null],
    ["can't you look it up yourself?", null],
    ['no it still says that?', 'no'],
    ['nope, can you just do it?', 'no'],
    ['doesnt work??', 'no'],
    ['could you please tell her?', 'yes'],
    // Emoji answers, as in chat apps; one among words or a face is no answer.
    ['👍', 'yes'],
    [' 👍🏽 ', 'yes'],
    ['✅', 'yes'],
    ['👎', 'no'],
    ['❌', 'no'],
    ['👍👎', null],
    ['😭🙏', null],
  ])('%j → %s', (text, answer) => {
    expect(recognizeYesNo(text)).toBe(answer);
  });
});

describe('recognizeRole', () => {
  it.each<[string, 'customer' | 'photographer' | null]>([
    ["I'm a parent", 'customer'],
    ['customer', 'customer'],
    ['Kunde', 'customer'],
    ['Elternteil', 'customer'],
    ['parent', 'customer'],
    ['client', 'customer'],
    ['klant', 'customer'],
    ['ouder', 'customer'],
    ["I'm a parent looking for photographs", 'customer'],
    ['photographer', 'photographer'],
    ['I am the photographer', 'photographer'],
    ['Fotograf', 'photographer'],
    ['Fotografin', 'photographer'],
    ['photographe', 'photographer'],
    ['fotograaf', 'photographer'],
    ['hello', null],
    ['parent and photographer', null],
    ['', null],
  ])('%j → %s', (text, role) => {
    expect(recognizeRole(text)).toBe(role);
  });
});

describe('recognizeJobStatus', () => {
  it.each<[string, 'planning' | 'selling' | 'archived' | 'unknown' | null]>([
    ['Planning', 'planning'],
    ['Planung', 'planning'],
    ['Planification', 'planning'],
    ["it's in planning I think", 'planning'],
    ['Selling', 'selling'],
    ['Verkauf', 'selling'],
    ['En vente', 'selling'],
    ['Verkoop', 'selling'],
    ['Archived', 'archived'],
    ['Archiviert', 'archived'],
    ['Archivé', 'archived'],
    ['Gearchiveerd', 'archived'],
    ["don't know", 'unknown'],
    ['weiß nicht', 'unknown'],
    ['je ne sais pas', 'unknown'],
    ['weet ik niet', 'unknown'],
    ['no idea', 'unknown'],
    ['hello', null],
    ['', null],
  ])('%j → %s', (text, status) => {
    expect(recognizeJobStatus(text)).toBe(status);
  });
});

describe('matchChoice', () => {
  const choices = [
    { id: 'almost-ready', labels: ['Your photos are almost ready', 'Almost ready'] },
    { id: 'incorrect-code', labels: ['Incorrect access code'] },
    { id: 'missed-sale', labels: ['Missed the sale'] },
    { id: 'other', labels: ['Something else', 'Etwas anderes'] },
  ] as const;

  it.each<[string, string | null]>([
    ['2', 'incorrect-code'],
    ['2.', 'incorrect-code'],
    ['#2', 'incorrect-code'],
    [' 4 ', 'other'],
    ['5', null],
    ['0', null],
    ['missed-sale', 'missed-sale'],
    ['MISSED THE SALE!', 'missed-sale'],
    ['misssed the sale', 'missed-sale'],
    ['incorect access code', 'incorrect-code'],
    ['almost ready', 'almost-ready'],
    ['something else please', 'other'],
    ['etwas anderes', 'other'],
    ['hello', null],
    ['', null],
  ])('%j → %s', (text, id) => {
    expect(matchChoice(text, choices)).toBe(id);
  });

  it('ignores accents and emoji in labels', () => {
    const confirm = [
      { id: 'yes', labels: ['✅ Ja, ändern'] },
      { id: 'no', labels: ['Abbrechen'] },
    ] as const;
    expect(matchChoice('ja andern', confirm)).toBe('yes');
    expect(matchChoice('abbrechen', confirm)).toBe('no');
  });

  it('refuses when two choices are equally close', () => {
    const twins = [
      { id: 'a', labels: ['Sonntag 6.12.'] },
      { id: 'b', labels: ['Sonntag 6.12.'] },
    ] as const;
    expect(matchChoice('sonntag 6 12', twins)).toBeNull();
  });
});

describe('guessLanguage', () => {
  it.each<[string, string | null]>([
    ['it just says my photos are almost ready??', 'en'],
    ['Eine Mutter sieht „Verkauf verpasst" – Code MXR2 9PLT', 'de'],
    ['ich habe mein Passwort vergessen', 'de'],
    ['Vos photos sont presque prêtes', 'fr'],
    ['le code ne marche pas', 'fr'],
    ["Je foto's zijn bijna klaar", 'nl'],
    ['de code werkt niet', 'nl'],
    ['hallo', null],
    ['ok', null],
    ['MXR2 9PLT', null],
    ['', null],
  ])('%j → %s', (text, language) => {
    expect(guessLanguage(text)).toBe(language);
  });

  it.each(SETS)('agrees with $name on most sentences it is sure about', ({ file }) => {
    const guessed = readSet(file).map((sentence) => ({ ...sentence, guess: guessLanguage(sentence.text) }));
    const sure = guessed.filter((item) => item.guess !== null);
    const right = sure.filter((item) => item.guess === item.lang);
    console.log(`guessLanguage on ${file}: sure on ${sure.length}/${guessed.length}, right on ${right.length}`);
    expect(sure.length / guessed.length).toBeGreaterThan(0.6);
    expect(right.length / sure.length).toBeGreaterThan(0.95);
  });
});

describe('typoDistance', () => {
  it.each<[string, string, number]>([
    ['almost', 'allmost', 1],
    ['ready', 'redy', 1],
    ['incorrect', 'incorect', 1],
    ['sale', 'sael', 1],
    ['photographer', 'fotographer', 2],
    ['', 'abc', 3],
  ])('%s ↔ %s = %i', (a, b, distance) => {
    expect(typoDistance(a, b)).toBe(distance);
  });
});

describe('robustness', () => {
  const everything = (text: string): unknown[] => [
    recognizeSymptom(text),
    extractAccessCode(text),
    extractAccessCodeFromAnswer(text),
    recognizeCommand(text),
    recognizeYesNo(text),
    recognizeRole(text),
    recognizeJobStatus(text),
    guessLanguage(text),
    matchChoice(text, [{ id: 'a', labels: ['Almost ready'] }]),
  ];

  it.each<[string, string]>([
    ['empty', ''],
    ['spaces', '   \n\t  '],
    ['10,000 characters of words', 'my photos are almost ready but the code riv5 t4w7 is wrong '.repeat(200).slice(0, 10_000)],
    ['10,000 letters without a space', 'a'.repeat(10_000)],
    ['10,000 characters of letters and digits', Array.from({ length: 10_000 }, (_, i) => 'ab1 c2-d@e.f'[i % 12]).join('')],
    ['emoji only', '😀🎉👍🏽👨‍👩‍👧'.repeat(500)],
    ['HTML', '<html><body><div class="x">Your photos are <b>almost ready</b>.</div><script>alert(1)</script></body></html>'],
    ['unclosed tags', '<'.repeat(5_000) + '>'.repeat(5_000)],
    ['right-to-left and CJK', 'مرحبا 你好 こんにちは'],
    ['lone surrogates', '\ud800\udc00\ud800 abc \udfff'],
  ])('does not throw on %s', (_name, text) => {
    expect(() => everything(text)).not.toThrow();
    const result = recognizeSymptom(text);
    expect(SYMPTOMS).toContain(result.symptom);
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const [symptom] = everything(text) as [{ symptom: Symptom; confidence: number }];
        expect(SYMPTOMS).toContain(symptom.symptom);
        expect(symptom.confidence).toBeGreaterThanOrEqual(0);
        expect(symptom.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('returns codes in normalised form only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        for (const code of [extractAccessCode(text), extractAccessCodeFromAnswer(text)]) {
          if (code !== null) expect(code).toMatch(/^[A-Z0-9]{6,12}$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('recognizeYesNo: "do it" is a request, not a yes (review fix 4)', () => {
  it.each(['do it', 'Do it!', 'do it for me', 'Do it for me', 'mach das', 'Mach das!', 'mach das für mich', 'Mach das für mich'])('%j is not read as yes', (text) => {
    expect(recognizeYesNo(text)).not.toBe('yes');
  });

  it('the plain yes words still are', () => {
    for (const text of ['yes', 'go ahead', 'please do', 'ja', 'ja gerne', 'gerne']) expect(recognizeYesNo(text), text).toBe('yes');
  });
});

describe('PhraseFileRecognizer.accessCodeAnswer: a sentence about the code is no code', () => {
  const recognizer = new PhraseFileRecognizer();
  it.each<[string, string | null]>([
    ['Ich habe die Karte verloren', null],
    ['Ich habe den Brief verloren', null],
    ['la carte est perdue', null],
    ['ik ben de kaart kwijt', null],
    ['i lost the card', null],
    // Letters alone are still a code to look up (a card read with O for 0), and codes around a topic are codes.
    ['ABCDEFGH', 'ABCDEFGH'],
    ['MXRZ OPLT', 'MXRZOPLT'],
    ['I lost the card but the code was MXR2 9PLT', 'MXR29PLT'],
  ])('%j → %s', (text, code) => {
    expect(recognizer.accessCodeAnswer(text)).toBe(code);
  });
});

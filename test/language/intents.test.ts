import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Intent, parseIntentFile, recognizeIntent, TOPICS } from '../../src/language/intents.js';
import { LANGUAGES, type Language } from '../../src/language/languages.js';
import { compilePhrases } from '../../src/language/phraseMatching.js';
import { foldText, splitWords } from '../../src/language/textFolding.js';
import { projectRoot } from '../../src/projectRoot.js';

/** Sentences as people write them, per language, and what they are about. */
const SENTENCES: Readonly<Record<Language, readonly [string, Intent][]>> = {
  en: [
    ['thanks!', 'thanks'],
    ['Thank you so much', 'thanks'],
    ['ok thx', 'thanks'],
    ['bye', 'goodbye'],
    ['thanks, bye!', 'goodbye'],
    ['when will i get my photos??', 'what-next'],
    ['what happens now?', 'what-next'],
    ['how will i know when its open', 'what-next'],
    ['when will the photographer open it?', 'what-next'],
    ['I want a refund', 'refund'],
    ['is my data safe?', 'privacy'],
    ['who can see my photos?', 'privacy'],
    ['are you a bot?', 'bot'],
    ['am I talking to a robot', 'bot'],
    ['can I get my money back', 'refund'],
    ['I ordered prints 3 weeks ago and they never arrived', 'delivery'],
    ['my parcel still hasnt arrived', 'delivery'],
    ['where is my order', 'order'],
    ['where do i find the code', 'where-code'],
    ["I can't find my access code", 'where-code'],
    ['how long is the shop open?', 'shop-open'],
    ['until when can we order', 'shop-open'],
    ['how do I link my account?', 'link-account'],
    ['is this safe to use?', 'question'],
    ['I no longer have it', 'where-code'],
    ['I lost the card with the code', 'where-code'],
    ['why do I have to turn off the campaign?', 'campaign'],
    ['wait, will the parents get an email?', 'campaign'],
    ['can I still order or are the photos gone?', 'what-next'],
  ],
  de: [
    ['danke', 'thanks'],
    ['Vielen Dank!', 'thanks'],
    ['tschüss', 'goodbye'],
    ['Danke, auf Wiedersehen', 'goodbye'],
    ['ich will mein Geld zurück', 'refund'],
    ['Ich möchte eine Rückerstattung', 'refund'],
    ['Die Bestellung ist nie angekommen', 'delivery'],
    ['Wo ist meine Bestellung?', 'order'],
    ['Wo finde ich den Code?', 'where-code'],
    ['Ich habe keinen Zugangscode bekommen', 'where-code'],
    ['Wie lange ist der Shop offen?', 'shop-open'],
    ['Bis wann kann ich bestellen?', 'shop-open'],
    ['Wann bekomme ich meine Fotos?', 'what-next'],
    ['Wie geht es jetzt weiter?', 'what-next'],
    ['wie erfahre ich, wann es offen ist?', 'what-next'],
    ['Wie kann ich mein Konto verknüpfen?', 'link-account'],
    ['Warum ist das so kompliziert?', 'question'],
    ['die Karte ist weg, hab sie verloren', 'where-code'],
    ['warum muss die Kampagne aus?', 'campaign'],
    ['Bekommen die Eltern eine Mail?', 'campaign'],
    ['Kann ich trotzdem noch bestellen oder sind die Fotos weg?', 'what-next'],
  ],
  fr: [
    ['merci', 'thanks'],
    ['Merci beaucoup !', 'thanks'],
    ['au revoir', 'goodbye'],
    ['Merci, bonne journée', 'goodbye'],
    ['je veux être remboursé', 'refund'],
    ['Je voudrais un remboursement', 'refund'],
    ["Ma commande n'est jamais arrivée", 'delivery'],
    ['Où est ma commande ?', 'order'],
    ['Où trouver le code ?', 'where-code'],
    ["J'ai perdu mon code", 'where-code'],
    ['Jusqu’à quand la boutique est ouverte ?', 'shop-open'],
    ['Quand est-ce que je vais recevoir mes photos ?', 'what-next'],
    ['Et maintenant, que dois-je faire ?', 'what-next'],
    ["comment je saurai que c'est ouvert ?", 'what-next'],
    ['Que va-t-il se passer ?', 'what-next'],
    ["Qu'est-ce qui se passe ensuite ?", 'what-next'],
    ['Comment lier mon compte ?', 'link-account'],
    ['Pourquoi est-ce si cher ?', 'question'],
    ["je n'ai plus la carte", 'where-code'],
    ['pourquoi désactiver la campagne ?', 'campaign'],
    ['les parents vont recevoir un mail ?', 'campaign'],
    ['est-ce que je peux encore commander ?', 'what-next'],
  ],
  nl: [
    ['bedankt', 'thanks'],
    ['Dank je wel!', 'thanks'],
    ['doei', 'goodbye'],
    ['Bedankt, tot ziens', 'goodbye'],
    ['Ik wil mijn geld terug', 'refund'],
    ['Mijn bestelling is nooit aangekomen', 'delivery'],
    ['Waar is mijn bestelling?', 'order'],
    ['Waar vind ik de code?', 'where-code'],
    ['Ik ben mijn code kwijt', 'where-code'],
    ['Hoe lang blijft de winkel open?', 'shop-open'],
    ["Wanneer krijg ik mijn foto's?", 'what-next'],
    ['Wat gebeurt er nu?', 'what-next'],
    ['Hoe kan ik mijn account koppelen?', 'link-account'],
    ['Waarom duurt dit zo lang bij jullie?', 'question'],
    ['ik ben het kaartje kwijt', 'where-code'],
    ['waarom moet de campagne uit?', 'campaign'],
    ['krijgen de ouders een mail?', 'campaign'],
    ['kan ik nog bestellen?', 'what-next'],
    ['hoe hoor ik dan wanneer het klaar is?', 'what-next'],
  ],
};

describe('intents: what a message is about besides an answer', () => {
  for (const [language, sentences] of Object.entries(SENTENCES) as [Language, (typeof SENTENCES)[Language]][]) {
    it.each(sentences)(`${language}: "%s" is %s`, (text, intent) => {
      expect(recognizeIntent(text).intent).toBe(intent);
    });
  }

  it.each([
    ['it says almost ready'],
    ['Missed the Sale? No Worries - Your Memories Are Safe!'],
    ['Ihre Fotos sind fast fertig'],
    ['yes please'],
    ['no thanks'],
    ['nee'],
    // The English "pass" is not the French "(que se) passe" of "what happens next?".
    ['No, pass it to support'],
    ['pass it on to the photographer'],
    ['KDG4 77QP'],
    // Saying the campaign is off answers a step; only asking about it is the topic.
    ['done, campaign is off'],
    ['Kampagne ist aus, erledigt'],
    ['campagne désactivée, c est fait'],
    ['campagne staat uit, klaar'],
    ['hello?'],
    ['??'],
    [''],
    ['20. Dezember'],
    ['done'],
    ["I can't order anymore, it says missed the sale"],
    ['Ich kann keine Bestellung aufgeben'],
    // The e-mail with the code is no delivery.
    ['Guten Tag, hier die Mail die ich bekommen habe'],
    ['ja graag, mail me op piet@ziggo.nl als het werkt'],
    ['the code was in the mail from school'],
    // A phrase never reaches across a clause: "pas, code" is no "pas (de) code".
    ['ça marche pas, code incorrect'],
    ['geht nicht, Code falsch'],
  ])('"%s" is none of them (an answer, a greeting, or nothing)', (text) => {
    expect(recognizeIntent(text).intent).toBeNull();
  });

  it('thanks and goodbye only as the whole message, never inside a description', () => {
    expect(recognizeIntent('thanks, but it still says almost ready').intent).toBeNull();
    expect(recognizeIntent('danke').intent).toBe('thanks');
  });

  it('a goodbye as the last clause leaves, whatever came before; a goodbye before more does not', () => {
    expect(recognizeIntent("forget it, I'll try tomorrow. bye")).toEqual({ intent: 'goodbye', languages: ['en'] });
    expect(recognizeIntent('ok danke, ich versuche es morgen nochmal. tschüss!').intent).toBe('goodbye');
    expect(recognizeIntent('bye, but it still says almost ready').intent).toBeNull();
    expect(recognizeIntent("I'll do the rest on monday. thanks").intent).toBeNull();
  });

  it('says in which language its phrases matched', () => {
    expect(recognizeIntent('ich will mein Geld zurück').languages).toEqual(['de']);
    expect(recognizeIntent('je veux être remboursé').languages).toEqual(['fr']);
    expect(recognizeIntent('waar vind ik mijn code').languages).toEqual(['nl']);
    expect(recognizeIntent('where do i find the code').languages).toEqual(['en']);
  });

  it('a phrase file that is not valid stops with one line naming the file and the field', () => {
    expect(() => parseIntentFile({ language: 'de', questionWords: [], whyWords: [], solved: [], withdraw: [], intents: {} }, 'de')).toThrow(/^intents: de\.intents\.json: intents\.thanks: /);
    expect(() => parseIntentFile({ language: 'en', questionWords: [], whyWords: [], solved: [], withdraw: [], intents: {} }, 'de')).toThrow(/intents/);
  });

  it.each(LANGUAGES)('%s: no topic phrase of several words is left with one by the stopwords, unless that word is a phrase of its own', async (language) => {
    const file = parseIntentFile(JSON.parse(await readFile(join(projectRoot(), 'locales', `${language}.intents.json`), 'utf8')), language);
    const phrases = TOPICS.flatMap((topic) => file.intents[topic]);
    const written = (phrase: string) => splitWords(foldText(phrase)).length;
    const compiled = (phrase: string) => JSON.stringify(compilePhrases([{ label: 'topic', phrases: [phrase] }]).patterns[0]?.words);
    // "news" is a topic on its own; "what do I do" had become "what", found in every question with it.
    const alone = new Set(phrases.filter((phrase) => written(phrase) === 1).map(compiled));
    const shrunk = phrases.filter((phrase) => written(phrase) > 1 && JSON.parse(compiled(phrase)).length < 2 && !alone.has(compiled(phrase)));
    expect(shrunk).toEqual([]);
  });

  it.each([
    ['ça ne marche plus'],
    ['je vais le faire tout de suite'],
    ['ja, jetzt geht es'],
    ['what is this message'],
    ['I will tell the parent'],
    ['ja hoor'],
  ])('"%s" is no topic: a word that was all that was left of a phrase', (text) => {
    expect(recognizeIntent(text).intent).not.toBe('where-code');
    expect(recognizeIntent(text).intent).not.toBe('what-next');
  });

  it('reads only the start of a pasted page, fast', () => {
    const started = performance.now();
    expect(recognizeIntent(`${'lorem ipsum '.repeat(50_000)} refund`).intent).toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

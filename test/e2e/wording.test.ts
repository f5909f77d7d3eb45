import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { ContractChat, replyLines, teamsPhotographer, teamsUser } from '../support/photographerChat.js';

/**
 * The bot's words in each language, word for word, as people read them through the real
 * bot over HTTP with the demo data: Dutch customers addressed with "u" and photographers
 * with "je", French typography (a narrow no-break space before ; ! ?, a no-break space
 * before : and inside « »), German customers with "Sie". The keys are tested elsewhere;
 * here it is the sentences.
 */

const NNBSP = '\u202f';
const NBSP = '\u00a0';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.stop();
});

const texts = (replies: readonly Partial<Activity>[]) => replies.map((reply) => reply.text);
const lines = (replies: readonly Partial<Activity>[]) => replies.map((reply) => replyLines(reply));
const customer = (locale: string) => new ContractChat(bot.url, { channelId: 'webchat', locale, role: 'customer' });

describe('Dutch: customers "u", photographers "je"', () => {
  it('a parent whose photographer has not opened the gallery yet', async () => {
    const parent = customer('nl-NL');
    expect(texts(await parent.join())).toEqual(['Hallo! Ik help u als een fotogalerij niet opengaat. Wat ziet u?']);
    expect(texts(await parent.say("er staat dat mijn foto's bijna klaar zijn"))).toEqual([
      'Die melding betekent dat de galerij nog niet open is voor uw code. Wat is de toegangscode op uw kaart of brief?',
    ]);
    expect(texts(await parent.say('kdg4 77qp'))).toEqual([
      "Bedankt! Uw code klopt en uw foto's staan klaar, maar de fotograaf heeft de galerij nog niet opengezet voor bestellingen. Aan uw kant is er dus niets mis.",
      'Zal ik de fotograaf laten weten dat u wacht?',
    ]);
    expect(texts(await parent.say('ja'))).toEqual([
      'Klaar. Ik heb uw vraag met uw code en wat u ziet doorgegeven; ons supportteam zorgt ervoor dat die bij de fotograaf terechtkomt.',
      'Heeft dit u geholpen?',
    ]);
    expect(texts(await parent.say('ja'))).toEqual(['Fijn dat ik u kon helpen! Als er nog iets is, stuur me gerust een bericht.']);
  });

  it('a parent with a code that does not exist', async () => {
    const parent = customer('nl-NL');
    expect(texts(await parent.say('ZQ7X4WRT'))).toEqual([
      'Ik kan de code ZQ7X 4WRT niet vinden. Vergelijk hem nog een keer met uw kaart. Sommige tekens lijken sterk op elkaar: Z kan ook 2 zijn. Typ hem daarna nog een keer, met of zonder spaties.',
    ]);
  });

  it('a photographer who is not linked yet is asked with "je"', async () => {
    const photographer = teamsUser(bot.url, 'not-linked-to-any-account', 'nl-NL', 'photographer');
    expect(lines(await photographer.say("de klant ziet je foto's zijn bijna klaar"))).toEqual([
      ['Ik kan de gegevens van deze job van hieruit niet zien, dus ik stel je een paar vragen. Wat is de status van de job in het platform?'],
    ]);
  });
});

describe('French: the platform\'s words and French typography', () => {
  it('a parent told how a code with look-alikes was read', async () => {
    const parent = customer('fr-FR');
    expect(texts(await parent.say('mon code est 0AK7Q2M9'))[0]).toBe(
      `Bonjour${NNBSP}! Je vous aide lorsqu'une galerie photo ne s'ouvre pas. J'ai lu ce code comme OAK7 Q2M9${NBSP}: sur les cartes, 0 et O comptent comme le même caractère, de même que 1, I et L. Merci, j'ai trouvé votre code. Que voyez-vous${NNBSP}?`,
    );
  });

  it('a parent who wants a refund is understood without being gendered', async () => {
    const parent = customer('fr-FR');
    expect(texts(await parent.say('je veux être remboursé'))[0]).toBe(
      `Bonjour${NNBSP}! Je vous aide lorsqu'une galerie photo ne s'ouvre pas. Je comprends que vous souhaitiez un remboursement. Je ne peux pas traiter les remboursements ici${NBSP}: j'aide uniquement quand une galerie ne s'ouvre pas. Si vous préférez, une personne de notre équipe d'assistance peut prendre le relais${NBSP}: choisissez simplement «${NBSP}Parler à une personne${NBSP}».`,
    );
  });

  it('a parent whose gallery is fine is asked "Cela vous a-t-il été utile ?"', async () => {
    const parent = customer('fr-FR');
    await parent.say('QF7MZ3KD');
    expect(texts(await parent.say('autre chose'))).toEqual([
      `Merci${NNBSP}! Tout semble correct pour votre code${NBSP}: la galerie est ouverte et vos photos sont là. Veuillez recharger la page et saisir à nouveau le code.`,
      `Cela vous a-t-il été utile${NNBSP}?`,
    ]);
  });

  it('a photographer reads "job photo", never "commande", for a job', async () => {
    const camille = teamsPhotographer(bot.url, 'camille');
    const plan = lines(await camille.say("le client voit vous avez manqué la vente, code d'accès JMV8RT4X"));
    expect(plan[0]).toContain(
      `Le client signale «${NBSP}Vous avez manqué la vente${NNBSP}?${NBSP}», mais d'après ces données, la boutique affiche «${NBSP}Vos photos sont presque prêtes${NBSP}» pour ce code${NBSP}: il a peut-être saisi un autre code. Demandez-lui de vérifier le code et de recharger la page.`,
    );
    expect(plan.flat().join('\n')).not.toMatch(/commande/i);
  });
});

describe('German: customers "Sie", photographers "du"', () => {
  it('a parent who asks when the photos come, at the offer to tell the photographer', async () => {
    const parent = customer('de-DE');
    await parent.say('Da steht Ihre Fotos sind fast fertig');
    expect(texts(await parent.say('KDG4 77QP'))).toEqual([
      'Danke! Ihr Code stimmt und Ihre Fotos sind da, aber Ihr Fotostudio hat die Galerie noch nicht für Bestellungen geöffnet. Bei Ihnen ist also alles in Ordnung.',
      'Soll ich Ihrem Fotostudio Bescheid geben, dass Sie warten?',
    ]);
    expect(texts(await parent.say('wann bekomme ich meine Fotos??'))).toEqual([
      'Ihr Fotostudio muss die Galerie auf seiner Seite öffnen. Sobald das geschehen ist, funktioniert Ihr Code ohne weitere Schritte, und Sie können Ihre Fotos ansehen und bestellen. Soll ich Ihrem Fotostudio Bescheid geben, dass Sie warten?',
    ]);
  });

  it('a photographer who is not linked yet is told how to link the account, with "du"', async () => {
    const photographer = teamsUser(bot.url, 'not-linked-either', 'de-DE', 'photographer');
    const answers = ['Kundin sieht Ihre Fotos sind fast fertig', 'Verkauf', 'nein', 'ja', 'nein'];
    let last: Partial<Activity>[] = [];
    for (const answer of answers) last = await photographer.say(answer);
    expect(lines(last).slice(1)).toEqual([
      ['Damit ich deine Aufträge prüfen und Fehler für dich beheben kann, bitte deinen Plattform-Admin, dein Konto bei Microsoft Teams mit deinem Fotografenkonto zu verknüpfen.'],
      ['Hat dir das geholfen?'],
    ]);
  });
});

describe('English', () => {
  it('a parent who asks when the photos come', async () => {
    const parent = customer('en-US');
    await parent.say('it says my photos are almost ready');
    await parent.say('KDG477QP');
    expect(texts(await parent.say('when will i get my photos??'))).toEqual([
      "The photographer has to open the gallery on their side. As soon as they have, your code will work as it is, and you can see and order your photos. Shall I let the photographer know you're waiting?",
    ]);
  });

  it('a parent passed to support is asked for an address the support team can use', async () => {
    const parent = customer('en-US');
    await parent.say('QF7MZ3KD');
    await parent.say('something else');
    expect(texts(await parent.say('no'))).toEqual([
      "Before I pass this on: at which e-mail address can our support team reach you? If you'd rather not give one, just write “skip”.",
    ]);
  });
});

import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, type TestBot, startTestBot } from '../support/botServer.js';
import { buttonTitles, ContractChat, dateInputOf, lastEntity, replyLines, teamsPhotographer } from '../support/photographerChat.js';

/**
 * The design's two voice examples ("Voice, with two examples"), word for word through the
 * real bot over HTTP with the demo data: the wording is tested, not only the keys. The
 * clock is Sunday 29 November 2026, 09:00 in Berlin, the day the German example is set on
 * ("31.11." is answered with "30.11. (morgen – sehr knapp)", and the next Sundays are
 * 6.12., 13.12. and 20.12.).
 *
 * Where today's bot says something else than the design, the test holds what it does say,
 * and the comment names the difference.
 */

const SUNDAY_MORNING_IN_BERLIN = new Date('2026-11-29T09:00:00+01:00');

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({}, { now: () => SUNDAY_MORNING_IN_BERLIN });
});
afterAll(async () => {
  await bot.stop();
});

const texts = (replies: readonly Partial<Activity>[]) => replies.map((reply) => reply.text);
const lines = (replies: readonly Partial<Activity>[]) => replies.map((reply) => replyLines(reply));

describe('the voice of the design, word for word', () => {
  it('a customer in the English web chat whose photographer has not opened the gallery yet (KDG477QP)', async () => {
    const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'en-US', role: 'customer' });

    const hello = await parent.join();
    expect(texts(hello)).toEqual(["Hi! I help when a photo gallery won't open. What do you see?"]);
    expect(buttonsOf(hello.at(-1))).toEqual(['“Your photos are almost ready”', '“Incorrect access code”', '“Missed the Sale?”', 'Something else']);

    const symptom = await parent.say('it just says my photos are almost ready??');
    expect(texts(symptom)).toEqual(["That message means the gallery isn't open for your code yet. What is the access code on your card or letter?"]);
    expect(lastEntity(symptom)).toMatchObject({ symptom: 'almost-ready', awaiting: 'access-code' });

    // The design says this in one message; the bot sends the explanation and the question as two.
    const diagnosis = await parent.say('kdg4 77qp');
    expect(texts(diagnosis)).toEqual([
      "Thanks! Your code is right and your photos are there, but the photographer hasn't opened the gallery for ordering yet, so there is nothing wrong on your side.",
      "Shall I let the photographer know you're waiting?",
    ]);
    expect(buttonsOf(diagnosis.at(-1))).toEqual(['Yes please', 'No thanks']);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'job-in-planning', awaiting: 'confirm' });
  });

  it('a German photographer on Teams reopens the archived job of two waiting mothers (MXR29PLT)', async () => {
    // Two mothers asked for the gallery in the German web chat and want the photographer told.
    for (const mother of ['mutter-1', 'mutter-2']) {
      const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'de-DE', userId: mother, role: 'customer' });
      const diagnosis = await parent.say('Da steht Verkauf verpasst, Code MXR2 9PLT');
      expect(texts(diagnosis)).toEqual([
        'Danke! Der Bestellzeitraum dieser Galerie ist am 12. Oktober 2026 abgelaufen, deshalb sehen Sie „Verkauf verpasst?“. Ihre Fotos sind sicher: Ihr Fotostudio kann die Galerie wieder öffnen, damit Sie doch noch bestellen können.',
        'Soll ich Ihrem Fotostudio Bescheid geben, dass Sie warten?',
      ]);
      expect(texts(await parent.say('ja'))).toEqual([
        'Erledigt. Ich habe Ihre Anfrage mit Ihrem Code und der Meldung, die Sie sehen, festgehalten. Unser Support-Team sorgt dafür, dass sie bei Ihrem Fotostudio ankommt.',
        'Hat Ihnen das geholfen?',
      ]);
    }

    const lena = teamsPhotographer(bot.url, 'lena');
    // The design's card holds four steps; the bot's plan ends with telling the customer, as the design's table does.
    const plan = await lena.say('Eine Mutter sieht „Verkauf verpasst“ – Code MXR2 9PLT');
    expect(lines(plan)).toEqual([
      [
        'Grundschule Am Park – Herbst 2026 · Code MXR2 9PLT',
        'Der Auftrag „Grundschule Am Park – Herbst 2026“ ist seit dem 12. Oktober 2026 archiviert, deshalb sehen Kunden „Verkauf verpasst?“.',
        'Wieder öffnen in 5 Schritten:',
        '1. Entferne auf der Seite „Haupteinstellungen des Fotoauftrags“ den Haken bei „Archivierung“ und setze ein neues Archivierungsdatum in der Zukunft.',
        '2. Deaktiviere auf derselben Seite die automatische Kampagne, damit keine unerwünschten Benachrichtigungen verschickt werden.',
        '3. Klicke auf „Einstellungen speichern“, bevor du die Auftragseinstellungen verlässt.',
        '4. Setze den Auftragsstatus auf „Verkauf“.',
        '5. Sag dem Kunden, dass die Galerie jetzt offen ist: Seite neu laden und den Code eingeben genügt.',
      ],
      ['Wie möchtest du das beheben?'],
    ]);
    expect(buttonTitles(plan.at(-1))).toEqual(['Schritt für Schritt', 'Mach das für mich']);

    const when = await lena.say('mach das für mich');
    expect(lines(when)).toEqual([['Bis wann soll der Shop offen sein? Empfohlen ist ein Sonntag.']]);
    expect(buttonTitles(when.at(-1))).toEqual(['So 6.12.', 'So 13.12.', 'So 20.12.', 'Dieses Datum setzen']);
    expect(dateInputOf(when.at(-1))).toBeDefined();

    const impossible = await lena.say('31.11.');
    expect(lines(impossible)).toEqual([['Den 31. November gibt es nicht. Meinst du Montag, 30.11. (morgen – sehr knapp) oder Dienstag, 1.12.?']]);
    expect(buttonTitles(impossible.at(-1))).toEqual(['Mo 30.11.', 'Di 1.12.', 'Dieses Datum setzen']);

    // The design writes the summary as one sentence ("Ich ändere: Archivierung an mit Datum So 20.12.2026; …");
    // the bot shows the same changes as the facts of a card: archiving stays on, with the new date,
    // as the platform will hold it (the tick of the manual step is the settings page's way there).
    const summary = await lena.say('20.12.');
    expect(lines(summary)).toEqual([
      [
        'Ich ändere',
        '**Grundschule Am Park – Herbst 2026**',
        'Archivierung: an, neues Archivierungsdatum Sonntag, 20. Dezember 2026',
        'Automatische Kampagne: deaktiviert',
        'Status: Archiviert → Verkauf',
      ],
      ['Einverstanden?'],
    ]);
    expect(buttonTitles(summary.at(-1))).toEqual(['Ja, ändern', 'Abbrechen']);

    const done = await lena.say('ja');
    expect(lines(done)).toEqual([
      [
        'Erledigt',
        '„Grundschule Am Park – Herbst 2026“ ist wieder im Verkauf bis zum neuen Archivierungsdatum Sonntag, 20. Dezember 2026, und die automatische Kampagne ist deaktiviert.',
        'Archivierung: an, neues Archivierungsdatum Sonntag, 20. Dezember 2026',
        'Automatische Kampagne: deaktiviert',
        'Status: Archiviert → Verkauf',
      ],
      ['Schritt 5 von 5', '▰▰▰▰▰', 'Sag dem Kunden, dass die Galerie jetzt offen ist: Seite neu laden und den Code eingeben genügt.'],
    ]);

    // The mothers' replies came back in the HTTP response (expectReplies): nothing can reach them
    // later, so Lena is still asked to tell them (notifications.test.ts has the mothers told).
    const end = await lena.say('erledigt');
    expect(lines(end)).toEqual([
      ['Alle Schritte sind erledigt.'],
      ['Ich habe auf der Plattform nachgesehen: Nichts blockiert die Galerie mehr. Der Kunde kann die Seite jetzt neu laden.'],
      ['Hat dir das geholfen?'],
    ]);
    expect(lastEntity(end)).toMatchObject({ role: 'photographer', locale: 'de-DE', scenario: 'job-archived', awaiting: 'feedback' });
  });
});

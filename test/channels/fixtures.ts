import type { DiagnosisSnapshot, Reply } from '../../src/channels/replyModel.js';

/** Replies shaped like the dialogs' (codes, names and dates made up). */

export const photographerSnapshot: DiagnosisSnapshot = {
  role: 'photographer',
  locale: 'de-DE',
  symptom: 'missed-sale',
  scenario: 'job-archived',
  secondary: [],
  step: null,
  steps: 4,
  awaiting: 'step-result',
};

export const customerSnapshot: DiagnosisSnapshot = {
  role: 'customer',
  locale: 'en-US',
  symptom: null,
  scenario: null,
  secondary: [],
  step: null,
  steps: null,
  awaiting: 'symptom',
};

export const planReply: Reply = {
  title: 'Auftrag „Grundschule Am Park – Herbst" ist archiviert',
  text: 'Seit **12.10.2026** archiviert, deshalb sieht die Kundin „Verkauf verpasst?".\nWieder öffnen in 4 Schritten:',
  steps: [
    'Archivierung abwählen und ein neues Archivierungsdatum setzen',
    'die automatische Kampagne deaktivieren',
    'Einstellungen speichern',
    'Status „Verkauf"',
  ],
  choices: [
    { id: 'walk', label: 'Schritt für Schritt' },
    { id: 'do-it', label: 'Mach das für mich' },
  ],
};

export const stepReply: Reply = {
  title: 'Schritt 2/4',
  text: 'Deaktiviere die **automatische Kampagne**, damit keine Erinnerungsmails rausgehen.',
  progress: { step: 2, steps: 4 },
  choices: [
    { id: 'done', label: 'Erledigt' },
    { id: 'failed', label: 'Hat nicht geklappt' },
    { id: 'do-it', label: 'Mach das für mich' },
  ],
};

export const archiveDateReply: Reply = {
  text: 'Bis wann soll der Shop offen sein? Empfohlen ist ein Sonntag.',
  choices: [
    { id: '2026-12-06', label: 'So 6.12.' },
    { id: '2026-12-13', label: 'So 13.12.' },
    { id: '2026-12-20', label: 'So 20.12.' },
  ],
  dateInput: { min: '2026-11-30', submitLabel: 'Datum übernehmen', requiredMessage: 'Bitte wähle ein Datum.' },
};

export const summaryReply: Reply = {
  title: 'Einverstanden?',
  text: 'Ich ändere:',
  facts: [
    { label: 'Archivierung', value: 'an, So 20.12.2026' },
    { label: 'Automatische Kampagne', value: 'aus' },
    { label: 'Status', value: 'Verkauf' },
  ],
  choices: [
    { id: 'yes', label: 'Ja, ändern' },
    { id: 'no', label: 'Abbrechen' },
  ],
};

export const symptomReply: Reply = {
  text: "Hi! I help when a photo gallery won't open. What do you see?",
  choices: [
    { id: 'almost-ready', label: 'Almost ready', picture: { symptom: 'almost-ready', caption: 'Your photos are almost ready.', alt: 'The shop page saying your photos are almost ready' } },
    { id: 'incorrect-code', label: 'Incorrect code', picture: { symptom: 'incorrect-code', caption: 'Error! You have entered an incorrect access code.', alt: 'The shop page saying the access code is incorrect' } },
    { id: 'missed-sale', label: 'Missed the sale', picture: { symptom: 'missed-sale', caption: 'Missed the Sale? No Worries - Your Memories Are Safe!', alt: 'The shop page saying the sale was missed' } },
    { id: 'other', label: 'Something else' },
  ],
};

export const plainReply: Reply = { text: 'Thanks! **Your code is right** and your photos are there.\nThe photographer has not opened the gallery yet.' };

export const allReplies: readonly Reply[] = [planReply, stepReply, archiveDateReply, summaryReply, symptomReply, plainReply];

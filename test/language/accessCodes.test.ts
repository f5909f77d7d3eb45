import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extractAccessCode,
  extractAccessCodeFromAnswer,
  findAccessCodes,
  findAccessCodesInAnswer,
  removeAccessCodes,
} from '../../src/language/accessCodes.js';
import { KNOWN_WORDS, REFERENCE_WORDS } from '../../src/language/vocabulary.js';

describe('extractAccessCode', () => {
  it.each<[string, string | null]>([
    // printed codes, in every shape people type them
    ['riv5 t4w7', 'RIV5T4W7'],
    ['MXR2-9PLT', 'MXR29PLT'],
    ['OAK7Q2M9', 'OAK7Q2M9'],
    ['kdg4 77qp', 'KDG477QP'],
    ['my code is MXR2 9PLT thanks', 'MXR29PLT'],
    ['Eine Mutter sieht „Verkauf verpasst" – Code MXR2 9PLT', 'MXR29PLT'],
    ['ich habe den code oak7q2m9 eingegeben', 'OAK7Q2M9'],
    ['code: abc123', 'ABC123'],
    ['ABCD-1234', 'ABCD1234'],
    ['tried kdg4 77qp three times', 'KDG477QP'],
    ['Room 12B, code kdg4 77qp', 'KDG477QP'],
    ['le code (RIV5T4W7) ne marche pas', 'RIV5T4W7'],
    ['A1B2C3D4E5F6', 'A1B2C3D4E5F6'],
    // ordinary words, numbers, dates, times, prices, phone numbers, short tokens
    ['kindergarten', null],
    ['password', null],
    ['photos', null],
    ['Oak Lane Kindergarten 2026', null],
    ['20.12.2026', null],
    ['2026-12-20', null],
    ['2026', null],
    ['10:30', null],
    ['12h30', null],
    ['€12.50', null],
    ['49,90 EUR', null],
    ['+49 170 1234567', null],
    ['0170-1234567', null],
    ['mp3', null],
    ['2nd', null],
    ['4you', null],
    ['mp3 4you', null],
    ['the 3rd time', null],
    ['1920x1080', null],
    ['photos2024', null],
    ['password123', null],
    ['covid19', null],
    ['summer2025', null],
    ['Klasse 4b', null],
    ['abcd efgh', null],
    ['anna.mueller2@gmail.com', null],
    ['https://shop.example.com/g/abc123def', null],
    // A shop e-mail's link with the code as a parameter: the code, not the rest of the link.
    ['hier der link aus der mail https://fotos.example/login?code=QF7MZ3KD', 'QF7MZ3KD'],
    ['https://fotos.example/login?lang=de&accessCode=mxr2-9plt#top', 'MXR29PLT'],
    ['https://fotos.example/login?session=ab12cd34ef', null],
    ['<div id="a1b2c3d4">almost ready</div>', null],
    ['', null],
  ])('%j → %s', (text, code) => {
    expect(extractAccessCode(text)).toBe(code);
  });

  it('finds any card-like 4+4 code, however it is typed', () => {
    // Card-like: each group starts with a letter, holds a digit, and has no run of three
    // letters (so it cannot hide a word such as "THE4", which the documented rule refuses).
    const group = fc
      .array(fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'), { minLength: 4, maxLength: 4 })
      .map((characters) => characters.join(''))
      .filter((text) => /^[A-Z]/.test(text) && /\d/.test(text) && !/[A-Z]{3}/.test(text));
    fc.assert(
      fc.property(group, group, fc.constantFrom('%a %b', '%a-%b', '%a%b', 'my code is %a %b!', 'Code: %a-%b, danke'), (a, b, shape) => {
        const text = shape.replace('%a', a.toLowerCase()).replace('%b', b);
        expect(extractAccessCode(text)).toBe(a + b);
      }),
    );
  });

  it('never takes numbers, dates, times, prices or phone numbers for codes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 .:,/+€$()-]{0,40}$/), (text) => {
        expect(extractAccessCode(text)).toBeNull();
      }),
    );
  });
});

describe('extractAccessCodeFromAnswer', () => {
  it.each<[string, string | null]>([
    ['abcdefgh', 'ABCDEFGH'],
    ["it's abcdefgh", 'ABCDEFGH'],
    ['my code is ABCD EFGH', 'ABCDEFGH'],
    ['Code: ABCDEFGH', 'ABCDEFGH'],
    ['mein Code ist abcd-efgh', 'ABCDEFGH'],
    ["c'est abcdefgh", 'ABCDEFGH'],
    ['mijn code is abcdefgh', 'ABCDEFGH'],
    ['abcdefgh thanks', 'ABCDEFGH'],
    ['riv5 t4w7', 'RIV5T4W7'],
    ['OAK 7Q2 M9', 'OAK7Q2M9'],
    ['kindergarten', null],
    ['password', null],
    ['no idea', null],
    ["I don't know", null],
    ['hello world', null],
    ['12345678', null],
    ['abc', null],
    ['abcdefghijklmnop', null],
    ['it says almost ready', null],
    ['', null],
    // A code as printed wins over a whole answer that would glue a word to it.
    ['ups, QF7M Z3KD', 'QF7MZ3KD'],
    ['oops QF7M Z3KD', 'QF7MZ3KD'],
    ['hab ihn: QF7M Z3KD danke', 'QF7MZ3KD'],
  ])('%j → %s', (text, code) => {
    expect(extractAccessCodeFromAnswer(text)).toBe(code);
  });
});

describe('findAccessCodes: real messages, every grouping', () => {
  it.each<[string, string[]]>([
    // English
    ['photos almost ready?? its been 3 weeks since picture day. code RJ6 TCX 9B', ['RJ6TCX9B']],
    ['code RJ-6T-CX-9B still says almost ready', ['RJ6TCX9B']],
    ['the card says rj6.tcx.9b', ['RJ6TCX9B']],
    ['my code is RJ 6T CX 9B', ['RJ6TCX9B']],
    ['it says missed the sale, code MXR29PLT', ['MXR29PLT']],
    ['it says incorrect access code (KDG4 77QP) help!!', ['KDG477QP']],
    ['Code:MXR2-9PLT', ['MXR29PLT']],
    ['code MXR2 – 9PLT', ['MXR29PLT']],
    ['I typed 0AK7Q2M9 three times', ['0AK7Q2M9']],
    ['my code is OAK7Q2M9 and also my sons code is KDG477QP', ['OAK7Q2M9', 'KDG477QP']],
    ['codes: MXR2 9PLT, KDG4 77QP and JMV8-RT4X', ['MXR29PLT', 'KDG477QP', 'JMV8RT4X']],
    ['KDG477QP and again KDG4 77QP', ['KDG477QP']],
    ['OAK7Q2M9 or maybe 0AK7Q2M9, not sure', ['OAK7Q2M9']],
    ['photos from 12 Dec 2026 KDG4 77QP', ['KDG477QP']],
    ['call me on 0170 1234567, code KDG4 77QP', ['KDG477QP']],
    ['KDG4 77QP 0170 1234567', ['KDG477QP']],
    // German
    ['Eine Mutter sieht „Verkauf verpasst“ – Code MXR2 9PLT', ['MXR29PLT']],
    ['Hallo, mein Code RJ6 TCX 9B geht nicht, es steht da die Fotos sind fast fertig', ['RJ6TCX9B']],
    ['Zugangscode: mxr2-9plt, Klasse 4b', ['MXR29PLT']],
    ['Code für Lena: KDG4 77QP, für Tim: JMV8 RT4X', ['KDG477QP', 'JMV8RT4X']],
    // French
    ['Bonjour, le code VHC7 NQ3R ne marche pas', ['VHC7NQ3R']],
    ['Vente manquée ? … code VHC7NQ3R', ['VHC7NQ3R']],
    ["j'ai saisi le code jmv8.rt4x, rien", ['JMV8RT4X']],
    // Dutch
    ['de code DRB5 HM2V werkt niet, bijna klaar staat er', ['DRB5HM2V']],
    ['toegangscode fout 😤 drb-5hm-2v', ['DRB5HM2V']],
    // invisible characters and wide characters copied out of a PDF or a phone
    ['code RJ6\u200BTCX\u200B9B', ['RJ6TCX9B']],
    ['code M\u200BX\u200BR\u200B2\u200B9\u200BP\u200BL\u200BT', ['MXR29PLT']],
    ['code MXR2\u00AD9PLT', ['MXR29PLT']],
    ['code ＭＸＲ２ ９ＰＬＴ', ['MXR29PLT']],
    ['code MXR2\u00A09PLT', ['MXR29PLT']],
    // Spelled out one character at a time, as read off the card.
    ['my code is P Z 8 V K E 2 W', ['PZ8VKE2W']],
    ['P-Z-8-V-K-E-2-W', ['PZ8VKE2W']],
    ['De code is p z 8 v k e 2 w.', ['PZ8VKE2W']],
    // …but nine single characters are no code of eight, and letters alone are none.
    ['P Z 8 V K E 2 W X', []],
    ['a b c d e f g h', []],
  ])('%j → %j', (text, codes) => {
    expect(findAccessCodes(text)).toEqual(codes);
  });

  it.each<[string]>([
    // job ids and other numbered things, in four languages
    ['job-4102 ist archiviert'],
    ['Job 4102 ist archiviert, kannst du das prüfen?'],
    ['Auftrag 4102 ist archiviert'],
    ['Auftrag Nr. 4102'],
    ['the parent is in job-4270'],
    ['order 4102 never arrived'],
    ['order #A4102 never arrived'],
    ['commande n° 4102'],
    ['la commande 4251 est en planification'],
    ['opdracht 3540 is gearchiveerd'],
    ['invoice INV-2026-0042'],
    ['ticket 48213'],
    // dates, times, phone numbers, prices
    ['its been 3 weeks since picture day on 12 Oct 2026'],
    ['Fotos vom 20.12.2026, seit 3 Wochen'],
    ['le 12/10/2026 à 10h30'],
    ['call me at +49 170 1234567 after 5pm'],
    ['Tel. 0170-1234567'],
    ['it cost €12.50 for 2 prints'],
    ['my son is in class 4B, room 12'],
    // ordinary words and names
    ['photos almost ready?? its been 3 weeks since picture day'],
    ['Oak Lane Kindergarten – Spring Portraits 2027'],
    ['Grundschule Am Park – Herbst 2026'],
    ['Collège Victor Hugo – Photos de classe 2026'],
    ["Basisschool De Regenboog – Schoolfoto's 2025"],
    ['I tried it on my iPhone 13 and on Windows 10'],
    ['my photos are almost ready but I need them by Dec 20'],
    ['Ik ben nog niet klaar om te bestellen, kan ik later terugkomen?'],
    ['send it to anna.mueller2@gmail.com please'],
  ])('%j holds no code', (text) => {
    expect(findAccessCodes(text)).toEqual([]);
  });

  it('finds a printed code however a person regroups it (4-4, 3-3-2, 2-2-2-2, 8) and whatever joins the groups', () => {
    // Card-like: no vowels (so no group is a word such as "AU"), a letter somewhere (a code
    // holds at least one, the rule), a digit in the first, middle and last four, no run of
    // three letters.
    const character = fc.constantFrom(...'BCDFGHJKMNPQRSTVWXZ23456789');
    const code = fc
      .array(character, { minLength: 8, maxLength: 8 })
      .map((characters) => characters.join(''))
      .filter((text) => /[A-Z]/.test(text) && /\d/.test(text.slice(0, 4)) && /\d/.test(text.slice(4)) && /\d/.test(text.slice(2, 6)) && !/[A-Z]{3}/.test(text));
    const groupings = [[4, 4], [3, 3, 2], [2, 2, 2, 2], [8], [2, 3, 3]] as const;
    const joiners = [' ', '-', '.', '\u200B', ' - ', '–'] as const;
    const sentences = ['%c', 'my code is %c', 'code %c thanks', 'Code: %c, danke', 'le code (%c) ne marche pas', 'de code %c werkt niet'] as const;
    fc.assert(
      fc.property(code, fc.constantFrom(...groupings), fc.constantFrom(...joiners), fc.constantFrom(...sentences), fc.boolean(), (typed, grouping, joiner, sentence, lower) => {
        const groups: string[] = [];
        let at = 0;
        for (const size of grouping) {
          groups.push(typed.slice(at, at + size));
          at += size;
        }
        // Spaces alone join groups only when a group mixes letters and digits, and a group of
        // three or more that reads as a number with a unit ("38PM", "4TH", "2X4", "6H56") or a group
        // that is a word ("NR") is none (the rule).
        if (joiner === ' ' && !groups.some((group) => /\d/.test(group) && /[A-Z]/.test(group))) return;
        if (groups.some((group) => group.length > 2 && /^\d+(?:[A-Z]+|X\d+|H\d{2})$/.test(group))) return;
        if (groups.some((group) => /^[A-Z]+$/.test(group) && (KNOWN_WORDS.has(group.toLowerCase()) || REFERENCE_WORDS.has(group.toLowerCase())))) return;
        const written = groups.join(joiner);
        const text = sentence.replace('%c', lower ? written.toLowerCase() : written);
        expect(findAccessCodes(text)).toEqual([typed]);
      }),
    );
  });

  it('finds two codes in one message, each once, in the order written', () => {
    expect(findAccessCodes('MXR2 9PLT und KDG4-77QP')).toEqual(['MXR29PLT', 'KDG477QP']);
    expect(findAccessCodes('KDG4-77QP, MXR2 9PLT')).toEqual(['KDG477QP', 'MXR29PLT']);
  });

  it('never takes a job id for a code, whatever the word and the number', () => {
    const word = fc.constantFrom('job', 'Job', 'JOB', 'Auftrag', 'commande', 'opdracht', 'order', 'Bestellung', 'ticket');
    const joiner = fc.constantFrom('-', ' ', ' #', ': ', ' Nr. ', '_');
    fc.assert(
      fc.property(word, joiner, fc.integer({ min: 10, max: 99_999_999 }), (name, join, number) => {
        expect(findAccessCodes(`${name}${join}${number} ist archiviert`)).toEqual([]);
      }),
    );
  });
});

describe('findAccessCodesInAnswer', () => {
  it.each<[string, string[]]>([
    ['RJ 6T CX 9B', ['RJ6TCX9B']],
    ['rj6 tcx 9b', ['RJ6TCX9B']],
    ['RJ6\u200BTCX9B', ['RJ6TCX9B']],
    ['OAK7Q2M9 and KDG477QP', ['OAK7Q2M9', 'KDG477QP']],
    ['mein Code ist abcd-efgh', ['ABCDEFGH']],
    ['job-4102', []],
    ['Auftrag 4102', []],
  ])('%j → %j', (text, codes) => {
    expect(findAccessCodesInAnswer(text)).toEqual(codes);
  });
});

describe('removeAccessCodes', () => {
  it('blanks the codes and keeps the words', () => {
    const text = removeAccessCodes('almost ready, code RJ6 TCX 9B, thanks');
    expect(text).not.toMatch(/RJ6|TCX|9B/);
    expect(text).toContain('almost ready');
    expect(text).toContain('thanks');
  });
});

describe('printed groups glued by dashes or dots are a code even where a group alone reads as a unit', () => {
  it.each<[string, string[]]>([
    ['mon code est GPF-3HR-8N', ['GPF3HR8N']],
    ['code gpf.3hr.8n', ['GPF3HR8N']],
  ])('%j → %j', (text, codes) => {
    expect(findAccessCodes(text)).toEqual(codes);
  });
  it('spaced, a time stays a time', () => {
    expect(findAccessCodes('come at 3pm 45 min')).toEqual([]);
  });
});

import type { ScenarioId } from '../../src/domain/scenarios.js';

/**
 * Names for the codes of `demo/platform.json` (see `demo/README.md`), so tests say what
 * they mean instead of repeating literals. One representative code per scenario id,
 * plus the secondary-fault and unknown-status cases.
 */
export const DEMO_CODES = {
  'unknown-code': 'ZQ7X4WRT',
  'code-from-deleted-job': 'GPF3HR8N',
  'job-archived': 'MXR29PLT',
  'job-in-planning': 'KDG477QP',
  'code-not-activated': 'JMV8RT4X',
  'code-without-photos': 'JMN6DY2H',
  'photos-hidden': 'RJ6TCX9B',
  'no-known-cause': 'QF7MZ3KD',
  /** A second retired code of the same deleted job. */
  'code-from-deleted-job-2': 'GPF7WQ2K',
  'job-archived+code-not-activated': 'HWT4BN7C',
  'job-archived+photos-hidden': 'DRB5HM2V',
  'job-in-planning+code-not-activated': 'VHC4LZ9T',
  'code-not-activated+code-without-photos': 'JMK3PW7Z',
  /** Some photos hidden, some visible: not a fault. */
  'partially-hidden': 'PZ8VKE2W',
  prepay: 'MRE4KT8W',
  'prepay+code-not-activated': 'MRE9VD3C',
  /** Status `paused`, which the bot does not know. */
  'unknown-status': 'RGB7KX4N',
  /** A healthy code with the look-alike O (the design's example code). */
  'look-alike-o': 'OAK7Q2M9',
  /** A healthy code with the look-alikes 0 and 1 (and some photos hidden). */
  'look-alike-0-1': 'F0XB1K7T',
  /** OAK7Q2M9 typed with a zero for the letter O: the same code (look-alikes match). */
  'look-alike-typo': '0AK7Q2M9',
  /** Not in the data, with the look-alikes S/5 and B/8 that do not match each other. */
  'unknown-look-alikes': 'HS5K B8WR',
} as const satisfies Record<ScenarioId, string> & Record<string, string>;

export type DemoCodeName = keyof typeof DEMO_CODES;

/** The Microsoft 365 Agents Playground's default Teams user (mapped to Lena Brandt). */
export const PLAYGROUND_AAD_OBJECT_ID = '00000000-0000-0000-0000-0000000000020';

export const DEMO_PHOTOGRAPHERS = {
  lena: {
    id: 'ph-brandt',
    name: 'Lena Brandt',
    locale: 'de-DE',
    timeZone: 'Europe/Berlin',
    msteams: [PLAYGROUND_AAD_OBJECT_ID, '6f2c9a41-3b7e-4d25-9c1a-8e5f0d7b2a64'],
    slack: ['U07LBR4NDT2'],
  },
  camille: {
    id: 'ph-laurent',
    name: 'Camille Laurent',
    locale: 'fr-FR',
    timeZone: 'Europe/Paris',
    msteams: ['b8d3e6f2-71a4-4c9e-a5d0-2f6b8c3e9d17'],
    slack: ['U05CLAUR3NT'],
  },
  sanne: {
    id: 'ph-devries',
    name: 'Sanne de Vries',
    locale: 'nl-NL',
    timeZone: 'Europe/Amsterdam',
    msteams: ['3e7a1c94-5d28-4b6f-8e03-c9a2d4f71b58'],
    slack: [],
  },
  megan: {
    id: 'ph-carter',
    name: 'Megan Carter',
    locale: 'en-US',
    timeZone: 'America/New_York',
    msteams: [],
    slack: ['U06MCARTER9', 'W02MC7XK4PQ'],
  },
} as const;

export type DemoPhotographerName = keyof typeof DEMO_PHOTOGRAPHERS;

export interface DemoCase {
  code: string;
  /** The code as the platform spells it (differs from `code` for a look-alike spelling), normalised. */
  stored: string;
  jobId: string | null;
  galleryId: string | null;
  photographer: DemoPhotographerName | null;
  scenario: ScenarioId;
  secondary: ScenarioId[];
  /** The status the bot does not know, when that is why it cannot diagnose. */
  unknownJobStatus: string | null;
  /** Some, not all, of the gallery's photos are hidden: no fault, but the customer may miss them. */
  someHidden: { hidden: number; total: number } | null;
}

const demoCase = (
  code: string,
  jobId: string | null,
  galleryId: string | null,
  photographer: DemoPhotographerName | null,
  scenario: ScenarioId,
  secondary: ScenarioId[] = [],
  unknownJobStatus: string | null = null,
): DemoCase => ({
  code,
  stored: STORED_SPELLING[code] ?? code.replace(/\s+/g, ''),
  jobId,
  galleryId,
  photographer,
  scenario,
  secondary,
  unknownJobStatus,
  someHidden: SOME_HIDDEN[code] ?? null,
});

/** Galleries of DEMO_CODES with some of their photos hidden. */
const SOME_HIDDEN: Readonly<Record<string, { hidden: number; total: number }>> = {
  [DEMO_CODES['partially-hidden']]: { hidden: 2, total: 4 },
  [DEMO_CODES['look-alike-0-1']]: { hidden: 1, total: 2 },
};

/** Codes of DEMO_CODES spelled with other look-alikes than in the data. */
const STORED_SPELLING: Readonly<Record<string, string>> = { [DEMO_CODES['look-alike-typo']]: DEMO_CODES['look-alike-o'] };

/** What the data says about every DEMO_CODES entry. */
export const DEMO_CASES: Readonly<Record<DemoCodeName, DemoCase>> = {
  'unknown-code': demoCase(DEMO_CODES['unknown-code'], null, null, null, 'unknown-code'),
  'code-from-deleted-job': demoCase(DEMO_CODES['code-from-deleted-job'], 'job-3877', 'g-3877-1', 'lena', 'code-from-deleted-job'),
  'job-archived': demoCase(DEMO_CODES['job-archived'], 'job-4102', 'g-4102-1', 'lena', 'job-archived'),
  'job-in-planning': demoCase(DEMO_CODES['job-in-planning'], 'job-4270', 'g-4270-1', 'megan', 'job-in-planning'),
  'code-not-activated': demoCase(DEMO_CODES['code-not-activated'], 'job-4230', 'g-4230-1', 'camille', 'code-not-activated'),
  'code-without-photos': demoCase(DEMO_CODES['code-without-photos'], 'job-4230', 'g-4230-3', 'camille', 'code-without-photos'),
  'photos-hidden': demoCase(DEMO_CODES['photos-hidden'], 'job-4215', 'g-4215-3', 'lena', 'photos-hidden'),
  'no-known-cause': demoCase(DEMO_CODES['no-known-cause'], 'job-4215', 'g-4215-1', 'lena', 'no-known-cause'),
  'code-from-deleted-job-2': demoCase(DEMO_CODES['code-from-deleted-job-2'], 'job-3877', 'g-3877-2', 'lena', 'code-from-deleted-job'),
  'job-archived+code-not-activated': demoCase(DEMO_CODES['job-archived+code-not-activated'], 'job-4102', 'g-4102-2', 'lena', 'job-archived', [
    'code-not-activated',
  ]),
  'job-archived+photos-hidden': demoCase(DEMO_CODES['job-archived+photos-hidden'], 'job-3540', 'g-3540-1', 'sanne', 'job-archived', [
    'photos-hidden',
  ]),
  'job-in-planning+code-not-activated': demoCase(DEMO_CODES['job-in-planning+code-not-activated'], 'job-4251', 'g-4251-1', 'camille', 'job-in-planning', [
    'code-not-activated',
  ]),
  'code-not-activated+code-without-photos': demoCase(
    DEMO_CODES['code-not-activated+code-without-photos'],
    'job-4230',
    'g-4230-2',
    'camille',
    'code-not-activated',
    ['code-without-photos'],
  ),
  'partially-hidden': demoCase(DEMO_CODES['partially-hidden'], 'job-4215', 'g-4215-2', 'lena', 'no-known-cause'),
  prepay: demoCase(DEMO_CODES.prepay, 'job-4244', 'g-4244-1', 'megan', 'no-known-cause', [], 'prepay'),
  'prepay+code-not-activated': demoCase(DEMO_CODES['prepay+code-not-activated'], 'job-4244', 'g-4244-2', 'megan', 'no-known-cause', ['code-not-activated'], 'prepay'),
  'unknown-status': demoCase(DEMO_CODES['unknown-status'], 'job-4188', 'g-4188-1', 'sanne', 'no-known-cause', [], 'paused'),
  'look-alike-o': demoCase(DEMO_CODES['look-alike-o'], 'job-4263', 'g-4263-1', 'megan', 'no-known-cause'),
  'look-alike-0-1': demoCase(DEMO_CODES['look-alike-0-1'], 'job-4263', 'g-4263-2', 'megan', 'no-known-cause'),
  'look-alike-typo': demoCase(DEMO_CODES['look-alike-typo'], 'job-4263', 'g-4263-1', 'megan', 'no-known-cause'),
  'unknown-look-alikes': demoCase(DEMO_CODES['unknown-look-alikes'], null, null, null, 'unknown-code'),
};

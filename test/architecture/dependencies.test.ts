import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

/**
 * The design's dependency rules (.dependency-cruiser.cjs) hold for src/ and dialogs/, and
 * they bite: a fixture tree under ./fixtures breaks each of them once.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/architecture/fixtures');

const RULES = [
  'domain-imports-only-domain',
  'dialogs-no-server-or-storage-packages',
  'dialogs-no-storage',
  'dialogs-only-platform-port',
  'dialogs-only-reply-model',
  'dialogs-read-text-with-their-recognizer',
  'renderers-no-dialogs',
  'nothing-imports-composition-root',
  'no-circular',
] as const;

async function cruiseTree(baseDir: string, paths: string[]): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
  const { output } = await cruise(paths, { ...options, baseDir }, {}, { tsConfig: extractTSConfig(join(root, 'tsconfig.json')) });
  if (typeof output === 'string') throw new Error(`dependency-cruiser answered with text: ${output.slice(0, 200)}`);
  return output;
}

/** "rule: from → to", packages by name only (their resolved file says nothing more). */
function readable(violation: IViolation): string {
  const to = violation.to.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, '$1');
  const cycle = violation.cycle ? ` (cycle: ${violation.cycle.map((step) => step.name).join(' → ')})` : '';
  return `${violation.rule.name}: ${violation.from} → ${to}${cycle}`;
}

describe('the dependency rules', () => {
  it('name every rule of the design', async () => {
    const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
    expect((options.ruleSet?.forbidden ?? []).map((rule) => rule.name).sort()).toEqual([...RULES].sort());
  });

  it('hold for src/ and dialogs/', { timeout: 60_000 }, async () => {
    const result = await cruiseTree(root, ['src', 'dialogs']);
    // The whole project was read, packages included (as the ends of imports, never followed).
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    expect(result.modules.some((module) => module.source === 'dialogs/mainDialog.ts')).toBe(true);
    expect(result.modules.some((module) => module.source.startsWith('node_modules/botbuilder/'))).toBe(true);
    expect(result.summary.violations.map(readable)).toEqual([]);
  });

  it('bite on code that breaks them', { timeout: 60_000 }, async () => {
    const result = await cruiseTree(fixtures, ['src', 'dialogs']);
    // A cycle is reported once, at the module where the cruise met it first.
    const found = result.summary.violations.map(readable).map((line) => line.replace(/ \(cycle: .*\)$/, ''));
    expect(found.sort()).toEqual(
      [
        'domain-imports-only-domain: src/domain/leaky.ts → botbuilder',
        'domain-imports-only-domain: src/domain/leaky.ts → fs',
        'dialogs-no-server-or-storage-packages: dialogs/leakyDialog.ts → restify',
        'dialogs-no-storage: dialogs/leakyDialog.ts → src/storage/store.ts',
        'dialogs-only-platform-port: dialogs/leakyDialog.ts → src/platform/embeddedPlatform.ts',
        'dialogs-only-reply-model: dialogs/leakyDialog.ts → src/channels/teamsRenderer.ts',
        'dialogs-read-text-with-their-recognizer: dialogs/leakyDialog.ts → src/language/answers.ts',
        'renderers-no-dialogs: src/channels/teamsRenderer.ts → dialogs/greeting.ts',
        'nothing-imports-composition-root: dialogs/leakyDialog.ts → src/main.ts',
        'no-circular: src/cycle/first.ts → src/cycle/second.ts',
      ].sort(),
    );
    // Every rule is among the ones that bit.
    expect(new Set(result.summary.violations.map((violation) => violation.rule.name))).toEqual(new Set(RULES));
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The bot loads botbuilder-dialogs part by part (src/bot/dialogKit.ts): a value imported from
 * the package's index would load every prompt and the recognizers-text packages at each start
 * again. Likewise botbuilder: its index loads the legacy BotFrameworkAdapter, Teams, skills
 * and file transcript modules the bot never uses, so values come from botbuilder-core (which
 * the index re-exports) and CloudAdapter and EventFactory from their own modules. Type-only
 * imports are erased and may name the indexes.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const VALUE_IMPORT_OF_INDEX = /^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]botbuilder-dialogs['"]/m;
const VALUE_IMPORT_OF_BOTBUILDER = /^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]botbuilder['"]/m;

describe("botbuilder-dialogs' index", () => {
  const files = [...sources(join(root, 'src')), ...sources(join(root, 'dialogs'))];

  it('is imported for values by no module of the bot', () => {
    const offending = files.filter((file) => VALUE_IMPORT_OF_INDEX.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(offending).toEqual([]);
  });

  it('the check sees a value import when there is one', () => {
    expect("import { WaterfallDialog } from 'botbuilder-dialogs';".match(VALUE_IMPORT_OF_INDEX)).not.toBeNull();
    expect("import type { DialogState } from 'botbuilder-dialogs';".match(VALUE_IMPORT_OF_INDEX)).toBeNull();
  });
});

describe("botbuilder's index", () => {
  const files = [...sources(join(root, 'src')), ...sources(join(root, 'dialogs'))];

  it('is imported for values by no module of the bot', () => {
    const offending = files.filter((file) => VALUE_IMPORT_OF_BOTBUILDER.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(offending).toEqual([]);
  });

  it('the check sees a value import when there is one, over several lines too', () => {
    expect("import { CloudAdapter } from 'botbuilder';".match(VALUE_IMPORT_OF_BOTBUILDER)).not.toBeNull();
    expect("import {\n  ActivityTypes,\n  type TurnContext,\n} from 'botbuilder';".match(VALUE_IMPORT_OF_BOTBUILDER)).not.toBeNull();
    expect("import type { Activity } from 'botbuilder';".match(VALUE_IMPORT_OF_BOTBUILDER)).toBeNull();
    expect("import { ActivityTypes } from 'botbuilder-core';".match(VALUE_IMPORT_OF_BOTBUILDER)).toBeNull();
  });
});

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

/** A value import (or re-export) from the package's index itself, not from one of its modules. */
function valueImportOf(packageName: string): RegExp {
  return new RegExp(String.raw`^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]${packageName}['"]`, 'm');
}

const INDEXES = [
  {
    packageName: 'botbuilder-dialogs',
    caught: ["import { WaterfallDialog } from 'botbuilder-dialogs';"],
    allowed: ["import type { DialogState } from 'botbuilder-dialogs';", "import { Dialog } from 'botbuilder-dialogs/lib/dialog.js';"],
  },
  {
    packageName: 'botbuilder',
    caught: ["import { CloudAdapter } from 'botbuilder';", "import {\n  ActivityTypes,\n  type TurnContext,\n} from 'botbuilder';"],
    allowed: ["import type { Activity } from 'botbuilder';", "import { ActivityTypes } from 'botbuilder-core';"],
  },
];

describe.each(INDEXES)("$packageName's index", ({ packageName, caught, allowed }) => {
  const files = [...sources(join(root, 'src')), ...sources(join(root, 'dialogs'))];
  const valueImport = valueImportOf(packageName);

  it('is imported for values by no module of the bot', () => {
    const offending = files.filter((file) => valueImport.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(offending).toEqual([]);
  });

  it('the check sees a value import when there is one, over several lines too, and nothing else', () => {
    for (const source of caught) expect(source.match(valueImport), source).not.toBeNull();
    for (const source of allowed) expect(source.match(valueImport), source).toBeNull();
  });
});

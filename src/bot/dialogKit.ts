/**
 * The parts of botbuilder-dialogs the bot is built of, imported from their own modules.
 * The package's index also loads every prompt and Microsoft's recognizers-text packages
 * (numbers, dates, choices in many languages), which this bot never uses: it reads text
 * with its own Recognizer. Loading only these parts takes a quarter of a second and about
 * 200 modules off every start. The classes are the same ones the index exports. Waterfalls
 * are the bot's own (./waterfall.ts).
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog.js';
export { Dialog, type DialogInstance, type DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog.js';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext.js';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';
export type { DialogStateManagerConfiguration } from 'botbuilder-dialogs/lib/memory/dialogStateManager.js';

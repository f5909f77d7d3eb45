import { describe, expect, it } from 'vitest';
import type { Turn } from '../../src/bot/turn.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { lastDiagnosis, textOf, useHarnesses } from '../support/dialogHarness.js';

/** The turn pipeline's hooks: where handoff routing and transcript logging plug in. */
describe('turn hooks', () => {
  const { harness } = useHarnesses();

  it('afterTurn sees every turn with its case and replies, in order, after the dialogs', async () => {
    const seen: { text: string; awaiting: string | null; replies: number }[] = [];
    const h = await harness({
      hooks: [{ afterTurn: async (_context, turn: Turn) => void seen.push({ text: turn.input.text, awaiting: turn.case.awaiting, replies: turn.replies.length }) }],
    });
    await h.send('it says missed the sale');
    await h.send(DEMO_CODES['job-archived']);
    expect(seen.map((entry) => entry.text)).toEqual(['it says missed the sale', DEMO_CODES['job-archived']]);
    expect(seen.map((entry) => entry.awaiting)).toEqual(['access-code', 'confirm']);
    expect(seen.every((entry) => entry.replies > 0)).toBe(true);
  });

  it('beforeDialogs that handles the turn keeps the dialogs out of it; its reply is delivered with the diagnosis entity', async () => {
    let relaying = false;
    const h = await harness({
      hooks: [
        {
          beforeDialogs: async (_context, turn: Turn) => {
            if (!relaying) return false;
            turn.say({ text: 'relayed to the agent' });
            return true;
          },
        },
      ],
    });
    await h.send('it says missed the sale');
    relaying = true;
    const relayed = await h.send(DEMO_CODES['job-archived'], { checkConsistency: false });
    expect(relayed.map((reply) => textOf(reply))).toEqual(['relayed to the agent']);
    expect(lastDiagnosis(relayed)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code', scenario: null });
    relaying = false;
    // The dialog did not see the relayed message: it still waits for the code.
    const replies = await h.send(DEMO_CODES['job-archived']);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });
});

/** What works at any point of a conversation: "help", "restart", asking for a person. */
import { compilePhrases, cover, MAX_GAP, readMessage, wholeMessage } from './phraseMatching.js';
import { PHRASE_FILES } from './vocabulary.js';

export type Command = 'help' | 'restart' | 'agent';

const COMMANDS = ['help', 'restart', 'agent'] as const;
const COMMAND_WHOLE = compilePhrases(
  PHRASE_FILES.flatMap((file) => COMMANDS.map((command) => ({ label: command, phrases: file.commands[command].whole }))),
);
const COMMAND_IN_SENTENCE = compilePhrases(
  PHRASE_FILES.flatMap((file) => COMMANDS.map((command) => ({ label: command, phrases: file.commands[command].inSentence }))),
);

/**
 * "help", "restart" or "agent" when the message is that command (politeness aside), in any
 * of the four languages. Asking for a person counts anywhere in a sentence ("can I please
 * talk to a real person"); help and restart only when the message is nothing else ("help!
 * it says almost ready" describes a symptom).
 */
export function recognizeCommand(text: string): Command | null {
  const message = readMessage(text);
  const inSentence = cover(message, COMMAND_IN_SENTENCE, MAX_GAP).labels;
  if (inSentence.has('agent')) return 'agent';
  if (inSentence.size === 1) return [...inSentence][0] ?? null;
  return wholeMessage(message, COMMAND_WHOLE);
}

import type { Activity } from 'botbuilder';

/**
 * The conversations of the bot's own Direct Line and every activity in them: what the
 * customer sent and what the bot said, in order, numbered. The number is the Direct Line
 * watermark; the log outlives a restart of the bot, so a reloaded page shows its history
 * and goes on.
 *
 * Two kinds: in the bot's SQLite file (sqliteConversationLog.ts, one instance), and in the
 * Azure Blob container several instances share (blobConversationLog.ts), where a
 * conversation started on one instance goes on at any other. The SQLite log answers reads
 * and removals at once (so erasure and retention can use it inside one transaction) and
 * commits appends with the database's other writes of the moment; the blob log answers over
 * the network: callers await every answer.
 */

type Awaitable<T> = T | Promise<T>;

export interface DirectLineConversation {
  id: string;
  /** The user the conversation's tokens are bound to. */
  userId: string;
  /** The page's language when the conversation began (the greeting's language). */
  locale: string | null;
  /** Set once POST /conversations has started it (the bot has been told the user joined). */
  started: boolean;
}

/** What a client receives: activities after a watermark, and the new watermark. */
export interface ActivitySet {
  activities: Partial<Activity>[];
  watermark: string;
}

/** An activity as stored: with its id, its timestamp and its number in the conversation. */
export interface NumberedActivity {
  entry: Partial<Activity>;
  seq: number;
}

/** A user's activity whose turn never ended, and the conversation it belongs to. */
export interface UnhandledActivity extends NumberedActivity {
  conversationId: string;
}

/** What a removal deleted. */
export interface RemovedConversations {
  conversations: number;
  activities: number;
}

export interface ConversationLog {
  create(id: string, userId: string, locale: string | null): Awaitable<DirectLineConversation>;
  get(id: string): Awaitable<DirectLineConversation | null>;
  /** Marks the conversation started; true only for the call (on any instance) that started it. */
  start(id: string): Awaitable<boolean>;
  /**
   * Appends activities in order: gives each its id (`activityId`), its number and a
   * timestamp later than every earlier one (Web Chat orders by timestamp), and tells the
   * conversation's followers. A user's activity stays unhandled until `markHandled`.
   */
  appendAll(conversationId: string, activities: readonly Partial<Activity>[]): Awaitable<NumberedActivity[]>;
  /**
   * Tells this instance's followers without storing: typing indicators matter while the
   * bot works, not in a history replayed after a reload.
   */
  broadcast(conversationId: string, activity: Partial<Activity>): void;
  /** Everything after `watermark` (all of it for null), and the watermark to ask with next. */
  after(conversationId: string, watermark: number | null): Awaitable<ActivitySet>;
  /**
   * Sends what came after `watermark`, then everything appended from now on (on any
   * instance), in order, each activity once, until the returned function is called.
   */
  follow(conversationId: string, watermark: number | null, listener: (set: ActivitySet) => void): () => void;
  /** The turn of the user's activity number `seq` ran to its end: it is never run again. */
  markHandled(conversationId: string, seq: number): Awaitable<void>;
  /**
   * What users sent whose turn never ended (the process died during it), oldest first per
   * conversation, each given to one caller only: run again, so nothing a customer wrote
   * goes unanswered.
   */
  claimUnhandled(): Awaitable<UnhandledActivity[]>;
  /** The conversations whose tokens are bound to this user. */
  conversationsOf(userId: string): Awaitable<string[]>;
  /** Deletes conversations with every activity in them; how many of each. */
  remove(ids: readonly string[]): Awaitable<RemovedConversations>;
  /** Deletes conversations nothing was appended to since `before`. */
  removeIdle(before: Date): Awaitable<RemovedConversations>;
}

/** Activity ids as Azure's Direct Line writes them: the conversation id and a padded number. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/**
 * A stored activity: the one given with the log's id and timestamp, as JSON (serialised
 * once: a turn's replies are written on every turn) and as that JSON reads back.
 */
export function numbered(conversationId: string, activity: Partial<Activity>, seq: number, time: number): { json: string; entry: Partial<Activity> } {
  const json = JSON.stringify({ ...activity, id: activityId(conversationId, seq), timestamp: new Date(time) });
  return { json, entry: JSON.parse(json) as Partial<Activity> };
}

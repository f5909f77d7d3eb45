import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { Activity } from 'botbuilder';
import type { Logger } from '../logger.js';
import { digest } from '../storage/blobDigests.js';
import { isWriteConflict, readJson, updateJson, writeJson } from '../storage/blobJson.js';
import { InProcessLock } from '../storage/conversationLock.js';
import {
  type ActivitySet,
  type ConversationLog,
  type DirectLineConversation,
  numbered,
  type NumberedActivity,
  type RemovedConversations,
  type UnhandledActivity,
} from './conversationLog.js';

/**
 * The Direct Line conversation log (conversationLog.ts) in the Azure Blob container every
 * instance shares, so that behind a load balancer without sticky sessions a conversation
 * started on one instance is posted to, read and streamed on any other:
 *
 * - `directline/conversations/<id>/conversation`: who the conversation is for, and whether
 *   it was started (set with If-Match: of two instances, one greets).
 * - `directline/conversations/<id>/activities/<seq, 10 digits>`: one blob per activity,
 *   created with If-None-Match: *. The number is taken by creating its blob: of two
 *   instances appending at once, one creates it and the other is refused (409), reads the
 *   new end and takes the next number. Numbers are never shared, never skipped, and a
 *   blob exists only once everything before it does, so the listing (in name order, which
 *   the padding makes number order) is the conversation in order. An append blob would
 *   keep order too, but numbers the reader cannot tell: a block of several activities
 *   written at once would have no watermark between them.
 * - `directline/users/<digest of user id>/<id>`: the user's conversations, for erasure.
 * - `directline/unhandled/<id>/<seq>`: a user's activity whose turn has not ended, with how
 *   long the instance running it holds it. Deleted when the turn ends; one left behind by
 *   an instance that died is claimed with If-Match by exactly one other (or its restart)
 *   once the hold is over, and run again (the bot ignores an activity whose turn did end).
 *
 * Activities never change once written, so each instance keeps those it has read or
 * written in memory; a listing says what exists.
 *
 * A stream opened on this instance follows its conversation by listing the activities
 * every `pollMs` while it is open (and at once after an append here): one list request
 * per followed conversation and interval, none for conversations without an open stream.
 * Typing indicators are not stored, so they reach the streams of the instance that runs
 * the turn only.
 */

const ROOT = 'directline/';
const CONVERSATIONS = `${ROOT}conversations/`;
const USERS = `${ROOT}users/`;
const UNHANDLED = `${ROOT}unhandled/`;
const SEQ_DIGITS = 10;
/** Conversation ids are the server's (24 characters); anything far longer is no conversation. */
const MAX_ID_LENGTH = 256;
/** Far more than the activities of the conversations one instance serves at a time. */
const CACHED_ACTIVITIES = 10_000;
const CACHED_ENDS = 10_000;
/** Every append that meets another instance's takes the next number; this many in a row is a fault. */
const APPEND_TRIES = 100;

/** How often an open stream looks for what other instances appended. */
export const FOLLOW_POLL_MS = 500;
/**
 * How long the instance that runs a user's turn holds it: past this, another instance may
 * run it again. Longer than a turn takes, waits for another instance's turn included.
 */
export const TURN_HOLD_MS = 60_000;

interface ConversationDocument {
  id: string;
  userId: string;
  locale: string | null;
  started: boolean;
  createdAt: string;
}

interface Hold {
  heldUntil: string;
}

/** Where a conversation ends: its last number and that activity's time (0, 0: empty). */
interface End {
  seq: number;
  time: number;
}

interface Follower {
  /** The last number sent to this follower; null until the first listing (the watermark is checked against it). */
  sent: number | null;
  watermark: number;
  listener: (set: ActivitySet) => void;
}

interface Followed {
  followers: Set<Follower>;
  timer: NodeJS.Timeout;
  reading: boolean;
  /** Something was appended while a listing ran: list again after it. */
  again: boolean;
}

export interface BlobConversationLogOptions {
  logger: Logger;
  pollMs?: number;
  holdMs?: number;
  now?: () => number;
}

const pad = (seq: number): string => String(seq).padStart(SEQ_DIGITS, '0');

/** Keeps `key` as the newest entry of a bounded map. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as K);
}

export class BlobConversationLog implements ConversationLog {
  /** Activity blob name → the activity. */
  private readonly activities = new Map<string, Partial<Activity>>();
  /** Conversation id → where it ended when this instance last looked. */
  private readonly ends = new Map<string, End>();
  private readonly followed = new Map<string, Followed>();
  /** Appends of one conversation on this instance, one after another: they would only take each other's numbers. */
  private readonly appending = new InProcessLock();
  private readonly pollMs: number;
  private readonly holdMs: number;
  private readonly now: () => number;

  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobConversationLogOptions,
  ) {
    this.pollMs = options.pollMs ?? FOLLOW_POLL_MS;
    this.holdMs = options.holdMs ?? TURN_HOLD_MS;
    this.now = options.now ?? (() => Date.now());
  }

  private blob(name: string): BlockBlobClient {
    return this.container.getBlockBlobClient(name);
  }

  private folder(id: string): string {
    return `${CONVERSATIONS}${encodeURIComponent(id)}/`;
  }

  private conversationBlob(id: string): BlockBlobClient {
    return this.blob(`${this.folder(id)}conversation`);
  }

  private activityName(id: string, seq: number): string {
    return `${this.folder(id)}activities/${pad(seq)}`;
  }

  private userBlob(userId: string, id: string): BlockBlobClient {
    return this.blob(`${USERS}${digest(userId)}/${encodeURIComponent(id)}`);
  }

  private unhandledBlob(id: string, seq: number): BlockBlobClient {
    return this.blob(`${UNHANDLED}${encodeURIComponent(id)}/${pad(seq)}`);
  }

  private hold(): Hold {
    return { heldUntil: new Date(this.now() + this.holdMs).toISOString() };
  }

  async create(id: string, userId: string, locale: string | null): Promise<DirectLineConversation> {
    // The user's index first: a conversation is never kept where an erasure would not find it.
    await writeJson(this.userBlob(userId, id), {});
    const document: ConversationDocument = { id, userId, locale, started: false, createdAt: new Date(this.now()).toISOString() };
    await writeJson(this.conversationBlob(id), document, { ifNoneMatch: '*' });
    return { id, userId, locale, started: false };
  }

  async get(id: string): Promise<DirectLineConversation | null> {
    if (id.length === 0 || id.length > MAX_ID_LENGTH) return null;
    const found = await readJson<ConversationDocument>(this.conversationBlob(id));
    if (found === null) return null;
    const { userId, locale, started } = found.value;
    return { id, userId, locale, started };
  }

  async start(id: string): Promise<boolean> {
    const started = await updateJson<ConversationDocument>(this.conversationBlob(id), (current) => (current === null || current.started ? null : { ...current, started: true }));
    return started !== null;
  }

  /** The numbers and blob names of a conversation's activities, in order. */
  private async listed(id: string): Promise<{ seq: number; name: string }[]> {
    const prefix = `${this.folder(id)}activities/`;
    const found: { seq: number; name: string }[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix })) found.push({ seq: Number(item.name.slice(prefix.length)), name: item.name });
    return found;
  }

  /** A stored activity, from memory or the container; null when it was deleted. */
  private async activity(name: string): Promise<Partial<Activity> | null> {
    const known = this.activities.get(name);
    if (known !== undefined) return known;
    const found = await readJson<Partial<Activity>>(this.blob(name));
    if (found !== null) remember(this.activities, name, found.value, CACHED_ACTIVITIES);
    return found?.value ?? null;
  }

  private async activitiesOf(listed: readonly { name: string }[]): Promise<Partial<Activity>[]> {
    const found = await Promise.all(listed.map(({ name }) => this.activity(name)));
    return found.filter((entry): entry is Partial<Activity> => entry !== null);
  }

  /** Where the conversation ends now, as the container says. */
  private async readEnd(id: string): Promise<End> {
    const last = (await this.listed(id)).at(-1);
    if (last === undefined) return { seq: 0, time: 0 };
    const timestamp = (await this.activity(last.name))?.timestamp;
    return { seq: last.seq, time: timestamp === undefined ? 0 : new Date(timestamp).getTime() };
  }

  async appendAll(conversationId: string, activities: readonly Partial<Activity>[]): Promise<NumberedActivity[]> {
    if (activities.length === 0) return [];
    return this.appending.run(conversationId, () => this.append(conversationId, activities));
  }

  private async append(conversationId: string, activities: readonly Partial<Activity>[]): Promise<NumberedActivity[]> {
    let end = this.ends.get(conversationId) ?? (await this.readEnd(conversationId));
    const stored: NumberedActivity[] = [];
    try {
      for (const activity of activities) {
        for (let attempt = 1; ; attempt++) {
          const seq = end.seq + 1;
          const time = Math.max(this.now(), end.time + 1);
          const { entry } = numbered(conversationId, activity, seq, time);
          const name = this.activityName(conversationId, seq);
          try {
            await writeJson(this.blob(name), entry, { ifNoneMatch: '*' });
          } catch (error) {
            if (!isWriteConflict(error) || attempt >= APPEND_TRIES) throw error;
            // Another instance took the number: after what is there now.
            end = await this.readEnd(conversationId);
            continue;
          }
          remember(this.activities, name, entry, CACHED_ACTIVITIES);
          end = { seq, time };
          // This instance runs the user's turn now; the hold says so to the others.
          if (entry.from?.role === 'user') await writeJson(this.unhandledBlob(conversationId, seq), this.hold());
          stored.push({ entry, seq });
          break;
        }
      }
    } finally {
      remember(this.ends, conversationId, end, CACHED_ENDS);
      if (stored.length > 0) this.read(conversationId);
    }
    return stored;
  }

  broadcast(conversationId: string, activity: Partial<Activity>): void {
    const followed = this.followed.get(conversationId);
    if (followed === undefined) return;
    const time = Math.max(this.now(), (this.ends.get(conversationId)?.time ?? 0) + 1);
    const entry = JSON.parse(JSON.stringify({ ...activity, timestamp: new Date(time) })) as Partial<Activity>;
    for (const follower of followed.followers) {
      if (follower.sent !== null) follower.listener({ activities: [entry], watermark: String(follower.sent) });
    }
  }

  async after(conversationId: string, watermark: number | null): Promise<ActivitySet> {
    const listed = await this.listed(conversationId);
    const lastSeq = listed.at(-1)?.seq ?? 0;
    const from = watermark === null ? 0 : Math.min(watermark, lastSeq);
    return { activities: await this.activitiesOf(listed.filter(({ seq }) => seq > from)), watermark: String(lastSeq) };
  }

  follow(conversationId: string, watermark: number | null, listener: (set: ActivitySet) => void): () => void {
    const follower: Follower = { sent: null, watermark: watermark ?? 0, listener };
    let followed = this.followed.get(conversationId);
    if (followed === undefined) {
      const timer = setInterval(() => this.read(conversationId), this.pollMs);
      timer.unref();
      followed = { followers: new Set(), timer, reading: false, again: false };
      this.followed.set(conversationId, followed);
    }
    followed.followers.add(follower);
    this.read(conversationId);
    return () => {
      const current = this.followed.get(conversationId);
      if (current === undefined) return;
      current.followers.delete(follower);
      if (current.followers.size === 0) {
        clearInterval(current.timer);
        this.followed.delete(conversationId);
      }
    };
  }

  /** Lists a followed conversation and sends each follower what it has not had, in order; one listing at a time. */
  private read(conversationId: string): void {
    const followed = this.followed.get(conversationId);
    if (followed === undefined) return;
    if (followed.reading) {
      followed.again = true;
      return;
    }
    followed.reading = true;
    followed.again = false;
    this.deliver(conversationId, followed)
      .catch((error: unknown) => this.options.logger.warn('direct line stream could not read the conversation', { error }))
      .finally(() => {
        followed.reading = false;
        if (followed.again) this.read(conversationId);
      });
  }

  private async deliver(conversationId: string, followed: Followed): Promise<void> {
    const listed = await this.listed(conversationId);
    const lastSeq = listed.at(-1)?.seq ?? 0;
    // A watermark past the end (a conversation's history shortened) counts from the end, as `after` does.
    for (const follower of followed.followers) follower.sent ??= Math.min(follower.watermark, lastSeq);
    const from = Math.min(...[...followed.followers].map((follower) => follower.sent ?? lastSeq));
    const fresh = listed.filter(({ seq }) => seq > from);
    if (fresh.length === 0) return;
    const entries = await Promise.all(fresh.map(async ({ seq, name }) => ({ seq, entry: await this.activity(name) })));
    for (const follower of followed.followers) {
      const unsent = entries.filter(({ seq, entry }) => seq > (follower.sent ?? lastSeq) && entry !== null);
      if (unsent.length === 0) continue;
      follower.sent = unsent.at(-1)!.seq;
      follower.listener({ activities: unsent.map(({ entry }) => entry!), watermark: String(follower.sent) });
    }
  }

  async markHandled(conversationId: string, seq: number): Promise<void> {
    await this.unhandledBlob(conversationId, seq).deleteIfExists();
  }

  async claimUnhandled(): Promise<UnhandledActivity[]> {
    const claimed: UnhandledActivity[] = [];
    // In name order: by conversation, then by number.
    for await (const item of this.container.listBlobsFlat({ prefix: UNHANDLED })) {
      const [conversation, number] = item.name.slice(UNHANDLED.length).split('/');
      if (conversation === undefined || number === undefined) continue;
      const conversationId = decodeURIComponent(conversation);
      const seq = Number(number);
      const marker = this.blob(item.name);
      const held = await readJson<Hold>(marker);
      if (held === null || new Date(held.value.heldUntil).getTime() > this.now()) continue;
      try {
        await writeJson(marker, this.hold(), { ifMatch: held.eTag });
      } catch (error) {
        // Another instance claimed it first: it runs the turn.
        if (isWriteConflict(error)) continue;
        throw error;
      }
      const entry = await this.activity(this.activityName(conversationId, seq));
      if (entry === null) await marker.deleteIfExists();
      else claimed.push({ conversationId, seq, entry });
    }
    return claimed;
  }

  async conversationsOf(userId: string): Promise<string[]> {
    const prefix = `${USERS}${digest(userId)}/`;
    const ids: string[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix })) ids.push(decodeURIComponent(item.name.slice(prefix.length)));
    return ids;
  }

  private async deleteAll(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const item of this.container.listBlobsFlat({ prefix })) {
      if ((await this.blob(item.name).deleteIfExists()).succeeded) deleted += 1;
    }
    return deleted;
  }

  async remove(ids: readonly string[]): Promise<RemovedConversations> {
    const removed: RemovedConversations = { conversations: 0, activities: 0 };
    for (const id of ids) {
      const conversation = await this.get(id);
      removed.activities += await this.deleteAll(`${this.folder(id)}activities/`);
      await this.deleteAll(`${UNHANDLED}${encodeURIComponent(id)}/`);
      if ((await this.conversationBlob(id).deleteIfExists()).succeeded) removed.conversations += 1;
      if (conversation !== null) await this.userBlob(conversation.userId, id).deleteIfExists();
      this.ends.delete(id);
    }
    return removed;
  }

  /** When any blob under `prefix` was last written (0: none). */
  private async lastWritten(prefix: string): Promise<Map<string, number>> {
    const written = new Map<string, number>();
    for await (const item of this.container.listBlobsFlat({ prefix })) {
      const id = decodeURIComponent(item.name.slice(CONVERSATIONS.length).split('/')[0] ?? '');
      written.set(id, Math.max(written.get(id) ?? 0, item.properties.lastModified.getTime()));
    }
    return written;
  }

  /**
   * Idle: none of the conversation's blobs written since `before` (its last activity, or its
   * start). One listing of every conversation's blobs, for the hourly sweep, not for turns;
   * each idle conversation is listed again just before it goes, so one a parent came back
   * to while the sweep ran stays.
   */
  async removeIdle(before: Date): Promise<RemovedConversations> {
    const removed: RemovedConversations = { conversations: 0, activities: 0 };
    for (const [id, written] of await this.lastWritten(CONVERSATIONS)) {
      if (written >= before.getTime()) continue;
      if (((await this.lastWritten(this.folder(id))).get(id) ?? 0) >= before.getTime()) continue;
      const { conversations, activities } = await this.remove([id]);
      removed.conversations += conversations;
      removed.activities += activities;
    }
    return removed;
  }
}

import { randomUUID } from 'node:crypto';
import type { BlobItem, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { conversationDigest, digest } from '../storage/blobDigests.js';
import { readJson, updateJson, type WriteCondition, writeJson } from '../storage/blobJson.js';
import { downloadText, isBlobStatus } from '../storage/blobStateStorage.js';
import type { CaseKind, CaseOutbox, CaseRecord, NewCase, OpenCaseMatter, TranscriptLine } from './caseRecord.js';
import type { ClaimedCase, ClaimedLine, DeliveryState, OutboxEntry, OutboxListing, OutboxPage, RetryOutcome, TicketQueue } from './sqliteCaseOutbox.js';
import { InvalidCursorError, outboxState } from './sqliteCaseOutbox.js';

export const CASES = 'cases/';
export const OPEN_CASES = 'open-cases/';
/** Conditional writes that met another writer are tried again from fresh data this often. */
const UPDATE_TRIES = 20;

/** One case blob: the record and where its delivery stands. */
interface CaseDocument {
  record: CaseRecord;
  person: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  lastError: string | null;
  ticketReference: string | null;
  /** The lines written after the ticket; absent until the ticket is created (and on cases of older releases). */
  lines?: LineDelivery;
}

/** How far the lines written after the ticket got, and the next one's delivery. */
interface LineDelivery {
  /** How many lines of the transcript the helpdesk has: those that went into the ticket, then each one added. */
  sent: number;
  attempts: number;
  nextAttemptAt: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  failedAt: string | null;
  lastError: string | null;
}

/** When the case's next line may be sent ('0': now), or null when no line waits. */
function linesDueAt(document: CaseDocument): string | null {
  const lines = document.lines;
  if (document.deliveredAt === null || lines === undefined || lines.failedAt !== null || document.record.transcript.length <= lines.sent) return null;
  return [lines.nextAttemptAt ?? '', lines.claimedUntil ?? ''].sort().at(-1) || '0';
}

/**
 * What a listing needs without reading every case: kept as the blob's metadata, written in
 * the same request as the case itself, so it never disagrees with it. Values are ASCII
 * (digests and ISO times): metadata cannot hold anything else.
 */
interface CaseIndex {
  id: string;
  createdAt: string;
  kind: string;
  job: string;
  open: boolean;
  deliveredAt: string | null;
  failedAt: string | null;
  dueAt: string;
  /** When a line written after the ticket may be sent; '' when none waits. */
  linesDueAt: string;
  person: string;
  conversation: string;
  email: string;
}

function matterKey(person: string, matter: OpenCaseMatter): string {
  return digest(JSON.stringify([person, matter.kind, matter.symptom ?? '', matter.accessCode ?? '']));
}

function metadataOf(document: CaseDocument): Record<string, string> {
  const due = [document.nextAttemptAt ?? '', document.claimedUntil ?? ''].sort().at(-1) ?? '';
  return {
    createdat: document.record.createdAt,
    kind: document.record.kind,
    job: document.record.jobId === null ? '' : digest(document.record.jobId),
    delivered: document.deliveredAt ?? '',
    failed: document.failedAt ?? '',
    due,
    linesdue: linesDueAt(document) ?? '',
    // What an erasure looks cases up by, as digests: metadata is readable without the case.
    person: document.person === null ? '' : digest(document.person),
    conversation: conversationDigest(document.record.channel, document.record.conversationId),
    email: typeof document.record.email === 'string' ? digest(document.record.email.toLowerCase()) : '',
  };
}

function indexOf(item: BlobItem): CaseIndex | null {
  const meta = item.metadata ?? {};
  if (meta.createdat === undefined) return null;
  const deliveredAt = meta.delivered || null;
  const failedAt = meta.failed || null;
  return {
    id: decodeURIComponent(item.name.slice(CASES.length)),
    createdAt: meta.createdat,
    kind: meta.kind ?? '',
    job: meta.job ?? '',
    open: deliveredAt === null && failedAt === null,
    deliveredAt,
    failedAt,
    dueAt: meta.due ?? '',
    linesDueAt: meta.linesdue ?? '',
    person: meta.person ?? '',
    conversation: meta.conversation ?? '',
    email: meta.email ?? '',
  };
}

function deliveryOf(document: CaseDocument): DeliveryState {
  return {
    attempts: document.attempts,
    nextAttemptAt: document.nextAttemptAt,
    deliveredAt: document.deliveredAt,
    failedAt: document.failedAt,
    lastError: document.lastError,
    ticketReference: document.ticketReference,
  };
}

/** The case could not be recorded: the person has an open case of this matter (recorded by another turn a moment ago). */
export class OpenCaseExistsError extends Error {
  override readonly name = 'OpenCaseExistsError';
}

/**
 * The case outbox in Azure Blob Storage, shared by every instance: one JSON blob per case
 * (`cases/<id>`) with its delivery, and one small blob per person's open matter
 * (`open-cases/<digest>`, created with If-None-Match: *) so that two turns on two instances
 * never open two cases of one matter. Every change reads the case and writes it back with
 * If-Match, again from fresh data when another instance changed it in between: a claim is
 * such a change, so exactly one ticket worker of all instances holds a case at a time.
 *
 * Listings (due cases, pending cases, the admin's pages) read the container's list with
 * the metadata of each case, not every case: a few thousand cases are a few list pages.
 */
export class BlobCaseOutbox implements CaseOutbox, TicketQueue, OutboxListing {
  private readonly now: () => Date;

  constructor(
    private readonly container: ContainerClient,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private blob(id: string) {
    return this.container.getBlockBlobClient(`${CASES}${encodeURIComponent(id)}`);
  }

  private async read(id: string): Promise<{ document: CaseDocument; eTag: string } | null> {
    const found = await readJson<CaseDocument>(this.blob(id));
    return found === null ? null : { document: found.value, eTag: found.eTag };
  }

  private async write(document: CaseDocument, conditions: WriteCondition): Promise<void> {
    await writeJson(this.blob(document.record.id), document, conditions, metadataOf(document));
  }

  /**
   * Reads the case, lets `change` change it (or return false to leave it), and writes it
   * back unless another instance wrote it first, then tries again from what it wrote.
   * Resolves to the changed document, null when `change` declined or the case is missing.
   */
  private async update(id: string, change: (document: CaseDocument) => boolean): Promise<CaseDocument | null> {
    return updateJson<CaseDocument>(this.blob(id), (document) => (document !== null && change(document) ? document : null), metadataOf);
  }

  private async mustUpdate(id: string, change: (document: CaseDocument) => void): Promise<void> {
    const changed = await this.update(id, (document) => {
      change(document);
      return true;
    });
    if (changed === null) throw new Error(`case outbox: no case with the id "${id}"`);
  }

  private async index(): Promise<CaseIndex[]> {
    const entries: CaseIndex[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix: CASES, includeMetadata: true })) {
      const entry = indexOf(item);
      if (entry !== null) entries.push(entry);
    }
    return entries.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? -1 : 1));
  }

  async record(newCase: NewCase, person?: string): Promise<CaseRecord> {
    const record: CaseRecord = { ...structuredClone(newCase), id: `case-${randomUUID()}`, createdAt: this.now().toISOString() };
    const document: CaseDocument = {
      record,
      person: person ?? null,
      attempts: 0,
      nextAttemptAt: null,
      claimedBy: null,
      claimedUntil: null,
      deliveredAt: null,
      failedAt: null,
      lastError: null,
      ticketReference: null,
    };
    if (person !== undefined) await this.takeMatter(matterKey(person, record), record.id);
    await this.write(document, { ifNoneMatch: '*' });
    return structuredClone(record);
  }

  /** Makes `id` the open case of this matter, unless another open case holds it. */
  private async takeMatter(key: string, id: string): Promise<void> {
    const marker = this.container.getBlockBlobClient(`${OPEN_CASES}${key}`);
    for (let attempt = 1; attempt <= UPDATE_TRIES; attempt++) {
      try {
        await marker.upload(id, Buffer.byteLength(id), { conditions: { ifNoneMatch: '*' } });
        return;
      } catch (error) {
        if (!isBlobStatus(error, 409, 412)) throw error;
      }
      const held = await this.openCaseOf(marker);
      if (held !== null) throw new OpenCaseExistsError('case outbox: the person has an open case of this matter');
      // The marker names a case that is closed or was never written (a crash between the two writes): it is free.
      await marker.deleteIfExists().catch((error: unknown) => {
        if (!isBlobStatus(error, 404, 409, 412)) throw error;
      });
    }
    throw new OpenCaseExistsError('case outbox: the open case of this matter kept changing');
  }

  private async openCaseOf(marker: BlockBlobClient): Promise<CaseDocument | null> {
    const held = await downloadText(marker);
    if (held === null) return null;
    const found = await this.read(held.text);
    if (found === null || found.document.deliveredAt !== null || found.document.failedAt !== null) return null;
    return found.document;
  }

  /** The case is no longer open: its matter may get a new case. */
  private async releaseMatter(document: CaseDocument): Promise<void> {
    if (document.person === null) return;
    const marker = this.container.getBlockBlobClient(`${OPEN_CASES}${matterKey(document.person, document.record)}`);
    const held = await downloadText(marker);
    // Only this case's own marker (that version of it); a later case of the matter keeps its own.
    if (held?.text === document.record.id) {
      await marker.deleteIfExists({ conditions: { ifMatch: held.eTag } }).catch((error: unknown) => {
        if (!isBlobStatus(error, 404, 409, 412)) throw error;
      });
    }
  }

  /** Whether this open-matter marker names a case still open: the retention sweep keeps it then. */
  async holdsOpenCase(markerName: string): Promise<boolean> {
    return (await this.openCaseOf(this.container.getBlockBlobClient(markerName))) !== null;
  }

  async openCase(person: string, matter: OpenCaseMatter): Promise<CaseRecord | null> {
    const open = await this.openCaseOf(this.container.getBlockBlobClient(`${OPEN_CASES}${matterKey(person, matter)}`));
    return open === null ? null : open.record;
  }

  async pending(limit?: number): Promise<CaseRecord[]> {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new RangeError(`case outbox: limit must be a whole number of at least 0, not ${limit}`);
    }
    const waiting = (await this.index()).filter((entry) => entry.deliveredAt === null).slice(0, limit ?? Infinity);
    const records = await Promise.all(waiting.map(async (entry) => (await this.read(entry.id))?.document.record));
    return records.filter((record): record is CaseRecord => record !== undefined);
  }

  async markDelivered(id: string): Promise<void> {
    const at = this.now().toISOString();
    let document: CaseDocument | null = null;
    await this.mustUpdate(id, (found) => {
      found.deliveredAt ??= at;
      document = found;
    });
    if (document !== null) await this.releaseMatter(document);
  }

  async countPending(filter: { kind: CaseKind; jobId: string }): Promise<number> {
    const job = digest(filter.jobId);
    return (await this.index()).filter((entry) => entry.deliveredAt === null && entry.kind === filter.kind && entry.job === job).length;
  }

  async append(id: string, line: TranscriptLine): Promise<void> {
    await this.mustUpdate(id, (document) => {
      document.record.transcript.push(line);
    });
  }

  async addStepsTried(id: string, steps: readonly string[]): Promise<void> {
    if (steps.length === 0) return;
    await this.mustUpdate(id, (document) => {
      for (const step of steps) if (!document.record.stepsTried.includes(step)) document.record.stepsTried.push(step);
    });
  }

  async ticketReference(id: string): Promise<string | null> {
    return (await this.read(id))?.document.ticketReference ?? null;
  }

  async deliveryState(id: string): Promise<DeliveryState | null> {
    const found = await this.read(id);
    return found === null ? null : deliveryOf(found.document);
  }

  async claimDue(owner: string, leaseMs: number): Promise<ClaimedCase | null> {
    const now = this.now();
    const at = now.toISOString();
    for (const entry of await this.index()) {
      if (!entry.open || (entry.dueAt !== '' && entry.dueAt > at)) continue;
      let attempts = 0;
      // Checked again on the case as read: the listing may be a moment old.
      const claimed = await this.update(entry.id, (document) => {
        const due = document.deliveredAt === null && document.failedAt === null && (document.nextAttemptAt ?? '') <= at && (document.claimedUntil ?? '') <= at;
        if (!due) return false;
        document.claimedBy = owner;
        document.claimedUntil = new Date(now.getTime() + leaseMs).toISOString();
        attempts = document.attempts;
        return true;
      }).catch((error: unknown) => {
        // Another worker kept winning this case: it is theirs.
        if (isBlobStatus(error, 409, 412)) return null;
        throw error;
      });
      if (claimed !== null) return { record: claimed.record, attempts, owner };
    }
    return null;
  }

  /** Changes a case this worker holds; false when the claim is no longer its own. */
  private async asHolder(claimed: ClaimedCase, change: (document: CaseDocument) => void): Promise<CaseDocument | null> {
    return this.update(claimed.record.id, (document) => {
      if (document.claimedBy !== claimed.owner || document.deliveredAt !== null) return false;
      change(document);
      document.claimedBy = null;
      document.claimedUntil = null;
      return true;
    });
  }

  async markTicketCreated(claimed: ClaimedCase, ticketReference: string | null): Promise<boolean> {
    const at = this.now().toISOString();
    const document = await this.asHolder(claimed, (found) => {
      found.deliveredAt = at;
      found.ticketReference = ticketReference;
      found.lastError = null;
      // The ticket holds the transcript as it was claimed: the lines after it are added to the ticket one by one.
      found.lines = { sent: claimed.record.transcript.length, attempts: 0, nextAttemptAt: null, claimedBy: null, claimedUntil: null, failedAt: null, lastError: null };
    });
    if (document !== null) await this.releaseMatter(document);
    return document !== null;
  }

  async markRetry(claimed: ClaimedCase, nextAttemptAt: Date, error: string): Promise<boolean> {
    return (
      (await this.asHolder(claimed, (found) => {
        found.attempts += 1;
        found.nextAttemptAt = nextAttemptAt.toISOString();
        found.lastError = error;
      })) !== null
    );
  }

  async markFailed(claimed: ClaimedCase, error: string): Promise<boolean> {
    const at = this.now().toISOString();
    const document = await this.asHolder(claimed, (found) => {
      found.attempts += 1;
      found.failedAt = at;
      found.lastError = error;
    });
    if (document !== null) await this.releaseMatter(document);
    return document !== null;
  }

  async claimDueLine(owner: string, leaseMs: number): Promise<ClaimedLine | null> {
    const now = this.now();
    const at = now.toISOString();
    const waiting = (await this.index()).filter((entry) => entry.linesDueAt !== '' && entry.linesDueAt <= at);
    for (const entry of waiting.sort((a, b) => ((a.deliveredAt ?? '') < (b.deliveredAt ?? '') ? -1 : 1))) {
      // Checked again on the case as read: the listing may be a moment old.
      const claimed = await this.update(entry.id, (document) => {
        const due = linesDueAt(document);
        if (due === null || due > at || document.lines === undefined) return false;
        document.lines.claimedBy = owner;
        document.lines.claimedUntil = new Date(now.getTime() + leaseMs).toISOString();
        return true;
      }).catch((error: unknown) => {
        // Another worker kept winning this case: its lines are theirs.
        if (isBlobStatus(error, 409, 412)) return null;
        throw error;
      });
      const lines = claimed?.lines;
      if (claimed === null || lines === undefined) continue;
      const { record } = claimed;
      return { caseId: record.id, conversationId: record.conversationId, role: record.role, index: lines.sent, line: record.transcript[lines.sent]!, ticketReference: claimed.ticketReference, attempts: lines.attempts, owner };
    }
    return null;
  }

  /** Changes the line delivery of a case whose next line this worker holds; false when the claim is no longer its own. */
  private async asLineHolder(claimed: ClaimedLine, change: (lines: LineDelivery) => void): Promise<boolean> {
    const changed = await this.update(claimed.caseId, (document) => {
      const lines = document.lines;
      if (lines === undefined || lines.claimedBy !== claimed.owner || lines.sent !== claimed.index) return false;
      change(lines);
      lines.claimedBy = null;
      lines.claimedUntil = null;
      return true;
    });
    return changed !== null;
  }

  markLineSent(claimed: ClaimedLine): Promise<boolean> {
    return this.asLineHolder(claimed, (lines) => {
      lines.sent += 1;
      lines.attempts = 0;
      lines.nextAttemptAt = null;
      lines.lastError = null;
    });
  }

  markLineRetry(claimed: ClaimedLine, nextAttemptAt: Date, error: string): Promise<boolean> {
    return this.asLineHolder(claimed, (lines) => {
      lines.attempts += 1;
      lines.nextAttemptAt = nextAttemptAt.toISOString();
      lines.lastError = error;
    });
  }

  markLineFailed(claimed: ClaimedLine, error: string): Promise<boolean> {
    const at = this.now().toISOString();
    return this.asLineHolder(claimed, (lines) => {
      lines.attempts += 1;
      lines.failedAt = at;
      lines.lastError = error;
    });
  }

  async retry(id: string): Promise<RetryOutcome> {
    const found = await this.read(id);
    if (found === null) return 'unknown';
    const { document } = found;
    if (document.deliveredAt !== null && document.lines?.failedAt == null) return 'delivered';
    // A refused case is open again: it takes its matter back, unless the person opened a newer case of it.
    if (document.deliveredAt === null && document.failedAt !== null && document.person !== null) {
      try {
        await this.takeMatter(matterKey(document.person, document.record), id);
      } catch (error) {
        if (error instanceof OpenCaseExistsError) return 'matter-open';
        throw error;
      }
    }
    const changed = await this.update(id, (current) => {
      if (current.deliveredAt === null) {
        current.failedAt = null;
        current.nextAttemptAt = null;
        return true;
      }
      if (current.lines === undefined || current.lines.failedAt === null) return false;
      current.lines.failedAt = null;
      current.lines.nextAttemptAt = null;
      return true;
    });
    return changed === null ? 'delivered' : 'retried';
  }

  private entryOf(document: CaseDocument): OutboxEntry {
    return { record: document.record, state: outboxState(document, this.now()), deliveredAt: document.deliveredAt, delivery: deliveryOf(document) };
  }

  async entry(id: string): Promise<OutboxEntry | null> {
    const found = await this.read(id);
    return found === null ? null : this.entryOf(found.document);
  }

  /** The ids of the cases of these conversations of a channel, and of the person's own cases (by person key). */
  async idsOf(channel: string, conversationIds: Iterable<string>, person?: string): Promise<string[]> {
    const conversations = new Set([...conversationIds].map((id) => conversationDigest(channel, id)));
    const own = person === undefined ? null : digest(person);
    return (await this.index()).filter((entry) => conversations.has(entry.conversation) || (own !== null && entry.person === own)).map((entry) => entry.id);
  }

  /** The cases that give this e-mail address (any case), with where they came from. */
  async withEmailAddress(email: string): Promise<{ id: string; channel: string; conversationId: string; person: string | null }[]> {
    const wanted = digest(email.toLowerCase());
    const found = await Promise.all(
      (await this.index()).filter((entry) => entry.email === wanted).map(async (entry) => (await this.read(entry.id))?.document ?? null),
    );
    return found
      .filter((document): document is CaseDocument => document !== null)
      .map((document) => ({ id: document.record.id, channel: document.record.channel, conversationId: document.record.conversationId, person: document.person }));
  }

  /** Deletes these cases (and their open-matter markers); how many there were. */
  async remove(ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      const found = await this.read(id);
      if (found === null) continue;
      await this.releaseMatter(found.document);
      if ((await this.blob(id).deleteIfExists()).succeeded) removed += 1;
    }
    return removed;
  }

  /** Every case, newest first, `limit` per page; the cursor is the last case's time and id. */
  async list({ limit, after }: { limit: number; after?: string | undefined }): Promise<OutboxPage> {
    let from: [string, string] | null = null;
    if (after !== undefined) {
      try {
        const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
        if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') from = [value[0], value[1]];
      } catch {
        from = null;
      }
      if (from === null) throw new InvalidCursorError('case outbox: not a page cursor of this outbox');
    }
    const newestFirst = (await this.index()).reverse();
    const start = from === null ? 0 : newestFirst.findIndex((entry) => entry.createdAt < from[0] || (entry.createdAt === from[0] && entry.id < from[1]));
    const rows = start < 0 ? [] : newestFirst.slice(start, start + limit + 1);
    const page = rows.slice(0, limit);
    const documents = await Promise.all(page.map(async (entry) => (await this.read(entry.id))?.document ?? null));
    const entries = documents.filter((document): document is CaseDocument => document !== null).map((document) => this.entryOf(document));
    const last = page.at(-1);
    return { entries, next: rows.length > limit && last !== undefined ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null };
  }
}

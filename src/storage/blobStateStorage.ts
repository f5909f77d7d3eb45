import { BlobServiceClient, type BlockBlobClient, type ContainerClient, RestError, type StoragePipelineOptions } from '@azure/storage-blob';
import type { Storage, StoreItems } from 'botbuilder';
import { channelUserDigest, conversationDigest, digest } from './blobDigests.js';
import { parseConversationStateKey } from './sqliteStorage.js';

/** Bot state blobs live under this prefix; the container also holds conversation locks and other shared records. */
export const STATE_PREFIX = 'state/';
/** A digest-named state blob carries its key in this property, so an erasure can still tell whose it is. */
const STATE_KEY_PROPERTY = '~stateKey';
/** Azure allows blob names up to 1024 characters. */
const MAX_BLOB_NAME = 1024;
/** eTags remembered from reads; far more than the conversations one instance has in flight. */
const REMEMBERED_ETAGS = 10_000;

/**
 * Requests fail within seconds rather than the SDK's default minutes of retries, so a turn
 * that cannot be saved is told so while the person still waits for an answer.
 */
export const BLOB_PIPELINE_OPTIONS: StoragePipelineOptions = {
  retryOptions: { maxTries: 3, tryTimeoutInMs: 10_000, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 },
};

/** The container named by the connection string and container name; throws on a connection string the SDK cannot read. */
export function openContainer(connectionString: string, containerName: string): ContainerClient {
  return BlobServiceClient.fromConnectionString(connectionString, BLOB_PIPELINE_OPTIONS).getContainerClient(containerName);
}

export function isBlobStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof RestError && error.statusCode !== undefined && statuses.includes(error.statusCode);
}

/**
 * A blob's text and the eTag of that very version (from the same response, so a write in
 * between cannot pair new eTag with old content); null when there is no such blob.
 */
export async function downloadText(blob: BlockBlobClient): Promise<{ text: string; eTag: string } | null> {
  try {
    const response = await blob.download();
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return { text: Buffer.concat(chunks).toString('utf8'), eTag: response.etag ?? '' };
  } catch (error) {
    // A missing container is a broken deployment, not a missing record.
    if (isBlobStatus(error, 404) && (error as RestError).code !== 'ContainerNotFound') return null;
    throw error;
  }
}

/** The blob of a state key: the key URI-encoded (so `/` does not make folders), or its digest when that is too long. */
function stateBlob(key: string): { name: string; digestNamed: boolean } {
  const encoded = `${STATE_PREFIX}${encodeURIComponent(key)}`;
  return encoded.length <= MAX_BLOB_NAME ? { name: encoded, digestNamed: false } : { name: `${STATE_PREFIX}~${digest(key)}`, digestNamed: true };
}

export function stateBlobName(key: string): string {
  return stateBlob(key).name;
}

/**
 * The index of a digest-named state blob, in its metadata: the digests of the person and of
 * the conversation its key names, which is what an erasure looks for. Keys of another form
 * have none.
 */
function stateIndexOf(key: string): Record<string, string> {
  const parts = parseConversationStateKey(key);
  if (parts === null) return {};
  return { user: channelUserDigest(parts.channelId, parts.userId), conversation: conversationDigest(parts.channelId, parts.conversationId) };
}

/**
 * The state keys of the digest-named blobs whose index matches, each read from its blob
 * (names that are digests cannot be listed by a person's prefix).
 */
export async function digestNamedStateKeys(container: ContainerClient, matches: (index: Record<string, string>) => boolean): Promise<string[]> {
  const names: string[] = [];
  for await (const item of container.listBlobsFlat({ prefix: `${STATE_PREFIX}~`, includeMetadata: true })) {
    if (matches(item.metadata ?? {})) names.push(item.name);
  }
  const keys = await Promise.all(
    names.map(async (name) => {
      const found = await downloadText(container.getBlockBlobClient(name));
      const key: unknown = found === null ? undefined : (JSON.parse(found.text) as Record<string, unknown>)[STATE_KEY_PROPERTY];
      return typeof key === 'string' ? key : null;
    }),
  );
  return keys.filter((key): key is string => key !== null);
}

/**
 * Bot state in Azure Blob Storage, one JSON blob per state key, for several instances
 * sharing one container.
 *
 * botbuilder's `BotState.saveChanges` writes with eTag `*`, which would let a turn on one
 * instance silently overwrite what a turn on another saved since it read. Here a write
 * with eTag `*` is instead made conditional on what this instance last read of that key:
 * `If-Match` its eTag, or `If-None-Match: *` when there was nothing. A write that meets
 * a newer blob fails as an eTag conflict ("Storage: error writing … due to eTag
 * conflict."), so an update is refused rather than lost. Turns of a conversation are
 * serialised across instances by a lease (`BlobLeaseLock`), so a conflict here means
 * that lease was lost (an instance stalled for longer than it lasts); an explicit eTag
 * other than `*` is honoured as given. A write of a key never read is unconditional,
 * as botbuilder expects.
 *
 * Bodies are sent as UTF-8 bytes with their byte length (transcripts hold ü, é, ß). A key
 * too long for a blob name is kept under its digest, with the key inside the blob and the
 * digests of its person and conversation in the blob's metadata, so that an erasure finds it.
 */
export class BlobStateStorage implements Storage {
  /** State key → eTag this instance last read or wrote (null: it did not exist). */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly container: ContainerClient,
    private readonly health: BlobContainerHealth = new BlobContainerHealth(container),
  ) {}

  private remember(key: string, eTag: string | null): void {
    this.known.delete(key);
    this.known.set(key, eTag);
    if (this.known.size > REMEMBERED_ETAGS) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    await this.health.ensureCreated();
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const found = await this.download(key);
        this.remember(key, found?.eTag ?? null);
        if (found !== null) items[key] = { ...found.document, eTag: found.eTag };
      }),
    );
    return items;
  }

  private async download(key: string): Promise<{ document: object; eTag: string } | null> {
    const found = await downloadText(this.container.getBlockBlobClient(stateBlobName(key)));
    if (found === null) return null;
    const { [STATE_KEY_PROPERTY]: stored, ...document } = JSON.parse(found.text) as Record<string, unknown>;
    void stored;
    return { document, eTag: found.eTag };
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await this.health.ensureCreated();
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...document } = item as { eTag?: unknown };
        const { name, digestNamed } = stateBlob(key);
        const body = Buffer.from(JSON.stringify(digestNamed ? { ...document, [STATE_KEY_PROPERTY]: key } : document), 'utf8');
        const known = this.known.get(key);
        const conditions =
          typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? { ifMatch: eTag } : known === undefined ? {} : known === null ? { ifNoneMatch: '*' } : { ifMatch: known };
        try {
          const response = await this.container.getBlockBlobClient(name).upload(body, body.length, {
            conditions,
            ...(digestNamed ? { metadata: stateIndexOf(key) } : {}),
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          this.remember(key, response.etag ?? null);
        } catch (error) {
          if (isBlobStatus(error, 409, 412)) {
            this.known.delete(key);
            throw new Error(`Storage: error writing "${key}" due to eTag conflict.`, { cause: error });
          }
          throw error;
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        await this.container.getBlockBlobClient(stateBlobName(key)).deleteIfExists();
        this.remember(key, null);
      }),
    );
  }
}

/** Whether the container can be used right now; creates it on first use (and again if it was deleted). */
export class BlobContainerHealth {
  private created = false;

  constructor(
    private readonly container: ContainerClient,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Creates the container unless this instance has seen it already. */
  async ensureCreated(): Promise<void> {
    if (!this.created) await this.probe();
  }

  async probe(): Promise<void> {
    const abortSignal = AbortSignal.timeout(this.timeoutMs);
    if (!this.created) {
      await this.container.createIfNotExists({ abortSignal });
      this.created = true;
      return;
    }
    try {
      await this.container.getProperties({ abortSignal });
    } catch (error) {
      if (isBlobStatus(error, 404)) this.created = false;
      throw error;
    }
  }
}

/**
 * The storage seam: every byte the executor persists (stage outputs, shuffle files, checkpoints)
 * goes through a {@link BlobStore}. The interface is deliberately narrow — whole-blob put/get by
 * key, prefix listing, delete, gc — so that an S3-compatible backend (objects for chunks, one
 * object per manifest, `ListObjectsV2` for `list`) fits it without touching `src/exec`.
 */

/** Bytes to store: a whole buffer or a stream of buffers of any sizes. */
export type BlobData = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** One content-addressed chunk of a blob. */
export interface ChunkRef {
  /** xxhash64 of the chunk bytes, 16 lowercase hex digits. */
  hash: string;
  size: number;
}

/** What a committed blob is made of. */
export interface BlobManifest {
  format: 'sluice-blob/1';
  key: string;
  size: number;
  chunks: ChunkRef[];
  /**
   * A small blob's bytes, base64, kept in the manifest instead of a chunk object (object stores
   * only: one request per write and per read instead of two). `chunks` still holds its one
   * chunk's hash and size, which every read verifies.
   */
  inline?: string;
}

/** What `gc` removed. */
export interface GcReport {
  chunksRemoved: number;
  bytesRemoved: number;
  tempFilesRemoved: number;
  chunksKept: number;
}

export interface GcOptions {
  /**
   * Only unreferenced chunks and temp files older than this are removed, so a `put` that is still
   * writing its chunks (its manifest not yet committed) is not robbed by a concurrent `gc`.
   * Default 10 minutes; pass 0 when no writer can be running.
   */
  graceMs?: number;
}

export interface BlobStore {
  /**
   * Where another thread or process opens this same store (`openBlobStore(uri)`): a directory or
   * an `s3://` prefix. Undefined for a store that lives in this process only (in memory).
   */
  readonly uri?: string;
  /** Bytes per chunk when blobs are cut for storage (another opener of `uri` should use the same). */
  readonly chunkSize: number;
  /**
   * Stores `data` under `key`, replacing any previous blob. Atomic: until the returned promise
   * resolves, readers see the old blob (or none); a crash part way leaves no visible change.
   */
  put(key: string, data: BlobData): Promise<BlobManifest>;
  /** Streams the blob's bytes, verifying every chunk's hash before yielding it. */
  get(key: string): AsyncIterable<Uint8Array>;
  /** The whole blob as one buffer, verified. */
  getBytes(key: string): Promise<Uint8Array>;
  /** The blob's manifest, or undefined if no blob is committed under `key`. */
  stat(key: string): Promise<BlobManifest | undefined>;
  has(key: string): Promise<boolean>;
  /** Keys of committed blobs starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes the blob (its chunks stay until `gc`, since other blobs may share them). Idempotent. */
  delete(key: string): Promise<void>;
  /** Removes chunks no manifest references and stale temp files. */
  gc(options?: GcOptions): Promise<GcReport>;
}

/** A chunk's bytes do not match the hash or size its manifest records. */
export class BlobCorruptError extends Error {
  constructor(readonly key: string, readonly chunkIndex: number, readonly chunk: ChunkRef, detail: string) {
    super(`blob "${key}": chunk ${chunkIndex} (${chunk.hash}, ${chunk.size} bytes) is corrupt: ${detail}`);
    this.name = 'BlobCorruptError';
  }
}

/** No blob is committed under the key. */
export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob "${key}" not found`);
    this.name = 'BlobNotFoundError';
  }
}

const SEGMENT = /^[A-Za-z0-9_=+@,.-]+$/;

/**
 * Keys are `/`-separated paths of portable segments (no `.`/`..`, no empty segment), so they map
 * one-to-one onto file paths and object-store keys.
 */
export function checkKey(key: string): string {
  const segments = key.split('/');
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === '.' || s === '..') {
      throw new Error(`invalid blob key "${key}": segments must match ${SEGMENT} and not be "." or ".."`);
    }
  }
  return key;
}

/**
 * The blob's bytes, or undefined when none is committed under `key`: one lookup instead of `has`
 * then `getBytes` (on object storage, a round trip saved per read of an optional blob).
 */
export async function getBytesIfAny(store: BlobStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.getBytes(key);
  } catch (e) {
    if (e instanceof BlobNotFoundError) return undefined;
    throw e;
  }
}

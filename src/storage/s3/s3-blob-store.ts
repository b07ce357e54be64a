import {
  BlobCorruptError, BlobNotFoundError, checkKey,
  type BlobData, type BlobManifest, type BlobStore, type ChunkRef, type GcOptions, type GcReport,
} from '../blob-store.ts';
import { fixedChunks } from '../chunker.ts';
import { hasher, hex64 } from '../hash.ts';
import { deleteObjects } from './delete-objects.ts';
import { getObjectBytes } from './get-object.ts';
import { listObjects } from './list-objects.ts';
import { putObjectBytes } from './put-object.ts';
import { abortStaleUploads } from './stale-uploads.ts';
import { defaultS3Connection, type S3Connection } from './s3-connection.ts';

export interface S3BlobStoreOptions {
  /** Bytes per chunk object; default 4 MiB, as the local store. */
  chunkSize?: number;
  /** Chunk objects one `put` uploads (and `get` fetches) at once; default 4. */
  chunksInFlight?: number;
  /** Default: the process-wide {@link defaultS3Connection} configured from the environment. */
  connection?: S3Connection;
  /** Blobs up to this many bytes live inside their manifest object (see `BlobManifest.inline`); default 32 KiB, 0 turns it off. */
  inlineMax?: number;
}

/**
 * Checkpoints, drop logs, dedup summaries and most pieces of a small commit unit are a few KiB:
 * inline, each costs one PUT to write and one GET to read, instead of a chunk object plus a
 * manifest object.
 */
const DEFAULT_INLINE_MAX = 32 * 1024;

const MANIFEST_SUFFIX = '.json';

/**
 * A {@link BlobStore} in an S3 bucket, under a key prefix:
 *
 * ```
 * <prefix>chunks/<first 2 hex>/<xxhash64 hex>-<size>   content-addressed chunk object
 * <prefix>manifests/<key>.json                         one manifest object per committed blob
 * ```
 *
 * A commit writes the chunk objects, then the manifest object; a PUT is atomic, so a reader sees
 * the old manifest or the new one, never a blob whose chunks are not all stored. Without
 * conditional writes two writers of one key race and the last manifest wins (docs/s3.md). Chunks
 * are PUT even when already stored: the PUT refreshes LastModified, which `gc`'s grace period
 * reads, so a chunk a concurrent `put` references again is not collected under it.
 */
export class S3BlobStore implements BlobStore {
  readonly chunkSize: number;
  /** The key prefix, empty or ending in `/`. */
  readonly prefix: string;
  readonly connection: S3Connection;
  private readonly chunksInFlight: number;
  private readonly inlineMax: number;

  constructor(readonly bucket: string, prefix = '', options: S3BlobStoreOptions = {}) {
    this.chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize <= 0) {
      throw new Error(`chunkSize must be a positive integer, got ${options.chunkSize}`);
    }
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    this.prefix = trimmed ? `${trimmed}/` : '';
    this.connection = options.connection ?? defaultS3Connection();
    this.chunksInFlight = Math.max(1, options.chunksInFlight ?? 4);
    this.inlineMax = options.inlineMax ?? DEFAULT_INLINE_MAX;
  }

  /** The store's location as a URI. */
  get uri(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async put(key: string, data: BlobData): Promise<BlobManifest> {
    checkKey(key);
    const h = await hasher();
    if (data instanceof Uint8Array && data.length > 0 && data.length <= this.inlineMax && data.length <= this.chunkSize) {
      const manifest: BlobManifest = {
        format: 'sluice-blob/1', key, size: data.length, chunks: [{ hash: hex64(h, data), size: data.length }],
        inline: Buffer.from(data.buffer, data.byteOffset, data.length).toString('base64'),
      };
      await putObjectBytes(this.connection, this.bucket, this.manifestKey(key), JSON.stringify(manifest), 'application/json');
      return manifest;
    }
    const chunks: ChunkRef[] = [];
    const started = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    let size = 0;
    try {
      for await (const bytes of fixedChunks(data, this.chunkSize)) {
        const ref = { hash: hex64(h, bytes), size: bytes.length };
        chunks.push(ref);
        size += bytes.length;
        const objectKey = this.chunkKey(ref);
        if (started.has(objectKey)) continue;
        started.add(objectKey);
        // Copied when streaming: the chunk uploads while the producer goes on.
        const body = data instanceof Uint8Array ? bytes : bytes.slice();
        const p: Promise<void> = putObjectBytes(this.connection, this.bucket, objectKey, body)
          .catch((error: unknown) => { failure ??= { error }; })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        while (inFlight.size >= this.chunksInFlight) await Promise.race(inFlight);
        if (failure) break;
      }
    } finally {
      await Promise.all([...inFlight]);
    }
    if (failure) throw failure.error;
    const manifest: BlobManifest = { format: 'sluice-blob/1', key, size, chunks };
    await putObjectBytes(this.connection, this.bucket, this.manifestKey(key), JSON.stringify(manifest), 'application/json');
    return manifest;
  }

  async *get(key: string): AsyncGenerator<Uint8Array> {
    const manifest = await this.stat(key);
    if (!manifest) throw new BlobNotFoundError(key);
    yield* this.readChunks(key, manifest);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const manifest = await this.stat(key);
    if (!manifest) throw new BlobNotFoundError(key);
    const out = new Uint8Array(manifest.size);
    let off = 0;
    for await (const bytes of this.readChunks(key, manifest)) {
      out.set(bytes, off);
      off += bytes.length;
    }
    return out;
  }

  /** The manifest's chunks in order, verified, a few fetched ahead of the consumer. */
  private async *readChunks(key: string, manifest: BlobManifest): AsyncGenerator<Uint8Array> {
    const h = await hasher();
    if (manifest.inline !== undefined) {
      yield this.inlineBytes(h, key, manifest);
      return;
    }
    const pending: Promise<Uint8Array>[] = [];
    let next = 0;
    const fill = (): void => {
      while (pending.length < this.chunksInFlight && next < manifest.chunks.length) {
        const p = this.readChunk(h, key, next, manifest.chunks[next]!);
        // Chunks fetched ahead are abandoned when the consumer stops early.
        p.catch(() => undefined);
        pending.push(p);
        next++;
      }
    };
    fill();
    while (pending.length > 0) {
      const bytes = await pending.shift()!;
      fill();
      yield bytes;
    }
  }

  async stat(key: string): Promise<BlobManifest | undefined> {
    checkKey(key);
    const bytes = await getObjectBytes(this.connection, this.bucket, this.manifestKey(key));
    if (!bytes) return undefined;
    const where = `s3://${this.bucket}/${this.manifestKey(key)}`;
    let manifest: BlobManifest;
    try {
      manifest = JSON.parse(new TextDecoder().decode(bytes)) as BlobManifest;
    } catch (e) {
      throw new Error(`blob "${key}": manifest ${where} is not valid JSON (${(e as Error).message})`);
    }
    if (manifest.format !== 'sluice-blob/1' || !Array.isArray(manifest.chunks)) {
      throw new Error(`blob "${key}": manifest ${where} has an unknown format`);
    }
    return manifest;
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/');
    if (slash > 0) checkKey(prefix.slice(0, slash));
    const base = `${this.prefix}manifests/`;
    const keys: string[] = [];
    for await (const o of listObjects(this.connection, this.bucket, base + prefix)) {
      if (o.key.endsWith(MANIFEST_SUFFIX)) keys.push(o.key.slice(base.length, -MANIFEST_SUFFIX.length));
    }
    // S3 orders by the object key, whose `.json` suffix sorts differently from the bare keys.
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await deleteObjects(this.connection, this.bucket, [this.manifestKey(key)]);
  }

  /**
   * Removes chunk objects no manifest references whose LastModified (the server's clock) is older
   * than the grace period, and aborts multipart uploads under the store's prefix started before
   * it (the temp files of S3, counted as `tempFilesRemoved`; the store itself writes single PUTs,
   * but outputs written under the same prefix may not).
   */
  async gc(options: GcOptions = {}): Promise<GcReport> {
    const graceMs = options.graceMs ?? 10 * 60_000;
    // With no grace nothing is spared, whatever the timestamps say: servers round LastModified
    // (Swift rounds it up to the next second), so an object just written can look newer than now.
    const cutoff = graceMs > 0 ? Date.now() - graceMs : Infinity;
    const referenced = new Set<string>();
    const keys = await this.list('');
    for (let i = 0; i < keys.length; i += this.chunksInFlight * 4) {
      const manifests = await Promise.all(keys.slice(i, i + this.chunksInFlight * 4).map((k) => this.stat(k)));
      for (const m of manifests) if (m?.inline === undefined) for (const c of m?.chunks ?? []) referenced.add(this.chunkKey(c));
    }
    const report: GcReport = { chunksRemoved: 0, bytesRemoved: 0, tempFilesRemoved: 0, chunksKept: 0 };
    const doomed: string[] = [];
    for await (const o of listObjects(this.connection, this.bucket, `${this.prefix}chunks/`)) {
      if (referenced.has(o.key)) {
        report.chunksKept++;
      } else if (o.lastModified.getTime() <= cutoff) {
        doomed.push(o.key);
        report.chunksRemoved++;
        report.bytesRemoved += o.size;
      }
    }
    await deleteObjects(this.connection, this.bucket, doomed);
    const LATEST_DATE = 8.64e15;
    report.tempFilesRemoved = await abortStaleUploads(this.connection, this.bucket, this.prefix, new Date(Math.min(cutoff, LATEST_DATE)));
    return report;
  }

  /** Object key of a chunk (exposed for tests and tools that inspect the store). */
  chunkKey(ref: ChunkRef): string {
    return `${this.prefix}chunks/${ref.hash.slice(0, 2)}/${ref.hash}-${ref.size}`;
  }

  private manifestKey(key: string): string {
    return `${this.prefix}manifests/${key}${MANIFEST_SUFFIX}`;
  }

  private inlineBytes(h: Awaited<ReturnType<typeof hasher>>, key: string, manifest: BlobManifest): Uint8Array {
    const ref = manifest.chunks[0];
    const buf = Buffer.from(manifest.inline!, 'base64');
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    const where = `inline in s3://${this.bucket}/${this.manifestKey(key)}`;
    if (!ref || manifest.chunks.length !== 1) throw new Error(`blob "${key}": manifest with inline bytes must list exactly one chunk`);
    if (bytes.length !== ref.size) throw new BlobCorruptError(key, 0, ref, `size is ${bytes.length} bytes ${where}`);
    const actual = hex64(h, bytes);
    if (actual !== ref.hash) throw new BlobCorruptError(key, 0, ref, `xxhash64 is ${actual} ${where}`);
    return bytes;
  }

  private async readChunk(h: Awaited<ReturnType<typeof hasher>>, key: string, index: number, ref: ChunkRef): Promise<Uint8Array> {
    const objectKey = this.chunkKey(ref);
    const bytes = await getObjectBytes(this.connection, this.bucket, objectKey);
    const where = `s3://${this.bucket}/${objectKey}`;
    if (!bytes) throw new BlobCorruptError(key, index, ref, `chunk object ${where} is missing`);
    if (bytes.length !== ref.size) throw new BlobCorruptError(key, index, ref, `size is ${bytes.length} bytes in ${where}`);
    const actual = hex64(h, bytes);
    if (actual !== ref.hash) throw new BlobCorruptError(key, index, ref, `xxhash64 is ${actual} in ${where}`);
    return bytes;
  }
}

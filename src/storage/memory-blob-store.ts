import { BlobNotFoundError, checkKey, type BlobData, type BlobManifest, type BlobStore, type GcReport } from './blob-store.ts';
import { fixedChunks } from './chunker.ts';
import { hasher, hex64 } from './hash.ts';

/**
 * A blob store held in this process's memory: what `collect()` runs tasks against, so it commits
 * through exactly the code `sluice run` uses without touching disk. Blobs are whole byte arrays
 * (nothing to deduplicate or verify: they never leave the process); manifests still carry real
 * chunk hashes so `stat` answers as a persistent store does.
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, { bytes: Uint8Array; manifest: BlobManifest }>();

  constructor(readonly chunkSize = 4 << 20) {}

  async put(key: string, data: BlobData): Promise<BlobManifest> {
    checkKey(key);
    const h = await hasher();
    const parts: Uint8Array[] = [];
    const chunks: BlobManifest['chunks'] = [];
    let size = 0;
    for await (const bytes of fixedChunks(data, this.chunkSize)) {
      // Copied: the caller may reuse its buffer after put returns.
      parts.push(bytes.slice());
      chunks.push({ hash: hex64(h, bytes), size: bytes.length });
      size += bytes.length;
    }
    const bytes = parts.length === 1 ? parts[0]! : concat(parts, size);
    const manifest: BlobManifest = { format: 'sluice-blob/1', key, size, chunks };
    this.blobs.set(key, { bytes, manifest });
    return manifest;
  }

  async *get(key: string): AsyncIterable<Uint8Array> {
    yield await this.getBytes(key);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const blob = this.blobs.get(checkKey(key));
    if (!blob) throw new BlobNotFoundError(key);
    return blob.bytes;
  }

  async stat(key: string): Promise<BlobManifest | undefined> {
    return this.blobs.get(checkKey(key))?.manifest;
  }

  async has(key: string): Promise<boolean> {
    return this.blobs.has(checkKey(key));
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.blobs.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(checkKey(key));
  }

  async gc(): Promise<GcReport> {
    return { chunksRemoved: 0, bytesRemoved: 0, tempFilesRemoved: 0, chunksKept: this.blobs.size };
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

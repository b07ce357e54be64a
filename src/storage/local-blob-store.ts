import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.ts';
import { join, relative, sep } from 'node:path';
import {
  BlobCorruptError, BlobNotFoundError, checkKey,
  type BlobData, type BlobManifest, type BlobStore, type ChunkRef, type GcOptions, type GcReport,
} from './blob-store.ts';
import { fixedChunks } from './chunker.ts';
import { hasher, hex64 } from './hash.ts';

export interface LocalBlobStoreOptions {
  /** Bytes per chunk; default 4 MiB. Changing it between runs is safe (manifests record sizes). */
  chunkSize?: number;
  /**
   * fsync chunks and manifests before the rename that commits them. Off by default: rename alone
   * already survives a killed process (the kernel holds the data); fsync only matters for power loss.
   */
  fsync?: boolean;
}

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
const MANIFEST_SUFFIX = '.json';

/**
 * A {@link BlobStore} on a local (or shared, POSIX) file system:
 *
 * ```
 * <root>/chunks/<first 2 hex>/<xxhash64 hex>-<size>   content-addressed chunk, written once
 * <root>/manifests/<key>.json                         one manifest per committed blob
 * <root>/tmp/                                         files being written, renamed into place
 * ```
 *
 * Commit order is chunks first, then the manifest (temp file + rename), so a reader never sees a
 * half-written blob and a crash leaves only unreferenced chunks and temp files, which `gc` removes.
 */
export class LocalBlobStore implements BlobStore {
  readonly chunkSize: number;
  private readonly fsync: boolean;
  /** Directories this store has created or found, so commits skip the recursive mkdir. */
  private readonly dirs = new Set<string>();

  get uri(): string {
    return this.root;
  }

  constructor(readonly root: string, options: LocalBlobStoreOptions = {}) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize <= 0) {
      throw new Error(`chunkSize must be a positive integer, got ${options.chunkSize}`);
    }
    this.fsync = options.fsync ?? false;
  }

  async put(key: string, data: BlobData): Promise<BlobManifest> {
    checkKey(key);
    const h = await hasher();
    const chunks: ChunkRef[] = [];
    let size = 0;
    for await (const bytes of fixedChunks(data, this.chunkSize)) {
      const ref = { hash: hex64(h, bytes), size: bytes.length };
      await this.writeChunk(ref, bytes);
      chunks.push(ref);
      size += bytes.length;
    }
    const manifest: BlobManifest = { format: 'sluice-blob/1', key, size, chunks };
    await this.writeAtomic(this.manifestPath(key), JSON.stringify(manifest));
    return manifest;
  }

  async *get(key: string): AsyncGenerator<Uint8Array> {
    const manifest = await this.stat(key);
    if (!manifest) throw new BlobNotFoundError(key);
    const h = await hasher();
    for (let i = 0; i < manifest.chunks.length; i++) {
      yield await this.readChunk(h, key, i, manifest.chunks[i]!);
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const manifest = await this.stat(key);
    if (!manifest) throw new BlobNotFoundError(key);
    const h = await hasher();
    if (manifest.chunks.length === 1) return this.readChunk(h, key, 0, manifest.chunks[0]!);
    const out = new Uint8Array(manifest.size);
    let off = 0;
    for (let i = 0; i < manifest.chunks.length; i++) {
      const bytes = await this.readChunk(h, key, i, manifest.chunks[i]!);
      out.set(bytes, off);
      off += bytes.length;
    }
    return out;
  }

  async stat(key: string): Promise<BlobManifest | undefined> {
    checkKey(key);
    let text: string;
    try {
      text = await readFile(this.manifestPath(key), 'utf8');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    let manifest: BlobManifest;
    try {
      manifest = JSON.parse(text) as BlobManifest;
    } catch (e) {
      throw new Error(`blob "${key}": manifest ${this.manifestPath(key)} is not valid JSON (${(e as Error).message})`);
    }
    if (manifest.format !== 'sluice-blob/1' || !Array.isArray(manifest.chunks)) {
      throw new Error(`blob "${key}": manifest ${this.manifestPath(key)} has an unknown format`);
    }
    return manifest;
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string): Promise<string[]> {
    // Walk only the directory the prefix names, not the whole store.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash < 0 ? '' : prefix.slice(0, slash);
    if (dirKey) checkKey(dirKey);
    const base = join(this.root, 'manifests', ...(dirKey ? dirKey.split('/') : []));
    const files = await listFiles(base);
    const keys: string[] = [];
    for (const f of files) {
      if (!f.endsWith(MANIFEST_SUFFIX)) continue;
      const rel = relative(join(this.root, 'manifests'), f).split(sep).join('/');
      const key = rel.slice(0, -MANIFEST_SUFFIX.length);
      if (key.startsWith(prefix)) keys.push(key);
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    try {
      await unlink(this.manifestPath(key));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async gc(options: GcOptions = {}): Promise<GcReport> {
    const graceMs = options.graceMs ?? 10 * 60_000;
    const cutoff = Date.now() - graceMs;
    const referenced = new Set<string>();
    for (const key of await this.list('')) {
      const m = await this.stat(key);
      for (const c of m?.chunks ?? []) referenced.add(chunkName(c));
    }
    const report: GcReport = { chunksRemoved: 0, bytesRemoved: 0, tempFilesRemoved: 0, chunksKept: 0 };
    for (const file of await listFiles(join(this.root, 'chunks'))) {
      const name = file.slice(file.lastIndexOf(sep) + 1);
      if (referenced.has(name)) {
        report.chunksKept++;
        continue;
      }
      const st = await statOrUndefined(file);
      if (!st || st.mtimeMs > cutoff) continue;
      if (await unlinkIfExists(file)) {
        report.chunksRemoved++;
        report.bytesRemoved += st.size;
      }
    }
    for (const file of await listFiles(join(this.root, 'tmp'))) {
      const st = await statOrUndefined(file);
      if (st && st.mtimeMs <= cutoff && (await unlinkIfExists(file))) report.tempFilesRemoved++;
    }
    return report;
  }

  /** Path of the file holding a chunk (exposed for tests and tools that inspect the store). */
  chunkPath(ref: ChunkRef): string {
    return join(this.root, 'chunks', ref.hash.slice(0, 2), chunkName(ref));
  }

  private manifestPath(key: string): string {
    return join(this.root, 'manifests', ...key.split('/')) + MANIFEST_SUFFIX;
  }

  /**
   * Writes the chunk file whether or not an equal one is there: the rename replaces it whole, which
   * repairs a chunk damaged on disk (a task redone after `BlobCorruptError`) and gives it a fresh
   * mtime, so a concurrent gc's grace window covers the new reference. Checking first cost a failed
   * `stat` (an exception, ~70 µs) per new chunk, and the check for an existing one (read and hash
   * it) cost about what rewriting it does.
   */
  private async writeChunk(ref: ChunkRef, bytes: Uint8Array): Promise<void> {
    await this.writeAtomic(this.chunkPath(ref), bytes);
  }

  private async readChunk(h: Awaited<ReturnType<typeof hasher>>, key: string, index: number, ref: ChunkRef): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      const buf = await readFile(this.chunkPath(ref));
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    } catch (e) {
      if (isNotFound(e)) throw new BlobCorruptError(key, index, ref, `chunk file ${this.chunkPath(ref)} is missing`);
      throw e;
    }
    if (bytes.length !== ref.size) {
      throw new BlobCorruptError(key, index, ref, `size is ${bytes.length} bytes in ${this.chunkPath(ref)}`);
    }
    const actual = hex64(h, bytes);
    if (actual !== ref.hash) {
      throw new BlobCorruptError(key, index, ref, `xxhash64 is ${actual} in ${this.chunkPath(ref)}`);
    }
    return bytes;
  }

  private async writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
    await writeFileAtomic(path, data, {
      tmpDir: join(this.root, 'tmp'),
      fsync: this.fsync,
      ensureDir: (dir) => this.ensureDir(dir),
      forgetDir: (dir) => { this.dirs.delete(dir); },
    });
  }

  /**
   * `mkdir -p` once per directory and store: a task commits a dozen blobs per input batch, and
   * repeating the recursive mkdir for each was most of the store's system calls on small inputs.
   */
  private async ensureDir(dir: string): Promise<void> {
    if (this.dirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.dirs.add(dir);
  }
}

function chunkName(ref: ChunkRef): string {
  return `${ref.hash}-${ref.size}`;
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function unlinkIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

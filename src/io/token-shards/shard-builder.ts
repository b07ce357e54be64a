import type { XXHash } from 'xxhash-wasm';
import { hasher } from '../../storage/hash.ts';
import { BYTES_PER_TOKEN, type ShardEntry, type ShardLayout, type TokenDtype } from './format.ts';
import type { PendingFile, ShardOutput } from './output.ts';

const FLUSH_BYTES = 1 << 20;

interface OpenShard {
  n: number;
  file: PendingFile;
  hash: XXHash<bigint>;
  ends: number[];
  tokens: number;
}

const hex = (h: bigint) => h.toString(16).padStart(16, '0');

/**
 * Appends documents to shards in order, streaming token bytes through a 1 MiB buffer (memory per
 * shard: the buffer plus 8 bytes per document for the index). Shard rule: a document goes to the
 * current shard unless it would push the shard past `maxTokensPerShard`, in which case the shard is
 * closed first; documents are never split, so a document longer than the limit gets a shard of
 * its own that exceeds it.
 */
export class ShardBuilder {
  private open: OpenShard | undefined;
  private readonly done: ShardEntry[] = [];
  private buf: Uint8Array;
  private view16: Uint16Array;
  private view32: Uint32Array;
  private used = 0;
  private readonly width: number;

  constructor(
    private readonly output: ShardOutput,
    private readonly layout: ShardLayout,
    private readonly dtype: TokenDtype,
    private readonly vocabSize: number,
    private readonly maxTokensPerShard: number,
  ) {
    this.width = BYTES_PER_TOKEN[dtype];
    this.buf = new Uint8Array(FLUSH_BYTES);
    this.view16 = new Uint16Array(this.buf.buffer);
    this.view32 = new Uint32Array(this.buf.buffer);
  }

  get shards(): readonly ShardEntry[] { return this.done; }

  async add(ids: Uint32Array): Promise<void> {
    if (this.open && this.open.tokens > 0 && this.open.tokens + ids.length > this.maxTokensPerShard) await this.closeShard();
    const shard = this.open ?? (this.open = await this.openShard());
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! >= this.vocabSize) throw new Error(`token shards: id ${ids[i]} is outside the vocabulary (size ${this.vocabSize})`);
    }
    let at = 0;
    while (at < ids.length) {
      const room = (this.buf.length - this.used) / this.width;
      const n = Math.min(room, ids.length - at);
      const slot = this.used / this.width;
      if (this.dtype === 'uint16') this.view16.set(ids.subarray(at, at + n), slot);
      else this.view32.set(ids.subarray(at, at + n), slot);
      this.used += n * this.width;
      at += n;
      if (this.used === this.buf.length) await this.flush(shard);
    }
    shard.tokens += ids.length;
    shard.ends.push(shard.tokens);
  }

  /** Closes the last shard; returns every shard written. */
  async finish(): Promise<ShardEntry[]> {
    if (this.open) await this.closeShard();
    return this.done;
  }

  async abort(): Promise<void> {
    const s = this.open;
    this.open = undefined;
    if (s) await s.file.abort();
  }

  private async openShard(): Promise<OpenShard> {
    const n = this.done.length;
    const file = await this.output.create(this.layout.fileNames(n).file);
    return { n, file, hash: (await hasher()).create64(), ends: [], tokens: 0 };
  }

  private async flush(shard: OpenShard): Promise<void> {
    if (this.used === 0) return;
    // The pending file may keep the buffer (blob store output copies; fs writes complete first).
    const bytes = this.buf.subarray(0, this.used);
    shard.hash.update(bytes);
    await shard.file.write(bytes);
    this.used = 0;
  }

  private async closeShard(): Promise<void> {
    const s = this.open!;
    this.open = undefined;
    const names = this.layout.fileNames(s.n);
    const indexBytes = this.layout.encodeIndex(s.ends, this.dtype);
    let idx: PendingFile | undefined;
    try {
      await this.flush(s);
      idx = await this.output.create(names.index);
      await idx.write(indexBytes);
      await s.file.commit();
      await idx.commit();
    } catch (e) {
      // A close that fails (disk full) leaves no temp file beside the shards; `abort` after a
      // commit only removes a temp file that is already gone.
      await s.file.abort();
      await idx?.abort();
      throw e;
    }
    this.done.push({
      file: names.file,
      index: names.index,
      tokens: s.tokens,
      documents: s.ends.length,
      xxhash64: hex(s.hash.digest()),
      indexXxhash64: hex((await hasher()).create64().update(indexBytes).digest()),
    });
  }
}

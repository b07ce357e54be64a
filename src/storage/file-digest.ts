import type { XXHash } from 'xxhash-wasm';
import { hasher } from './hash.ts';

/** Size and xxhash64 (seed 0, 16 lowercase hex digits, as chunk addresses) of a file's bytes. */
export interface FileDigest {
  size: number;
  xxh64: string;
}

/** The digest of bytes in hand (a string counts as its UTF-8 bytes). */
export async function digestOf(data: Uint8Array | string): Promise<FileDigest> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const h = (await hasher()).create64();
  h.update(bytes);
  return { size: bytes.length, xxh64: hexOf(h) };
}

/**
 * Digests bytes as a writer streams them, so a file is hashed while it is written rather than
 * read back afterwards.
 */
export class StreamDigest {
  private size = 0;
  private constructor(private readonly h: XXHash<bigint>) {}

  static async create(): Promise<StreamDigest> {
    return new StreamDigest((await hasher()).create64());
  }

  update(bytes: Uint8Array): void {
    this.h.update(bytes);
    this.size += bytes.length;
  }

  digest(): FileDigest {
    return { size: this.size, xxh64: hexOf(this.h) };
  }
}

/** The digest of a stream of bytes (a file read back for verification). */
export async function digestStream(chunks: AsyncIterable<Uint8Array>): Promise<FileDigest> {
  const d = await StreamDigest.create();
  for await (const c of chunks) d.update(c);
  return d.digest();
}

function hexOf(h: XXHash<bigint>): string {
  return h.digest().toString(16).padStart(16, '0');
}

/** Passes byte pieces through unchanged, feeding each to `digest` on the way (hash while writing). */
export async function* digesting(pieces: AsyncIterable<Uint8Array>, digest: StreamDigest): AsyncGenerator<Uint8Array> {
  for await (const piece of pieces) {
    digest.update(piece);
    yield piece;
  }
}

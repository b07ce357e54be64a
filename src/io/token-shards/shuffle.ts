import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BYTES_PER_TOKEN, type ShardEntry, type TokenDtype } from './format.ts';
import type { ShardBuilder } from './shard-builder.ts';

/**
 * A small seeded PRNG (sfc32, seeded through splitmix32): fast, 128-bit state, and the same
 * sequence on every platform, which `Math.random` cannot promise.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates with unbiased bounded draws). */
export function permutation(n: number, seed: number): Uint32Array {
  const next = seededRandom(seed);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = 0x100000000 - (0x100000000 % bound);
    let r: number;
    do r = next(); while (r >= limit);
    const j = r % bound;
    const t = p[i]!; p[i] = p[j]!; p[j] = t;
  }
  return p;
}

/**
 * Second pass of the global shuffle: reads the staged (input-order) shards document by document in
 * a seeded random order and appends them to `builder`. Memory is bounded by the document count,
 * not the token count: 20 bytes per document (permutation, shard, start, length) plus one
 * document's tokens; token bytes are read with positioned reads from the staging files.
 */
export async function writeShuffled(
  stagingDir: string, staged: readonly ShardEntry[], dtype: TokenDtype, seed: number, builder: ShardBuilder,
): Promise<void> {
  const total = staged.reduce((n, s) => n + s.documents, 0);
  const shardOf = new Uint32Array(total);
  const start = new Float64Array(total);
  const length = new Uint32Array(total);
  let d = 0;
  const files: FileHandle[] = [];
  try {
    for (const [k, s] of staged.entries()) {
      files.push(await open(join(stagingDir, s.file), 'r'));
      const idx = await readIndex(join(stagingDir, s.index), s.documents);
      let prev = 0;
      for (let i = 0; i < idx.length; i++) {
        const end = Number(idx[i]!);
        shardOf[d] = k; start[d] = prev; length[d] = end - prev;
        prev = end;
        d++;
      }
    }
    const width = BYTES_PER_TOKEN[dtype];
    for (const doc of permutation(total, seed)) {
      const bytes = new Uint8Array(length[doc]! * width);
      const { bytesRead } = await files[shardOf[doc]!]!.read(bytes, 0, bytes.length, start[doc]! * width);
      if (bytesRead !== bytes.length) throw new Error(`token shards: staging file ${staged[shardOf[doc]!]!.file} is truncated`);
      const ids = dtype === 'uint16' ? Uint32Array.from(new Uint16Array(bytes.buffer)) : new Uint32Array(bytes.buffer);
      await builder.add(ids);
    }
  } finally {
    for (const f of files) await f.close();
  }
}

async function readIndex(path: string, documents: number): Promise<BigUint64Array> {
  const fh = await open(path, 'r');
  try {
    const bytes = new Uint8Array(documents * 8);
    const { bytesRead } = await fh.read(bytes, 0, bytes.length, 0);
    if (bytesRead !== bytes.length) throw new Error(`token shards: staging index ${path} is truncated`);
    return new BigUint64Array(bytes.buffer);
  } finally {
    await fh.close();
  }
}

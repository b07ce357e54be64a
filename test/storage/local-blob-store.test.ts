import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import xxhash from 'xxhash-wasm';
import { BlobCorruptError, BlobNotFoundError, LocalBlobStore } from '../../src/storage/index.ts';

let root: string;
beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'sluice-blob-')); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

/** Deterministic pseudo-random bytes (xorshift), so chunks differ from each other. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function countChunks(): Promise<number> {
  const entries = await readdir(join(root, 'chunks'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

describe('LocalBlobStore', () => {
  it('round-trips bytes and streams, split into chunks', async () => {
    const store = new LocalBlobStore(root, { chunkSize: 1000 });
    const data = bytes(4500, 7);
    const m = await store.put('a/b/c.bin', data);
    expect(m.size).toBe(4500);
    expect(m.chunks.map((c) => c.size)).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(await store.getBytes('a/b/c.bin')).toEqual(data);
    // Streamed input in odd-sized pieces gives the same chunks.
    async function* pieces() { for (let i = 0; i < 4500; i += 333) yield data.subarray(i, Math.min(i + 333, 4500)); }
    const m2 = await store.put('a/other', pieces());
    expect(m2.chunks).toEqual(m.chunks);
    expect(await store.list('a/')).toEqual(['a/b/c.bin', 'a/other']);
    expect(await store.list('a/b')).toEqual(['a/b/c.bin']);
    expect(await store.list('zzz/')).toEqual([]);
    expect(await store.has('a/other')).toBe(true);
    await store.delete('a/other');
    expect(await store.has('a/other')).toBe(false);
    await expect(store.getBytes('a/other')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.list('../x/')).rejects.toThrow(/invalid blob key/);
  });

  it('stores an empty blob', async () => {
    const store = new LocalBlobStore(root);
    await store.put('empty', new Uint8Array(0));
    expect((await store.getBytes('empty')).length).toBe(0);
  });

  it('leaves no visible blob when a write fails between chunks, and keeps the old version', async () => {
    const store = new LocalBlobStore(root, { chunkSize: 100 });
    await store.put('k', bytes(250, 1));
    async function* failing() {
      yield bytes(100, 2);
      yield bytes(100, 3);
      throw new Error('disk on fire');
    }
    await expect(store.put('k', failing())).rejects.toThrow('disk on fire');
    await expect(store.put('fresh', failing())).rejects.toThrow('disk on fire');
    expect(await store.getBytes('k')).toEqual(bytes(250, 1));
    expect(await store.has('fresh')).toBe(false);
    expect(await store.list('')).toEqual(['k']);
  });

  it('leaves no visible blob when the writing process is SIGKILLed between chunk writes', async () => {
    const script = join(root, 'crash.mts');
    const storeModule = resolve('src/storage/index.ts');
    await writeFile(script, `
      import { LocalBlobStore } from ${JSON.stringify(storeModule)};
      const store = new LocalBlobStore(${JSON.stringify(join(root, 'store'))}, { chunkSize: 64 });
      async function* data() {
        yield new Uint8Array(64).fill(1);
        yield new Uint8Array(64).fill(2);
        process.kill(process.pid, 'SIGKILL');
        yield new Uint8Array(64).fill(3);
      }
      await store.put('victim', data());
    `);
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const store = new LocalBlobStore(join(root, 'store'));
    expect(await store.has('victim')).toBe(false);
    expect(await store.list('')).toEqual([]);
    // The chunks written before the crash are garbage, and gc reclaims them.
    const report = await store.gc({ graceMs: 0 });
    expect(report.chunksRemoved).toBe(2);
  });

  it('detects a corrupted chunk and names blob and chunk', async () => {
    const store = new LocalBlobStore(root, { chunkSize: 100 });
    const m = await store.put('data/part-0', bytes(300, 5));
    const victim = store.chunkPath(m.chunks[1]!);
    const raw = await readFile(victim);
    raw[17] ^= 0x40;
    await writeFile(victim, raw);
    const err = await store.getBytes('data/part-0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobCorruptError);
    expect(String((err as Error).message)).toMatch(/blob "data\/part-0": chunk 1 .*xxhash64 is/);
    // Streaming yields the good chunk 0, then fails on chunk 1.
    const got: Uint8Array[] = [];
    await expect((async () => { for await (const c of store.get('data/part-0')) got.push(c); })()).rejects.toThrow(/chunk 1/);
    expect(got.length).toBe(1);
    // A truncated or missing chunk file is reported too.
    await writeFile(victim, raw.subarray(0, 10));
    await expect(store.getBytes('data/part-0')).rejects.toThrow(/chunk 1 .*size is 10 bytes/);
    await rm(victim);
    await expect(store.getBytes('data/part-0')).rejects.toThrow(/chunk 1 .*missing/);
  });

  it('stores identical chunks once', async () => {
    const store = new LocalBlobStore(root, { chunkSize: 100 });
    const a = bytes(100, 11);
    const b = bytes(100, 12);
    const blob = new Uint8Array(500);
    [a, b, a, a, b].forEach((c, i) => blob.set(c, i * 100));
    await store.put('x', blob);
    expect(await countChunks()).toBe(2);
    await store.put('y', blob);
    await store.put('z', a);
    expect(await countChunks()).toBe(2);
    expect(await store.getBytes('x')).toEqual(blob);
  });

  it('gc removes only unreferenced chunks and stale temp files', async () => {
    const store = new LocalBlobStore(root, { chunkSize: 100 });
    await store.put('keep', bytes(200, 1));
    await store.put('drop', bytes(300, 2));
    await store.put('shared', bytes(100, 1)); // same as keep's first chunk
    expect(await countChunks()).toBe(5);
    await store.delete('drop');
    await writeFile(join(root, 'tmp', 'stale'), 'x');
    // Within the grace window nothing goes.
    expect((await store.gc()).chunksRemoved).toBe(0);
    const report = await store.gc({ graceMs: 0 });
    expect(report).toMatchObject({ chunksRemoved: 3, bytesRemoved: 300, tempFilesRemoved: 1, chunksKept: 2 });
    expect(await store.getBytes('keep')).toEqual(bytes(200, 1));
    expect(await store.getBytes('shared')).toEqual(bytes(100, 1));
  });

  it('streams a large blob in and out with bounded pieces', async () => {
    const store = new LocalBlobStore(root, { chunkSize: 1 << 20 });
    const piece = bytes(300_001, 3);
    const pieces = 160; // ~48 MB
    const h = await xxhash();
    const inHash = h.create64();
    async function* source() {
      for (let i = 0; i < pieces; i++) {
        piece[0] = i & 0xff; // vary the data so chunks differ
        inHash.update(piece);
        yield piece;
      }
    }
    const m = await store.put('big', source());
    expect(m.size).toBe(300_001 * pieces);
    const outHash = h.create64();
    let maxPiece = 0;
    for await (const c of store.get('big')) {
      outHash.update(c);
      maxPiece = Math.max(maxPiece, c.length);
    }
    expect(maxPiece).toBe(1 << 20);
    expect(outHash.digest()).toBe(inHash.digest());
  });
});

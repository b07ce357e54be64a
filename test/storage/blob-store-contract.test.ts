import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BlobCorruptError, BlobNotFoundError, LocalBlobStore, MemoryBlobStore, type BlobStore, type ChunkRef,
} from '../../src/storage/index.ts';
import { S3BlobStore, deleteObjects, putObjectBytes } from '../../src/storage/s3/index.ts';
import { collectBytes, inPieces, pseudoRandomBytes as bytes, sameBytes } from '../helpers/bytes.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';

/**
 * The BlobStore contract, run against every implementation: the local file-system store, the
 * in-memory store of `collect()`, and the S3 store against a real S3-compatible server (Swift).
 */
interface Backend {
  name: string;
  open(chunkSize: number): Promise<BlobStore>;
  /** Overwrites or removes a chunk's stored bytes (persistent stores only). */
  tamper?: (store: BlobStore, ref: ChunkRef, bytes: Uint8Array | undefined) => Promise<void>;
}

const server = await findS3Server();
const bucket = useTestBucket(server);
const tempDirs: string[] = [];
afterAll(async () => { for (const d of tempDirs) await rm(d, { recursive: true, force: true }); });
let opened = 0;

const backends: Backend[] = [
  { name: 'memory', open: async (chunkSize) => new MemoryBlobStore(chunkSize) },
  {
    name: 'local',
    open: async (chunkSize) => {
      const dir = await mkdtemp(join(tmpdir(), 'sluice-contract-'));
      tempDirs.push(dir);
      return new LocalBlobStore(dir, { chunkSize });
    },
    tamper: async (store, ref, data) => {
      const path = (store as LocalBlobStore).chunkPath(ref);
      if (data) await writeFile(path, data);
      else await rm(path);
    },
  },
];
if (server) {
  backends.push({
    name: 's3',
    // Chunk objects for every blob, so chunk-level cases (tampering, sharing, gc) mean the same as
    // locally; small blobs inline in their manifest are covered by s3-inline-blobs.test.ts.
    open: async (chunkSize) => new S3BlobStore(bucket.name, `contract/${opened++}`, { chunkSize, inlineMax: 0, connection: bucket.connection }),
    tamper: async (store, ref, data) => {
      const s3 = store as S3BlobStore;
      if (data) await putObjectBytes(s3.connection, s3.bucket, s3.chunkKey(ref), data);
      else await deleteObjects(s3.connection, s3.bucket, [s3.chunkKey(ref)]);
    },
  });
} else {
  it.skip(`BlobStore contract on s3: ${NO_S3}`, () => undefined);
}

describe.each(backends)('BlobStore contract: $name', (backend) => {
  it('round-trips bytes and streams, split into chunks, and lists committed keys sorted', async () => {
    const store = await backend.open(1000);
    const data = bytes(4500, 7);
    const m = await store.put('a/b/c.bin', data);
    expect(m).toMatchObject({ format: 'sluice-blob/1', key: 'a/b/c.bin', size: 4500 });
    expect(m.chunks.map((c) => c.size)).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(await store.getBytes('a/b/c.bin')).toEqual(data);
    expect(await collectBytes(store.get('a/b/c.bin'))).toEqual(data);
    // Streamed input in odd-sized pieces gives the same chunks.
    const m2 = await store.put('a/other', inPieces(data, 333));
    expect(m2.chunks).toEqual(m.chunks);
    expect(await store.stat('a/other')).toEqual(m2);
    // Keys whose manifest names sort differently from the keys themselves ('a-b.json' < 'a.json').
    await store.put('a/x', bytes(10, 1));
    await store.put('a/x-y', bytes(10, 2));
    expect(await store.list('a/')).toEqual(['a/b/c.bin', 'a/other', 'a/x', 'a/x-y']);
    expect(await store.list('a/b')).toEqual(['a/b/c.bin']);
    expect(await store.list('a/x')).toEqual(['a/x', 'a/x-y']);
    expect(await store.list('zzz/')).toEqual([]);
    expect(await store.has('a/other')).toBe(true);
    await store.delete('a/other');
    await store.delete('a/other');
    expect(await store.has('a/other')).toBe(false);
    expect(await store.stat('a/other')).toBeUndefined();
    await expect(store.getBytes('a/other')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(collectBytes(store.get('nothing/here'))).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.put('../x', data)).rejects.toThrow(/invalid blob key/);
  });

  it('keeps keys with every allowed punctuation character intact', async () => {
    const store = await backend.open(1000);
    const keys = ['p/stage=1/part-0001.parquet', 'p/a+b@c,d_e.f-g', 'p/UPPER/lower=x'];
    for (const [i, k] of keys.entries()) await store.put(k, bytes(50, i + 1));
    expect(await store.list('p/')).toEqual([...keys].sort());
    for (const [i, k] of keys.entries()) expect(await store.getBytes(k)).toEqual(bytes(50, i + 1));
    expect(await store.list('p/stage=1/')).toEqual(['p/stage=1/part-0001.parquet']);
  });

  it('stores an empty blob', async () => {
    const store = await backend.open(1000);
    const m = await store.put('empty', new Uint8Array(0));
    expect(m.size).toBe(0);
    expect((await store.getBytes('empty')).length).toBe(0);
    expect(await store.list('')).toEqual(['empty']);
  });

  it('replaces a blob on put, and a failed put leaves the previous version visible', async () => {
    const store = await backend.open(100);
    await store.put('k', bytes(250, 1));
    await store.put('k', bytes(180, 9));
    expect(await store.getBytes('k')).toEqual(bytes(180, 9));
    async function* failing() {
      yield bytes(100, 2);
      yield bytes(100, 3);
      throw new Error('disk on fire');
    }
    await expect(store.put('k', failing())).rejects.toThrow('disk on fire');
    await expect(store.put('fresh', failing())).rejects.toThrow('disk on fire');
    expect(await store.getBytes('k')).toEqual(bytes(180, 9));
    expect(await store.has('fresh')).toBe(false);
    expect(await store.list('')).toEqual(['k']);
  });

  it('streams a multi-chunk blob in and out with identical bytes', async () => {
    const store = await backend.open(1 << 20);
    const data = bytes(9 * (1 << 20) + 12_345, 3);
    const m = await store.put('big', inPieces(data, 300_001));
    expect(m.size).toBe(data.length);
    expect(m.chunks.length).toBe(10);
    let at = 0;
    for await (const piece of store.get('big')) {
      expect(sameBytes(piece, data.subarray(at, at + piece.length))).toBe(true);
      at += piece.length;
    }
    expect(at).toBe(data.length);
    expect(sameBytes(await store.getBytes('big'), data)).toBe(true);
  });

  // The in-memory store keeps no chunk files to corrupt or collect: these apply to persistent stores.
  const tamper = backend.tamper;
  if (tamper) {
    it('verifies chunk hashes on read and names blob and chunk', async () => {
      const store = await backend.open(100);
      const m = await store.put('data/part-0', bytes(300, 5));
      const victim = m.chunks[1]!;
      const flipped = bytes(100, 5 + 1000);
      await tamper(store, victim, flipped);
      const err = await store.getBytes('data/part-0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlobCorruptError);
      expect(String((err as Error).message)).toMatch(/blob "data\/part-0": chunk 1 .*xxhash64 is/);
      await tamper(store, victim, flipped.subarray(0, 10));
      await expect(store.getBytes('data/part-0')).rejects.toThrow(/chunk 1 .*size is 10 bytes/);
      await tamper(store, victim, undefined);
      await expect(store.getBytes('data/part-0')).rejects.toThrow(/chunk 1 .*missing/);
    });

    it('putting the same bytes again repairs a damaged chunk, for every blob sharing it', async () => {
      const store = await backend.open(100);
      const data = bytes(300, 9);
      const m = await store.put('task/piece', data);
      await store.put('other/copy', data.subarray(0, 100)); // shares chunk 0
      const victim = m.chunks[0]!;
      const flipped = data.slice(0, 100);
      flipped[50]! ^= 1;
      await tamper(store, victim, flipped);
      await expect(store.getBytes('other/copy')).rejects.toThrow(BlobCorruptError);
      // A redone task writes its blob again: the damaged chunk (same size, same name) must not be taken as stored.
      await store.put('task/piece', data);
      expect(sameBytes(await store.getBytes('task/piece'), data)).toBe(true);
      expect(sameBytes(await store.getBytes('other/copy'), data.subarray(0, 100))).toBe(true);
    });

    it('gc removes only unreferenced chunks, after the grace period', async () => {
      const store = await backend.open(100);
      await store.put('keep', bytes(200, 1));
      await store.put('drop', bytes(300, 2));
      await store.put('shared', bytes(100, 1)); // the same bytes as keep's first chunk
      await store.delete('drop');
      expect((await store.gc()).chunksRemoved).toBe(0);
      const report = await store.gc({ graceMs: 0 });
      expect(report).toMatchObject({ chunksRemoved: 3, bytesRemoved: 300, chunksKept: 2 });
      expect(await store.getBytes('keep')).toEqual(bytes(200, 1));
      expect(await store.getBytes('shared')).toEqual(bytes(100, 1));
      expect((await store.gc({ graceMs: 0 })).chunksRemoved).toBe(0);
    });
  }
});

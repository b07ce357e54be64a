import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BlobStoreOutput, createTokenShardWriter, readTokenShardManifest, readTokenShards, type TokenShardManifest,
} from '../../src/io/token-shards/writer.ts';
import { permutation } from '../../src/io/token-shards/shuffle.ts';
import { LocalBlobStore } from '../../src/storage/index.ts';
import { textBatch } from '../ops/tokenize/helpers.ts';
import { tokenize } from '../../src/ops/tokenize/tokenize.ts';
import { parseOptions } from '../../src/ops/operator.ts';
import { tempDir, tokenizedBatches, writerOptions } from './token-shards-helpers.ts';

async function readAll(dir: string): Promise<Uint32Array[]> {
  const docs: Uint32Array[] = [];
  for await (const d of readTokenShards(dir)) docs.push(d.tokens.slice());
  return docs;
}

function filesOf(dir: string, m: TokenShardManifest): Buffer[] {
  return m.shards.flatMap((s) => [readFileSync(join(dir, s.file)), readFileSync(join(dir, s.index))]);
}

describe('token shard writer', () => {
  for (const [enc, dtype] of [['gpt2', 'uint16'], ['cl100k_base', 'uint32'], ['o200k_base', 'uint32']] as const) {
    it(`${enc}: decoding every document of every shard gives back the texts + EOS (${dtype})`, async () => {
      const { texts, batches, backend, eos } = await tokenizedBatches(enc);
      const dir = tempDir();
      const w = createTokenShardWriter(dir, writerOptions(backend, eos, { maxTokensPerShard: 5000 }));
      for (const b of batches) await w.write(b);
      const m = await w.close();
      expect(m.dtype).toBe(dtype);
      expect(m.shards.length).toBeGreaterThan(3);
      const docs = await readAll(dir);
      expect(docs.length).toBe(texts.length);
      docs.forEach((ids, i) => {
        expect(ids.at(-1)).toBe(eos);
        expect(backend.decode(ids.subarray(0, -1))).toBe(texts[i]);
      });
    });
  }

  it('keeps index, files and manifest consistent', async () => {
    const { texts, batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos, { maxTokensPerShard: 4000 }));
    for (const b of batches) await w.write(b);
    const m = await w.close();
    expect(await readTokenShardManifest(dir)).toEqual(m);
    expect(m).toMatchObject({
      format: 'sluice-token-shards', version: 1, dtype: 'uint16', byteOrder: 'little', eosId: 50256, vocabSize: 50257,
      tokenizer: { name: 'gpt2', hash: backend.hash }, fingerprint: 'fp-test-1', shuffle: null, totalDocuments: texts.length,
    });
    const expected = batches.reduce((n, b) => n + (b.getChild('token_count')!.toArray() as Int32Array).reduce((a, c) => a + c, 0), 0);
    expect(m.totalTokens).toBe(expected);
    expect(m.shards.reduce((n, s) => n + s.tokens, 0)).toBe(m.totalTokens);
    expect(m.shards.reduce((n, s) => n + s.documents, 0)).toBe(m.totalDocuments);
    for (const s of m.shards) {
      const bytes = readFileSync(join(dir, s.file));
      const index = readFileSync(join(dir, s.index));
      expect(bytes.length).toBe(s.tokens * 2);
      expect(index.length).toBe(s.documents * 8);
      // Raw layout: little-endian uint64 cumulative ends; every document ends with EOS (LE uint16).
      let prev = 0n;
      for (let i = 0; i < s.documents; i++) {
        const end = index.readBigUInt64LE(i * 8);
        expect(end).toBeGreaterThan(prev);
        expect(bytes.readUInt16LE(Number(end) * 2 - 2)).toBe(50256);
        prev = end;
      }
      expect(Number(prev)).toBe(s.tokens);
      expect(s.xxhash64).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', ...m.shards.flatMap((s) => [s.file, s.index])].sort());
  });

  it('uint32 shards store ids above 65,535 little-endian', async () => {
    const dir = tempDir();
    const state = await tokenize.init(parseOptions(tokenize, { tokenizer: 'cl100k_base' }));
    const { batch } = await tokenize.apply(state, textBatch(['hello']), { heartbeat: () => {} });
    const w = createTokenShardWriter(dir, writerOptions(state.backend, state.eos!));
    await w.write(batch);
    const m = await w.close();
    const bytes = readFileSync(join(dir, m.shards[0]!.file));
    expect([bytes.readUInt32LE(0), bytes.readUInt32LE(4)]).toEqual([15339, 100257]);
  });

  it('closes a shard before a document would pass the limit and never splits documents', async () => {
    const { texts, batches, backend, eos } = await tokenizedBatches('gpt2');
    const lengths = batches.flatMap((b) => Array.from(b.getChild('token_count')!.toArray() as Int32Array));
    const limit = 3000;
    expect(Math.max(...lengths)).toBeGreaterThan(limit);
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos, { maxTokensPerShard: limit }));
    for (const b of batches) await w.write(b);
    const m = await w.close();
    let doc = 0;
    for (const [k, s] of m.shards.entries()) {
      if (s.tokens > limit) expect(s.documents).toBe(1);
      const next = m.shards[k + 1];
      if (next) expect(s.tokens + lengths[doc + s.documents]!).toBeGreaterThan(limit);
      doc += s.documents;
    }
    expect((await readAll(dir)).map((ids) => backend.decode(ids.subarray(0, -1)))).toEqual(texts);
  });

  it('shuffles deterministically by seed, differently for different seeds, losing nothing', async () => {
    const { texts, batches, backend, eos } = await tokenizedBatches('gpt2');
    const run = async (seed: number | undefined) => {
      const dir = tempDir();
      const w = createTokenShardWriter(dir, writerOptions(backend, eos, { maxTokensPerShard: 6000, ...(seed === undefined ? {} : { shuffleSeed: seed }) }));
      for (const b of batches) await w.write(b);
      const m = await w.close();
      expect(readdirSync(dir).some((n) => n.startsWith('.'))).toBe(false);
      return { dir, m, texts: (await readAll(dir)).map((ids) => backend.decode(ids.subarray(0, -1))) };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    const plain = await run(undefined);
    expect(a.m.shuffle).toEqual({ seed: 7, method: 'two-pass-global' });
    expect(b.m).toEqual(a.m);
    expect(filesOf(b.dir, b.m)).toEqual(filesOf(a.dir, a.m));
    expect(c.texts).not.toEqual(a.texts);
    expect(a.texts).not.toEqual(texts);
    expect(plain.texts).toEqual(texts);
    expect([...a.texts].sort()).toEqual([...texts].sort());
    expect([...c.texts].sort()).toEqual([...texts].sort());
    const perm = permutation(texts.length, 7);
    expect(a.texts).toEqual(Array.from(perm, (i) => texts[i]));
  });

  it('permutation is uniform enough: every position sees many documents across seeds', () => {
    const n = 10;
    const seen = Array.from({ length: n }, () => new Set<number>());
    for (let seed = 0; seed < 200; seed++) permutation(n, seed).forEach((v, pos) => seen[pos]!.add(v));
    for (const s of seen) expect(s.size).toBe(n);
    expect(Array.from(permutation(1000, 1)).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('commits the manifest last, removes stale shards of a larger earlier run, and leaves no temp files', async () => {
    const { batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const big = createTokenShardWriter(dir, writerOptions(backend, eos, { maxTokensPerShard: 2000 }));
    for (const b of batches) await big.write(b);
    const many = await big.close();
    const small = createTokenShardWriter(dir, writerOptions(backend, eos));
    await small.write(batches[0]!);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(many);
    const one = await small.close();
    expect(one.shards.length).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'tokens-00000.ds', 'tokens-00000.ds.index']);
    expect((await readAll(dir)).length).toBe(batches[0]!.numRows);
  });

  it('abort leaves no files and no manifest', async () => {
    const { batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos, { shuffleSeed: 3 }));
    await w.write(batches[0]!);
    await w.abort();
    expect(readdirSync(dir)).toEqual([]);
    await expect(w.write(batches[1]!)).rejects.toThrow(/write after abort/);
  });

  it('detects a corrupted shard through its checksum', async () => {
    const { batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos));
    await w.write(batches[0]!);
    const m = await w.close();
    const path = join(dir, m.shards[0]!.file);
    const bytes = readFileSync(path);
    bytes[100] ^= 1;
    writeFileSync(path, bytes);
    await expect(readAll(dir)).rejects.toThrow(/xxhash64 mismatch/);
    await expect(readAll(tempDir())).rejects.toThrow(/no manifest.json/);
  });

  it('rejects ids outside the vocabulary, a too-small dtype and a missing tokens column', async () => {
    const { batches, backend, eos } = await tokenizedBatches('cl100k_base');
    const dir = tempDir();
    const w = createTokenShardWriter(dir, writerOptions(backend, eos, { vocabSize: 50257, eosId: 50256 }));
    await expect(w.write(batches[0]!)).rejects.toThrow(/outside the vocabulary \(size 50257\)/);
    expect(() => createTokenShardWriter(dir, writerOptions(backend, eos, { dtype: 'uint16' }))).toThrow(/uint16 cannot hold a vocabulary of 100277/);
    const w2 = createTokenShardWriter(tempDir(), writerOptions(backend, eos));
    await expect(w2.write(textBatch(['x']))).rejects.toThrow(/no column "tokens".*run the tokenize operator/);
  });

  it('writes the same bytes through the blob store', async () => {
    const { batches, backend, eos } = await tokenizedBatches('gpt2');
    const dir = tempDir();
    const store = new LocalBlobStore(tempDir());
    const opts = writerOptions(backend, eos, { maxTokensPerShard: 8000 });
    const local = createTokenShardWriter(dir, opts);
    const blob = createTokenShardWriter(new BlobStoreOutput(store, 'out/tokens'), opts);
    for (const b of batches) { await local.write(b); await blob.write(b); }
    const m = await local.close();
    expect(await blob.close()).toEqual(m);
    for (const name of ['manifest.json', ...m.shards.flatMap((s) => [s.file, s.index])]) {
      expect(Buffer.from(await store.getBytes(`out/tokens/${name}`))).toEqual(readFileSync(join(dir, name)));
    }
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });
});

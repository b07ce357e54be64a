import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import { finalizeSink, writeSinkFile, writeSinkPart } from '../../src/io/sinks.ts';
import '../../src/io/token-shards/sink.ts';
import { readTokenShardManifest, readTokenShards } from '../../src/io/token-shards/writer.ts';
import { getObjectBytes, listObjects, putObjectBytes } from '../../src/storage/s3/index.ts';
import { NO_S3, findS3Server, useTestBucket } from '../helpers/s3.ts';
import { documentBatches, localTree, s3Tree, sameTrees, tokensSinkSpec, useS3Environment } from './s3-sink-helpers.ts';
import { tokenizedBatches } from './token-shards-helpers.ts';

const server = await findS3Server();
const bucket = useTestBucket(server);
if (server) useS3Environment(server);
else it.skip(`sinks on S3: ${NO_S3}`, () => undefined);

const FINGERPRINT = 'fp-s3-sinks';
const local = await mkdtemp(join(tmpdir(), 'sluice-s3-sinks-'));
const s3 = (prefix: string): string => `s3://${bucket.name}/${prefix}`;

/** Writes each batch list as one part of the sink (partition = index). */
async function writeParts(sink: Parameters<typeof writeSinkPart>[0], parts: RecordBatch[][]): Promise<void> {
  for (const [p, batches] of parts.entries()) await writeSinkPart(sink, 's2', p, batches);
}

describe.runIf(server)('sinks write s3:// byte-identical to local files', () => {
  it.each([
    ['parquet', 1], ['jsonl', 1], ['parquet', 90], ['jsonl', 90],
  ] as const)('%s part of %i copies of the real documents (90: above 8 MiB, multipart for JSONL)', async (format, copies) => {
    const batches = documentBatches(copies);
    const dir = join(local, `${format}-${copies}`);
    const [localPart] = await writeSinkPart({ format, path: dir }, 's1', 7, batches);
    const [s3Part] = await writeSinkPart({ format, path: s3(`${format}-${copies}/docs`) }, 's1', 7, batches);
    expect(localPart!.path).toBe(join(dir, `part-s1-00007.${format}`));
    expect(s3Part!.path).toBe(s3(`${format}-${copies}/docs/part-s1-00007.${format}`));
    // The digest the writer reports is the same on both backends.
    expect({ ...s3Part, path: '' }).toEqual({ ...localPart, path: '' });
    const want = await readFile(localPart!.path);
    if (format === 'jsonl' && copies > 1) expect(want.length).toBeGreaterThan(8 << 20);
    const got = await getObjectBytes(bucket.connection, bucket.name, `${format}-${copies}/docs/part-s1-00007.${format}`);
    expect(Buffer.from(got!).equals(want)).toBe(true);
    // No temp objects or second copies: exactly the part.
    const keys: string[] = [];
    for await (const o of listObjects(bucket.connection, bucket.name, `${format}-${copies}/`)) keys.push(o.key);
    expect(keys).toEqual([`${format}-${copies}/docs/part-s1-00007.${format}`]);
    // A task that kept no rows writes no part, on S3 as locally.
    expect(await writeSinkPart({ format, path: s3(`${format}-${copies}/docs`) }, 's1', 8, [])).toEqual([]);
  });

  it.each(['parquet', 'jsonl'] as const)('%s: a whole sink written as one s3:// file (collect-side writeParquet/writeJsonl)', async (format) => {
    const path = join(local, `whole.${format}`);
    await writeSinkFile({ format, path }, documentBatches());
    await writeSinkFile({ format, path: s3(`whole/all.${format}`) }, documentBatches());
    const got = await getObjectBytes(bucket.connection, bucket.name, `whole/all.${format}`);
    expect(Buffer.from(got!).equals(await readFile(path))).toBe(true);
  });
});

describe.runIf(server)('token shards on S3', () => {
  const layouts = [
    ['datatrove', {}],
    ['megatron', { layout: 'megatron', maxTokensPerShard: 7000 }],
    ['datatrove shuffled', { maxTokensPerShard: 6000, shuffleSeed: 11 }],
  ] as const;

  it.each(layouts)('%s: parts, shards, manifest and documents byte-identical to a local sink', async (name, options) => {
    const { batches } = await tokenizedBatches();
    const parts = batches.map((b) => [b]);
    const tag = name.replace(/ /g, '-');
    const localSink = tokensSinkSpec(join(local, `tokens-${tag}`), { ...options, documents: join(local, `docs-${tag}`) });
    const s3Sink = tokensSinkSpec(s3(`${tag}/tokens`), { ...options, documents: s3(`${tag}/documents`) });
    await writeParts(localSink, parts);
    await writeParts(s3Sink, parts);
    // Before finalize: the parts wait under _parts/, the same bytes in both places.
    const staged = await s3Tree(bucket.connection, bucket.name, `${tag}/tokens`);
    expect([...staged.keys()]).toEqual(['_parts/part-s2-00000.arrow', '_parts/part-s2-00001.arrow', '_parts/part-s2-00002.arrow']);
    expect(sameTrees(staged, await localTree(join(local, `tokens-${tag}`)))).toBe(true);

    await finalizeSink(localSink, { fingerprint: FINGERPRINT, outDir: local });
    await finalizeSink(s3Sink, { fingerprint: FINGERPRINT, outDir: s3('') });
    const want = await localTree(join(local, `tokens-${tag}`));
    const got = await s3Tree(bucket.connection, bucket.name, `${tag}/tokens`);
    expect([...got.keys()]).toEqual([...want.keys()]);
    expect([...got.keys()].some((k) => k.startsWith('_parts/'))).toBe(false);
    expect(sameTrees(got, want)).toBe(true);
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, `${tag}/documents`), await localTree(join(local, `docs-${tag}`)))).toBe(true);
    const manifest = await readTokenShardManifest(s3Sink.path);
    expect(manifest).toEqual(await readTokenShardManifest(localSink.path));
    expect(manifest.shards.length).toBeGreaterThan(name === 'datatrove' ? 0 : 1);
    if (name !== 'megatron') {
      const fromS3: number[][] = [];
      for await (const d of readTokenShards(s3Sink.path)) fromS3.push([...d.tokens]);
      const fromDisk: number[][] = [];
      for await (const d of readTokenShards(localSink.path)) fromDisk.push([...d.tokens]);
      expect(fromS3).toEqual(fromDisk);
      expect(fromS3.length).toBe(manifest.totalDocuments);
    }
    // A crash while the parts were being removed leaves a subset behind: finalizing again finds
    // this run's manifest, never rebuilds from the leftovers, and removes them.
    await putObjectBytes(bucket.connection, bucket.name, `${tag}/tokens/_parts/part-s2-00001.arrow`, new TextEncoder().encode('partial leftover'));
    await finalizeSink(s3Sink, { fingerprint: FINGERPRINT, outDir: s3('') });
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, `${tag}/tokens`), want)).toBe(true);
  });

  it('two concurrent finalizers of a multipart-sized shard both succeed with the local bytes', async () => {
    const { batches } = await tokenizedBatches();
    // 5 parts of 30 copies each: one shard of ~10 MiB (uint16), streamed as a multipart upload.
    const parts = Array.from({ length: 5 }, () => Array.from({ length: 30 }, () => batches).flat());
    const localSink = tokensSinkSpec(join(local, 'tokens-big'));
    const s3Sink = tokensSinkSpec(s3('big/tokens'));
    await writeParts(localSink, parts);
    await writeParts(s3Sink, parts);
    await finalizeSink(localSink, { fingerprint: FINGERPRINT, outDir: local });
    const results = await Promise.allSettled([
      finalizeSink(s3Sink, { fingerprint: FINGERPRINT, outDir: s3('') }),
      finalizeSink(s3Sink, { fingerprint: FINGERPRINT, outDir: s3('') }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const want = await localTree(join(local, 'tokens-big'));
    expect([...want.keys()]).toEqual(['manifest.json', 'tokens-00000.ds', 'tokens-00000.ds.index']);
    expect(want.get('tokens-00000.ds')!.length).toBeGreaterThan(8 << 20);
    expect(sameTrees(await s3Tree(bucket.connection, bucket.name, 'big/tokens'), want)).toBe(true);
    expect(await readdir(join(local, 'tokens-big'))).not.toContain('_parts');
  });
});

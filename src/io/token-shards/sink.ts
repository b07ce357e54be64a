import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { dropColumns, selectColumns } from '../../arrow/batch.ts';
import { writeParquet } from '../parquet/write.ts';
import { createTokenShardWriter, readTokenShardManifest, type TokenShardManifest } from './writer.ts';
import { MANIFEST_FILE } from './format.ts';
import { digestOf } from '../../storage/file-digest.ts';
import { loadTokenizer, resolveEos } from '../../ops/tokenize/backend.ts';
import { fromIpc, toIpc } from '../../arrow/ipc.ts';
import { writeFileAtomic } from '../../storage/atomic-write.ts';
import { registerSinkWriter, type WrittenFile } from '../sinks.ts';
import { resolvedSinkOptions } from './sink-options.ts';

export { tokensSink, type TokensSinkOptions } from './sink-options.ts';

/** Per-task token parts wait here (inside the sink directory) until the run assembles the shards. */
export const PARTS_DIR = '_parts';

/**
 * Each task of the final stage writes its documents' token ids as one Arrow part under
 * `<sink>/_parts/` (and, with `documents`, its rows as Parquet). Shards cannot be cut per task:
 * shard boundaries, the shuffle and the manifest span the whole run. So once every task is
 * committed, `finalize` streams the parts in partition order (partitioning depends on input sizes,
 * never on the worker count) into one shard writer, commits the manifest and removes the parts.
 * Cost: token ids are written to disk twice; the assembly is one sequential pass in the driver.
 */
registerSinkWriter('tokens', 'arrow', async (sink, path, batches) => {
  const o = resolvedSinkOptions(sink);
  const tokens = toIpc(batches.map((b) => selectColumns(b, [o.tokensColumn])));
  const partFile = join(dirname(path), PARTS_DIR, basename(path));
  await writeFileAtomic(partFile, tokens);
  const written: WrittenFile[] = [{ path: partFile, ...(await digestOf(tokens)), transient: true }];
  if (o.documents) {
    const docs = batches.map((b) => dropColumns(b, [o.tokensColumn]));
    await mkdir(o.documents, { recursive: true });
    const docsFile = join(o.documents, basename(path).replace(/\.arrow$/, '.parquet'));
    written.push({ path: docsFile, ...(await writeParquet(docsFile, docs)).file });
  }
  return written;
}, async (sink, ctx) => {
  const o = resolvedSinkOptions(sink);
  const partsDir = join(sink.path, PARTS_DIR);
  // The manifest is committed before the parts are removed: if this run's manifest exists, the
  // shards are complete, and any parts left (a crash during the removal) are only garbage. Never
  // rebuild shards from such leftovers: they may be a subset.
  const done = await readTokenShardManifest(sink.path).catch(() => undefined);
  if (done?.fingerprint === ctx.fingerprint) {
    await rm(partsDir, { recursive: true, force: true });
    return shardFiles(sink.path, done);
  }
  // Partition order, numerically: names are zero-padded, but a run may exceed the padding.
  const parts = (await readdir(partsDir).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.arrow'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  // No parts: every document was dropped (or the input was empty); the manifest says 0 shards.
  const backend = await loadTokenizer(o.tokenizer);
  const writer = createTokenShardWriter(sink.path, {
    tokenizer: { name: backend.name, hash: backend.hash },
    vocabSize: backend.vocabSize,
    eosId: resolveEos(backend, o.eos),
    fingerprint: ctx.fingerprint,
    tokensColumn: o.tokensColumn,
    ...(o.layout !== undefined ? { layout: o.layout } : {}),
    ...(o.maxTokensPerShard !== undefined ? { maxTokensPerShard: o.maxTokensPerShard } : {}),
    ...(o.shuffleSeed !== undefined ? { shuffleSeed: o.shuffleSeed } : {}),
  });
  try {
    for (const name of parts) {
      for (const b of fromIpc(new Uint8Array(await readFile(join(partsDir, name))))) await writer.write(b);
    }
  } catch (e) {
    await writer.abort();
    // Another copy of the finalize task (a requeue racing a slow node) committed the same shards
    // and removed the parts under this one: its result is this one's.
    const other = await readTokenShardManifest(sink.path).catch(() => undefined);
    if (other?.fingerprint === ctx.fingerprint) return shardFiles(sink.path, other);
    throw e;
  }
  const manifest = await writer.close();
  await rm(partsDir, { recursive: true, force: true });
  return shardFiles(sink.path, manifest);
});

/**
 * The sink's files with their digests: the shard writer hashed every shard and index as it wrote
 * them (the manifest records those), so only sizes are asked of the file system and only the small
 * manifest is read back.
 */
async function shardFiles(dir: string, manifest: TokenShardManifest): Promise<WrittenFile[]> {
  const out: WrittenFile[] = [];
  for (const s of manifest.shards) {
    for (const [name, xxh64] of [[s.file, s.xxhash64], [s.index, s.indexXxhash64]] as const) {
      const path = join(dir, name);
      out.push({ path, size: (await stat(path)).size, xxh64 });
    }
  }
  const path = join(dir, MANIFEST_FILE);
  out.push({ path, ...(await digestOf(new Uint8Array(await readFile(path)))) });
  return out;
}

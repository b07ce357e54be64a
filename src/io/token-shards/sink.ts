import { dropColumns, selectColumns } from '../../arrow/batch.ts';
import { writeParquet } from '../parquet/write.ts';
import { createTokenShardWriter, readTokenShardManifest, type TokenShardManifest } from './writer.ts';
import { MANIFEST_FILE } from './format.ts';
import { digestOf } from '../../storage/file-digest.ts';
import { loadTokenizer, resolveEos } from '../../ops/tokenize/backend.ts';
import { fromIpc, toIpc } from '../../arrow/ipc.ts';
import { joinUri } from '../../storage/uri.ts';
import { openFile, openLocation, removeTree, type Location } from '../location/index.ts';
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
 * Cost: token ids are written twice; the assembly is one sequential pass in the driver. The sink
 * may be a local directory or an `s3://` prefix: parts, shards and manifest go through a
 * `Location` (shards stream into multipart uploads; a part is read whole, bounded by task size).
 */
registerSinkWriter('tokens', 'arrow', async (sink, path, batches) => {
  const o = resolvedSinkOptions(sink);
  const tokens = toIpc(batches.map((b) => selectColumns(b, [o.tokensColumn])));
  const { location, path: name } = await openFile(path);
  await location.writeFile(`${PARTS_DIR}/${name}`, tokens);
  const written: WrittenFile[] = [{ path: location.uriOf(`${PARTS_DIR}/${name}`), ...(await digestOf(tokens)), transient: true }];
  if (o.documents) {
    const docs = batches.map((b) => dropColumns(b, [o.tokensColumn]));
    const docsFile = joinUri(o.documents, name.replace(/\.arrow$/, '.parquet'));
    written.push({ path: docsFile, ...(await writeParquet(docsFile, docs)).file });
  }
  return written;
}, async (sink, ctx) => {
  const o = resolvedSinkOptions(sink);
  const location = await openLocation(sink.path);
  /** This run's manifest, once a copy of this task committed it. */
  const finished = async (): Promise<TokenShardManifest | undefined> => {
    const m = await readTokenShardManifest(location).catch(() => undefined);
    return m?.fingerprint === ctx.fingerprint ? m : undefined;
  };
  // The manifest is committed before the parts are removed: if this run's manifest exists, the
  // shards are complete, and any parts left (a crash during the removal) are only garbage. Never
  // rebuild shards from such leftovers: they may be a subset.
  const done = await finished();
  if (done) {
    await removeTree(joinUri(sink.path, PARTS_DIR));
    return shardFiles(location, done);
  }
  const parts = await listParts(location);
  // A copy of this task that finished between the check above and the listing may have removed
  // some parts already; it committed its manifest first, so looking again after listing tells.
  const raced = await finished();
  if (raced) return shardFiles(location, raced);
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
    for (const part of parts) {
      for (const b of fromIpc(await location.readBytes(part))) await writer.write(b);
    }
  } catch (e) {
    await writer.abort();
    // Another copy of the finalize task (a requeue racing a slow node) committed the same shards
    // and removed the parts under this one: its result is this one's.
    const other = await finished();
    if (other) return shardFiles(location, other);
    throw e;
  }
  const manifest = await writer.close();
  await removeTree(joinUri(sink.path, PARTS_DIR));
  return shardFiles(location, manifest);
});

/** The parts' paths under the sink, in partition order (numerically: names are zero-padded, but a run may exceed the padding). */
async function listParts(location: Location): Promise<string[]> {
  return (await location.list(`${PARTS_DIR}/`))
    .map((e) => e.path)
    .filter((p) => p.endsWith('.arrow') && !p.slice(PARTS_DIR.length + 1).includes('/'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * The sink's files with their digests: the shard writer hashed every shard and index as it wrote
 * them (the manifest records those), so only sizes are asked of the location and only the small
 * manifest is read back.
 */
async function shardFiles(location: Location, manifest: TokenShardManifest): Promise<WrittenFile[]> {
  const out: WrittenFile[] = [];
  for (const s of manifest.shards) {
    for (const [name, xxh64] of [[s.file, s.xxhash64], [s.index, s.indexXxhash64]] as const) {
      const size = (await location.stat(name))?.size;
      if (size === undefined) throw new Error(`token shard ${location.uriOf(name)} listed in the manifest is missing`);
      out.push({ path: location.uriOf(name), size, xxh64 });
    }
  }
  out.push({ path: location.uriOf(MANIFEST_FILE), ...(await digestOf(await location.readBytes(MANIFEST_FILE))) });
  return out;
}

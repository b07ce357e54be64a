import { hasher } from '../../storage/hash.ts';
import { openLocation, type Location } from '../location/index.ts';
import { FORMAT, FORMAT_VERSION, MANIFEST_FILE, type TokenShardManifest } from './format.ts';

/**
 * Reads and checks `manifest.json` of a shard directory (a path, an `s3://` URI or an open
 * location); the error says what is wrong, since a partial copy is the usual cause.
 */
export async function readTokenShardManifest(dir: string | Location): Promise<TokenShardManifest> {
  const location = typeof dir === 'string' ? await openLocation(dir) : dir;
  const where = typeof dir === 'string' ? dir : dir.uri;
  let text: string;
  try {
    text = new TextDecoder().decode(await location.readBytes(MANIFEST_FILE));
  } catch (e) {
    throw new Error(`token shards: no ${MANIFEST_FILE} in ${where} (the writer commits it last; was the run finished?): ${(e as Error).message}`);
  }
  const m = JSON.parse(text) as TokenShardManifest;
  if (m.format !== FORMAT || m.version !== FORMAT_VERSION) {
    throw new Error(`token shards: ${location.uriOf(MANIFEST_FILE)} is ${m.format} v${m.version}, expected ${FORMAT} v${FORMAT_VERSION}`);
  }
  return m;
}

/** One document read back from the shards. */
export interface ShardDocument {
  shard: number;
  /** Position of the document within its shard. */
  index: number;
  tokens: Uint32Array;
}

/**
 * Yields every document of every shard in order, verifying each file's size and xxhash64 against
 * the manifest and the index against the token counts. Loads one shard at a time (for tests and
 * tools; training jobs memory-map the files, see docs/token-format.md).
 */
export async function* readTokenShards(dir: string | Location): AsyncGenerator<ShardDocument> {
  const location = typeof dir === 'string' ? await openLocation(dir) : dir;
  const m = await readTokenShardManifest(location);
  if (m.layout === 'megatron') {
    throw new Error(`token shards: ${location.uri} holds Megatron .bin/.idx shards; read them with Megatron's IndexedDataset (docs/token-format.md)`);
  }
  const h = await hasher();
  for (const [k, s] of m.shards.entries()) {
    const bytes = await location.readBytes(s.file);
    const indexBytes = await location.readBytes(s.index);
    const width = m.dtype === 'uint16' ? 2 : 4;
    const check = (what: string, ok: boolean) => { if (!ok) throw new Error(`token shards: ${s.file}: ${what}`); };
    check(`size ${bytes.length} bytes, manifest says ${s.tokens} tokens of ${width} bytes`, bytes.length === s.tokens * width);
    check(`index has ${indexBytes.length / 8} entries, manifest says ${s.documents} documents`, indexBytes.length === s.documents * 8);
    check('xxhash64 mismatch (corrupt or modified file)', h.h64Raw(bytes).toString(16).padStart(16, '0') === s.xxhash64);
    check('index xxhash64 mismatch', h.h64Raw(indexBytes).toString(16).padStart(16, '0') === s.indexXxhash64);
    const aligned = new Uint8Array(bytes.length);
    aligned.set(bytes);
    const tokens = m.dtype === 'uint16' ? Uint32Array.from(new Uint16Array(aligned.buffer)) : new Uint32Array(aligned.buffer);
    const idxAligned = new Uint8Array(indexBytes.length);
    idxAligned.set(indexBytes);
    const ends = new BigUint64Array(idxAligned.buffer);
    let prev = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = Number(ends[i]!);
      check(`index entry ${i} (${end}) is not in [${prev}, ${s.tokens}]`, end >= prev && end <= s.tokens);
      yield { shard: k, index: i, tokens: tokens.subarray(prev, end) };
      prev = end;
    }
    check(`index ends at ${prev}, shard holds ${s.tokens} tokens`, prev === s.tokens);
  }
}

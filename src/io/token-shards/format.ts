import { endianness } from 'node:os';

/**
 * The on-disk token-shard format (specified in docs/token-format.md). Shards are raw
 * little-endian token arrays so that `np.memmap` or a `DataLoader` can read them with no sluice
 * code; the index mirrors datatrove's `.ds.index`.
 */
export const FORMAT = 'sluice-token-shards';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** `int32` only in the Megatron layout, whose dtype table has no `uint32`. */
export type TokenDtype = 'uint16' | 'uint32' | 'int32';

/** `datatrove`: `.ds` + `.ds.index`; `megatron`: Megatron-LM's `MMapIndexedDataset` `.bin` + `.idx`. */
export type ShardLayoutName = 'datatrove' | 'megatron';

/**
 * What differs between shard layouts. The token file is always the ids back to back; a layout
 * names the files, picks the id width its readers expect, and encodes the document index.
 */
export interface ShardLayout {
  name: ShardLayoutName;
  /** The dtypes the layout's readers understand; the first that holds the vocabulary is the default. */
  dtypes: readonly TokenDtype[];
  dtypeFor(vocabSize: number): TokenDtype;
  fileNames(n: number): { file: string; index: string };
  /** Matches this layout's shard and index file names (to remove leftovers of a larger earlier run). */
  files: RegExp;
  /** The index file's bytes for one shard, from its documents' cumulative end offsets in tokens. */
  encodeIndex(ends: readonly number[], dtype: TokenDtype): Uint8Array;
}

/** One shard's entry in the manifest. */
export interface ShardEntry {
  /** Token file: `documents` documents back to back, each ending with EOS when the manifest has one. */
  file: string;
  /** Index file: in the datatrove layout one uint64 LE per document, its cumulative end offset in tokens. */
  index: string;
  tokens: number;
  documents: number;
  /** xxhash64 (seed 0) of the token file's bytes, 16 lowercase hex digits. */
  xxhash64: string;
  indexXxhash64: string;
}

export interface TokenShardManifest {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  tokenizer: { name: string; hash: string };
  /** Absent in manifests written before the Megatron layout existed: those are `datatrove`. */
  layout: ShardLayoutName;
  dtype: TokenDtype;
  byteOrder: 'little';
  eosId: number | null;
  vocabSize: number;
  maxTokensPerShard: number;
  /** Null when documents are in input order. */
  shuffle: { seed: number; method: 'two-pass-global' } | null;
  /** The pipeline fingerprint this output was produced by, as passed to the writer. */
  fingerprint: string;
  totalTokens: number;
  totalDocuments: number;
  shards: ShardEntry[];
}

export const BYTES_PER_TOKEN: Record<TokenDtype, number> = { uint16: 2, uint32: 4, int32: 4 };

/** `tokens-00000`, `tokens-00001`, …: the stem every layout appends its extensions to. */
export function shardStem(n: number): string {
  return `tokens-${String(n).padStart(5, '0')}`;
}

/** Typed arrays are written as-is, which is only little-endian on little-endian hosts. */
export function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') throw new Error('token shards: writing requires a little-endian host');
}

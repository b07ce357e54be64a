import { endianness } from 'node:os';

/**
 * The on-disk token-shard format (specified in docs/token-format.md). Shards are raw
 * little-endian token arrays so that `np.memmap` or a `DataLoader` can read them with no sluice
 * code; the index mirrors datatrove's `.ds.index`.
 */
export const FORMAT = 'sluice-token-shards';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export type TokenDtype = 'uint16' | 'uint32';

/** One shard's entry in the manifest. */
export interface ShardEntry {
  /** Token file: `documents` documents back to back, each ending with EOS when the manifest has one. */
  file: string;
  /** Index file: one uint64 LE per document, the cumulative end offset (in tokens) of that document. */
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

/** uint16 whenever every id fits (vocab ≤ 65,536), halving disk and page-cache use. */
export function dtypeFor(vocabSize: number): TokenDtype {
  return vocabSize <= 65_536 ? 'uint16' : 'uint32';
}

export const BYTES_PER_TOKEN: Record<TokenDtype, number> = { uint16: 2, uint32: 4 };

export function shardFileNames(n: number): { file: string; index: string } {
  const base = `tokens-${String(n).padStart(5, '0')}.ds`;
  return { file: base, index: `${base}.index` };
}

/** Typed arrays are written as-is, which is only little-endian on little-endian hosts. */
export function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') throw new Error('token shards: writing requires a little-endian host');
}

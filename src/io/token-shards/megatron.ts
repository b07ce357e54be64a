import type { ShardLayout, TokenDtype } from './format.ts';
import { BYTES_PER_TOKEN, shardStem } from './format.ts';

/** First bytes of every Megatron-LM `MMapIndexedDataset` index. */
const MAGIC = new TextEncoder().encode('MMIDIDX\x00\x00');
const VERSION = 1n;
/** Megatron's `DType` codes for the two dtypes it picks for token ids. */
export const MEGATRON_DTYPE_CODES: Partial<Record<TokenDtype, number>> = { int32: 4, uint16: 8 };
/** magic (9) + version (8) + dtype code (1) + sequence count (8) + document-index count (8). */
const HEADER_BYTES = 34;
const INT32_MAX = 0x7fffffff;

/**
 * Megatron-LM's indexed dataset (`megatron/core/datasets/indexed_dataset.py`), spelled out in
 * docs/token-format.md: `tokens-NNNNN.bin` holds the ids back to back, `tokens-NNNNN.idx` the header,
 * then per sequence its length (int32) and byte offset into the `.bin` (int64), then the document
 * indices (int64, one more than there are documents). Each document is one sequence, so the
 * document indices are 0, 1, …, n. Training configs name a shard by its prefix (`…/tokens-00000`).
 */
export const megatronLayout: ShardLayout = {
  name: 'megatron',
  dtypes: ['uint16', 'int32'],
  // Megatron's own rule (DType.optimal_dtype): uint16 below 65,500 ids, not at 65,536.
  dtypeFor: (vocabSize) => (vocabSize < 65_500 ? 'uint16' : 'int32'),
  fileNames: (n) => ({ file: `${shardStem(n)}.bin`, index: `${shardStem(n)}.idx` }),
  files: /^tokens-\d{5,}\.(bin|idx)$/,
  encodeIndex(ends, dtype) {
    const code = MEGATRON_DTYPE_CODES[dtype];
    if (code === undefined) throw new Error(`token shards: the megatron layout has no dtype ${dtype} (use uint16 or int32)`);
    const n = ends.length;
    const bytes = new Uint8Array(HEADER_BYTES + n * 4 + n * 8 + (n + 1) * 8);
    const view = new DataView(bytes.buffer);
    bytes.set(MAGIC, 0);
    view.setBigUint64(9, VERSION, true);
    view.setUint8(17, code);
    view.setBigUint64(18, BigInt(n), true);
    // Megatron stores the length of the document-index array here, not the document count.
    view.setBigUint64(26, BigInt(n + 1), true);
    const lengths = HEADER_BYTES, pointers = lengths + n * 4, documents = pointers + n * 8;
    const width = BYTES_PER_TOKEN[dtype];
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const length = ends[i]! - prev;
      if (length > INT32_MAX) throw new Error(`token shards: a document of ${length} tokens exceeds Megatron's int32 sequence length`);
      view.setInt32(lengths + i * 4, length, true);
      view.setBigInt64(pointers + i * 8, BigInt(prev * width), true);
      view.setBigInt64(documents + i * 8, BigInt(i), true);
      prev = ends[i]!;
    }
    view.setBigInt64(documents + n * 8, BigInt(n), true);
    return bytes;
  },
};

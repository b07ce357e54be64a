/**
 * The tiktoken encodings sluice ships. `gpt2` and `r50k_base` are the same ranks under two names.
 * (p50k is a code tokenizer with no pre-training use and is left out.)
 */
export const TIKTOKEN_ENCODINGS = ['gpt2', 'r50k_base', 'cl100k_base', 'o200k_base'] as const;
export type TiktokenEncodingName = (typeof TIKTOKEN_ENCODINGS)[number];

/**
 * A loaded tokenizer, independent of the library behind it. Encoding is always "ordinary": text
 * that looks like a special token (`<|endoftext|>` inside a web page) is encoded as plain text, so
 * a document can never inject a document boundary or control token into the training stream.
 */
export interface TokenizerBackend {
  /** Stable name recorded in shard manifests: `gpt2`, `cl100k_base`, `huggingface:<file name>`. */
  name: string;
  /** The library computing the ids, e.g. `tiktoken-wasm` or `tokenizers.js` (for benches and reports). */
  engine: string;
  /** sha256 (hex) of the ranks file or tokenizer.json the ids come from. */
  hash: string;
  /** Number of ids, special tokens included: every id is `< vocabSize`. */
  vocabSize: number;
  /** Special / added tokens by content. */
  specialTokens: ReadonlyMap<string, number>;
  /** Ids of `text`, never producing special tokens. */
  encodeOrdinary(text: string): Uint32Array;
  /** Text of `ids` (special tokens rendered as their content). */
  decode(ids: Uint32Array): string;
  /**
   * UTF-8 bytes of one id, for byte-level tokenizers whose ids' bytes concatenate to the encoded
   * text (tiktoken): lets a caller map token positions to text offsets. Absent otherwise.
   */
  tokenByteLength?(id: number): number;
}

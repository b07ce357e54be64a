import { loadHuggingFaceBackend } from './huggingface.ts';
import { loadTiktokenBackend, TIKTOKEN_ENCODINGS, type TiktokenEncodingName } from './tiktoken.ts';

/** Which tokenizer to use: a tiktoken encoding by name, or a Hugging Face `tokenizer.json` by path. */
export type TokenizerSpec = TiktokenEncodingName | { huggingface: string };

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
}

const cache = new Map<string, Promise<TokenizerBackend>>();

/** Loads a tokenizer once per thread; every operator instance with the same spec shares it. */
export function loadTokenizer(spec: TokenizerSpec): Promise<TokenizerBackend> {
  const key = typeof spec === 'string' ? spec : `hf:${spec.huggingface}`;
  let b = cache.get(key);
  if (!b) {
    b = typeof spec === 'string' ? loadTiktokenBackend(spec) : loadHuggingFaceBackend(spec.huggingface);
    b.catch(() => cache.delete(key));
    cache.set(key, b);
  }
  return b;
}

export { TIKTOKEN_ENCODINGS };
export type { TiktokenEncodingName };

/**
 * Resolves the end-of-document token: a special token's content, an explicit id, or null for none.
 * The error lists the special tokens, since the usual mistake is a name from another tokenizer.
 */
export function resolveEos(backend: TokenizerBackend, eos: string | number | null): number | null {
  if (eos === null) return null;
  if (typeof eos === 'number') {
    if (eos >= backend.vocabSize) throw new Error(`tokenize: eos id ${eos} is outside the vocabulary (size ${backend.vocabSize})`);
    return eos;
  }
  const id = backend.specialTokens.get(eos);
  if (id === undefined) {
    const known = [...backend.specialTokens.keys()].join(', ');
    throw new Error(`tokenize: tokenizer ${backend.name} has no special token "${eos}" (special tokens: ${known || 'none'})`);
  }
  return id;
}

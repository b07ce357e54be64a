import { TIKTOKEN_ENCODINGS, type TiktokenEncodingName, type TokenizerBackend } from './tokenizer.ts';

/** Which tokenizer to use: a tiktoken encoding by name, or a Hugging Face `tokenizer.json` by path. */
export type TokenizerSpec = TiktokenEncodingName | { huggingface: string };

const cache = new Map<string, Promise<TokenizerBackend>>();

/** Loads a tokenizer once per thread; every operator instance with the same spec shares it. */
export function loadTokenizer(spec: TokenizerSpec): Promise<TokenizerBackend> {
  const key = typeof spec === 'string' ? spec : `hf:${spec.huggingface}`;
  let b = cache.get(key);
  if (!b) {
    // The libraries (tiktoken's wasm, tokenizers.js) load here, on first use, not when a worker
    // imports the operators: most tasks never tokenize.
    b = typeof spec === 'string'
      ? import('./tiktoken.ts').then((m) => m.loadTiktokenBackend(spec))
      : import('./huggingface.ts').then((m) => m.loadHuggingFaceBackend(spec.huggingface));
    b.catch(() => cache.delete(key));
    cache.set(key, b);
  }
  return b;
}

export { TIKTOKEN_ENCODINGS };
export type { TiktokenEncodingName, TokenizerBackend };

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

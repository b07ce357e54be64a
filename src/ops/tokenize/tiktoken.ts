import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Tiktoken } from 'tiktoken/lite';
import { TIKTOKEN_ENCODINGS, type TiktokenEncodingName, type TokenizerBackend } from './tokenizer.ts';
import { encodeSegmented } from './segment.ts';


interface EncoderFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
  explicit_n_vocab?: number;
}

const require = createRequire(import.meta.url);

/**
 * Backend choice, measured on 4.2 MB of real web text (shared/data/corpus, 1,196 docs, Node 20):
 * the `tiktoken` package (OpenAI's Rust BPE compiled to wasm) runs 5.7–6.3 MB/s on gpt2,
 * 4.0 MB/s on cl100k_base and 3.8 MB/s on o200k_base; pure-JS `js-tiktoken` runs 1.7 / 1.5 / 1.5
 * MB/s, and differs from the reference ids on 15 of the 1,196 documents because JavaScript's `\s`
 * matches U+FEFF (BOM) while the Rust regex crate's does not. So wasm is both faster and correct
 * for every encoding. `tiktoken/lite` with the package's own ranks files keeps the wasm module at
 * 1 MB (the full build embeds every encoding) and lets the manifest hash exactly the ranks used.
 */
export async function loadTiktokenBackend(name: TiktokenEncodingName): Promise<TokenizerBackend> {
  if (!(TIKTOKEN_ENCODINGS as readonly string[]).includes(name)) {
    throw new Error(`tokenize: unknown tiktoken encoding "${name}" (known: ${TIKTOKEN_ENCODINGS.join(', ')})`);
  }
  const bytes = await readFile(require.resolve(`tiktoken/encoders/${name}.json`));
  const file = JSON.parse(bytes.toString('utf8')) as EncoderFile;
  const enc = new Tiktoken(file.bpe_ranks, file.special_tokens, file.pat_str);
  const specials = new Map(Object.entries(file.special_tokens));
  const maxSpecial = Math.max(...specials.values());
  const vocabSize = file.explicit_n_vocab ?? Math.max(maxSpecial + 1, countRanks(file.bpe_ranks));
  // ignoreBOM: a leading U+FEFF is page text (15 real documents start with one), not an encoding mark.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // Filled on first use per id (0 = not yet known: every token has at least one byte).
  const byteLengths = new Uint32Array(vocabSize);
  return {
    name,
    engine: 'tiktoken-wasm',
    hash: createHash('sha256').update(bytes).digest('hex'),
    vocabSize,
    specialTokens: specials,
    encodeOrdinary: (text) => encodeSegmented(text, (s) => enc.encode_ordinary(s)),
    decode: (ids) => decoder.decode(enc.decode(ids)),
    tokenByteLength: (id) => byteLengths[id] || (byteLengths[id] = enc.decode_single_token_bytes(id).length),
  };
}

/**
 * Number of ranks in tiktoken's compressed ranks format: space-separated lines of
 * `<first token> <offset> <base64 token>...`, ranks numbered from `offset` in order.
 */
function countRanks(bpeRanks: string): number {
  let n = 0;
  for (const line of bpeRanks.split('\n')) {
    const parts = line.split(' ');
    if (parts.length < 2) continue;
    n = Math.max(n, Number(parts[1]) + parts.length - 2);
  }
  return n;
}

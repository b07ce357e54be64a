import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Int32, makeData } from 'apache-arrow';
import { z } from 'zod';
import { setColumn } from '../../arrow/batch.ts';
import { defineOperator } from '../operator.ts';
import { readTextColumn } from '../text/columns.ts';
import { loadTokenizer, resolveEos, TIKTOKEN_ENCODINGS, type TokenizerBackend } from './backend.ts';
import { TokensBuilder } from '../../arrow/token-lists.ts';

/**
 * Options of the tokenize step. As in datatrove's `DocumentTokenizer`
 * (src/datatrove/pipeline/tokens/tokenizer.py): default tokenizer GPT-2 and an end-of-sequence
 * token `<|endoftext|>` appended to every document, so a training job packing documents back to
 * back can still see where each one ends.
 */
export const tokenizeOptions = z.object({
  /** A tiktoken encoding (`gpt2`, `r50k_base`, `cl100k_base`, `o200k_base`) or `{ huggingface: '<tokenizer.json path>' }`. Default `gpt2`. */
  tokenizer: z.union([z.enum(TIKTOKEN_ENCODINGS), z.object({ huggingface: z.string().min(1) }).strict()]).default('gpt2'),
  /** Text column to encode (default `text`); nulls are encoded as empty text. */
  column: z.string().default('text'),
  /** Output `List<Uint32>` column of ids (default `tokens`). */
  tokensColumn: z.string().default('tokens'),
  /** Output Int32 column with the number of ids, EOS included (default `token_count`). */
  countColumn: z.string().default('token_count'),
  /** Token appended to each document: a special token's content, an id, or null for none. Default `<|endoftext|>`. */
  eos: z.union([z.string().min(1), z.number().int().nonnegative(), z.null()]).default('<|endoftext|>'),
  /**
   * Documents longer than this many UTF-16 code units are quarantined (`tokenize:too_long`) rather
   * than tokenized. Default 64 Mi: a 50 MB page still tokenizes (about 10 s at 5 MB/s).
   */
  maxChars: z.number().int().positive().default(64 * 1024 * 1024),
});
export type TokenizeOptions = z.output<typeof tokenizeOptions>;

interface TokenizeState {
  options: TokenizeOptions;
  backend: TokenizerBackend;
  eos: number | null;
}

/**
 * Encodes each document into token ids (ordinary encoding: `<|endoftext|>` typed inside a page is
 * plain text, never the special token), appends EOS, and writes `tokens` and `token_count`.
 * Ranks load once per worker in `init`.
 */
export const tokenize = defineOperator({
  name: 'tokenize',
  options: tokenizeOptions,
  declare: (o) => ({
    reads: [o.column],
    writes: [o.tokensColumn, o.countColumn],
    removes: [],
    filters: false,
    kind: 'narrow',
    // ~3.5 KB per web document at ~5 MB/s (bench/tokenize.ts).
    costPerRow: 700_000,
  }),
  checkFiles: (o) => {
    if (typeof o.tokenizer === 'string') return [];
    const path = resolve(o.tokenizer.huggingface);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile()) return [];
    const problem = stat ? 'is not a file' : 'does not exist';
    return [`tokenizer file ${path} ${problem} (a Hugging Face tokenizer.json path, or a tiktoken encoding: ${TIKTOKEN_ENCODINGS.join(', ')})`];
  },
  init: async (o): Promise<TokenizeState> => {
    const backend = await loadTokenizer(o.tokenizer);
    return { options: o, backend, eos: resolveEos(backend, o.eos) };
  },
  apply: (state, batch, ctx) => {
    const { options: o, backend, eos } = state;
    const texts = readTextColumn(batch, o.column, 'tokenize');
    let chars = 0;
    for (const t of texts) chars += t.length;
    const tokens = new TokensBuilder(texts.length, (chars >> 2) + texts.length + 16);
    const counts = new Int32Array(texts.length);
    const empty = new Uint32Array(0);
    let quarantine: (string | null)[] | undefined;
    for (let i = 0; i < texts.length; i++) {
      ctx.heartbeat(i);
      const text = texts[i]!;
      if (text.length > o.maxChars) {
        quarantine ??= new Array<string | null>(texts.length).fill(null);
        quarantine[i] = `tokenize:too_long: ${text.length} chars > maxChars ${o.maxChars}`;
        tokens.push(empty, null);
        continue;
      }
      const ids = text.length === 0 ? empty : backend.encodeOrdinary(text);
      tokens.push(ids, eos);
      counts[i] = ids.length + (eos === null ? 0 : 1);
    }
    let out = setColumn(batch, o.tokensColumn, tokens.finish(), false);
    out = setColumn(out, o.countColumn, makeData({ type: new Int32(), length: counts.length, nullCount: 0, data: counts }), false);
    return quarantine ? { batch: out, quarantine } : { batch: out };
  },
});

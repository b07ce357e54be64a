import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { TiktokenEncodingName, TokenizerBackend } from './tokenizer.ts';
import { loadTiktokenBackend } from './tiktoken.ts';

/**
 * Rust `\s` (Unicode White_Space) spelled out. JavaScript's `\s` also matches U+FEFF and misses
 * U+0085, so tokenizers.js's hard-coded GPT-2 split pattern gives ids that differ from the Rust
 * `tokenizers` library (and tiktoken) on pages containing a BOM: 15 of 1,196 real documents.
 */
const RS = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GPT2_SPLIT_JS = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const GPT2_SPLIT_RUST = new RegExp(
  `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${RS}\\p{L}\\p{N}]+|[${RS}]+(?![^${RS}])|[${RS}]+`, 'gu');

/**
 * tokenizer.json models whose ids are known to equal a tiktoken encoding, keyed by the sha256 of
 * their canonical model (see {@link modelDigest}). For those the tiktoken wasm engine computes the
 * ids: 5–6× faster than tokenizers.js (1.1 MB/s) and identical on real text (tested against
 * tokenizers.js when shared/data is present; the Hugging Face file's name and hash stay in the
 * manifest). Any other tokenizer.json runs on tokenizers.js.
 */
const TIKTOKEN_EQUIVALENTS: Record<string, TiktokenEncodingName> = {
  // GPT-2 (openai-community/gpt2 and allenai/OLMo's test tokenizer): 50,257 ids, 50,000 merges.
  'f9f696abb5b06304970c9c4ec010ff0e6197569c1eee27a8e285a7a4f4764534': 'gpt2',
};

interface TokenizerJson {
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  model?: { type?: string; merges?: unknown[]; vocab?: Record<string, number> } & Record<string, unknown>;
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

/** sha256 of what determines ids: normalizer, pre-tokenizer and model (merges as "a b" strings). */
export function modelDigest(json: TokenizerJson): string {
  const model = { ...json.model, merges: (json.model?.merges ?? []).map((m) => (Array.isArray(m) ? m.join(' ') : m)) };
  return createHash('sha256')
    .update(JSON.stringify({ normalizer: json.normalizer ?? null, pre_tokenizer: json.pre_tokenizer ?? null, model }))
    .digest('hex');
}

interface PreTokenizerNode { pattern?: RegExp; use_regex?: boolean; tokenizers?: PreTokenizerNode[] }

/** Replaces tokenizers.js's JavaScript-`\s` GPT-2 split pattern wherever the pre-tokenizer uses it. */
function patchSplitPattern(node: PreTokenizerNode | null | undefined): void {
  if (!node) return;
  if (node.pattern instanceof RegExp && node.pattern.source === GPT2_SPLIT_JS.source) node.pattern = GPT2_SPLIT_RUST;
  for (const child of node.tokenizers ?? []) patchSplitPattern(child);
}

/** Options for {@link loadHuggingFaceBackend}. */
export interface HuggingFaceLoadOptions {
  /** Use tokenizers.js even when a faster equivalent engine is known (benches and equivalence tests). */
  forceTokenizersJs?: boolean;
}

/**
 * Loads a Hugging Face tokenizer.json. Encoding skips the added-token splitter and the
 * post-processor (no BOS/EOS templates): sluice appends EOS itself, and text that looks like an
 * added token is encoded as ordinary text.
 */
export async function loadHuggingFaceBackend(path: string, opts: HuggingFaceLoadOptions = {}): Promise<TokenizerBackend> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`tokenize: cannot read Hugging Face tokenizer ${path}: ${(e as Error).message}`);
  }
  const json = JSON.parse(bytes.toString('utf8')) as TokenizerJson;
  if (!json.model) throw new Error(`tokenize: ${path} is not a tokenizer.json (no "model")`);
  const name = `huggingface:${basename(path)}`;
  const hash = createHash('sha256').update(bytes).digest('hex');
  const specials = new Map((json.added_tokens ?? []).map((t) => [t.content, t.id] as const));
  const vocabSize = Math.max(
    Object.keys(json.model.vocab ?? {}).length,
    ...Object.values(json.model.vocab ?? {}).map((id) => id + 1),
    ...[...specials.values()].map((id) => id + 1),
  );
  const equivalent = opts.forceTokenizersJs ? undefined : TIKTOKEN_EQUIVALENTS[modelDigest(json)];
  if (equivalent) {
    const tk = await loadTiktokenBackend(equivalent);
    return { ...tk, name, engine: `tiktoken-wasm (${equivalent}-equivalent)`, hash, vocabSize, specialTokens: specials };
  }

  const tok = new Tokenizer(json, {});
  patchSplitPattern(tok.pre_tokenizer as unknown as PreTokenizerNode);
  const model = tok.model!;
  const toIds = (model as unknown as { tokens_to_ids: Map<string, number> }).tokens_to_ids;
  const unk = (model as unknown as { unk_token_id?: number }).unk_token_id;
  return {
    name,
    engine: 'tokenizers.js',
    hash,
    vocabSize,
    specialTokens: specials,
    encodeOrdinary(text) {
      const normalized = tok.normalizer ? tok.normalizer(text) : text;
      const pieces = tok.pre_tokenizer ? tok.pre_tokenizer(normalized) : [normalized];
      const tokens = model(pieces);
      const ids = new Uint32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) {
        const id = toIds.get(tokens[i]!) ?? unk;
        if (id === undefined) throw new Error(`tokenize: ${name} has no id for token "${tokens[i]}" and no unk token`);
        ids[i] = id;
      }
      return ids;
    },
    decode: (ids) => (ids.length === 0 ? '' : tok.decode(Array.from(ids), { clean_up_tokenization_spaces: false })),
  };
}

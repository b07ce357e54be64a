import { existsSync, readFileSync } from 'node:fs';
import { Tiktoken } from 'tiktoken/lite';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../../src/ops/tokenize/backend.ts';
import { loadHuggingFaceBackend } from '../../../src/ops/tokenize/huggingface.ts';
import { parseOptions } from '../../../src/ops/operator.ts';
import { tokenize } from '../../../src/ops/tokenize/tokenize.ts';
import { readTokenLists } from '../../../src/arrow/token-lists.ts';
import { FIXTURES, noHeartbeat, realDocs, SHARED_GPT2, textBatch } from './helpers.ts';

const TINY = `${FIXTURES}gpt2-tiny-1500.tokenizer.json`;
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** The same vocabulary as tiktoken ranks (byte-level decoding of each vocab string), for the Rust reference engine. */
function tiktokenFromTokenizerJson(path: string): Tiktoken {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { model: { vocab: Record<string, number> }; added_tokens: { id: number; content: string }[] };
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  const byteOf = new Map(cs.map((c, i) => [String.fromCharCode(c), bs[i]!]));
  const specials = Object.fromEntries(json.added_tokens.map((t) => [t.content, t.id]));
  const lines = Object.entries(json.model.vocab)
    .filter(([tok]) => !(tok in specials))
    .map(([tok, id]) => `${Buffer.from([...tok].map((c) => byteOf.get(c)!)).toString('base64')} ${id}`);
  return new Tiktoken(lines.join('\n'), specials, GPT2_PATTERN);
}

describe('Hugging Face tokenizer.json backend', () => {
  it('a small byte-level BPE tokenizer.json gives the Rust reference ids on real text, BOMs included', async () => {
    const hf = await loadHuggingFaceBackend(TINY);
    expect(hf.engine).toBe('tokenizers.js');
    expect(hf.name).toBe('huggingface:gpt2-tiny-1500.tokenizer.json');
    expect(hf.vocabSize).toBe(1757);
    expect(hf.specialTokens.get('<|endoftext|>')).toBe(1756);
    const ref = tiktokenFromTokenizerJson(TINY);
    const docs = realDocs();
    expect(docs.some((d) => d.text.includes('\ufeff'))).toBe(true);
    for (const d of [...docs.map((x) => x.text), 'a\u0085 b\ufeff c \ufeff\ufeff d\u0085\u0085x']) {
      const ids = hf.encodeOrdinary(d);
      expect(Array.from(ids)).toEqual(Array.from(ref.encode_ordinary(d)));
      expect(hf.decode(ids)).toBe(d);
    }
    ref.free();
  });

  it('runs in the operator with EOS from the added tokens and ordinary special-token text', async () => {
    const o = parseOptions(tokenize, { tokenizer: { huggingface: TINY } });
    const state = await tokenize.init(o);
    const text = 'tokens: <|endoftext|> stays text';
    const { batch } = await tokenize.apply(state, textBatch([text, '']), noHeartbeat);
    const lists = readTokenLists(batch);
    const first = lists.values.subarray(0, lists.offsets[1]!);
    expect(first.at(-1)).toBe(1756);
    expect(first.indexOf(1756)).toBe(first.length - 1);
    expect(state.backend.decode(first.subarray(0, -1))).toBe(text);
    expect(Array.from(lists.values.subarray(lists.offsets[1]!))).toEqual([1756]);
  });

  it('names the file when it cannot be read or is not a tokenizer.json', async () => {
    await expect(loadTokenizer({ huggingface: '/nonexistent/tokenizer.json' })).rejects.toThrow(/cannot read Hugging Face tokenizer \/nonexistent/);
    await expect(loadHuggingFaceBackend(`${FIXTURES}real-docs.jsonl`)).rejects.toThrow();
  });

  it.skipIf(!existsSync(SHARED_GPT2))('shared gpt2 tokenizer.json: tokenizers.js ids equal tiktoken gpt2, and the fast engine is chosen', async () => {
    const slow = await loadHuggingFaceBackend(SHARED_GPT2, { forceTokenizersJs: true });
    const fast = await loadHuggingFaceBackend(SHARED_GPT2);
    const gpt2 = await loadTokenizer('gpt2');
    expect(slow.engine).toBe('tokenizers.js');
    expect(fast.engine).toMatch(/^tiktoken-wasm/);
    expect(fast.hash).toBe(slow.hash);
    expect(fast.hash).not.toBe(gpt2.hash);
    expect(fast.vocabSize).toBe(50257);
    for (const d of realDocs()) {
      const ids = Array.from(gpt2.encodeOrdinary(d.text));
      expect(Array.from(slow.encodeOrdinary(d.text))).toEqual(ids);
      expect(Array.from(fast.encodeOrdinary(d.text))).toEqual(ids);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { getOperator, parseOptions } from '../../../src/ops/operator.ts';
import { tokenize } from '../../../src/ops/tokenize/tokenize.ts';
import { loadTokenizer } from '../../../src/ops/tokenize/backend.ts';
import { readTokenLists } from '../../../src/arrow/token-lists.ts';
import { noHeartbeat, realDocs, textBatch } from './helpers.ts';

const EOS = { gpt2: 50256, r50k_base: 50256, cl100k_base: 100257, o200k_base: 199999 } as const;
const VOCAB = { gpt2: 50257, r50k_base: 50257, cl100k_base: 100277, o200k_base: 200019 } as const;

async function run(options: unknown, texts: ReadonlyArray<string | null>) {
  const o = parseOptions(tokenize, options);
  const state = await tokenize.init(o);
  return { state, result: await tokenize.apply(state, textBatch(texts), noHeartbeat) };
}

describe('tokenize operator', () => {
  it('is registered with documented defaults', () => {
    expect(getOperator('tokenize')).toBe(tokenize);
    const o = parseOptions(tokenize, {});
    expect(o).toMatchObject({ tokenizer: 'gpt2', column: 'text', tokensColumn: 'tokens', countColumn: 'token_count', eos: '<|endoftext|>' });
    expect(tokenize.declare(o)).toMatchObject({ reads: ['text'], writes: ['tokens', 'token_count'], filters: false, kind: 'narrow' });
    expect(() => parseOptions(tokenize, { tokenizer: 'p50k_base' })).toThrow(/invalid options for operator "tokenize"/);
  });

  for (const enc of ['gpt2', 'r50k_base', 'cl100k_base', 'o200k_base'] as const) {
    it(`${enc}: every real document decodes back to its text, followed by EOS`, async () => {
      const docs = realDocs();
      const { state, result } = await run({ tokenizer: enc }, docs.map((d) => d.text));
      expect(state.backend.vocabSize).toBe(VOCAB[enc]);
      const lists = readTokenLists(result.batch);
      const counts = result.batch.getChild('token_count')!.toArray() as Int32Array;
      expect(result.quarantine).toBeUndefined();
      docs.forEach((d, i) => {
        const ids = lists.values.subarray(lists.offsets[i]!, lists.offsets[i + 1]!);
        expect(counts[i]).toBe(ids.length);
        expect(ids[ids.length - 1]).toBe(EOS[enc]);
        const body = ids.subarray(0, ids.length - 1);
        expect(body.includes(EOS[enc])).toBe(false);
        expect(state.backend.decode(body)).toBe(d.text);
      });
      // BPE compresses real text: far fewer ids than UTF-8 bytes.
      const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
      expect(lists.values.length).toBeLessThan(bytes / 2);
    });
  }

  it('keeps the input columns and row order', async () => {
    const o = parseOptions(tokenize, {});
    const state = await tokenize.init(o);
    const { batch } = await tokenize.apply(state, textBatch(['b doc', 'a doc'], { url: ['u1', 'u2'] }), noHeartbeat);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(['text', 'url', 'tokens', 'token_count']);
    expect(batch.getChild('url')!.toArray()).toEqual(['u1', 'u2']);
    expect(Array.from(batch.getChild('tokens')!.get(0)!)).toEqual([65, 2205, 50256]);
  });

  it('encodes special-token-looking text as ordinary text', async () => {
    const text = 'before <|endoftext|> after <|fim_prefix|><|endofprompt|>';
    for (const enc of ['gpt2', 'cl100k_base', 'o200k_base'] as const) {
      const { state, result } = await run({ tokenizer: enc }, [text]);
      const ids = Array.from(readTokenLists(result.batch).values);
      expect(ids.filter((id) => id === EOS[enc])).toEqual([EOS[enc]]);
      expect(ids.at(-1)).toBe(EOS[enc]);
      for (const special of state.backend.specialTokens.values()) expect(ids.slice(0, -1)).not.toContain(special);
      expect(state.backend.decode(Uint32Array.from(ids.slice(0, -1)))).toBe(text);
    }
  });

  it('gives empty and null text only the EOS token', async () => {
    const { result } = await run({}, ['', null, 'x']);
    const lists = readTokenLists(result.batch);
    expect(Array.from(lists.offsets)).toEqual([0, 1, 2, 4]);
    expect(Array.from(lists.values)).toEqual([50256, 50256, 87, 50256]);
    expect(Array.from(result.batch.getChild('token_count')!.toArray() as Int32Array)).toEqual([1, 1, 2]);
  });

  it('supports no EOS, an EOS by id, and names special tokens on a bad EOS', async () => {
    const none = await run({ eos: null }, ['hello', '']);
    expect(Array.from(readTokenLists(none.result.batch).values)).toEqual([31373]);
    const byId = await run({ tokenizer: 'cl100k_base', eos: 100276 }, ['hello']);
    expect(Array.from(readTokenLists(byId.result.batch).values)).toEqual([15339, 100276]);
    const byName = await run({ tokenizer: 'cl100k_base', eos: '<|endofprompt|>' }, ['hello']);
    expect(Array.from(readTokenLists(byName.result.batch).values)).toEqual([15339, 100276]);
    await expect(run({ eos: '<|im_end|>' }, ['x'])).rejects.toThrow(/no special token "<\|im_end\|>".*<\|endoftext\|>/);
    await expect(run({ eos: 60000 }, ['x'])).rejects.toThrow(/outside the vocabulary/);
  });

  it('quarantines documents over maxChars with an empty token list, tokenizing the rest', async () => {
    const { result } = await run({ maxChars: 10 }, ['short', 'this one is too long', 'ok']);
    expect(result.quarantine).toEqual([null, 'tokenize:too_long: 20 chars > maxChars 10', null]);
    const lists = readTokenLists(result.batch);
    expect(Array.from(lists.offsets)).toEqual([0, 2, 2, 4]);
    expect(Array.from(result.batch.getChild('token_count')!.toArray() as Int32Array)).toEqual([2, 0, 2]);
  });

  it('names the columns when the text column is missing', async () => {
    const o = parseOptions(tokenize, { column: 'body' });
    const state = await tokenize.init(o);
    expect(() => tokenize.apply(state, textBatch(['x']), noHeartbeat)).toThrow(/no column "body" \(columns: text\)/);
  });

  it('loads ranks once per thread and shares them between instances', async () => {
    expect(await loadTokenizer('cl100k_base')).toBe(await loadTokenizer('cl100k_base'));
    const a = await tokenize.init(parseOptions(tokenize, { tokenizer: 'o200k_base' }));
    const b = await tokenize.init(parseOptions(tokenize, { tokenizer: 'o200k_base', eos: null }));
    expect(a.backend).toBe(b.backend);
  });

  it('reports the ranks file hash and engine', async () => {
    const gpt2 = await loadTokenizer('gpt2');
    const r50k = await loadTokenizer('r50k_base');
    expect(gpt2.engine).toBe('tiktoken-wasm');
    expect(gpt2.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(gpt2.hash).toBe(r50k.hash);
    expect((await loadTokenizer('cl100k_base')).hash).not.toBe(gpt2.hash);
  });
});

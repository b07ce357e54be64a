// The README's "write your own operator" example, kept honest by running it.
import { RecordBatch, makeData, Int32, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { col, defineFilter, defineOperator, fromRecords, setColumn, utf8Vector } from '../../src/index.ts';

/** Drops documents with fewer than `min` words; annotates the rest with `word_count`. */
export const minWords = defineOperator({
  name: 'example.min_words',
  options: z.object({
    /** Fewest words a document may have (default 50, Gopher's lower bound). */
    min: z.number().int().positive().default(50),
    column: z.string().default('text'),
  }),
  declare: (o) => ({
    reads: [o.column], writes: ['word_count'], removes: [], filters: true, kind: 'narrow',
    costPerRow: 500, selectivity: 0.8, dropReasons: ['example.min_words:too_short'],
  }),
  init: (o) => o,
  apply: (o, batch, ctx) => {
    const texts = batch.getChild(o.column)!;
    const counts = new Int32Array(batch.numRows);
    const drop: (string | null)[] = [];
    for (let i = 0; i < batch.numRows; i++) {
      ctx.heartbeat(i);
      counts[i] = String(texts.get(i) ?? '').split(/\s+/).filter(Boolean).length;
      drop.push(counts[i]! < o.min ? 'example.min_words:too_short' : null);
    }
    const wordCount = makeData({ type: new Int32(), length: batch.numRows, data: counts });
    return { batch: setColumn(batch, 'word_count', wordCount), drop };
  },
});

/** The same rule as a per-document check: `defineFilter` loops, prefixes and declares the reason. */
export const minWordsFilter = defineFilter({
  name: 'example.min_words_filter',
  options: z.object({ min: z.number().int().positive().default(50), column: z.string().default('text') }),
  reasons: ['too_short'],
  declare: (o) => ({ reads: [o.column], costPerRow: 500, selectivity: 0.8 }),
  column: (o) => o.column,
  check: (o, text) => (text.split(/\s+/).filter(Boolean).length < o.min ? 'too_short' : null),
});

describe('a user-defined operator', () => {
  it('is a plain function over a batch: no pool, no files', async () => {
    const text = utf8Vector(['one two three', 'a much longer document with quite a few words in it']);
    const batch = new RecordBatch({ text: text.data[0]! });
    const state = await minWords.init(minWords.options.parse({ min: 5 }));
    const result = await minWords.apply(state, batch, { heartbeat: () => {} });
    expect(result.drop).toEqual(['example.min_words:too_short', null]);
    expect([...(result.batch.getChild('word_count')!.toArray() as Int32Array)]).toEqual([3, 11]);
  });

  it('runs inside a DataFrame pipeline, with its options validated when the pipeline is built', async () => {
    const docs = fromRecords([
      { id: 'a', text: 'short' },
      { id: 'b', text: 'this one has enough words to pass' },
      { id: 'c', text: null },
    ]);
    const kept: Table = await docs.apply(minWords, { min: 4 }).filter(col('id').neq('z')).collect();
    expect(kept.getChild('id')!.toArray()).toEqual(['b']);
    expect(() => docs.apply(minWords, { min: -1 })).toThrow(/invalid options for operator "example.min_words": min/);
  });

  it('can be a per-document filter whose reasons get the operator name as prefix', async () => {
    const o = minWordsFilter.options.parse({ min: 5 });
    expect(minWordsFilter.declare(o)).toMatchObject({ filters: true, dropReasons: ['example.min_words_filter:too_short'] });
    const batch = new RecordBatch({ text: utf8Vector(['one two three', 'a much longer document with quite a few words in it']).data[0]! });
    const result = await minWordsFilter.apply(await minWordsFilter.init(o), batch, { heartbeat: () => {} });
    expect(result.drop).toEqual(['example.min_words_filter:too_short', null]);
  });
});

import { describe, expect, it } from 'vitest';
import { fromRecords } from '../../src/dataframe/read.ts';
import type { DataFrame } from '../../src/dataframe/dataframe.ts';
import { tokensSink } from '../../src/io/token-shards/sink.ts';
import type { LogicalPlan, SinkSpec } from '../../src/plan/logical-plan.ts';
import { analyzePlan } from '../../src/planner/analyze.ts';
import { tokenize } from '../../src/ops/tokenize/tokenize.ts';

const docs = fromRecords([{ id: 'a', text: 'hello world' }]);
const sinkOf = (frame: DataFrame, sink: SinkSpec): LogicalPlan => ({ kind: 'sink', input: frame.plan, sink });

type TokensSpec = Extract<SinkSpec, { format: 'tokens' }>;

async function plannedSink(plan: LogicalPlan): Promise<TokensSpec> {
  const analyzed = await analyzePlan(plan);
  if (analyzed.kind !== 'sink' || analyzed.sink.format !== 'tokens') throw new Error('expected a tokens sink');
  return analyzed.sink;
}

describe('the tokens sink takes its tokenizer from the tokenize step', () => {
  it('fills tokenizer, EOS and tokens column from the step before it', async () => {
    const frame = docs.apply(tokenize, { tokenizer: 'cl100k_base', eos: null, tokensColumn: 'ids' }).select('id', 'ids');
    const sink = await plannedSink(sinkOf(frame, tokensSink('/tmp/t', { shuffleSeed: 3 })));
    expect(sink.options).toEqual({ tokenizer: 'cl100k_base', eos: null, tokensColumn: 'ids', shuffleSeed: 3 });
    // Planning an already planned plan gives the same sink.
    expect(await plannedSink({ kind: 'sink', input: frame.plan, sink })).toEqual(sink);
  });

  it('refuses a tokenizer given to the sink', () => {
    expect(() => tokensSink('/tmp/t', { tokenizer: 'gpt2' } as never)).toThrow('tokens sink: (options): Unrecognized key: "tokenizer"');
  });

  it('a tokens sink without a tokenize step before it is a plan-time error', async () => {
    await expect(analyzePlan(sinkOf(docs, tokensSink('/tmp/t')))).rejects.toThrow(
      'tokens sink /tmp/t: no tokenize step before it; add .apply(tokenize, { tokenizer })');
  });

  it('a planned sink naming another tokenizer than the step is refused', async () => {
    const frame = docs.apply(tokenize, { tokenizer: 'gpt2' });
    const sink: SinkSpec = { format: 'tokens', path: '/tmp/t', options: { tokenizer: 'o200k_base' } };
    await expect(analyzePlan(sinkOf(frame, sink))).rejects.toThrow(
      'tokens sink /tmp/t: tokenizer "o200k_base" differs from the tokenize step\'s "gpt2"');
  });

  it('union branches must tokenize alike', async () => {
    const a = docs.apply(tokenize, { tokenizer: 'gpt2' });
    const b = docs.apply(tokenize, { tokenizer: 'o200k_base' });
    await expect(analyzePlan(sinkOf(a.union(b), tokensSink('/tmp/t')))).rejects.toThrow('different tokenizers');
    expect((await plannedSink(sinkOf(a.union(a), tokensSink('/tmp/t')))).options['tokenizer']).toBe('gpt2');
  });

  it('checks that the tokens column reaches the sink', async () => {
    const frame = docs.apply(tokenize).select('id', 'text');
    await expect(analyzePlan(sinkOf(frame, tokensSink('/tmp/t')))).rejects.toThrow(
      'tokens sink: column "tokens" does not exist; available columns: id, text');
  });
});

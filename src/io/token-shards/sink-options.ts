import { z } from 'zod';
import { tokenize, tokenizeOptions } from '../../ops/tokenize/tokenize.ts';
import type { LogicalPlan, SinkSpec } from '../../plan/logical-plan.ts';

/**
 * Options of the `tokens` sink as a pipeline gives them. The tokenizer and EOS are not among them:
 * the sink takes them from the `tokenize` step before it ({@link resolveTokensSink}), so the two can
 * never disagree (a mismatch used to surface only after the whole run, as ids outside the vocabulary).
 */
export const tokensSinkOptions = z.strictObject({
  /**
   * `datatrove` (default): `tokens-NNNNN.ds` + `.ds.index`. `megatron`: Megatron-LM's indexed
   * dataset, `tokens-NNNNN.bin` + `.idx`, one sequence per document (docs/token-format.md).
   */
  layout: z.enum(['datatrove', 'megatron']).optional(),
  /** `List<Uint32>` column written to the shards (default: the tokenize step's `tokensColumn`). */
  tokensColumn: z.string().optional(),
  /** Close a shard before a document would take it past this many tokens (default 2^30). */
  maxTokensPerShard: z.number().int().positive().optional(),
  /** Global deterministic document shuffle with this seed (two passes; see createTokenShardWriter). */
  shuffleSeed: z.number().int().min(0).max(0xffffffff).optional(),
  /** Also write the rows (without the token ids) as Parquet parts into this directory, for inspection. */
  documents: z.string().optional(),
});
export type TokensSinkOptions = z.input<typeof tokensSinkOptions>;

/** The options the planner hands to the sink: the user's plus the tokenize step's tokenizer and EOS. */
const resolvedTokensSinkOptions = tokensSinkOptions.extend({
  tokenizer: tokenizeOptions.shape.tokenizer.unwrap(),
  eos: tokenizeOptions.shape.eos.unwrap(),
  tokensColumn: z.string(),
});
export type ResolvedTokensSinkOptions = z.output<typeof resolvedTokensSinkOptions>;

/**
 * A `tokens` sink spec for a pipeline's `{ frame, sink }` result: token shards + `manifest.json`
 * in `path` (format: docs/token-format.md), as datatrove `.ds` files or, with
 * `{ layout: 'megatron' }`, Megatron-LM `.bin` + `.idx` pairs. Options are validated now, not at
 * the end of a run.
 */
export function tokensSink(path: string, options: TokensSinkOptions = {}): SinkSpec {
  return { format: 'tokens', path, options: parse(tokensSinkOptions, options) as Record<string, unknown> };
}

/** The options of a planned tokens sink (what workers and the finalizer receive). */
export function resolvedSinkOptions(sink: SinkSpec): ResolvedTokensSinkOptions {
  if (sink.format !== 'tokens') throw new Error(`tokens sink: got a ${sink.format} sink spec`);
  return parse(resolvedTokensSinkOptions, sink.options);
}

/**
 * Completes a tokens sink with the tokenizer, EOS and (unless given) tokens column of the
 * `tokenize` step before it; the analyzer calls it on every tokens sink. A sink with no tokenize
 * step before it, or over a union whose branches tokenize differently, is a plan-time error.
 * Idempotent: a sink already completed from the same step is returned as it is.
 */
export function resolveTokensSink(sink: SinkSpec, input: LogicalPlan): SinkSpec {
  if (sink.format !== 'tokens') return sink;
  const step = findTokenize(input);
  if (!step) {
    throw new Error(`tokens sink ${sink.path}: no ${tokenize.name} step before it; add .apply(tokenize, { tokenizer }) ` +
      '(the sink takes the tokenizer from that step)');
  }
  const { tokenizer, eos, tokensColumn } = tokenizeOptions.parse(step.options);
  for (const [key, value] of Object.entries({ tokenizer, eos })) {
    const given = sink.options[key];
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(value)) {
      throw new Error(`tokens sink ${sink.path}: ${key} ${JSON.stringify(given)} differs from the ${tokenize.name} step's ` +
        `${JSON.stringify(value)}; name it only in the ${tokenize.name} step`);
    }
  }
  const options = parse(resolvedTokensSinkOptions, { ...sink.options, tokensColumn: sink.options['tokensColumn'] ?? tokensColumn, tokenizer, eos });
  return { ...sink, options: options as Record<string, unknown> };
}

type ApplyNode = Extract<LogicalPlan, { kind: 'apply' }>;

/** The nearest tokenize step below a node; every branch of a union must tokenize alike. */
function findTokenize(plan: LogicalPlan): ApplyNode | undefined {
  switch (plan.kind) {
    case 'apply': return plan.op === tokenize.name ? plan : findTokenize(plan.input);
    case 'scan': return undefined;
    case 'union': {
      const found = plan.inputs.map(findTokenize);
      const first = found[0];
      if (!first || found.some((f) => !f)) return undefined;
      const key = (s: ApplyNode) => JSON.stringify([s.options['tokenizer'], s.options['eos']]);
      if (found.some((f) => key(f!) !== key(first))) {
        throw new Error(`tokens sink: the branches of a union are tokenized with different tokenizers or EOS; tokenize after the union`);
      }
      return first;
    }
    default: return findTokenize(plan.input);
  }
}

function parse<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const r = schema.safeParse(options ?? {});
  if (!r.success) throw new Error(`tokens sink: ${r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

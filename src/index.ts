/**
 * The sluice library API: build a lazy DataFrame from a source, chain verbs, run an action.
 *
 * @example
 * import { readJsonl, col, languageId } from 'sluice';
 * const en = await readJsonl('corpus/').apply(languageId, { languages: ['en'] })
 *   .filter(col('text').length().gt(200)).collect();
 */
export { DataFrame, type CollectOptions, type SelectArg } from './dataframe/dataframe.ts';
export { readJsonl, readParquet, readArrow, readWarc, fromRecords, type PathsArg, type JsonlReadOptions, type WarcReadOptions } from './dataframe/read.ts';
export { col, lit, and, or, not, Expr, type ExprLike, type ExprNode, type Scalar } from './plan/expr.ts';
export type { RunOptions } from './dataframe/actions.ts';
export {
  defineOperator, getOperator, parseOptions,
  type Operator, type OperatorDecl, type OperatorResult, type ApplyContext,
} from './ops/operator.ts';
export { type FilterStats } from './ops/filters/filter-stats.ts';
export { defineFilter, type FilterSpec, type FilterDecl, type FilterState, type Rewrite, type BatchVerdict } from './ops/filters/define-filter.ts';
export * from './ops/index.ts';
export { minhash, exact, byUrl } from './ops/dedup/specs.ts';
export { substrings, SubstringDedupOptions } from './ops/dedup/substrings-options.ts';
export { setColumn, dropColumns, selectColumns } from './arrow/batch.ts';
export { utf8Vector, Utf8Builder } from './arrow/utf8.ts';
export { parquetSink, jsonlSink } from './io/sinks.ts';
export { tokensSink, type TokensSinkOptions } from './io/token-shards/sink.ts';
export { readTokenShards, readTokenShardManifest, type ShardDocument, type TokenShardManifest } from './io/token-shards/writer.ts';
export { TIKTOKEN_ENCODINGS, type TokenizerSpec } from './ops/tokenize/backend.ts';
export type { SinkSpec } from './plan/logical-plan.ts';
export { definePipeline, type Pipeline, type PipelineContext, type PipelineResult } from './cli/pipeline-module.ts';
export { optimize, planPhysical, explainText } from './planner/index.ts';
export type { LogicalPlan, PhysicalPlan } from './planner/index.ts';

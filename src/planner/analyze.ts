import type { LogicalPlan } from '../plan/logical-plan.ts';
import { getReader } from '../io/sources.ts';
import { resolveRemoteInputs } from '../io/remote-inputs.ts';
import { resolveTokensSink } from '../io/token-shards/sink-options.ts';
import { checkColumns } from './check-columns.ts';

/**
 * Resolves and checks a plan before optimization, so that errors about the pipeline itself come
 * before any task runs. As Catalyst's analyzer resolves relations, it fills in each scan's schema
 * from the reader (Parquet/Arrow metadata, a JSONL sample; scans whose schema is set are left
 * alone): column pruning and `explain` need it; `s3://` prefixes and patterns among a scan's paths
 * are listed here, once (`io/remote-inputs.ts`). It completes a tokens sink with the tokenizer of
 * the tokenize step before it. Then it refuses a projection naming one output column twice (which
 * of the two a reader gets would be arbitrary) and any step reading a column its input lacks
 * (`check-columns.ts`).
 */
export async function analyzePlan(plan: LogicalPlan): Promise<LogicalPlan> {
  const resolved = await resolve(plan);
  checkColumns(resolved);
  return resolved;
}

async function resolve(plan: LogicalPlan): Promise<LogicalPlan> {
  switch (plan.kind) {
    case 'scan': {
      const paths = await resolveRemoteInputs(plan.source.format, plan.source.paths);
      const scan = paths === plan.source.paths ? plan : { ...plan, source: { ...plan.source, paths } };
      if (scan.source.schema) return scan;
      const schema = await getReader(scan.source.format).inspect(scan.source);
      return schema ? { ...scan, source: { ...scan.source, schema } } : scan;
    }
    case 'select': case 'withColumns': {
      const seen = new Set<string>();
      for (const { name } of plan.columns) {
        if (seen.has(name)) throw new Error(`${plan.kind === 'select' ? 'select' : 'withColumns'}: column "${name}" is named twice`);
        seen.add(name);
      }
      return { ...plan, input: await resolve(plan.input) };
    }
    case 'sink': {
      const input = await resolve(plan.input);
      return { ...plan, input, sink: resolveTokensSink(plan.sink, input) };
    }
    case 'union':
      return { ...plan, inputs: await Promise.all(plan.inputs.map(resolve)) };
    default:
      return { ...plan, input: await resolve(plan.input) };
  }
}

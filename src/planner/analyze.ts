import type { LogicalPlan } from '../plan/logical-plan.ts';
import { getReader } from '../io/sources.ts';

/**
 * Fills in each scan's schema from the reader (Parquet/Arrow metadata, a JSONL sample) before
 * optimization, as Catalyst's analyzer resolves relations: column pruning and `explain` need to
 * know what a source provides. Scans whose schema is already set are left alone.
 */
export async function analyzePlan(plan: LogicalPlan): Promise<LogicalPlan> {
  switch (plan.kind) {
    case 'scan': {
      if (plan.source.schema) return plan;
      const schema = await getReader(plan.source.format).inspect(plan.source);
      return schema ? { ...plan, source: { ...plan.source, schema } } : plan;
    }
    case 'union':
      return { ...plan, inputs: await Promise.all(plan.inputs.map(analyzePlan)) };
    default:
      return { ...plan, input: await analyzePlan(plan.input) };
  }
}

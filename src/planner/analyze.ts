import type { LogicalPlan } from '../plan/logical-plan.ts';
import { getReader } from '../io/sources.ts';

/**
 * Fills in each scan's schema from the reader (Parquet/Arrow metadata, a JSONL sample) before
 * optimization, as Catalyst's analyzer resolves relations: column pruning and `explain` need to
 * know what a source provides. Scans whose schema is already set are left alone. A projection
 * naming one output column twice is refused here, before any task runs: which of the two a reader
 * gets would be arbitrary.
 */
export async function analyzePlan(plan: LogicalPlan): Promise<LogicalPlan> {
  switch (plan.kind) {
    case 'scan': {
      if (plan.source.schema) return plan;
      const schema = await getReader(plan.source.format).inspect(plan.source);
      return schema ? { ...plan, source: { ...plan.source, schema } } : plan;
    }
    case 'select': case 'withColumns': {
      const seen = new Set<string>();
      for (const { name } of plan.columns) {
        if (seen.has(name)) throw new Error(`${plan.kind === 'select' ? 'select' : 'withColumns'}: column "${name}" is named twice`);
        seen.add(name);
      }
      return { ...plan, input: await analyzePlan(plan.input) };
    }
    case 'union':
      return { ...plan, inputs: await Promise.all(plan.inputs.map(analyzePlan)) };
    default:
      return { ...plan, input: await analyzePlan(plan.input) };
  }
}

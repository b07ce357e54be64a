import { analyzePlan } from '../dataframe/analyze.ts';
import { partitionSource } from '../dataframe/sources/index.ts';
import { explainText } from '../planner/explain.ts';
import { optimize } from '../planner/optimize.ts';
import { planPhysical } from '../planner/physical-planner.ts';
import type { PhysicalPlan } from '../planner/physical-plan.ts';
import { loadPipeline, pipelineContext } from './pipeline-module.ts';

export interface PipelineArgs {
  pipeline: string;
  input: string;
  output: string;
  pattern?: string | undefined;
  options: Record<string, string>;
  /** Optimizer rules to skip (`--disable-rule`). */
  disabledRules?: string[];
}

/**
 * Loads a pipeline script and plans it: analyze → optimize → physical plan. The script's module
 * is added to the plan's `modules` so workers register the operators it defines.
 */
export async function planPipeline(args: PipelineArgs): Promise<{ physical: PhysicalPlan; explain: () => string }> {
  const ctx = pipelineContext(args.input, args.output, args.options, args.pattern);
  const { plan, module } = await loadPipeline(args.pipeline, ctx);
  const logical = await analyzePlan(plan);
  const { plan: optimized, fired } = optimize(logical, { disabledRules: args.disabledRules ?? [] });
  const physical = await planPhysical(optimized, { partition: partitionSource, modules: [module] });
  return { physical, explain: () => explainText({ logical, optimized, fired, physical }) };
}

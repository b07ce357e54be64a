import type { PhysicalPlan } from '../plan/physical-plan.ts';
import { planQuery } from '../planner/plan-query.ts';
import { loadPipeline, openPipelineContext, type PipelineInput } from './pipeline-module.ts';

export interface PipelineArgs {
  pipeline: string;
  /** `--input` (a directory or `s3://` prefix), or `--input-list` with its `--input-prefix`. */
  input: PipelineInput;
  output: string;
  pattern?: string | undefined;
  options: Record<string, string>;
  /** Optimizer rules to skip (`--disable-rule`). */
  disabledRules?: string[];
  /** Input bytes per scan task (`--task-bytes`; default the planner's). */
  taskBytes?: number;
}

/**
 * Loads a pipeline script and plans it. The script's module is added to the plan's `modules` so
 * workers register the operators it defines.
 */
export async function planPipeline(args: PipelineArgs): Promise<{ physical: PhysicalPlan; explain: () => string }> {
  const ctx = await openPipelineContext(args.input, args.output, args.options, args.pattern);
  const { plan, module } = await loadPipeline(args.pipeline, ctx);
  return planQuery(plan, { disabledRules: args.disabledRules ?? [], modules: [module], ...(args.taskBytes ? { partitionBytes: args.taskBytes } : {}) });
}

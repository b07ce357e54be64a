export type { DedupSpec, FieldSpec, LogicalPlan, PlanKind, SinkSpec, SourceSpec } from './logical-plan.ts';
export { DOC_FILE, DOC_POS, SYSTEM_COLUMNS } from './logical-plan.ts';
export type { PartitionSpec, PhysicalPlan, PhysicalStage, PhysicalStep, StageInput, WideStep } from './physical-plan.ts';
export { optimize, DEFAULT_BATCHES, type OptimizeOptions } from './optimize.ts';
export { runBatches, type Rule, type RuleBatch, type RuleFiring, type RunBatchesResult } from './rule-executor.ts';
export { planPhysical, type PhysicalPlanningContext } from './physical-planner.ts';
export { explainText } from './explain.ts';
export { formatExpr, formatLogical, formatPhysical } from './format-plan.ts';
export { children, mapChildren, outputColumns, transformDown, transformUp } from './plan-utils.ts';

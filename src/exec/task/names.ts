import { applyLabel } from '../../plan/apply-label.ts';
import type { PhysicalPlan, PhysicalStage, PhysicalStep } from '../../plan/physical-plan.ts';

function baseName(step: PhysicalStep): string { return step.kind === 'apply' ? applyLabel(step.op, step.options) : step.kind; }

/**
 * Names of a stage's task steps for stats: `scan` (+ `limit` when the scan carries a limit)
 * for scan stages, then `applyLabel` for `apply` (the op name; `<op> (tag)` for a tag step) and
 * the kind for other steps. A repeated name gets `#2`, `#3`, ... `taken` carries names across
 * stages so a whole plan's names are unique.
 */
export function stageStepNames(stage: PhysicalStage, taken: Map<string, number> = new Map()): string[] {
  const bases: string[] = [];
  if (stage.input.kind === 'scan') {
    bases.push('scan');
    if (stage.input.limit !== undefined) bases.push('limit');
  }
  for (const s of stage.steps) bases.push(baseName(s));
  return bases.map((b) => {
    const n = (taken.get(b) ?? 0) + 1;
    taken.set(b, n);
    return n === 1 ? b : `${b}#${n}`;
  });
}

/** Step names of every stage of a plan, unique across the plan, by stage id. */
export function planStepNames(plan: PhysicalPlan): Map<string, string[]> {
  const taken = new Map<string, number>();
  return new Map(plan.stages.map((s) => [s.id, stageStepNames(s, taken)]));
}

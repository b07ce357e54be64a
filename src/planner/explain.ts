import type { LogicalPlan } from '../plan/logical-plan.ts';
import type { PhysicalPlan } from '../plan/physical-plan.ts';
import type { RuleFiring } from './rule-executor.ts';
import { formatLogical, formatPhysical } from './format-plan.ts';

/** Groups firings as `batch: rule ×n, rule` in first-fired order. */
function formatFirings(fired: readonly RuleFiring[]): string {
  if (fired.length === 0) return 'Rules fired: none';
  const byBatch = new Map<string, Map<string, number>>();
  for (const f of fired) {
    const rules = byBatch.get(f.batch) ?? new Map<string, number>();
    rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
    byBatch.set(f.batch, rules);
  }
  const lines = ['Rules fired:'];
  for (const [batch, rules] of byBatch) {
    const list = [...rules].map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(', ');
    lines.push(`  ${batch}: ${list}`);
  }
  return lines.join('\n');
}

/**
 * The text `explain()` and `sluice explain` print: the plan as written, the optimized plan with the
 * rules that changed it, and the stages that will run with their boundaries and partition counts.
 */
export function explainText(parts: {
  logical: LogicalPlan;
  optimized: LogicalPlan;
  fired: RuleFiring[];
  physical: PhysicalPlan;
}): string {
  return [
    '== Logical plan ==',
    formatLogical(parts.logical),
    '',
    '== Optimized plan ==',
    formatLogical(parts.optimized),
    formatFirings(parts.fired),
    '',
    '== Physical plan ==',
    formatPhysical(parts.physical),
    '',
  ].join('\n');
}

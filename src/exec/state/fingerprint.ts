import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { hasher } from '../../storage/hash.ts';

/** JSON with object keys sorted, so equal plans give equal text whatever their construction order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/**
 * Identifies what a run computes: the physical plan (sources with their partitions, steps, sinks)
 * plus the options that change outputs (batch size, ...). Options that do not change outputs, such
 * as the worker count, must not be passed here: resuming with more workers is allowed.
 */
export async function planFingerprint(plan: PhysicalPlan, outputOptions: Record<string, unknown>): Promise<string> {
  const h = await hasher();
  return h.h64ToString(canonicalJson({ plan, options: outputOptions })).padStart(16, '0');
}

import type { ExprNode } from '../plan/expr.ts';
import type { DedupSpec, LogicalPlan, SourceSpec } from '../plan/logical-plan.ts';
import type { PartitionSpec, PhysicalPlan, PhysicalStage, PhysicalStep, WideStep } from '../plan/physical-plan.ts';

/** What physical planning needs from the outside world. */
export interface PhysicalPlanningContext {
  /** Splits a source into partitions (per file, byte range, Parquet row groups); see SourceReader. */
  partition(source: SourceSpec, scan: { columns?: string[]; predicate?: ExprNode }): Promise<PartitionSpec[]>;
  /** Modules workers import so that user-defined operators are registered. */
  modules?: string[];
}

/**
 * Turns an (optimized) logical plan into stages. Each maximal run of narrow steps is fused into one
 * stage that runs one task per partition; a new stage starts only where rows must move between
 * partitions: `dedup`, `repartition`, a `wide` apply, and a global `limit` that more work follows.
 *
 * - A union's branches each become (or end) a stage; the consuming stage reads `{kind:'stages'}`
 *   with one partition per upstream partition, in branch order (see `PartitionSpec.upstream`).
 * - A wide stage has as many partitions as the `repartition` asks, else as its parent stage.
 * - `limit` stays a per-partition step and marks the stage with `limit`: the executor keeps the first
 *   n rows of the concatenated output in partition order. Only select/withColumns/drop (row-local,
 *   never dropping rows) may follow it in the stage; a filter, apply or another limit after it
 *   starts a new single-partition stage reading the parent through a wide `limit`.
 * - Stages are listed in dependency order; the last one outputs `result` unless a sink ends it.
 */
export async function planPhysical(plan: LogicalPlan, ctx: PhysicalPlanningContext): Promise<PhysicalPlan> {
  const stages: PhysicalStage[] = [];

  const newStage = (input: PhysicalStage['input'], partitions: PartitionSpec[]): PhysicalStage => {
    const stage: PhysicalStage = { id: `s${stages.length}`, input, partitions, steps: [], output: { kind: 'stage' } };
    stages.push(stage);
    return stage;
  };

  const wideStage = (parent: PhysicalStage, wide: WideStep, count: number): PhysicalStage =>
    newStage({ kind: 'wide', stage: parent.id, wide }, Array.from({ length: count }, (_, index) => ({ index })));

  /** Returns the open stage that produces `p`'s rows, so a consumer can append steps to it. */
  const build = async (p: LogicalPlan): Promise<PhysicalStage> => {
    switch (p.kind) {
      case 'scan': {
        const scan = { ...(p.columns ? { columns: p.columns } : {}), ...(p.predicate ? { predicate: p.predicate } : {}) };
        const partitions = await ctx.partition(p.source, scan);
        return newStage({ kind: 'scan', source: p.source, ...scan, ...(p.limit !== undefined ? { limit: p.limit } : {}) }, partitions);
      }
      case 'union': {
        const branches: PhysicalStage[] = [];
        for (const input of p.inputs) branches.push(await build(input));
        const partitions: PartitionSpec[] = [];
        for (const b of branches) {
          for (const part of b.partitions) partitions.push({ index: partitions.length, upstream: { stage: b.id, partition: part.index } });
        }
        return newStage({ kind: 'stages', stages: branches.map((b) => b.id) }, partitions);
      }
      case 'dedup': {
        const parent = await build(p.input);
        const stage = wideStage(parent, { kind: 'dedup', dedup: p.dedup }, parent.partitions.length);
        // Drops the documents the wide phases did not keep, with its reason (src/ops/dedup/filter-op.ts);
        // substring dedup cuts spans out of the text instead (src/ops/dedup/substrings-op.ts).
        stage.steps.push(p.dedup.strategy === 'substrings'
          ? { kind: 'apply', op: 'substring_dedup', options: p.dedup.options }
          : { kind: 'apply', op: 'dedup', options: { strategy: p.dedup.strategy, ...(hasIndexes(p.dedup) ? { index: true } : {}) } });
        return stage;
      }
      case 'repartition': {
        const parent = await build(p.input);
        return wideStage(parent, { kind: 'repartition', partitions: p.partitions }, p.partitions);
      }
      case 'apply': {
        const parent = await build(p.input);
        if (p.decl.kind === 'wide') {
          return wideStage(parent, { kind: 'apply', op: p.op, options: p.options }, parent.partitions.length);
        }
        return append(parent, { kind: 'apply', op: p.op, options: p.options });
      }
      case 'filter':
        return append(await build(p.input), { kind: 'filter', predicate: p.predicate });
      case 'select':
        return append(await build(p.input), { kind: 'select', columns: p.columns });
      case 'withColumns':
        return append(await build(p.input), { kind: 'withColumns', columns: p.columns });
      case 'drop':
        return append(await build(p.input), { kind: 'drop', columns: p.columns });
      case 'limit': {
        const stage = append(await build(p.input), { kind: 'limit', n: p.n });
        stage.limit = p.n;
        return stage;
      }
      case 'sink': {
        const stage = await build(p.input);
        stage.output = { kind: 'sink', sink: p.sink };
        return stage;
      }
    }
  };

  const append = (stage: PhysicalStage, step: PhysicalStep): PhysicalStage => {
    const rowLocal = step.kind === 'select' || step.kind === 'withColumns' || step.kind === 'drop';
    const target = stage.limit !== undefined && !rowLocal ? wideStage(stage, { kind: 'limit', n: stage.limit }, 1) : stage;
    target.steps.push(step);
    return target;
  };

  const last = await build(plan);
  if (last.output.kind === 'stage') last.output = { kind: 'result' };
  return { stages, modules: [...(ctx.modules ?? [])] };
}

/** Whether a dedup reads earlier runs' indexes (its step then declares `dedup:index_duplicate`). */
function hasIndexes(spec: DedupSpec): boolean {
  const against = spec.options['againstIndexes'];
  return Array.isArray(against) && against.length > 0;
}

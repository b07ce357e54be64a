import type { Table } from 'apache-arrow';
import { writeSinkFile } from '../../io/sinks.ts';
import type { LogicalPlan } from '../../plan/logical-plan.ts';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { planQuery } from '../../planner/plan-query.ts';
import { MemoryBlobStore } from '../../storage/memory-blob-store.ts';
import type { StepStats } from '../accounting/counters.ts';
import { inThreadExecutor } from '../pool/in-thread-executor.ts';
import { readCheckpoint } from '../state/checkpoint.ts';
import { planFingerprint } from '../state/fingerprint.ts';
import { keys } from '../state/layout.ts';
import { readQuarantine, type QuarantineRecord } from '../task/execute-task.ts';
import { silentProgress } from './progress.ts';
import { resultBatches, resultTable } from './results.ts';
import { collectStats } from './run-stats.ts';
import { scheduleGraph } from './schedule.ts';
import { buildTaskGraph } from '../graph/task-graph.ts';

export interface LocalRunOptions {
  /** Run the optimizer (default true). */
  optimize?: boolean;
  /** Optimizer rules to skip (see `RULE_NAMES` in src/planner/optimize.ts). */
  disabledRules?: string[];
  /** Rows per batch (default: the task runner's). */
  batchSize?: number;
  /** Partition size to aim for (default: the readers'). */
  partitionBytes?: number;
}

export interface LocalRunResult {
  /** Rows of the final stage (the rows written, for a sink), system columns included. */
  table: Table;
  /** Per step counters summed over each stage's tasks, in stage and step order (as in stats.json). */
  stats: StepStats[];
  physical: PhysicalPlan;
  /** Quarantined documents, by stage, task and input order. */
  quarantined: QuarantineRecord[];
}

/**
 * Executes a plan in this thread for `collect()` and the DataFrame's write actions: the same
 * planning and the same task entry as `sluice run`, committing into an in-memory store, so both
 * give the same rows in the same order and the same counters for every plan. A final sink is
 * written as one file (what `writeParquet(path)` promises) instead of one part per task.
 */
export async function executePlan(plan: LogicalPlan, opts: LocalRunOptions = {}): Promise<LocalRunResult> {
  const planned = await planQuery(plan, {
    optimize: opts.optimize ?? true,
    ...(opts.disabledRules ? { disabledRules: opts.disabledRules } : {}),
    ...(opts.partitionBytes ? { partitionBytes: opts.partitionBytes } : {}),
  });
  const physical = planned.physical;
  const last = physical.stages[physical.stages.length - 1]!;
  const sink = last.output.kind === 'sink' ? last.output.sink : undefined;
  // The final stage returns its rows here; a sink is written from them below.
  const run: PhysicalPlan = sink ? { ...physical, stages: [...physical.stages.slice(0, -1), { ...last, output: { kind: 'result' } }] } : physical;
  const batchSize = opts.batchSize ?? 8192;
  const fingerprint = await planFingerprint(run, { batchSize });
  const store = new MemoryBlobStore();
  const started = Date.now();
  const { resultParts: parts } = await scheduleGraph({
    plan: run, fingerprint, store, executor: inThreadExecutor, progress: silentProgress,
    batchSize, docTimeoutMs: Infinity, retries: 0, startedAt: started,
  }, buildTaskGraph(run, { finalize: false }));
  const stats = await collectStats(store, run, fingerprint, Date.now() - started);
  const batches = await resultBatches(store, run.stages[run.stages.length - 1]!, parts);
  if (sink) await writeSinkFile(sink, batches);
  return { table: resultTable(batches), stats: stats.steps, physical, quarantined: await quarantinedDocs(store, run) };
}

async function quarantinedDocs(store: MemoryBlobStore, plan: PhysicalPlan): Promise<QuarantineRecord[]> {
  const out: QuarantineRecord[] = [];
  for (const stage of plan.stages) {
    for (const p of stage.partitions) {
      const ck = await readCheckpoint(store, keys.committed(stage.id, p.index));
      if (!ck) continue;
      const text = await readQuarantine(store, stage.id, p.index, ck);
      for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as QuarantineRecord);
    }
  }
  return out;
}

import { Table } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { conformBatch, unifySchemas } from '../../arrow/schema.ts';
import { writeJsonl } from '../../io/jsonl/write.ts';
import { writeParquet } from '../../io/parquet/write.ts';
import type { LogicalPlan, SinkSpec } from '../../plan/logical-plan.ts';
import { planQuery } from '../../planner/plan-query.ts';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { dedupLocalInputs } from '../dedup/local.ts';
import type { StepStats } from '../accounting/counters.ts';
import { planStepNames, runTask } from '../task/run-steps.ts';
import type { QuarantinedDoc } from '../task/run-steps.ts';

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

/** A quarantined document with the step that quarantined it. */
export interface LocalQuarantine extends QuarantinedDoc { stage: string; step: number; stepName: string }

export interface LocalRunResult {
  /** Rows of the final stage (the rows written, for a sink), system columns included. */
  table: Table;
  /** Per step counters summed over the stage's partitions, in stage and step order. */
  stats: StepStats[];
  physical: PhysicalPlan;
  quarantined: LocalQuarantine[];
}

/**
 * Executes a plan in this thread: optimize, plan stages, run each stage's partitions in order with
 * `runTask`, and concatenate results in partition order. Meant for `collect()` on small data, tests
 * and benchmarks; the worker-pool executor in src/exec runs the same tasks for real jobs.
 */
export async function executePlan(plan: LogicalPlan, opts: LocalRunOptions = {}): Promise<LocalRunResult> {
  const { physical } = await planQuery(plan, {
    optimize: opts.optimize ?? true,
    ...(opts.disabledRules ? { disabledRules: opts.disabledRules } : {}),
    ...(opts.partitionBytes ? { partitionBytes: opts.partitionBytes } : {}),
  });
  const names = planStepNames(physical);
  const outputs = new Map<string, RecordBatch[][]>();
  const stats: StepStats[] = [];
  const quarantined: LocalQuarantine[] = [];
  let last: RecordBatch[] = [];

  for (const stage of physical.stages) {
    const stepNames = names.get(stage.id)!;
    const totals = stepNames.map((name, step) => ({
      stage: stage.id, step, name, documentsIn: 0, documentsOut: 0, dropped: {} as Record<string, number>,
      quarantined: 0, bytesIn: 0, bytesOut: 0, cpuMs: 0,
    }));
    const inputs = stageInputs(stage, outputs);
    let perPartition: RecordBatch[][] = [];
    for (const [i, partition] of stage.partitions.entries()) {
      const out: RecordBatch[] = [];
      const input = inputs?.[i];
      const events = runTask(stage, partition, {
        stepNames,
        ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
        ...(input ? { input } : {}),
      });
      for await (const ev of events) {
        if (ev.type === 'batch') out.push(ev.batch);
        else if (ev.type === 'quarantined') for (const d of ev.docs) quarantined.push({ ...d, stage: stage.id, step: ev.step, stepName: ev.stepName });
        else if (ev.type === 'done') {
          ev.counters.forEach((c, k) => {
            const t = totals[k]!;
            t.documentsIn += c.documentsIn; t.documentsOut += c.documentsOut; t.quarantined += c.quarantined;
            t.bytesIn += c.bytesIn; t.bytesOut += c.bytesOut; t.cpuMs += c.cpuMs;
            for (const [r, n] of Object.entries(c.dropped)) t.dropped[r] = (t.dropped[r] ?? 0) + n;
          });
        }
      }
      perPartition.push(out);
    }
    if (stage.limit !== undefined) perPartition = truncate(perPartition, stage.limit);
    outputs.set(stage.id, perPartition);
    stats.push(...totals);
    last = perPartition.flat();
    if (stage.output.kind === 'sink') await writeSink(stage.output.sink, last);
  }
  return { table: toTable(last), stats, physical, quarantined };
}

/** Per-partition input of a non-scan stage, from the outputs of the stages it reads. */
function stageInputs(stage: PhysicalStage, outputs: Map<string, RecordBatch[][]>): RecordBatch[][] | undefined {
  const { input } = stage;
  const of = (id: string) => {
    const o = outputs.get(id);
    if (!o) throw new Error(`stage ${stage.id} reads stage ${id}, which has not run`);
    return o;
  };
  switch (input.kind) {
    case 'scan': return undefined;
    case 'stages':
      return stage.partitions.map((p) => {
        if (!p.upstream) throw new Error(`stage ${stage.id} partition ${p.index} has no upstream partition`);
        return of(p.upstream.stage)[p.upstream.partition] ?? [];
      });
    case 'wide': {
      const all = of(input.stage).flat();
      switch (input.wide.kind) {
        case 'repartition': return splitRows(all, stage.partitions.length);
        case 'limit': return [truncate([all], input.wide.n)[0]!, ...stage.partitions.slice(1).map(() => [])];
        case 'dedup': return dedupLocalInputs(stage, of(input.stage));
        default:
          throw new Error(`wide step "${input.wide.kind}" (stage ${stage.id}) is not supported in local execution yet; ` +
            'run the pipeline with the worker-pool executor (`sluice run`)');
      }
    }
  }
}

/** Splits rows, in order, into `n` contiguous runs of near-equal size. */
function splitRows(batches: RecordBatch[], n: number): RecordBatch[][] {
  const total = batches.reduce((s, b) => s + b.numRows, 0);
  const out: RecordBatch[][] = Array.from({ length: n }, () => []);
  let row = 0;
  for (const b of batches) {
    let s = 0;
    while (s < b.numRows) {
      const part = Math.min(n - 1, Math.floor((row * n) / Math.max(1, total)));
      const partEnd = Math.ceil(((part + 1) * total) / n);
      const e = Math.min(b.numRows, s + (partEnd - row));
      out[part]!.push(b.slice(s, e));
      row += e - s;
      s = e;
    }
  }
  return out;
}

/** Keeps the first `n` rows of the partitions concatenated in order. */
function truncate(parts: RecordBatch[][], n: number): RecordBatch[][] {
  let left = n;
  return parts.map((bs) => bs.flatMap((b) => {
    if (left <= 0) return [];
    const take = Math.min(left, b.numRows);
    left -= take;
    return [take === b.numRows ? b : b.slice(0, take)];
  }));
}

function toTable(batches: RecordBatch[]): Table {
  if (!batches.length) return new Table();
  const schema = unifySchemas(batches.map((b) => b.schema));
  return new Table(schema, batches.map((b) => conformBatch(b, schema)));
}

async function writeSink(sink: SinkSpec, batches: RecordBatch[]): Promise<void> {
  switch (sink.format) {
    case 'parquet': await writeParquet(sink.path, batches); return;
    case 'jsonl': await writeJsonl(sink.path, batches); return;
    default: throw new Error(`sink "${sink.format}" is not supported in local execution; use \`sluice run\``);
  }
}

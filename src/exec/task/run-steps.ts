import type { RecordBatch } from 'apache-arrow';
import { isMainThread } from 'node:worker_threads';
import { dropColumns, filterBatch, maskToIndices, takeBatch } from '../../arrow/batch.ts';
import { batchByteSize, rowsByteSize } from '../../arrow/byte-size.ts';
import { DOC_FILE, DOC_POS } from '../../plan/logical-plan.ts';
import { readPartition } from '../../io/read-partition.ts';
import type { ReadItem } from '../../io/source.ts';
import type { PartitionSpec, PhysicalStage } from '../../plan/physical-plan.ts';
import { addCounters, emptyCounters, type Overheads } from '../accounting/counters.ts';
import { LANGUAGE, languageCounts } from '../accounting/languages.ts';
import { applyStep, prepareApply } from './apply.ts';
import type { TaskEvent } from './events.ts';
import { stageStepNames } from './names.ts';
import { columnValues, docsOf, poisonedRows, selectRows } from './rows.ts';
import { dropStep, filterStep, filterReason, limitStep, selectStep, withColumnsStep } from './steps.ts';
import type { StepResult } from './steps.ts';
import { threadCpuMs } from '../accounting/thread-cpu.ts';

export type { QuarantinedDoc, TaskEvent } from './events.ts';
export { planStepNames, stageStepNames } from './names.ts';

/** Rows per batch when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 8192;

export interface RunTaskOptions {
  /** Rows per batch asked of readers (default {@link DEFAULT_BATCH_SIZE}). */
  batchSize?: number;
  /** Input rows of a non-scan stage (the parent stage's outputs for this partition), in order. */
  input?: AsyncIterable<RecordBatch> | Iterable<RecordBatch>;
  /** Input units already committed by an earlier attempt: they are not processed again. */
  skipInputBatches?: number;
  /**
   * Documents to quarantine without running operators on them (e.g. they hung a worker before),
   * by `__file`/`__pos`. They are quarantined at step `step` (default: the first `apply` step).
   */
  poisoned?: ReadonlyArray<{ file: number; pos: number; error: string; step?: number }>;
  /** Called by operators (through `ctx.heartbeat`) before each document, for the hang watchdog. */
  heartbeat?(row: number, docFile: number, docPos: number): void;
  /** Called when an operator call returns: no document is in an operator until the next heartbeat
   *  (else the watchdog would blame the last document for later, heartbeat-less work). */
  operatorDone?(): void;
  /** Step names to report (default {@link stageStepNames} of the stage alone). */
  stepNames?: string[];
  /** Attach the dropped rows to `dropped` events (for inspection; costs a copy). */
  collectDropped?: boolean;
}

let threadStarted = false;

/** Bad and skipped records grouped into one unit at most (bounds a unit's quarantine list). */
const MAX_RECORDS_PER_UNIT = 4096;

type StepRunner = (batch: RecordBatch, step: number) => StepResult | Promise<StepResult>;

interface TaskStep { name: string; run: StepRunner; limit?: { remaining: number }; drops?: string[] }

async function buildSteps(stage: PhysicalStage, names: string[], opts: RunTaskOptions): Promise<TaskStep[]> {
  const steps: TaskStep[] = [];
  let k = 0;
  if (stage.input.kind === 'scan') {
    k++; // `scan` is handled by the read loop.
    // The scan predicate only lets readers skip data (row groups); the planner keeps the exact
    // filter as a step above the scan.
    const { limit } = stage.input;
    if (limit !== undefined) steps.push(limitRunner(names[k++]!, limit));
  }
  for (const s of stage.steps) {
    const name = names[k++]!;
    switch (s.kind) {
      case 'filter': {
        const reason = filterReason(s.predicate);
        steps.push({ name, run: (b) => filterStep(b, s.predicate, reason) });
        break;
      }
      case 'select': steps.push({ name, run: (b) => selectStep(b, s.columns) }); break;
      case 'withColumns': steps.push({ name, run: (b) => withColumnsStep(b, s.columns) }); break;
      case 'drop': steps.push({ name, run: (b) => dropStep(b, s.columns), drops: s.columns }); break;
      case 'limit': steps.push(limitRunner(name, s.n)); break;
      case 'apply': {
        const prepared = await prepareApply(s.op, s.options);
        steps.push({
          name,
          run: (b) => {
            const files = columnValues(b, DOC_FILE), pos = columnValues(b, DOC_POS);
            const done = applyStep(prepared, b, {
              heartbeat: (row) => opts.heartbeat?.(row, files?.[row] ?? -1, pos?.[row] ?? -1),
            });
            return opts.operatorDone ? done.finally(opts.operatorDone) : done;
          },
        });
        break;
      }
    }
  }
  return steps;
}

function limitRunner(name: string, n: number): TaskStep {
  const limit = { remaining: n };
  return {
    name, limit,
    run: (b) => {
      const r = limitStep(b, limit.remaining);
      limit.remaining = Math.max(0, limit.remaining - b.numRows);
      return r;
    },
  };
}

/**
 * Runs one task: reads the partition (scan stages) or consumes `opts.input`, runs the stage's fused
 * steps batch by batch, and streams {@link TaskEvent}s. Rows an operator drops or quarantines are
 * removed here and reported with the step name and reason; an operator that throws on a batch is
 * re-run row by row so only the failing documents are quarantined. For every step,
 * `documentsIn = documentsOut + Σ dropped + quarantined` holds by construction (and is checked).
 */
export async function* runTask(stage: PhysicalStage, partition: PartitionSpec, opts: RunTaskOptions = {}): AsyncGenerator<TaskEvent> {
  const names = opts.stepNames ?? stageStepNames(stage);
  const initStart = threadCpuMs();
  // A worker thread's CPU before its first task (isolate, module loading) goes to that task.
  let startMs = isMainThread || threadStarted ? 0 : initStart;
  threadStarted = true;
  const steps = await buildSteps(stage, names, opts);
  // Operators load models on a thread's first use; the first unit carries that cost.
  let initMs = threadCpuMs() - initStart;
  const isScan = stage.input.kind === 'scan';
  const offset = isScan ? 1 : 0;
  const paths = stage.input.kind === 'scan' ? stage.input.source.paths : undefined;
  const total = names.map(emptyCounters);
  const firstApply = stage.steps.findIndex((st) => st.kind === 'apply');
  const defaultPoisonStep = offset + (steps.length - stage.steps.length) + Math.max(0, firstApply);
  const poisonedAt = new Map<number, Map<string, { error: string }>>();
  for (const p of opts.poisoned ?? []) {
    const k = p.step ?? defaultPoisonStep;
    let m = poisonedAt.get(k);
    if (!m) poisonedAt.set(k, (m = new Map()));
    m.set(`${p.file}:${p.pos}`, p);
  }
  const skip = opts.skipInputBatches ?? 0;
  // Skipped units still pass through a limit so its count resumes where it was.
  const replaySkipped = steps.some((s) => s.limit);
  let units = 0;
  let emittedBatch = false;

  const processUnit = async function* (group: readonly ReadItem[], silent: boolean, readMs: number): AsyncGenerator<TaskEvent> {
    const counters = names.map(emptyCounters);
    const overheadMs: Overheads = {};
    // Time in the reader is the scan step's cost; a later stage's input (parent pieces, shuffle
    // buckets, dedup verdicts from the store) is an overhead of its own.
    if (isScan) counters[0]!.cpuMs += readMs;
    else overheadMs['stage input'] = readMs;
    const events: TaskEvent[] = [];
    let cur: RecordBatch | undefined;
    for (const item of group) {
      if ('bad' in item) {
        const c = counters[0]!;
        c.documentsIn++; c.quarantined++;
        const fileIndex = paths ? paths.indexOf(item.bad.file) : -1;
        events.push({ type: 'quarantined', step: 0, stepName: names[0]!, docs: [{ fileIndex, file: item.bad.file, pos: item.bad.pos, error: item.bad.reason, ...(item.bad.sample !== undefined ? { sample: item.bad.sample } : {}) }] });
      } else if ('skipped' in item) {
        const c = counters[0]!;
        c.documentsIn += item.skipped.count;
        c.dropped[item.skipped.reason] = (c.dropped[item.skipped.reason] ?? 0) + item.skipped.count;
        events.push({ type: 'dropped', step: 0, stepName: names[0]!, reason: item.skipped.reason, count: item.skipped.count });
      } else {
        cur = item.batch;
        if (isScan) {
          const c = counters[0]!, bytes = batchByteSize(cur);
          c.documentsIn += cur.numRows; c.documentsOut += cur.numRows; c.bytesIn += bytes; c.bytesOut += bytes;
        }
      }
    }
    if (cur) {
      // The last step whose output still has `language`: the report counts kept languages there.
      let labelled: { step: number; batch: RecordBatch } | undefined = isScan && cur.getChild(LANGUAGE) ? { step: 0, batch: cur } : undefined;
      /** Bytes of columns dropped early for the step about to run (see below). */
      let pendingBytes = 0;
      for (let s = 0; s < steps.length; s++) {
        const k = s + offset;
        const c = counters[k]!;
        const t0 = threadCpuMs();
        const input = cur;
        c.documentsIn += input.numRows;
        c.bytesIn += batchByteSize(input) + pendingBytes;
        pendingBytes = 0;
        let toRun = input;
        const poisoned = poisonedAt.get(k);
        if (poisoned) {
          const hit = poisonedRows(input, poisoned);
          if (hit.length) {
            const keep = new Uint8Array(input.numRows).fill(1);
            for (const h of hit) keep[h.row] = 0;
            c.quarantined += hit.length;
            events.push({ type: 'quarantined', step: k, stepName: names[k]!, docs: docsOf(input, hit, paths) });
            toRun = filterBatch(input, keep);
          }
        }
        const r = await steps[s]!.run(toRun, k);
        // Columns the next step drops go before the kept rows are gathered (after extraction that
        // is the HTML, most of a batch's bytes); they still count in this step's bytes out.
        const dropNext = steps[s + 1]?.drops;
        let earlyDropped = 0;
        let out: RecordBatch;
        if (dropNext && (r.selected || r.keep)) {
          const rows = r.selected ?? maskToIndices(r.keep!);
          earlyDropped = rowsByteSize(r.full, dropNext, rows);
          out = selectRows(dropColumns(r.full, dropNext), rows);
        } else {
          out = r.selected ? selectRows(r.full, r.selected) : r.keep ? filterBatch(r.full, r.keep) : r.full;
        }
        let removed = 0;
        for (const [reason, set] of r.drops) {
          c.dropped[reason] = (c.dropped[reason] ?? 0) + set.count;
          removed += set.count;
          events.push({ type: 'dropped', step: k, stepName: names[k]!, reason, count: set.count,
            ...(opts.collectDropped ? { rows: takeBatch(r.full, set.rows()) } : {}) });
        }
        if (r.quarantines.length) {
          c.quarantined += r.quarantines.length;
          removed += r.quarantines.length;
          events.push({ type: 'quarantined', step: k, stepName: names[k]!, docs: docsOf(toRun, r.quarantines, paths) });
        }
        if (toRun.numRows !== out.numRows + removed) {
          throw new Error(`step "${names[k]}" lost track of rows: ${toRun.numRows} in, ${out.numRows} out, ${removed} removed`);
        }
        c.documentsOut += out.numRows;
        c.bytesOut += batchByteSize(out) + earlyDropped;
        pendingBytes = earlyDropped;
        c.cpuMs += threadCpuMs() - t0;
        cur = out;
        if (out.getChild(LANGUAGE)) labelled = { step: k, batch: out };
      }
      if (labelled) counters[labelled.step]!.languages = languageCounts(labelled.batch);
    }
    if (silent) return;
    for (let k = 0; k < total.length; k++) total[k] = addCounters(total[k]!, counters[k]!);
    yield* events;
    if (cur && (cur.numRows > 0 || !emittedBatch)) {
      emittedBatch = true;
      yield { type: 'batch', batch: cur };
    }
    if (initMs > 0) { overheadMs['operator init'] = initMs; initMs = 0; }
    if (startMs > 0) { overheadMs['worker start'] = startMs; startMs = 0; }
    yield { type: 'input', inputBatches: units, counters, overheadMs };
  };

  const exhausted = () => steps.some((s) => s.limit && s.limit.remaining <= 0);
  const items = (isScan ? readScan(stage, partition, opts) : inputItems(opts.input, stage.id))[Symbol.asyncIterator]();
  try {
    for (let ended = false; !ended;) {
      // One unit = the bad and skipped records before a batch, plus that batch. A unit is what a
      // checkpoint covers, so a run of malformed lines costs one commit, not one each. Grouping
      // follows read order only, so a resumed task regroups identically.
      const group: ReadItem[] = [];
      let readMs = 0;
      for (;;) {
        const t0 = threadCpuMs();
        const next = await items.next();
        readMs += threadCpuMs() - t0;
        if (next.done) { ended = true; break; }
        group.push(next.value);
        if ('batch' in next.value || group.length >= MAX_RECORDS_PER_UNIT) break;
      }
      if (group.length === 0) break;
      units++;
      if (units <= skip) {
        if (replaySkipped) for await (const _ of processUnit(group, true, readMs)) { /* replay only */ }
        if (exhausted()) break;
        continue;
      }
      yield* processUnit(group, false, readMs);
      if (exhausted()) break;
    }
  } finally {
    await items.return?.(undefined);
  }
  yield { type: 'done', counters: total };
}

async function* readScan(stage: PhysicalStage, partition: PartitionSpec, opts: RunTaskOptions): AsyncGenerator<ReadItem> {
  if (stage.input.kind !== 'scan') throw new Error('not a scan stage');
  const { source, columns, predicate } = stage.input;
  yield* readPartition(source, partition, {
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    ...(columns ? { columns } : {}),
    ...(predicate ? { predicate } : {}),
  });
}

async function* inputItems(input: RunTaskOptions['input'], stageId: string): AsyncGenerator<ReadItem> {
  if (!input) throw new Error(`stage ${stageId} does not scan a source: runTask needs opts.input`);
  for await (const batch of input) yield { batch };
}

import type { RecordBatch } from 'apache-arrow';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { readCheckpoint, writeCheckpoint, type Checkpoint, type PieceRef } from '../state/checkpoint.ts';
import type { DropLog } from '../accounting/drop-log.ts';
import { putUnitDropLog, writeTaskDropLog } from './drop-log-files.ts';
import { fromIpc, toIpc } from '../../arrow/ipc.ts';
import { files, keys, pad } from '../state/layout.ts';
import { dedupMapOf } from '../dedup/map.ts';
import { bucketingOf, splitByBucket } from '../shuffle/shuffle.ts';
import { writeSinkPart } from '../../io/sinks.ts';
import { writeFileAt } from '../../io/location/file-uri.ts';
import { joinUri } from '../../storage/uri.ts';
import { digestOf } from '../../storage/file-digest.ts';
import { outputRecord, type OutputRecord } from '../state/output-files.ts';
// Registers the `tokens` sink (token shards) with its finalizer.
import '../../io/token-shards/sink.ts';
import { stageById } from '../state/committed.ts';
import { readStageInput } from './stage-input.ts';
import { addCounters, addOverheads, type Overheads, type StepCounters } from '../accounting/counters.ts';
import { Stopwatch } from '../accounting/stopwatch.ts';
import { testKillHook } from '../state/test-hooks.ts';
import { threadCpuMs } from '../accounting/thread-cpu.ts';

/** A document an operator failed on, with where it came from. */
export interface QuarantineRecord {
  stage: string;
  /** Index and name of the step that failed (`scan` for unreadable input). */
  step: number;
  stepName: string;
  /** Input file path and position (byte offset or row number) of the document. */
  file: string;
  pos: number;
  error: string;
  sample?: string;
}

/** What running a task produces per input batch: the unit of commit and of resume. */
export interface TaskUnit {
  /** Input batches consumed so far, counting skipped ones (the resume position). */
  inputBatches: number;
  outputs: RecordBatch[];
  quarantined: QuarantineRecord[];
  /** Per step counts for this input batch only. */
  counters: StepCounters[];
  /** Samples of the rows steps dropped (see drop-log.ts). */
  dropped?: DropLog;
  /** Work of this unit outside the steps, by name (see `Overheads`). */
  overheadMs?: Overheads;
}

export interface UnitSourceOptions {
  /** Input batches already committed: skip them. */
  skipInputBatches: number;
  /** Rows of a non-scan stage (from the blob store); scan stages read their partition themselves. */
  input?: AsyncIterable<RecordBatch>;
  batchSize: number;
  /** Documents to quarantine without running operators on them (they timed out before). */
  poisoned: ReadonlyArray<{ file: number; pos: number; error: string }>;
  heartbeat(row: number, docFile: number, docPos: number): void;
  /** Called when an operator call returns: until the next heartbeat no document is in work. */
  idle?(): void;
}

/** Runs a stage's fused steps over one partition as a sequence of units (adapts `runTask`). */
export type UnitSource = (plan: PhysicalPlan, stageId: string, partition: number, opts: UnitSourceOptions) => AsyncIterable<TaskUnit>;

export interface TaskRequest {
  plan: PhysicalPlan;
  fingerprint: string;
  stage: string;
  partition: number;
  /** Where the user-facing files go (sink parts, quarantine, drop logs); absent for `collect()`,
   *  whose results stay in the store. */
  outDir?: string;
  batchSize: number;
  poisoned: UnitSourceOptions['poisoned'];
}

export interface TaskSummary {
  stage: string;
  partition: number;
  rows: number;
  counters: StepCounters[];
  quarantined: number;
  /** True when the task was already committed and nothing ran. */
  skipped: boolean;
}

/**
 * Runs one task to completion with a commit after every input batch: output piece(s), quarantined
 * documents, then the checkpoint that references them. A killed task leaves at worst pieces no
 * checkpoint references; resuming rewrites them under the same keys with the same bytes. Two copies
 * running at once (a requeue racing a slow node) write the same bytes under the same keys, and the
 * final checkpoint goes to its own key, so both succeed and the task stays committed.
 */
export async function executeTask(req: TaskRequest, store: BlobStore, source: UnitSource, opts: {
  heartbeat: UnitSourceOptions['heartbeat'];
  idle?: () => void;
  onPiece?: (docsIn: number) => void;
}): Promise<TaskSummary> {
  const { plan, stage: stageId, partition } = req;
  const stage = stageById(plan, stageId);
  const ckKey = keys.checkpoint(stageId, partition);
  const committed = await readCheckpoint(store, keys.committed(stageId, partition));
  const previous = committed ?? await readCheckpoint(store, ckKey);
  if (previous && previous.fingerprint !== req.fingerprint) {
    throw new Error(`task ${stageId}/${partition} was committed by a different plan (fingerprint ${previous.fingerprint}, now ${req.fingerprint})`);
  }
  if (committed) return summarize(committed, true);
  let ck: Checkpoint = previous ?? {
    format: 'sluice-checkpoint/1', fingerprint: req.fingerprint, stage: stageId, partition,
    inputBatches: 0, pieces: [], counters: [], final: false,
  };
  const bucketing = bucketingOf(plan, stage);
  const dedupMap = dedupMapOf(plan, stage);
  const partSpec = stage.partitions[partition];
  if (!partSpec) throw new Error(`stage ${stageId} has no task ${partition} (it has ${stage.partitions.length})`);
  const input = stage.input.kind === 'scan' ? undefined : readStageInput(plan, stage, partSpec, store);
  const units = source(plan, stageId, partition, {
    skipInputBatches: ck.inputBatches,
    ...(input ? { input } : {}),
    batchSize: req.batchSize,
    poisoned: req.poisoned,
    heartbeat: opts.heartbeat,
    ...(opts.idle ? { idle: opts.idle } : {}),
  });
  let checkpointMs = 0;
  for await (const unit of units) {
    const cost = new Stopwatch(unit.overheadMs).add('commit', checkpointMs);
    const seq = ck.pieces.length;
    const outputs = unit.outputs;
    const rows = outputs.reduce((n, b) => n + b.numRows, 0);
    const piece: PieceRef = { seq, rows, stored: false, quarantined: unit.quarantined.length };
    if (outputs.length && bucketing) {
      const perBucket: RecordBatch[][] = Array.from({ length: bucketing.buckets }, () => []);
      for (const b of outputs) {
        splitByBucket(b, bucketing.hook.bucketOf(b, bucketing.wide, bucketing.buckets), bucketing.buckets)
          .forEach((part, i) => { if (part.numRows) perBucket[i]!.push(part); });
      }
      piece.buckets = perBucket.map((bs) => bs.reduce((n, b) => n + b.numRows, 0));
      cost.lap('shuffle');
      for (let i = 0; i < perBucket.length; i++) {
        if (perBucket[i]!.length) await store.put(keys.piece(stageId, partition, seq, i), toIpc(perBucket[i]!));
      }
    } else if (outputs.length && (rows > 0 || seq === 0)) {
      // An empty first piece still carries the schema for sinks and readers.
      await store.put(keys.piece(stageId, partition, seq), toIpc(outputs));
      piece.stored = true;
    }
    if (unit.quarantined.length) {
      await store.put(keys.quarantine(stageId, partition, seq), jsonl(unit.quarantined));
    }
    await putUnitDropLog(store, stageId, partition, seq, unit.dropped);
    cost.lap('commit');
    if (dedupMap && rows) {
      await dedupMap.write(store, partition, seq, outputs, ck.pieces.reduce((n, p) => n + p.rows, 0));
      cost.lap('dedup signing');
    }
    testKillHook('piece');
    ck = {
      ...ck,
      inputBatches: unit.inputBatches,
      pieces: [...ck.pieces, piece],
      counters: mergeCounters(ck.counters, unit.counters),
    };
    ck.overheadMs = addOverheads(ck.overheadMs, cost.lap('commit').done());
    // A checkpoint cannot hold its own write time: the next one counts it.
    const t = threadCpuMs();
    await writeCheckpoint(store, ckKey, ck);
    checkpointMs = threadCpuMs() - t;
    testKillHook('checkpoint');
    opts.onPiece?.(unit.counters[0]?.documentsIn ?? 0);
  }
  const finish = new Stopwatch(undefined).add('commit', checkpointMs);
  const outputs = await finishTask(req, store, ck);
  ck = { ...ck, final: true, ...(outputs ? { outputs } : {}), overheadMs: addOverheads(ck.overheadMs, finish.lap('task files').done()) };
  // A separate key, so a duplicate copy of this task still writing progress cannot un-commit it.
  await writeCheckpoint(store, keys.committed(stageId, partition), ck);
  return summarize(ck, false);
}

/**
 * Writes the task's user-facing files (sink part, quarantine report, drop log) from its committed
 * pieces; returns their records (digests of the bytes as written) for the final checkpoint.
 */
async function finishTask(req: TaskRequest, store: BlobStore, ck: Checkpoint): Promise<OutputRecord[] | undefined> {
  const outDir = req.outDir;
  if (outDir === undefined) return undefined;
  const written: OutputRecord[] = [];
  const stage = stageById(req.plan, req.stage);
  if (stage.output.kind === 'sink' && stage.limit === undefined) {
    const batches = await readPieces(store, req.stage, req.partition, ck);
    if (batches.length) written.push(...(await writeSinkPart(stage.output.sink, req.stage, req.partition, batches)).map((f) => outputRecord(outDir, f)));
  }
  const dropLog = await writeTaskDropLog(store, outDir, req.stage, req.partition, ck.pieces.length);
  if (dropLog) written.push(outputRecord(outDir, dropLog));
  const q = await readQuarantine(store, req.stage, req.partition, ck);
  if (q.length) {
    const path = joinUri(files.quarantine(outDir), `${req.stage}-${pad(req.partition)}.jsonl`);
    await writeFileAt(path, q);
    written.push(outputRecord(outDir, { path, ...(await digestOf(q)) }));
  }
  return written;
}

/** All output batches of a committed (unbucketed) task, in order. */
export async function readPieces(store: BlobStore, stage: string, partition: number, ck: Checkpoint): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for (const p of ck.pieces) {
    if (p.stored) out.push(...fromIpc(await store.getBytes(keys.piece(stage, partition, p.seq))));
  }
  return out;
}

/** The quarantine records a committed task wrote (JSON lines), in input order. */
export async function readQuarantine(store: BlobStore, stage: string, partition: number, ck: Checkpoint): Promise<string> {
  let text = '';
  for (const p of ck.pieces) {
    if (p.quarantined) text += new TextDecoder().decode(await store.getBytes(keys.quarantine(stage, partition, p.seq)));
  }
  return text;
}

function jsonl(records: readonly QuarantineRecord[]): Uint8Array {
  return new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

function mergeCounters(a: StepCounters[], b: StepCounters[]): StepCounters[] {
  if (a.length === 0) return b.map((c) => ({ ...c, dropped: { ...c.dropped } }));
  if (a.length !== b.length) throw new Error(`step counters changed shape (${a.length} vs ${b.length} steps)`);
  return a.map((c, i) => addCounters(c, b[i]!));
}

function summarize(ck: Checkpoint, skipped: boolean): TaskSummary {
  return {
    stage: ck.stage,
    partition: ck.partition,
    rows: ck.pieces.reduce((n, p) => n + p.rows, 0),
    counters: ck.counters,
    quarantined: ck.pieces.reduce((n, p) => n + p.quarantined, 0),
    skipped,
  };
}

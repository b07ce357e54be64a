import { availableParallelism } from 'node:os';
import { mkdir, readdir } from 'node:fs/promises';
import { Table, type RecordBatch } from 'apache-arrow';
import type { Piscina } from 'piscina';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { LocalBlobStore, DEFAULT_CHUNK_SIZE } from '../../storage/local-blob-store.ts';
import { readCheckpoint } from '../state/checkpoint.ts';
import { isDedupStage, prepareDedup } from './prepare-dedup.ts';
import { describeTask } from '../task/describe.ts';
import { planFingerprint } from '../state/fingerprint.ts';
import { Heartbeat } from '../pool/heartbeat.ts';
import { fromIpc } from '../../arrow/ipc.ts';
import { files, keys } from '../state/layout.ts';
import { createPool } from '../pool/pool.ts';
import { silentProgress, type ProgressReporter } from './progress.ts';
import { finalizeSink, writeSinkPart } from '../../io/sinks.ts';
import { writeFileAtomic } from '../../storage/atomic-write.ts';
// Registers the `tokens` sink (token shards) with its finalizer.
import '../../io/token-shards/sink.ts';
import { finalCheckpoint, limitCuts } from '../state/committed.ts';
import { collectStats } from './run-stats.ts';
import type { RunStats } from '../accounting/counters.ts';
import type { WorkerResult, WorkerTask } from '../pool/worker.ts';

export interface StageRunOptions {
  /** Output directory: user-facing outputs plus `_store/` (chunks, checkpoints). */
  outDir: string;
  /** Worker threads; default the core count. Does not change outputs. */
  workers?: number;
  /** Require an existing run to resume (`--resume`); rerunning into the same directory resumes anyway. */
  resume?: boolean;
  /** Run only this task (`--stage s --task i`); its parent stages must be committed. */
  only?: { stage: string; task: number };
  /** Rows per batch; part of the fingerprint because it shapes commit boundaries. */
  batchSize?: number;
  /** A document an operator works on for longer than this is quarantined and its worker replaced. */
  docTimeoutMs?: number;
  /** Attempts after the first for a task whose worker crashed or ran out of memory. */
  retries?: number;
  chunkSize?: number;
  maxOldGenerationSizeMb?: number;
  progress?: ProgressReporter;
}

export interface StageRunResult {
  fingerprint: string;
  /** Present once every stage is committed. */
  stats?: RunStats;
  /** Rows of the final stage when it outputs `result` (collect). */
  table?: Table;
}

interface RunManifest {
  fingerprint: string;
  createdAt: string;
}

/**
 * Runs a physical plan stage by stage on a worker pool, committing everything through the blob
 * store. All coordination state (which tasks are committed, where each stopped) lives in the
 * store, so a rerun, a `--resume`, or tasks run one at a time by a cluster scheduler all continue
 * the same run.
 */
export async function runStages(plan: PhysicalPlan, options: StageRunOptions): Promise<StageRunResult> {
  const started = Date.now();
  const workers = options.workers ?? availableParallelism();
  const batchSize = options.batchSize ?? 8192;
  const { fingerprint, store } = await claimRun(plan, options);
  if (options.only) await checkParentsCommitted(store, plan, options.only.stage);
  const progress = options.progress ?? silentProgress;
  const pool = createPool({ workers, ...(options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}) });
  const ctx: DriverContext = { plan, fingerprint, store, options, batchSize, workers, pool, progress };
  const resultParts = new Map<number, RecordBatch[]>();
  try {
    for (const stage of plan.stages) {
      if (options.only && options.only.stage !== stage.id) continue;
      const todo = options.only ? [options.only.task] : stage.partitions.map((p) => p.index);
      if (options.only && !stage.partitions[options.only.task]) {
        throw new Error(`stage ${stage.id} has ${stage.partitions.length} tasks; --task ${options.only.task} does not exist`);
      }
      if (isDedupStage(stage)) await prepareDedup(ctx, stage);
      await runStage(ctx, stage, todo, resultParts);
    }
    if (options.only) {
      const missing = await missingStages(store, plan);
      if (missing.length) return { fingerprint };
    }
  } finally {
    progress.stop();
    await pool.destroy();
  }
  for (const stage of plan.stages) await finishStage(ctx, stage);
  for (const stage of plan.stages) {
    if (stage.output.kind === 'sink') await finalizeSink(stage.output.sink, { fingerprint, outDir: options.outDir });
  }
  const stats = await collectStats(store, plan, fingerprint, Date.now() - started);
  await writeFileAtomic(files.stats(options.outDir), JSON.stringify(stats, null, 2) + '\n');
  const last = plan.stages[plan.stages.length - 1];
  const table = last?.output.kind === 'result' ? await resultTable(ctx, last, resultParts) : undefined;
  return { fingerprint, stats, ...(table ? { table } : {}) };
}

/**
 * Fingerprints the plan and claims the output directory for it (records the run manifest and
 * `plan.json`), or checks that the run already there is this one. `--plan-only` stops here, so
 * tasks later run one by one (`--stage/--task`, e.g. by a cluster scheduler) find the run claimed.
 */
export async function claimRun(plan: PhysicalPlan, options: Pick<StageRunOptions, 'outDir' | 'resume' | 'batchSize' | 'chunkSize'>): Promise<{ fingerprint: string; store: LocalBlobStore }> {
  const fingerprint = await planFingerprint(plan, { batchSize: options.batchSize ?? 8192 });
  const store = new LocalBlobStore(files.store(options.outDir), { chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE });
  await claimOutput(store, options, fingerprint, plan);
  return { fingerprint, store };
}

/** A task run alone needs every stage its stage reads to be committed; say which is not. */
async function checkParentsCommitted(store: LocalBlobStore, plan: PhysicalPlan, stageId: string): Promise<void> {
  const stage = plan.stages.find((s) => s.id === stageId);
  if (!stage) throw new Error(`--stage ${stageId}: the plan has no such stage (stages: ${plan.stages.map((s) => s.id).join(', ')})`);
  const parents = stage.input.kind === 'wide' ? [stage.input.stage] : stage.input.kind === 'stages' ? stage.input.stages : [];
  const missing = (await missingStages(store, plan)).filter((id) => parents.includes(id));
  if (missing.length) {
    throw new Error(`--stage ${stageId} reads ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not fully committed yet; run ${missing.length > 1 ? 'those stages' : 'that stage'} first`);
  }
}

interface DriverContext {
  plan: PhysicalPlan;
  fingerprint: string;
  store: LocalBlobStore;
  options: StageRunOptions;
  batchSize: number;
  workers: number;
  pool: Piscina<WorkerTask, WorkerResult>;
  progress: ProgressReporter;
}

/** Checks the output directory belongs to this run (or is new) and records the fingerprint. */
async function claimOutput(store: LocalBlobStore, options: Pick<StageRunOptions, 'outDir' | 'resume'>, fingerprint: string, plan: PhysicalPlan): Promise<void> {
  const out = options.outDir;
  const entries = await readdir(out).catch(() => [] as string[]);
  const previous = (await store.has(keys.run))
    ? (JSON.parse(new TextDecoder().decode(await store.getBytes(keys.run))) as RunManifest)
    : undefined;
  if (!previous) {
    if (options.resume) throw new Error(`--resume: ${out} holds no sluice run to resume`);
    if (entries.length) throw new Error(`output directory ${out} is not empty and holds no sluice run; choose an empty or new directory`);
  } else if (previous.fingerprint !== fingerprint) {
    throw new Error(`cannot resume into ${out}: it holds a run of a different pipeline or configuration ` +
      `(fingerprint ${previous.fingerprint}, this run ${fingerprint}). Use a new --output directory, or delete ${out} to start over.`);
  }
  await mkdir(out, { recursive: true });
  if (!previous) {
    const manifest: RunManifest = { fingerprint, createdAt: new Date().toISOString() };
    await store.put(keys.run, new TextEncoder().encode(JSON.stringify(manifest)));
  }
  await writeFileAtomic(files.plan(out), JSON.stringify({ fingerprint, ...plan }, null, 2) + '\n');
}

async function runStage(ctx: DriverContext, stage: PhysicalStage, tasks: number[], resultParts: Map<number, RecordBatch[]>): Promise<void> {
  const pending: number[] = [];
  for (const t of tasks) {
    const ck = await readCheckpoint(ctx.store, keys.checkpoint(stage.id, t));
    if (!ck?.final || stage.output.kind === 'result') pending.push(t);
  }
  ctx.progress.stageStarted(stage.id, stage.partitions.length, stage.partitions.length - pending.length);
  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < pending.length) {
      const t = pending[next++]!;
      const result = await runTaskWithRetries(ctx, stage, t);
      if (result.ipc) resultParts.set(t, fromIpc(result.ipc));
      ctx.progress.update(stage.id, 0, true);
    }
  };
  // At most `workers` tasks in flight: the pool's queue never grows, and a failure stops new tasks.
  await Promise.all(Array.from({ length: Math.min(ctx.workers, pending.length) }, runNext));
  ctx.progress.stageFinished(stage.id);
}

async function runTaskWithRetries(ctx: DriverContext, stage: PhysicalStage, t: number): Promise<WorkerResult> {
  const retries = ctx.options.retries ?? 2;
  const timeoutMs = ctx.options.docTimeoutMs ?? 120_000;
  const poisoned: WorkerTask['req']['poisoned'][number][] = [];
  const part = stage.partitions[t]!;
  let failures = 0;
  for (;;) {
    const hb = new Heartbeat();
    const abort = new AbortController();
    let overdue: { file: number; pos: number; ms: number } | undefined;
    let reported = 0;
    const report = () => {
      const docs = hb.docs();
      if (docs > reported) { ctx.progress.update(stage.id, docs - reported, false); reported = docs; }
    };
    const watch = setInterval(() => {
      report();
      overdue = hb.overdue(timeoutMs);
      if (overdue) abort.abort();
    }, Math.min(500, Math.max(10, timeoutMs / 4)));
    const task: WorkerTask = {
      req: { plan: ctx.plan, fingerprint: ctx.fingerprint, stage: stage.id, partition: t, outDir: ctx.options.outDir, batchSize: ctx.batchSize, poisoned },
      storeRoot: ctx.store.root,
      chunkSize: ctx.store.chunkSize,
      heartbeat: hb.buffer,
    };
    try {
      return await ctx.pool.run(task, { signal: abort.signal });
    } catch (e) {
      if (overdue) {
        // The worker was terminated mid-document: quarantine that document and continue after it.
        poisoned.push({ file: overdue.file, pos: overdue.pos, error: `timed out: no progress for ${Math.round(overdue.ms)} ms (limit ${timeoutMs} ms)` });
        if (poisoned.length > 1000) throw new Error(`${describeTask(stage, part)}: more than 1000 documents timed out`);
        continue;
      }
      failures++;
      if (failures > retries) {
        throw new Error(`${describeTask(stage, part)} failed after ${failures} attempts: ${(e as Error).message}`, { cause: e });
      }
    } finally {
      clearInterval(watch);
      report();
    }
  }
}

/** Stages with a global limit write their sink parts once all their tasks are committed. */
async function finishStage(ctx: DriverContext, stage: PhysicalStage): Promise<void> {
  if (stage.output.kind !== 'sink' || stage.limit === undefined) return;
  const cuts = await limitCuts(stage, ctx.store);
  for (const p of stage.partitions) {
    const batches = await cutBatches(ctx, stage, p.index, cuts[p.index]!);
    if (batches.length) await writeSinkPart(stage.output.sink, stage.id, p.index, batches);
  }
}

async function resultTable(ctx: DriverContext, stage: PhysicalStage, parts: Map<number, RecordBatch[]>): Promise<Table> {
  const cuts = await limitCuts(stage, ctx.store);
  const all: RecordBatch[] = [];
  for (const p of stage.partitions) {
    const batches = parts.get(p.index) ?? await cutBatches(ctx, stage, p.index, Infinity);
    let remaining = cuts[p.index]!;
    for (const b of batches) {
      if (remaining <= 0) break;
      all.push(b.numRows > remaining ? b.slice(0, remaining) : b);
      remaining -= b.numRows;
    }
  }
  return new Table(all.filter((b) => b.numRows > 0).length ? all.filter((b) => b.numRows > 0) : all);
}

async function cutBatches(ctx: DriverContext, stage: PhysicalStage, partition: number, keep: number): Promise<RecordBatch[]> {
  const ck = await finalCheckpoint(ctx.store, stage, partition);
  const out: RecordBatch[] = [];
  let remaining = keep;
  for (const piece of ck.pieces) {
    if (!piece.stored) continue;
    for (const b of fromIpc(await ctx.store.getBytes(keys.piece(stage.id, partition, piece.seq)))) {
      const batch = b.numRows > remaining ? b.slice(0, Math.max(remaining, 0)) : b;
      remaining -= batch.numRows;
      out.push(batch);
    }
  }
  return out;
}

async function missingStages(store: LocalBlobStore, plan: PhysicalPlan): Promise<string[]> {
  const missing: string[] = [];
  for (const s of plan.stages) {
    for (const p of s.partitions) {
      const ck = await readCheckpoint(store, keys.checkpoint(s.id, p.index));
      if (!ck?.final) { missing.push(s.id); break; }
    }
  }
  return missing;
}

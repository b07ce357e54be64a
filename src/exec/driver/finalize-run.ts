import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { writeFileAt } from '../../io/location/file-uri.ts';
import { digestOf } from '../../storage/file-digest.ts';
import { outputRecord, type FinalizedMarker, type OutputRecord } from '../state/output-files.ts';
import { finalizeSink, hasFinalizer, writeSinkPart } from '../../io/sinks.ts';
// Registers the `tokens` sink (token shards) with its finalizer.
import '../../io/token-shards/sink.ts';
import type { RunStats } from '../accounting/counters.ts';
import { limitCuts } from '../state/committed.ts';
import { files, keys } from '../state/layout.ts';
import { throwIfStopped } from './interrupted.ts';
import type { ProgressReporter } from './progress.ts';
import { committedRows } from './results.ts';
import { collectStats } from './run-stats.ts';
import { threadCpuMs } from '../accounting/thread-cpu.ts';
import { cpuSince, type CpuSnapshot } from '../accounting/process-cpu.ts';

export interface FinalizeContext {
  plan: PhysicalPlan;
  fingerprint: string;
  store: BlobStore;
  outDir: string;
  progress: ProgressReporter;
  /** The run's wall time so far, for `stats.json`. */
  wallMs: number;
  /** See `GraphTaskContext.cpuAtStart`. */
  cpuAtStart?: CpuSnapshot;
  stop?: AbortSignal;
}

/**
 * The finalize task: once every other task is committed, writes the global-limit sink parts, runs
 * the sinks' finalizers (token shards), writes `stats.json` (checking the accounting invariant),
 * then commits `run/finalized` with the digests of the files it wrote. Every write is atomic and derived from committed state, so two
 * copies running at once both succeed and leave the bytes of one.
 */
export async function finalizeRun(ctx: FinalizeContext): Promise<RunStats> {
  const { plan, store, outDir } = ctx;
  const t0 = threadCpuMs();
  const written: OutputRecord[] = [];
  for (const stage of plan.stages) written.push(...(await writeLimitedParts(store, stage, outDir)));
  for (const stage of plan.stages) {
    throwIfStopped(ctx.stop);
    if (stage.output.kind !== 'sink' || !hasFinalizer(stage.output.sink)) continue;
    const phase = `${stage.id} finalize ${stage.output.sink.format} sink`;
    ctx.progress.phaseStarted(phase, 1, 0);
    written.push(...(await finalizeSink(stage.output.sink, { fingerprint: ctx.fingerprint, outDir })).map((f) => outputRecord(outDir, f)));
    ctx.progress.phaseFinished(phase);
  }
  const finalizeMs = threadCpuMs() - t0;
  const used = ctx.cpuAtStart ? cpuSince(ctx.cpuAtStart) : undefined;
  const stats = await collectStats(store, plan, ctx.fingerprint, ctx.wallMs, { finalizeMs, ...(used ? { process: used } : {}) });
  const statsText = JSON.stringify(stats, null, 2) + '\n';
  await writeFileAt(files.stats(outDir), statsText);
  written.push(outputRecord(outDir, { path: files.stats(outDir), ...(await digestOf(statsText)) }));
  const marker: FinalizedMarker = { fingerprint: ctx.fingerprint, at: new Date().toISOString(), outputs: written };
  await store.put(keys.finalized, new TextEncoder().encode(JSON.stringify(marker)));
  return stats;
}

/** Stages with a global limit write their sink parts once all their tasks are committed. */
async function writeLimitedParts(store: BlobStore, stage: PhysicalStage, outDir: string): Promise<OutputRecord[]> {
  if (stage.output.kind !== 'sink' || stage.limit === undefined) return [];
  const cuts = await limitCuts(stage, store);
  const written: OutputRecord[] = [];
  for (const p of stage.partitions) {
    const batches = await committedRows(store, stage, p.index, cuts[p.index]!);
    if (batches.length) written.push(...(await writeSinkPart(stage.output.sink, stage.id, p.index, batches)).map((f) => outputRecord(outDir, f)));
  }
  return written;
}

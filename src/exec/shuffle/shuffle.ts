import type { RecordBatch } from 'apache-arrow';
import { maskToIndices, takeBatch } from '../../arrow/batch.ts';
import { DOC_FILE, DOC_POS } from '../../plan/logical-plan.ts';
import type { PhysicalPlan, PhysicalStage, WideStep } from '../../plan/physical-plan.ts';
import { fmix32 } from '../../ops/dedup/hash32.ts';

/**
 * The shuffle seam. A stage whose output feeds a wide stage writes each output batch split into
 * buckets (one per consumer partition) by a {@link ShuffleHook}; consumer partition `i` reads
 * bucket `i` of every parent task, in parent partition order, then piece order. Wide operators
 * register their own hook with {@link registerShuffle}; `repartition` is built in. Dedup does not
 * move documents and has its own phases (src/exec/dedup).
 */
export interface ShuffleHook {
  /** The bucket, in [0, n), of each row of a parent output batch. Must be a pure function of the row. */
  bucketOf(batch: RecordBatch, wide: WideStep, n: number): Uint32Array;
}

const hooks = new Map<string, ShuffleHook>();

/** The registry key of a wide step: `repartition`, `dedup:<strategy>`, `apply:<op>`, `limit`. */
export function shuffleKey(wide: WideStep): string {
  switch (wide.kind) {
    case 'dedup': return `dedup:${wide.dedup.strategy}`;
    case 'apply': return `apply:${wide.op}`;
    default: return wide.kind;
  }
}

/** Registers how parent outputs are bucketed for a wide step (module top level, in every thread). */
export function registerShuffle(key: string, hook: ShuffleHook): void {
  hooks.set(key, hook);
}

/** How the outputs of `stage` are bucketed, or undefined when they are read whole. */
export interface Bucketing {
  consumer: PhysicalStage;
  wide: WideStep;
  buckets: number;
  hook: ShuffleHook;
}

/**
 * Decides whether a stage's tasks write bucketed pieces. Not when no wide stage reads it, when the
 * wide step needs the whole ordered output (`limit`), or when the stage has a global limit (the cut
 * is defined on the concatenated output, so the consumer reads whole pieces and buckets on read).
 */
export function bucketingOf(plan: PhysicalPlan, stage: PhysicalStage): Bucketing | undefined {
  const consumer = plan.stages.find((s) => s.input.kind === 'wide' && s.input.stage === stage.id);
  if (!consumer || consumer.input.kind !== 'wide' || stage.limit !== undefined) return undefined;
  const wide = consumer.input.wide;
  // Dedup never moves documents: its parent writes whole pieces plus band records (src/exec/dedup).
  if (wide.kind === 'limit' || wide.kind === 'dedup') return undefined;
  return { consumer, wide, buckets: consumer.partitions.length, hook: hookFor(wide) };
}

export function hookFor(wide: WideStep): ShuffleHook {
  const key = shuffleKey(wide);
  const hook = hooks.get(key);
  if (!hook) {
    throw new Error(`no shuffle registered for wide step "${key}"; the module implementing it must call registerShuffle("${key}", ...)`);
  }
  return hook;
}

/** Splits a batch into `n` batches by bucket, keeping row order within each. */
export function splitByBucket(batch: RecordBatch, buckets: Uint32Array, n: number): RecordBatch[] {
  const out: RecordBatch[] = [];
  const mask = new Uint8Array(batch.numRows);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < mask.length; i++) mask[i] = buckets[i] === b ? 1 : 0;
    out.push(takeBatch(batch, maskToIndices(mask)));
  }
  return out;
}

/** Rows of `batch` in bucket `b`. */
export function keepBucket(batch: RecordBatch, buckets: Uint32Array, b: number): RecordBatch {
  const mask = new Uint8Array(batch.numRows);
  for (let i = 0; i < mask.length; i++) mask[i] = buckets[i] === b ? 1 : 0;
  return takeBatch(batch, maskToIndices(mask));
}

/**
 * `repartition`: spreads documents by a hash of their identity (`__file`, `__pos`), so the target
 * partition of a document never depends on batching, worker count or completion order.
 */
registerShuffle('repartition', {
  bucketOf(batch, _wide, n) {
    const files = batch.getChild(DOC_FILE);
    const pos = batch.getChild(DOC_POS);
    if (!files || !pos) throw new Error(`repartition needs the ${DOC_FILE}/${DOC_POS} identity columns`);
    const out = new Uint32Array(batch.numRows);
    for (let i = 0; i < out.length; i++) {
      out[i] = mix(Number(files.get(i)), Number(pos.get(i))) % n;
    }
    return out;
  },
});

/** A 32-bit integer hash of two numbers (murmur3 finalizer over their combination). */
function mix(a: number, b: number): number {
  return fmix32(Math.imul(a | 0, 0x9e3779b1) ^ (b >>> 0) ^ Math.imul(Math.floor(b / 4294967296) | 0, 0x85ebca6b));
}

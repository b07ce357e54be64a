import type { RecordBatch } from 'apache-arrow';
import { ComponentMerger } from '../../ops/dedup/components.ts';
import { partitionRecords, type BandRecords } from '../../ops/dedup/lsh.ts';
import type { PhysicalStage } from '../../plan/physical-plan.ts';
import { bandPartitionsOf, dedupRuntime, dedupSpecOf, starsOf } from './strategy.ts';
import { markBatch } from './verdicts.ts';

/**
 * The dedup phases in memory, for the in-process runner (`collect()`): the same records, band
 * partitions, local components and merge as the pool path, so both keep the same documents and
 * give the same cluster ids. `parts` are the parent's outputs per partition, in order; the result
 * is the stage's input per partition, every batch marked with its verdicts.
 */
export function dedupLocalInputs(stage: PhysicalStage, parts: readonly RecordBatch[][]): RecordBatch[][] {
  const runtime = dedupRuntime(dedupSpecOf(stage));
  const k = bandPartitionsOf(stage);
  const perBand: BandRecords[][] = Array.from({ length: k }, () => []);
  let total = 0;
  for (const part of parts) {
    for (const b of part) {
      if (b.numRows) partitionRecords(runtime.records(b, total), k).forEach((r, i) => { if (r.length) perBand[i]!.push(r); });
      total += b.numRows;
    }
  }
  const merger = new ComponentMerger(total);
  for (const records of perBand) merger.add(starsOf(records));
  const a = merger.finish();
  let at = 0;
  return parts.map((part) => part.map((b) => {
    const n = b.numRows;
    const out = markBatch(b, a.root.subarray(at, at + n), a.size.subarray(at, at + n), at, runtime.clusterColumns);
    at += n;
    return out;
  }));
}

import { repeatedWindows } from '../../ops/dedup/substrings-duplicates.ts';
import { SubstringDedupOptions } from '../../ops/dedup/substrings-options.ts';
import { bytesToWords, RECORD_WORDS, recordPass, WindowRecords, wordsToBytes } from '../../ops/dedup/substrings-records.ts';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { stageById } from '../state/committed.ts';
import { testKillHook } from '../state/test-hooks.ts';
import { dedupKeys } from './layout.ts';
import { parentLayout, type ParentLayout } from './parent.ts';
import { bandPartitionsOf, dedupSpecOf } from './strategy.ts';

/** What a substring bucket task commits (JSON, at the bucket's commit key). */
export interface SubstringBucketSummary {
  /** Passes over the hash range the memory budget needed; the merge reads hits of every pass. */
  passes: number;
  records: number;
  /** Window occurrences to cut. */
  hits: number;
}

/**
 * Peak bytes per window record in a pass: the record (24, and up to as much again while the list
 * doubles), the grouping order (4) and the hits (up to 8 for a repeated window).
 */
const BYTES_PER_RECORD = 48;

/**
 * Bucket task `k` of a substring dedup: reads partition k's window records from every parent piece
 * (doc made a global input ordinal), finds the repeated windows (`repeatedWindows`) and writes the
 * occurrences to cut per parent partition, then commits its summary. When the records would need
 * more than `bucketMemoryMb`, it makes several passes, each over a sub-range of the hash and
 * re-reading the record blobs, so memory stays under the budget whatever the data size.
 */
export async function substringBucketPhase(plan: PhysicalPlan, stageId: string, k: number, store: BlobStore): Promise<SubstringBucketSummary> {
  const stage = stageById(plan, stageId);
  const o = SubstringDedupOptions.parse(dedupSpecOf(stage).options);
  const parts = bandPartitionsOf(stage);
  const layout = await parentLayout(plan, stage, store);
  const blobs: { key: string; p: number }[] = [];
  let bytes = 0;
  for (const [p, ck] of layout.checkpoints.entries()) {
    for (const piece of ck.pieces) {
      const key = dedupKeys.records(layout.parent.id, p, piece.seq, k);
      const stat = piece.rows === 0 ? undefined : await store.stat(key);
      if (!stat) continue;
      blobs.push({ key, p });
      bytes += stat.size;
    }
  }
  const passes = Math.max(1, Math.ceil((bytes / (4 * RECORD_WORDS)) * BYTES_PER_RECORD / (o.bucketMemoryMb * 1024 * 1024)));
  let records = 0, hits = 0;
  for (let pass = 0; pass < passes; pass++) {
    const mine = new WindowRecords();
    for (const { key, p } of blobs) {
      const words = bytesToWords(await store.getBytes(key), RECORD_WORDS, `window records ${key}`);
      const cut = layout.counts[p]!, offset = layout.offsets[p]!;
      for (let at = 0; at < words.length; at += RECORD_WORDS) {
        const doc = words[at + RECORD_WORDS - 2]!;
        if (doc >= cut || (passes > 1 && recordPass(words[at]!, parts, passes) !== pass)) continue;
        mine.pushRecord(words, at, doc + offset);
      }
    }
    records += mine.length;
    const found = repeatedWindows(mine.view(), o.keep);
    hits += found.length / 2;
    for (const [p, slice] of byPartition(found, layout)) await store.put(dedupKeys.hits(stageId, k, pass, p), wordsToBytes(slice));
  }
  const summary: SubstringBucketSummary = { passes, records, hits };
  await store.put(dedupKeys.stars(stageId, k), new TextEncoder().encode(JSON.stringify(summary)));
  testKillHook('checkpoint');
  return summary;
}

/** Splits (doc, pos) pairs sorted by doc into the parent partitions holding those documents. */
function* byPartition(pairs: Uint32Array, layout: ParentLayout): Generator<[number, Uint32Array]> {
  let s = 0;
  for (let p = 0; p < layout.counts.length && s < pairs.length; p++) {
    const end = layout.offsets[p]! + layout.counts[p]!;
    let e = s;
    while (e < pairs.length && pairs[e]! < end) e += 2;
    if (e > s) yield [p, pairs.slice(s, e)];
    s = e;
  }
}

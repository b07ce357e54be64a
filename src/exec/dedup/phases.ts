import { decodeEdges, decodeRecords, encodeEdges } from '../../ops/dedup/codec.ts';
import { ComponentMerger } from '../../ops/dedup/components.ts';
import type { BandRecords, EdgeChunk } from '../../ops/dedup/lsh.ts';
import type { PhysicalPlan } from '../../plan/physical-plan.ts';
import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { stageById } from '../state/committed.ts';
import { testKillHook } from '../state/test-hooks.ts';
import { dedupKeys } from './layout.ts';
import { parentLayout } from './parent.ts';
import { bandPartitionsOf, dedupSpecOf, starsOf } from './strategy.ts';
import { threadCpuMs } from '../accounting/thread-cpu.ts';
import { substringBucketPhase } from './substring-bucket.ts';
import { substringMergePhase, type SubstringMergeSummary } from './substring-merge.ts';
import { isUrlNewest, newestAssignments, urlNewestBucket } from './url-newest.ts';
import { indexIdentity, indexPhase, mergeIndexed, writeIndexManifest } from './dedup-index.ts';

/** What the merge commits next to the verdicts (also printed by tests and benches). */
export interface MergeSummary {
  documents: number;
  removed: number;
  /** Clusters with more than one document. */
  clusters: number;
  starEdges: number;
  /** Thread time the merge took (absent in summaries of older runs). */
  cpuMs?: number;
  /** Documents found in earlier runs' indexes. */
  inIndex: number;
}

/**
 * Bucket phase, one task per band partition `k` (independent, run in parallel on the pool): reads
 * partition k's records from every parent piece, finds equal (band, hash) groups and commits the
 * star edges of their local components. Idempotent: a committed partition is not redone.
 */
export async function bucketPhase(plan: PhysicalPlan, stageId: string, k: number, store: BlobStore): Promise<{ records: number; stars: number }> {
  const t0 = threadCpuMs();
  const stage = stageById(plan, stageId);
  if (dedupSpecOf(stage).strategy === 'substrings') {
    const s = await substringBucketPhase(plan, stageId, k, store);
    return { records: s.records, stars: s.hits };
  }
  if (isUrlNewest(dedupSpecOf(stage))) return urlNewestBucket(plan, stageId, k, store);
  const key = dedupKeys.stars(stageId, k);
  const layout = await parentLayout(plan, stage, store);
  const parts: BandRecords[] = [];
  let records = 0;
  for (const [p, ck] of layout.checkpoints.entries()) {
    for (const piece of ck.pieces) {
      const rk = dedupKeys.records(layout.parent.id, p, piece.seq, k);
      const bytes = piece.rows === 0 ? undefined : await getBytesIfAny(store, rk);
      if (!bytes) continue;
      const r = decodeRecords(bytes);
      const cut = layout.counts[p]!, offset = layout.offsets[p]!;
      let m = 0;
      for (let i = 0; i < r.length; i++) {
        if (r.doc[i]! >= cut) continue;
        r.band[m] = r.band[i]!; r.hi[m] = r.hi[i]!; r.lo[m] = r.lo[i]!; r.doc[m] = r.doc[i]! + offset;
        m++;
      }
      r.length = m;
      records += m;
      parts.push(r);
    }
  }
  await indexPhase(dedupSpecOf(stage), stageId, k, bandPartitionsOf(stage), parts, store);
  const stars = starsOf(parts);
  const edges = encodeEdges(stars);
  await store.put(dedupKeys.bucketCost(stageId, k), new TextEncoder().encode(JSON.stringify({ cpuMs: threadCpuMs() - t0 })));
  await store.put(key, edges);
  testKillHook('checkpoint');
  return { records, stars: stars.length };
}

/**
 * Merge phase, one task: streams every band partition's star edges into one union-find over the
 * documents (4 bytes each), then commits per parent partition the root (= cluster id, the
 * smallest ordinal, i.e. the first document) and cluster size of each document, and last a
 * summary that marks the merge committed. The result depends on the edges only, never on their
 * order, so it is the same for any worker count or band partitioning.
 */
export async function mergePhase(plan: PhysicalPlan, stageId: string, store: BlobStore): Promise<MergeSummary | SubstringMergeSummary> {
  const stage = stageById(plan, stageId);
  if (dedupSpecOf(stage).strategy === 'substrings') return substringMergePhase(plan, stageId, store);
  const done = dedupKeys.merged(stageId);
  const committed = await getBytesIfAny(store, done);
  if (committed) return JSON.parse(new TextDecoder().decode(committed)) as MergeSummary;
  const t0 = threadCpuMs();
  const layout = await parentLayout(plan, stage, store);
  const newest = isUrlNewest(dedupSpecOf(stage));
  const merger = newest ? undefined : new ComponentMerger(layout.total);
  const chunks: EdgeChunk[] = [];
  let starEdges = 0;
  for (let k = 0; k < bandPartitionsOf(stage); k++) {
    const edges = decodeEdges(await store.getBytes(dedupKeys.stars(stageId, k)));
    starEdges += edges.length;
    if (merger) merger.add(edges);
    else chunks.push(edges);
  }
  const assign = merger ? merger.finish() : newestAssignments(chunks, layout.total);
  let clusters = 0;
  for (let d = 0; d < assign.docCount; d++) if (assign.root[d] === d && assign.size[d]! > 1) clusters++;
  for (const [p, n] of layout.counts.entries()) {
    const at = layout.offsets[p]!;
    const out = new Uint32Array(2 * n);
    out.set(assign.root.subarray(at, at + n), 0);
    out.set(assign.size.subarray(at, at + n), n);
    await store.put(dedupKeys.assign(stageId, p), new Uint8Array(out.buffer));
    testKillHook('checkpoint');
  }
  const spec = dedupSpecOf(stage);
  const inIndex = await mergeIndexed(spec, stageId, bandPartitionsOf(stage), layout.counts, layout.offsets, store);
  if (typeof spec.options['writeIndex'] === 'string') await writeIndexManifest(spec.options['writeIndex'], indexIdentity(spec), layout.total);
  const summary: MergeSummary = { documents: layout.total, removed: assign.removedCount(), clusters, starEdges, inIndex, cpuMs: threadCpuMs() - t0 };
  await store.put(done, new TextEncoder().encode(JSON.stringify(summary)));
  return summary;
}

/** Band partitions of a dedup stage whose bucket task has not committed yet. */
export async function pendingBuckets(plan: PhysicalPlan, stageId: string, store: BlobStore): Promise<number[]> {
  const stage = stageById(plan, stageId);
  const todo: number[] = [];
  for (let k = 0; k < bandPartitionsOf(stage); k++) if (!(await store.has(dedupKeys.stars(stageId, k)))) todo.push(k);
  return todo;
}

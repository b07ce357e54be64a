import type { RecordBatch } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';
import { encodeEdges } from '../../ops/dedup/codec.ts';
import { Assignments } from '../../ops/dedup/components.ts';
import { urlKeys } from '../../ops/dedup/keys.ts';
import { allocRecords, bandPartition, type EdgeChunk } from '../../ops/dedup/lsh.ts';
import { UrlDedupOptions } from '../../ops/dedup/specs.ts';
import { bytesToWords, wordsToBytes } from '../../ops/dedup/substrings-records.ts';
import type { DedupSpec } from '../../plan/logical-plan.ts';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';
import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { stageById } from '../state/committed.ts';
import { testKillHook } from '../state/test-hooks.ts';
import { dedupKeys } from './layout.ts';
import { indexPhase } from './dedup-index.ts';
import { parentLayout } from './parent.ts';
import { bandPartitionsOf, dedupSpecOf } from './strategy.ts';

/**
 * URL dedup with `keep: 'newest'`: the map writes per document (url hash hi, lo, doc, date in
 * seconds since 1970, 0 when missing) — 4 u32 — range-partitioned by hash like key records; a
 * bucket sorts its records by URL, then newest date, then input order, and commits star edges from
 * each URL's kept document (the first of that order) to the others. A document has one URL, so the
 * groups are disjoint and the merge assigns each edge's target to its source directly (no
 * union-find, whose roots are the smallest ordinals).
 */
export function isUrlNewest(spec: DedupSpec): boolean {
  return spec.strategy === 'url' && UrlDedupOptions.parse(spec.options).keep === 'newest';
}

const WORDS = 4;

/** Seconds since 1970 of an ISO 8601 date (WARC-Date), 0 when missing or unparseable. */
export function dateSeconds(value: string | null | undefined): number {
  const ms = value ? Date.parse(value.trim()) : NaN;
  return Number.isFinite(ms) ? Math.min(0xffffffff, Math.max(0, Math.floor(ms / 1000))) : 0;
}

export function urlNewestMapOf(stage: PhysicalStage, consumer: PhysicalStage): {
  write(store: BlobStore, partition: number, seq: number, outputs: readonly RecordBatch[], firstRow: number): Promise<void>;
} {
  const o = UrlDedupOptions.parse(dedupSpecOf(consumer).options);
  const parts = bandPartitionsOf(consumer);
  return {
    async write(store, partition, seq, outputs, firstRow) {
      const split: number[][] = Array.from({ length: parts }, () => []);
      let at = firstRow;
      for (const b of outputs) {
        const keys = urlKeys(strings(b, o.column));
        const dates = strings(b, o.dateColumn);
        for (let i = 0; i < b.numRows; i++) {
          if (!keys.valid[i]) continue;
          split[bandPartition(keys.keys[2 * i]!, parts)]!.push(keys.keys[2 * i]!, keys.keys[2 * i + 1]!, at + i, dateSeconds(dates[i]));
        }
        at += b.numRows;
      }
      for (let k = 0; k < parts; k++) {
        if (split[k]!.length) await store.put(dedupKeys.records(stage.id, partition, seq, k), wordsToBytes(Uint32Array.from(split[k]!)));
      }
    },
  };
}

/** Bucket task `k`: star edges kept → duplicate per URL, committed at the bucket's key. */
export async function urlNewestBucket(plan: PhysicalPlan, stageId: string, k: number, store: BlobStore): Promise<{ records: number; stars: number }> {
  const stage = stageById(plan, stageId);
  const layout = await parentLayout(plan, stage, store);
  const recs: number[] = [];
  for (const [p, ck] of layout.checkpoints.entries()) {
    for (const piece of ck.pieces) {
      const key = dedupKeys.records(layout.parent.id, p, piece.seq, k);
      const bytes = piece.rows === 0 ? undefined : await getBytesIfAny(store, key);
      if (!bytes) continue;
      const w = bytesToWords(bytes, WORDS, `url records ${key}`);
      for (let i = 0; i < w.length; i += WORDS) {
        if (w[i + 2]! < layout.counts[p]!) recs.push(w[i]!, w[i + 1]!, w[i + 2]! + layout.offsets[p]!, w[i + 3]!);
      }
    }
  }
  const n = recs.length / WORDS;
  const keyed = allocRecords(n);
  for (let i = 0; i < n; i++) { keyed.hi[i] = recs[i * WORDS]!; keyed.lo[i] = recs[i * WORDS + 1]!; keyed.doc[i] = recs[i * WORDS + 2]!; }
  await indexPhase(dedupSpecOf(stage), stageId, k, bandPartitionsOf(stage), [keyed], store);
  const order = Array.from({ length: n }, (_, i) => i);
  const r = (i: number, j: number) => recs[i * WORDS + j]!;
  order.sort((a, b) => r(a, 0) - r(b, 0) || r(a, 1) - r(b, 1) || r(b, 3) - r(a, 3) || r(a, 2) - r(b, 2));
  const src: number[] = [], dst: number[] = [];
  for (let s = 0; s < n;) {
    let e = s + 1;
    while (e < n && r(order[e]!, 0) === r(order[s]!, 0) && r(order[e]!, 1) === r(order[s]!, 1)) e++;
    for (let i = s + 1; i < e; i++) { src.push(r(order[s]!, 2)); dst.push(r(order[i]!, 2)); }
    s = e;
  }
  const edges: EdgeChunk = { length: src.length, src: Float64Array.from(src), dst: Float64Array.from(dst) };
  await store.put(dedupKeys.stars(stageId, k), encodeEdges(edges));
  testKillHook('checkpoint');
  return { records: n, stars: edges.length };
}

/** The merge's assignment for keep-newest: each star edge's target points at its source. */
export function newestAssignments(chunks: readonly EdgeChunk[], documents: number): Assignments {
  const root = new Uint32Array(documents);
  for (let d = 0; d < documents; d++) root[d] = d;
  for (const c of chunks) for (let i = 0; i < c.length; i++) root[c.dst[i]!] = c.src[i]!;
  return new Assignments(root);
}

function strings(batch: RecordBatch, column: string): (string | null)[] {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  if (at < 0) throw new Error(`url dedup: column "${column}" is not in the data (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`);
  const data = batch.data.children[at]!;
  if (data.typeId !== Type.Utf8) throw new Error(`url dedup: column "${column}" must be a string column, it is ${String(data.type)}`);
  return decodeUtf8(utf8Parts(data));
}

import type { RecordBatch } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';
import { DEFAULT_TEXT_NORM, TextNormConfig } from '../../ops/dedup/normalize.ts';
import { exactKeys, urlKeys } from '../../ops/dedup/keys.ts';
import { allocRecords, bandRecords, bucket, keyRecords, type BandRecords, type EdgeChunk } from '../../ops/dedup/lsh.ts';
import { localComponents } from '../../ops/dedup/components.ts';
import { MinhashSigner, resolveMinhash } from '../../ops/dedup/minhash.ts';
import { ExactDedupOptions, MinhashDedupOptions, UrlDedupOptions } from '../../ops/dedup/specs.ts';
import type { DedupSpec } from '../../plan/logical-plan.ts';
import type { PhysicalPlan, PhysicalStage } from '../../plan/physical-plan.ts';

/**
 * A dedup spec resolved for execution: how a batch becomes band records (the map side, fused into
 * the stage before the cut) and how many band partitions the records are shuffled into.
 * Exact and URL dedup are single-band records of a 64-bit key; MinHash has B bands.
 */
export interface DedupRuntime {
  strategy: DedupSpec['strategy'];
  column: string;
  clusterColumns: boolean;
  /** Band records of `batch`, whose row `i` has input ordinal `first + i`. */
  records(batch: RecordBatch, first: number): BandRecords;
}

const signers = new Map<string, MinhashSigner>();

/** Resolves a spec; MinHash signers (permutation tables) are built once per thread and config. */
export function dedupRuntime(spec: DedupSpec): DedupRuntime {
  switch (spec.strategy) {
    case 'substrings':
      // Its windows are per document position, not per document: substring-map.ts writes them.
      throw new Error('substring dedup has its own map, bucket and merge (src/exec/dedup/substring-*.ts)');
    case 'minhash': {
      const o = MinhashDedupOptions.parse(spec.options);
      const { clusterColumns: _c, ...mh } = o;
      const cfg = resolveMinhash(mh);
      const key = JSON.stringify(cfg);
      let signer = signers.get(key);
      if (!signer) signers.set(key, (signer = new MinhashSigner(cfg)));
      const s = signer;
      return {
        strategy: 'minhash', column: cfg.column, clusterColumns: o.clusterColumns,
        records: (batch, first) => bandRecords(s.sign(texts(batch, cfg.column)), cfg.bands, ordinals(batch.numRows, first)),
      };
    }
    case 'exact': {
      const o = ExactDedupOptions.parse(spec.options);
      const norm = o.norm ? TextNormConfig.parse(o.norm) : DEFAULT_TEXT_NORM;
      return {
        strategy: 'exact', column: o.column, clusterColumns: o.clusterColumns,
        records: (batch, first) => {
          const k = exactKeys(texts(batch, o.column), norm);
          return keyRecords(k.keys, ordinals(batch.numRows, first), k.valid);
        },
      };
    }
    case 'url': {
      const o = UrlDedupOptions.parse(spec.options);
      return {
        strategy: 'url', column: o.column, clusterColumns: o.clusterColumns,
        records: (batch, first) => {
          const k = urlKeys(texts(batch, o.column));
          return keyRecords(k.keys, ordinals(batch.numRows, first), k.valid);
        },
      };
    }
  }
}

function ordinals(n: number, first: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = first + i;
  return out;
}

function texts(batch: RecordBatch, column: string): (string | null)[] {
  const at = batch.schema.fields.findIndex((f) => f.name === column);
  if (at < 0) {
    throw new Error(`dedup: column "${column}" is not in the data (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`);
  }
  const data = batch.data.children[at]!;
  if (data.typeId !== Type.Utf8) throw new Error(`dedup: column "${column}" must be a string column, it is ${String(data.type)}`);
  return decodeUtf8(utf8Parts(data));
}

/**
 * Band partitions of a dedup stage: records are range-partitioned by band hash into this many
 * bucket tasks. A function of the plan only (never of workers), capped to bound small files.
 */
export function bandPartitionsOf(stage: PhysicalStage): number {
  return Math.max(1, Math.min(64, stage.partitions.length));
}

/** The wide dedup stage reading `stage`'s output, if any. */
export function dedupConsumerOf(plan: PhysicalPlan, stage: PhysicalStage): (PhysicalStage & { input: { kind: 'wide' } }) | undefined {
  const c = plan.stages.find((s) => s.input.kind === 'wide' && s.input.stage === stage.id && s.input.wide.kind === 'dedup');
  return c as (PhysicalStage & { input: { kind: 'wide' } }) | undefined;
}

export function dedupSpecOf(stage: PhysicalStage): DedupSpec {
  const input = stage.input;
  if (input.kind !== 'wide' || input.wide.kind !== 'dedup') throw new Error(`stage ${stage.id} is not a dedup stage`);
  return input.wide.dedup;
}

/**
 * One band partition's records → star edges (kept-candidate → duplicate) of its local components.
 * Bands are bucketed one at a time so the hash table is sized by one band's records, not all.
 */
export function starsOf(parts: readonly BandRecords[]): EdgeChunk {
  let maxBand = 0, total = 0;
  for (const r of parts) {
    total += r.length;
    for (let i = 0; i < r.length; i++) if (r.band[i]! > maxBand) maxBand = r.band[i]!;
  }
  const counts = new Uint32Array(maxBand + 2);
  for (const r of parts) for (let i = 0; i < r.length; i++) counts[r.band[i]! + 1]!++;
  for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
  const byBand = allocRecords(total);
  const fill = counts.slice();
  for (const r of parts) {
    for (let i = 0; i < r.length; i++) {
      const k = fill[r.band[i]!]!++;
      byBand.band[k] = r.band[i]!; byBand.hi[k] = r.hi[i]!; byBand.lo[k] = r.lo[i]!; byBand.doc[k] = r.doc[i]!;
    }
  }
  const edges: EdgeChunk[] = [];
  for (let b = 0; b <= maxBand; b++) {
    const s = counts[b]!, e = counts[b + 1]!;
    if (e - s < 2) continue;
    edges.push(bucket({
      length: e - s, band: byBand.band.subarray(s, e), hi: byBand.hi.subarray(s, e),
      lo: byBand.lo.subarray(s, e), doc: byBand.doc.subarray(s, e),
    }));
  }
  const n = edges.reduce((a, x) => a + x.length, 0);
  const src = new Float64Array(n), dst = new Float64Array(n);
  let at = 0;
  for (const x of edges) { src.set(x.src.subarray(0, x.length), at); dst.set(x.dst.subarray(0, x.length), at); at += x.length; }
  return localComponents({ length: n, src, dst });
}

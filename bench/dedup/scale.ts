import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EdgeSpillWriter, allocRecords, bucket, components, decodeRecords, encodeRecords, localComponents,
  partitionRecords, readEdgeSpill,
} from '../../src/ops/dedup/index.ts';
import { fmix32 } from '../../src/ops/dedup/hash32.ts';

type Emit = (row: Record<string, unknown>) => void;

const BANDS = 14;

/** Doc `d` is a near-duplicate of an earlier doc with probability 0.3, sharing each band w.p. 0.6. */
function originOf(d: number): number {
  const h = fmix32(d ^ 0x5bd1e995);
  if (d === 0 || h % 10 >= 3) return -1;
  return d - 1 - (fmix32(h) % Math.min(d, 5000));
}

function sharesBand(d: number, b: number): boolean {
  return fmix32(Math.imul(d, 31) + b + 0x1234567) % 10 < 6;
}

/** The band hash of doc `d` in band `b`: its origin's when shared, else its own. */
function bandValue(d: number, b: number, out: Uint32Array): void {
  let x = d;
  for (;;) {
    const o = originOf(x);
    if (o < 0 || !sharesBand(x, b)) break;
    x = o;
  }
  out[0] = fmix32(Math.imul(x, 0x9e3779b1) ^ b);
  out[1] = fmix32(x + Math.imul(b, 0x85ebca6b));
}

function rssMB(): number {
  return +(process.resourceUsage().maxRSS / 1024).toFixed(0);
}

/**
 * (c) Clustering at scale over synthetic band records, with every step's data on disk: map tasks
 * write range-partitioned records, each shuffle partition is bucketed and reduced to a star forest
 * on its own, and the merge streams the stars back in chunks.
 */
export async function scale(docs: number, emit: Emit, mapTasks = 10, partitions = 8): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-dedup-scale-'));
  try {
    const t0 = performance.now();
    const v = new Uint32Array(2);
    const per = Math.ceil(docs / mapTasks);
    for (let m = 0; m < mapTasks; m++) {
      const lo = m * per;
      const hi = Math.min(docs, lo + per);
      const r = allocRecords((hi - lo) * BANDS);
      for (let d = lo, k = 0; d < hi; d++) {
        for (let b = 0; b < BANDS; b++, k++) {
          bandValue(d, b, v);
          r.band[k] = b; r.hi[k] = v[0]!; r.lo[k] = v[1]!; r.doc[k] = d;
        }
      }
      partitionRecords(r, partitions).forEach((part, p) => appendFileSync(join(dir, `records-${p}.bin`), encodeRecords(part)));
    }
    const t1 = performance.now();
    const stars = await EdgeSpillWriter.create(join(dir, 'stars.bin'));
    let candidateEdges = 0;
    for (let p = 0; p < partitions; p++) {
      const edges = bucket(decodeRecords(readFileSync(join(dir, `records-${p}.bin`))));
      candidateEdges += edges.length;
      await stars.write(localComponents(edges));
    }
    await stars.close();
    const t2 = performance.now();
    const a = await components(readEdgeSpill(join(dir, 'stars.bin')), docs);
    const t3 = performance.now();
    let expectedDup = 0;
    for (let d = 0; d < docs; d++) if (originOf(d) >= 0) expectedDup++;
    emit({
      bench: 'dedup', case: `scale:${docs}`, docs, bands: BANDS, mapTasks, partitions,
      records: docs * BANDS, candidateEdges, starEdges: stars.edges, removed: a.removedCount(),
      generatedNearDuplicates: expectedDup,
      mapSec: +((t1 - t0) / 1000).toFixed(1), bucketSec: +((t2 - t1) / 1000).toFixed(1),
      mergeSec: +((t3 - t2) / 1000).toFixed(2), docsPerSec: Math.round(docs / ((t3 - t1) / 1000)),
      peakRssMB: rssMB(),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

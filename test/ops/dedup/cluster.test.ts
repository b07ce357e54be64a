import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ComponentMerger, EdgeSpillWriter, allocRecords, bucket, components, localComponents, partitionRecords,
  readEdgeSpill, clusterRecords, type EdgeChunk,
} from '../../../src/ops/dedup/index.ts';
import { rng } from './helpers.ts';

const chunk = (pairs: [number, number][]): EdgeChunk => ({
  length: pairs.length,
  src: Float64Array.from(pairs, (p) => p[0]),
  dst: Float64Array.from(pairs, (p) => p[1]),
});

/** Hand-made graph over 20 docs: a chain 9-3-7-1-12, a star centred on 15 (2, 8, 19, 15),
 *  a pair 4-18 reached from both ends, a self-loop, and isolated docs. */
const GRAPH: [number, number][] = [[9, 3], [3, 7], [7, 1], [1, 12], [15, 2], [15, 8], [19, 15], [18, 4], [4, 18], [6, 6]];
const EXPECTED_ROOT = [0, 1, 2, 1, 4, 5, 6, 1, 2, 1, 10, 11, 1, 13, 14, 2, 16, 17, 4, 2];

describe('components', () => {
  it('finds exact components of a hand-made graph, rooted at the smallest doc', async () => {
    const a = await components([chunk(GRAPH)], 20);
    expect([...a.root]).toEqual(EXPECTED_ROOT);
    expect(a.size[1]).toBe(5);
    expect(a.size[2]).toBe(4);
    expect(a.size[4]).toBe(2);
    expect(a.size[0]).toBe(1);
    expect(a.size[3]).toBe(0);
    expect(a.removedCount()).toBe(8);
    expect(a.isKept(1) && !a.isKept(12)).toBe(true);
  });

  it('gives the same assignment for any split of the edges into partitions and any order', () => {
    const r = rng(9);
    const edges: [number, number][] = [];
    for (let i = 0; i < 3000; i++) edges.push([r() % 5000, r() % 5000]);
    const reference = new ComponentMerger(5000);
    reference.add(chunk(edges));
    const expected = reference.finish().root;
    for (const parts of [1, 2, 7]) {
      const merger = new ComponentMerger(5000);
      for (let p = parts - 1; p >= 0; p--) {
        merger.add(localComponents(chunk(edges.filter((_, i) => i % parts === p))));
      }
      expect(merger.finish().root).toEqual(expected);
    }
  });

  it('local components emit a star forest sorted by member, never more edges than nodes', () => {
    const stars = localComponents(chunk(GRAPH));
    expect(Array.from(stars.dst)).toEqual([3, 7, 8, 9, 12, 15, 18, 19]);
    expect(Array.from(stars.src)).toEqual([1, 1, 2, 1, 1, 2, 4, 2]);
  });

  it('skips pairs that fail verification', async () => {
    const a = await components([localComponents(chunk([[0, 1], [1, 2]]), (x, y) => !(x === 1 && y === 2))], 3);
    expect([...a.root]).toEqual([0, 0, 2]);
  });

  it('rejects edges outside the document range', () => {
    expect(() => new ComponentMerger(3).add(chunk([[0, 3]]))).toThrow(/outside/);
  });

  it('streams edges through a spill file in chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dedup-spill-'));
    try {
      const w = await EdgeSpillWriter.create(join(dir, 'edges.bin'));
      await w.write(chunk(GRAPH.slice(0, 4)));
      await w.write(chunk(GRAPH.slice(4)));
      await w.close();
      const chunks: EdgeChunk[] = [];
      for await (const c of readEdgeSpill(join(dir, 'edges.bin'), 3)) chunks.push(c);
      expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
      expect([...(await components(chunks, 20)).root]).toEqual(EXPECTED_ROOT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bucket', () => {
  it('links each bucket as a star from its smallest doc, per band, whatever the record order', () => {
    const recs = allocRecords(7);
    // band 0: docs 5, 2, 9 share hash (7,1); band 1: docs 5, 2 share (7,1) again; doc 4 alone.
    const rows: [number, number, number, number][] = [[0, 7, 1, 5], [0, 7, 1, 2], [1, 7, 1, 5], [0, 7, 2, 4], [0, 7, 1, 9], [1, 7, 1, 2], [1, 8, 1, 9]];
    rows.forEach(([b, hi, lo, d], i) => { recs.band[i] = b; recs.hi[i] = hi; recs.lo[i] = lo; recs.doc[i] = d; });
    const edgeSet = (e: EdgeChunk) => Array.from(e.src, (s, i) => `${s}->${e.dst[i]}`).sort();
    expect(edgeSet(bucket(recs))).toEqual(['2->5', '2->5', '2->9']);
    const reversed = allocRecords(7);
    for (let i = 0; i < 7; i++) {
      reversed.band[i] = recs.band[6 - i]!; reversed.hi[i] = recs.hi[6 - i]!; reversed.lo[i] = recs.lo[6 - i]!; reversed.doc[i] = recs.doc[6 - i]!;
    }
    expect(edgeSet(bucket(reversed))).toEqual(edgeSet(bucket(recs)));
  });

  it('partitions records by band-hash range so each partition is independent', () => {
    const r = rng(5);
    const recs = allocRecords(20000);
    for (let i = 0; i < recs.length; i++) {
      recs.band[i] = r() % 14; recs.hi[i] = r() % 3000 * 1431655; recs.lo[i] = 0; recs.doc[i] = i % 4000;
    }
    const base = clusterRecords(recs, 4000, 1).root;
    for (const p of [2, 7]) {
      const parts = partitionRecords(recs, p);
      expect(parts.reduce((a, x) => a + x.length, 0)).toBe(recs.length);
      expect(clusterRecords(recs, 4000, p).root).toEqual(base);
    }
  });
});

describe('shuffle codecs', () => {
  it('round-trips records and edges and rejects truncated bytes', async () => {
    const { encodeRecords, decodeRecords, encodeEdges, decodeEdges } = await import('../../../src/ops/dedup/index.ts');
    const r = allocRecords(3);
    r.band.set([0, 13, 2]); r.hi.set([1, 0xffffffff, 7]); r.lo.set([5, 6, 0]); r.doc.set([0, 4000000000, 9]);
    const back = decodeRecords(encodeRecords(r));
    expect([back.band, back.hi, back.lo, back.doc]).toEqual([r.band, r.hi, r.lo, r.doc]);
    expect(() => decodeRecords(encodeRecords(r).subarray(0, 40))).toThrow(/multiple/);
    const e = chunk(GRAPH);
    expect(decodeEdges(encodeEdges(e))).toEqual({ length: e.length, src: e.src, dst: e.dst });
  });
});

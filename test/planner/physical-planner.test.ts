import { describe, expect, it } from 'vitest';
import { formatPhysical } from '../../src/planner/format-plan.ts';
import type { LogicalPlan, SourceSpec } from '../../src/plan/logical-plan.ts';
import type { PartitionSpec } from '../../src/plan/physical-plan.ts';
import { planPhysical } from '../../src/planner/physical-planner.ts';
import { apply, col, extract, filter, langId, limit, scan, select, webSource } from './plans.ts';

/** One partition per input file, as the JSONL/WARC readers do for small files. */
const ctx = {
  seen: [] as { columns?: string[] }[],
  async partition(source: SourceSpec, scanReq: { columns?: string[] }): Promise<PartitionSpec[]> {
    this.seen.push(scanReq);
    return source.paths.map((file, i) => ({ index: i, file, fileIndex: i }));
  },
};

describe('physical planning', () => {
  it('fuses narrow steps into one stage with a partition per file', async () => {
    const plan = select(filter(langId(extract({ kind: 'scan', source: webSource, columns: ['url', 'html'] })), col('language').eq('en')), { url: col('url') });
    const physical = await planPhysical(plan, ctx);
    expect(physical.stages[0]!.partitions.map((p) => p.file)).toEqual(webSource.paths);
    expect(ctx.seen.at(-1)).toEqual({ columns: ['url', 'html'] });
    expect(formatPhysical(physical)).toMatchInlineSnapshot(`
      "Stage s0 (2 partitions)
        input: Scan parquet (2 files) columns=[url, html]
        Apply html_extract
        Apply language_id
        Filter language = 'en'
        Select url
        output: result"
    `);
  });

  it('cuts stages at dedup, repartition and wide operators', async () => {
    const deduped: LogicalPlan = { kind: 'dedup', input: extract(scan()), dedup: { strategy: 'minhash', options: {} } };
    const repart: LogicalPlan = { kind: 'repartition', input: filter(deduped, col('status').eq(200)), partitions: 8 };
    const wide = apply(repart, 'corpus_idf', { reads: ['text'], writes: ['idf'], kind: 'wide' });
    const sink: LogicalPlan = { kind: 'sink', input: langId(wide), sink: { format: 'parquet', path: '/out' } };
    const physical = await planPhysical(sink, { ...ctx, modules: ['/pipelines/ops.ts'] });
    expect(physical.stages.map((s) => s.partitions.length)).toEqual([2, 2, 8, 8]);
    expect(formatPhysical(physical)).toMatchInlineSnapshot(`
      "Stage s0 (2 partitions)
        input: Scan parquet (2 files)
        Apply html_extract
        output: stage
      Stage s1 (2 partitions)
        input: Dedup minhash (s0 writes band hashes -> bucket by hash range -> merge clusters) <- all partitions of s0
        Apply dedup
        Filter status = 200
        output: stage
      Stage s2 (8 partitions)
        input: Repartition 8 <- all partitions of s1
        output: stage
      Stage s3 (8 partitions)
        input: Apply corpus_idf <- all partitions of s2
        Apply language_id
        output: sink parquet /out
      modules: /pipelines/ops.ts"
    `);
  });

  it('makes union branches stages read by one consuming stage', async () => {
    const a = filter(scan({ ...webSource, paths: ['/a.parquet'] }), col('status').eq(200));
    const b = scan({ ...webSource, paths: ['/b1.parquet', '/b2.parquet'] });
    const physical = await planPhysical(select({ kind: 'union', inputs: [a, b] }, { url: col('url') }), ctx);
    expect(physical.stages[2]!.partitions).toEqual([
      { index: 0, upstream: { stage: 's0', partition: 0 } },
      { index: 1, upstream: { stage: 's1', partition: 0 } },
      { index: 2, upstream: { stage: 's1', partition: 1 } },
    ]);
    expect(formatPhysical(physical)).toMatchInlineSnapshot(`
      "Stage s0 (1 partition)
        input: Scan parquet (1 file)
        Filter status = 200
        output: stage
      Stage s1 (2 partitions)
        input: Scan parquet (2 files)
        output: stage
      Stage s2 (3 partitions)
        input: Union of s0, s1
        Select url
        output: result"
    `);
  });

  it('keeps a final limit per partition and gathers when work follows a limit', async () => {
    const tail = await planPhysical(select(limit(extract(scan()), 10), { text: col('text') }), ctx);
    expect(tail.stages).toHaveLength(1);
    expect(tail.stages[0]!.limit).toBe(10);
    const mid = await planPhysical(filter(limit(scan(), 10), col('status').eq(200)), ctx);
    expect(formatPhysical(mid)).toMatchInlineSnapshot(`
      "Stage s0 (2 partitions)
        input: Scan parquet (2 files)
        Limit 10 (per partition)
        output: stage, first 10 rows in partition order
      Stage s1 (1 partition)
        input: Limit 10 (global) <- all partitions of s0
        Filter status = 200
        output: result"
    `);
  });
});

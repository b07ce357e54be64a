import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { col } from '../../src/plan/expr.ts';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import { writeParquet } from '../../src/io/parquet/write.ts';
import { executePlan } from '../../src/exec/driver/collect.ts';
import { parseOptions } from '../../src/ops/operator.ts';
import { textLength } from '../../src/ops/filters/text-length.ts';
import type { LogicalPlan, SourceSpec } from '../../src/plan/logical-plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-local-'));
const jsonl: SourceSpec = {
  format: 'jsonl', paths: ['fixtures/jsonl/dolma-40.jsonl', 'fixtures/jsonl/c4-sample.01.json.gz'],
  schema: [{ name: 'id', type: 'Utf8' }, { name: 'text', type: 'Utf8' }, { name: 'url', type: 'Utf8' }],
};
const docs = [
  ...readFileSync('fixtures/jsonl/dolma-40.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
];
const lengthApply = (input: LogicalPlan): LogicalPlan => {
  const options = parseOptions(textLength, {});
  return { kind: 'apply', input, op: 'text_length', options, decl: textLength.declare(options) };
};

function pipeline(): LogicalPlan {
  return {
    kind: 'limit', n: 12,
    input: {
      kind: 'select', columns: [{ name: 'id', expr: col('id').node }, { name: 'len', expr: col('text_length').node }],
      input: { kind: 'filter', predicate: col('text').contains('the').and(col('id').isNotNull()).node, input: lengthApply({ kind: 'scan', source: jsonl }) },
    },
  };
}

function checkStats(stats: { stage: string; name: string; documentsIn: number; documentsOut: number; dropped: Record<string, number>; quarantined: number }[]) {
  for (const [k, s] of stats.entries()) {
    expect(s.documentsIn, s.name).toBe(s.documentsOut + Object.values(s.dropped).reduce((a, b) => a + b, 0) + s.quarantined);
    const prev = stats[k - 1];
    if (prev && prev.stage === s.stage) expect(s.documentsIn, s.name).toBe(prev.documentsOut);
  }
}

describe('executePlan', () => {
  it('runs a pipeline end to end, same rows with the optimizer on and off', async () => {
    const on = await executePlan(pipeline(), { batchSize: 7, partitionBytes: 30_000 });
    const off = await executePlan(pipeline(), { optimize: false, batchSize: 7, partitionBytes: 30_000 });
    const rows = (t: typeof on.table) => t.toArray().map((r) => ({ id: r.id, len: r.len }));
    const want = docs.filter((d) => d.text.includes('the')).slice(0, 12).map((d) => ({ id: d.id, len: Buffer.byteLength(d.text) }));
    expect(rows(on.table)).toEqual(want);
    expect(rows(off.table)).toEqual(want);
    expect(on.physical.stages[0]!.partitions.length).toBeGreaterThan(2);
    checkStats(on.stats);
    checkStats(off.stats);
    expect(on.stats.map((s) => s.name)).toContain('text_length');
  });

  it('runs unions and repartitions as sluice run does: rows bucketed by document identity', async () => {
    const a: SourceSpec = { format: 'records', paths: [], options: { rows: [{ k: 1 }, { k: 2 }, { k: 3 }] } };
    const b: SourceSpec = { format: 'records', paths: [], options: { rows: [{ k: 4 }, { k: 5 }] } };
    const plan: LogicalPlan = {
      kind: 'filter', predicate: col('k').neq(2).node,
      input: { kind: 'repartition', partitions: 3, input: { kind: 'union', inputs: [{ kind: 'scan', source: a }, { kind: 'scan', source: b }] } },
    };
    const { table, stats, physical } = await executePlan(plan);
    // Repartition hashes (__file, __pos) into buckets; each bucket keeps input order. Pinned so a
    // change of the hash (which would reorder every repartitioned output) cannot pass unnoticed.
    expect(table.getChild('k')!.toArray()).toEqual(new Float64Array([1, 4, 3, 5]));
    expect(physical.stages.at(-1)!.partitions).toHaveLength(3);
    checkStats(stats);
  });

  it('counts parquet rows reading no column after pruning, and skips row groups', async () => {
    const path = join(dir, 'nums.parquet');
    const fields = [{ name: 'i', type: 'Int32' }, { name: 's', type: 'Utf8' }];
    await writeParquet(path, [rowsToBatch(Array.from({ length: 500 }, (_, i) => ({ i, s: `row ${i}` })), fields)], { rowGroupRows: 100 });
    const plan: LogicalPlan = {
      kind: 'select', columns: [],
      input: { kind: 'filter', predicate: col('i').gte(420).node, input: { kind: 'scan', source: { format: 'parquet', paths: [path], schema: fields } } },
    };
    const { table, stats, physical } = await executePlan(plan);
    expect(table.numRows).toBe(80);
    const scan = physical.stages[0]!.input;
    expect(scan.kind === 'scan' && scan.columns).toEqual(['i']);
    expect(stats[0]).toMatchObject({ name: 'scan', documentsIn: 500, documentsOut: 100, dropped: { row_group_pruned: 400 } });
    checkStats(stats);
  });

  it('writes sinks', async () => {
    const path = join(dir, 'out.jsonl');
    const plan: LogicalPlan = { kind: 'sink', sink: { format: 'jsonl', path }, input: { kind: 'select', columns: [{ name: 'url', expr: col('url').node }], input: { kind: 'filter', predicate: col('url').isNotNull().node, input: { kind: 'scan', source: jsonl } } } };
    await executePlan(plan);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(10);
    expect(Object.keys(lines[0])).toEqual(['url']);
  });

  it('says which registration a wide operator without a shuffle needs (as sluice run does)', async () => {
    const options = parseOptions(textLength, {});
    const plan: LogicalPlan = { kind: 'apply', op: 'text_length', options, decl: { ...textLength.declare(options), kind: 'wide' }, input: { kind: 'scan', source: jsonl } };
    await expect(executePlan(plan)).rejects.toThrow(/no shuffle registered for wide step "apply:text_length"/);
  });
});

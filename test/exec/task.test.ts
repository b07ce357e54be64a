import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RecordBatch } from 'apache-arrow';
import { setColumn } from '../../src/arrow/batch.ts';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';
import { col } from '../../src/plan/expr.ts';
import { runTask, stageStepNames } from '../../src/exec/task/run-steps.ts';
import type { TaskEvent } from '../../src/exec/task/run-steps.ts';
import type { StepCounters } from '../../src/exec/accounting/counters.ts';
import { defineOperator } from '../../src/ops/operator.ts';
import '../../src/ops/index.ts';
import type { PhysicalStage } from '../../src/plan/physical-plan.ts';
import type { SourceSpec } from '../../src/plan/logical-plan.ts';
import { getReader } from '../../src/io/sources.ts';

// Upper-cases `text`, throws on documents containing "POISON", drops those containing "spam".
let inits = 0;
defineOperator({
  name: 'test_fragile_upper',
  options: z.object({ column: z.string().default('text') }),
  declare: (o) => ({ reads: [o.column], writes: [o.column], removes: [], filters: true, kind: 'narrow', costPerRow: 1 }),
  init: (o) => { inits++; return o; },
  apply: (o, batch) => {
    const texts = batch.getChild(o.column)!.toArray() as string[];
    if (texts.some((t) => t.includes('POISON'))) throw new Error('cannot handle poison');
    return {
      batch: setColumn(batch, o.column, utf8Vector(texts.map((t) => t.toUpperCase()))),
      drop: texts.map((t) => (t.includes('spam') ? 'test:spam' : null)),
    };
  },
});

const dolma: SourceSpec = { format: 'jsonl', paths: ['fixtures/jsonl/dolma-40.jsonl'] };

function scanStage(steps: PhysicalStage['steps'], extra: Partial<Extract<PhysicalStage['input'], { kind: 'scan' }>> = {}, source = dolma): PhysicalStage {
  return { id: 's0', input: { kind: 'scan', source, ...extra }, partitions: [], steps, output: { kind: 'result' } };
}

async function collect(events: AsyncIterable<TaskEvent>) {
  const all: TaskEvent[] = [];
  for await (const e of events) all.push(e);
  const batches = all.flatMap((e) => (e.type === 'batch' ? [e.batch] : []));
  const done = all.at(-1)!;
  if (done.type !== 'done') throw new Error('last event is not done');
  return { all, batches, rows: batches.flatMap((b) => b.toArray().map((r) => r.toJSON() as Record<string, unknown>)), counters: done.counters };
}

function checkInvariant(counters: StepCounters[]) {
  for (const [k, c] of counters.entries()) {
    const dropped = Object.values(c.dropped).reduce((s, n) => s + n, 0);
    expect(c.documentsIn, `step ${c.name}`).toBe(c.documentsOut + dropped + c.quarantined);
    if (k > 0) expect(c.documentsIn, `step ${c.name} input`).toBe(counters[k - 1]!.documentsOut);
  }
}

describe('runTask', () => {
  it('quarantines exactly the document an operator throws on, with its location and error', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ text: i === 7 ? 'a POISON doc' : i % 5 === 3 ? `spam ${i}` : `doc ${i}` }));
    const source: SourceSpec = { format: 'records', paths: [], options: { rows } };
    const stage = scanStage([{ kind: 'apply', op: 'test_fragile_upper', options: {} }], {}, source);
    const { rows: out, counters, all } = await collect(runTask(stage, { index: 0, rows: [0, 20] }, { batchSize: 8 }));
    expect(out.map((r) => r.text)).toEqual(rows.map((r) => r.text).filter((t) => !t.includes('POISON') && !t.includes('spam')).map((t) => t.toUpperCase()));
    const q = all.flatMap((e) => (e.type === 'quarantined' ? e.docs.map((d) => ({ ...d, step: e.stepName })) : []));
    expect(q).toEqual([{ fileIndex: 0, pos: 7, error: 'cannot handle poison', step: 'test_fragile_upper' }]);
    expect(counters.map((c) => c.name)).toEqual(['scan', 'test_fragile_upper']);
    expect(counters[1]).toMatchObject({ documentsIn: 20, documentsOut: 15, quarantined: 1, dropped: { 'test:spam': 4 } });
    checkInvariant(counters);
  });

  it('fuses scan predicate, filter, select, withColumns, drop and limit with per-step counters', async () => {
    const stage = scanStage([
      { kind: 'filter', predicate: col('text').contains('the').node },
      { kind: 'apply', op: 'text_length', options: {} },
      { kind: 'filter', predicate: col('text_length').gt(3000).node },
      { kind: 'withColumns', columns: [{ name: 'kb', expr: col('text_length').div(1024).node }] },
      { kind: 'select', columns: [{ name: 'id', expr: col('id').node }, { name: 'kb', expr: col('kb').node }, { name: 'n', expr: col('text_length').node }] },
      { kind: 'drop', columns: ['n'] },
      { kind: 'limit', n: 5 },
    ], { predicate: col('text').contains('the').node, columns: ['id', 'text'] });
    const parts = await getReader('jsonl').partitions(dolma, 1 << 30);
    const { rows, counters } = await collect(runTask(stage, parts[0]!, { batchSize: 4 }));
    expect(counters.map((c) => c.name)).toEqual(['scan', 'filter', 'text_length', 'filter#2', 'withColumns', 'select', 'drop', 'limit']);
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'kb', '__file', '__pos']);
    const lines = (await import('node:fs')).readFileSync(dolma.paths[0]!, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const want = lines.filter((d) => d.text.includes('the') && Buffer.byteLength(d.text) > 3000).slice(0, 5);
    expect(rows.map((r) => r.id)).toEqual(want.map((d) => d.id));
    expect(rows.map((r) => r.kb)).toEqual(want.map((d) => Buffer.byteLength(d.text) / 1024));
    checkInvariant(counters);
    // The limit stops reading: fewer than all 40 documents were scanned.
    expect(counters[0]!.documentsIn).toBeLessThan(40);
  });

  it('reports unreadable input at the scan step and keeps going', async () => {
    const source: SourceSpec = { format: 'records', paths: [], schema: [{ name: 'x', type: 'Float64' }], options: { rows: [{ x: 1 }, { x: 'two' }, { x: 3 }] } };
    const { rows, counters, all } = await collect(runTask(scanStage([], {}, source), { index: 0 }, {}));
    expect(rows.map((r) => r.x)).toEqual([1, 3]);
    expect(counters[0]).toMatchObject({ name: 'scan', documentsIn: 3, documentsOut: 2, quarantined: 1 });
    expect(all.some((e) => e.type === 'quarantined' && e.stepName === 'scan' && e.docs[0]!.pos === 1)).toBe(true);
  });

  it('quarantines poisoned documents without running the operator, and resumes after skipped units', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ text: `doc ${i}` }));
    const source: SourceSpec = { format: 'records', paths: [], options: { rows } };
    const stage = scanStage([{ kind: 'apply', op: 'test_fragile_upper', options: {} }], {}, source);
    const { rows: out, counters, all } = await collect(runTask(stage, { index: 0 }, {
      batchSize: 3, skipInputBatches: 1, poisoned: [{ file: 0, pos: 4, error: 'timed out' }],
    }));
    expect(out.map((r) => r.text)).toEqual(['DOC 3', 'DOC 5', 'DOC 6', 'DOC 7', 'DOC 8', 'DOC 9']);
    expect(counters[1]).toMatchObject({ documentsIn: 7, documentsOut: 6, quarantined: 1 });
    expect(all.filter((e) => e.type === 'input').map((e) => (e as { inputBatches: number }).inputBatches)).toEqual([2, 3, 4]);
  });

  it('runs non-scan stages over given input and names repeated steps uniquely', async () => {
    const stage: PhysicalStage = { id: 's1', input: { kind: 'stages', stages: ['s0'] }, partitions: [], output: { kind: 'result' },
      steps: [{ kind: 'filter', predicate: col('x').gt(1).node }, { kind: 'filter', predicate: col('x').lt(4).node }] };
    expect(stageStepNames(stage)).toEqual(['filter', 'filter#2']);
    const input: RecordBatch[] = [rowsToBatch([{ x: 1 }, { x: 2 }, { x: 5 }], [{ name: 'x', type: 'Float64' }]), rowsToBatch([{ x: 3 }], [{ name: 'x', type: 'Float64' }])];
    const { rows, counters } = await collect(runTask(stage, { index: 0 }, { input }));
    expect(rows.map((r) => r.x)).toEqual([2, 3]);
    expect(counters).toMatchObject([{ documentsIn: 4, documentsOut: 3, dropped: { 'filter:x > 1': 1 } }, { documentsIn: 3, documentsOut: 2, dropped: { 'filter:x < 4': 1 } }]);
    await expect(collect(runTask(stage, { index: 0 }))).rejects.toThrow(/needs opts.input/);
  });

  it('initializes operator state once per options per thread', async () => {
    const before = inits;
    const source: SourceSpec = { format: 'records', paths: [], options: { rows: [{ text: 'a' }] } };
    const stage = scanStage([{ kind: 'apply', op: 'test_fragile_upper', options: { column: 'text' } }], {}, source);
    await collect(runTask(stage, { index: 0 }));
    await collect(runTask(stage, { index: 0 }));
    expect(inits - before).toBeLessThanOrEqual(1);
  });

  it('attaches dropped rows on request', async () => {
    const source: SourceSpec = { format: 'records', paths: [], options: { rows: [{ text: 'spam!' }, { text: 'ok' }] } };
    const stage = scanStage([{ kind: 'apply', op: 'test_fragile_upper', options: {} }], {}, source);
    const { all } = await collect(runTask(stage, { index: 0 }, { collectDropped: true }));
    const dropped = all.find((e) => e.type === 'dropped');
    expect(dropped).toMatchObject({ type: 'dropped', reason: 'test:spam', count: 1, stepName: 'test_fragile_upper' });
    expect((dropped as { rows: RecordBatch }).rows.getChild('text')!.toArray()).toEqual(['SPAM!']);
  });

  it('drops the columns a drop step removes before gathering kept rows, and still counts their bytes', async () => {
    // `html` is wide and dropped right after the filtering operator, as after extraction.
    const rows = Array.from({ length: 12 }, (_, i) => ({ text: i % 4 === 1 ? `spam ${i}` : `doc ${i}`, html: `<p>${'x'.repeat(10 + 37 * i)}</p>` }));
    const source: SourceSpec = { format: 'records', paths: [], options: { rows } };
    const stage = scanStage([{ kind: 'apply', op: 'test_fragile_upper', options: {} }, { kind: 'drop', columns: ['html'] }], {}, source);
    const { rows: out, counters, all } = await collect(runTask(stage, { index: 0, rows: [0, 12] }, { collectDropped: true }));
    expect(out.map((r) => r.text)).toEqual(rows.filter((r) => !r.text.includes('spam')).map((r) => r.text.toUpperCase()));
    expect(out.every((r) => !('html' in r))).toBe(true);
    // The same step without a drop after it gathers `html` too: its bytes out are the same.
    const gathered = await collect(runTask(scanStage(stage.steps.slice(0, 1), {}, source), { index: 0, rows: [0, 12] }));
    expect(gathered.rows.every((r) => typeof r.html === 'string')).toBe(true);
    expect(counters[1]!.bytesOut).toBe(gathered.counters[1]!.bytesOut);
    expect(counters[2]!.bytesIn).toBe(gathered.counters[1]!.bytesOut);
    expect(counters[2]!.bytesOut).toBeLessThan(counters[2]!.bytesIn - rows.length * 10);
    const dropped = all.find((e) => e.type === 'dropped') as { rows: RecordBatch };
    expect(dropped.rows.getChild('html')!.toArray()).toEqual(rows.filter((r) => r.text.includes('spam')).map((r) => r.html));
    checkInvariant(counters);
  });
});

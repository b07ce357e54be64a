import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeVector, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { col } from '../../src/plan/expr.ts';
import { getReader } from '../../src/io/sources.ts';
import type { ReadItem, ReadRequest } from '../../src/io/sources.ts';
import type { SourceSpec } from '../../src/plan/logical-plan.ts';
import type { PartitionSpec } from '../../src/plan/physical-plan.ts';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import { writeParquet } from '../../src/io/parquet/write.ts';
import { utf8Vector } from '../../src/arrow/utf8.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-src-'));
const FIX = 'fixtures/jsonl';

async function readAll(spec: SourceSpec, parts?: PartitionSpec[], req: Partial<ReadRequest> = {}) {
  const reader = getReader(spec.format);
  const partitions = parts ?? (await reader.partitions(spec, 1 << 30));
  const batches: RecordBatch[] = [];
  const items: ReadItem[] = [];
  for (const p of partitions) {
    for await (const it of reader.read(spec, p, { batchSize: 16, ...req })) {
      items.push(it);
      if ('batch' in it) batches.push(it.batch);
    }
  }
  const rows = batches.flatMap((b) => b.toArray().map((r) => r.toJSON() as Record<string, unknown>));
  return { rows, items, batches, bad: items.flatMap((i) => ('bad' in i ? [i.bad] : [])) };
}

const dolmaLines = readFileSync(`${FIX}/dolma-40.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('jsonl reader', () => {
  it('reads plain, .jsonl.gz and .json.gz with system columns', async () => {
    const spec: SourceSpec = { format: 'jsonl', paths: [`${FIX}/dolma-40.jsonl`, `${FIX}/dolma-40.jsonl.gz`, `${FIX}/c4-sample.01.json.gz`] };
    const { rows, bad } = await readAll(spec);
    expect(bad).toEqual([]);
    expect(rows).toHaveLength(90);
    expect(rows.slice(0, 40).map((r) => r.id)).toEqual(dolmaLines.map((d) => d.id));
    expect(rows[40]!.text).toBe(dolmaLines[0].text);
    expect(rows[0]!.__file).toBe(0);
    expect(rows[40]!.__file).toBe(1);
    expect(rows[89]!.__file).toBe(2);
    expect(rows[1]!.__pos).toBe(readFileSync(`${FIX}/dolma-40.jsonl`).indexOf(10) + 1);
    // Nested objects are kept as JSON text.
    expect(JSON.parse(rows[0]!.metadata as string)).toEqual(dolmaLines[0].metadata);
  });

  it('splits big plain files into byte ranges that give exactly the whole file', async () => {
    const spec: SourceSpec = { format: 'jsonl', paths: [`${FIX}/dolma-40.jsonl`] };
    const reader = getReader('jsonl');
    const parts = await reader.partitions(spec, 20_000);
    expect(parts.length).toBeGreaterThan(5);
    const whole = await readAll(spec, [{ index: 0, file: spec.paths[0], fileIndex: 0 }]);
    const split = await readAll(spec, parts);
    expect(split.rows.map((r) => [r.id, r.__pos])).toEqual(whole.rows.map((r) => [r.id, r.__pos]));
    // Arbitrary (unaligned) ranges also partition the lines exactly.
    const size = readFileSync(spec.paths[0]!).length;
    const cuts = [0, 1, 777, 50_001, 50_002, 123_456, size];
    const odd = cuts.slice(1).map((end, k) => ({ index: k, file: spec.paths[0], fileIndex: 0, start: cuts[k], end }));
    expect((await readAll(spec, odd)).rows.map((r) => r.id)).toEqual(whole.rows.map((r) => r.id));
  });

  it('projects columns and names unknown ones', async () => {
    const spec: SourceSpec = { format: 'jsonl', paths: [`${FIX}/c4-sample.01.json.gz`] };
    const { batches } = await readAll(spec, undefined, { columns: ['url'] });
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['url', '__file', '__pos']);
    await expect(readAll(spec, undefined, { columns: ['nope'] })).rejects.toThrow(/unknown column "nope" \(available: text, url, date\)/);
  });

  it('turns malformed lines into bad records and keeps going', async () => {
    const path = join(dir, 'bad.jsonl');
    const lines = [
      Buffer.from('{"a": 1, "s": "x"}\n'),
      Buffer.from('{"a": 2, "s": \n'),                  // malformed JSON
      Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), // invalid UTF-8
      Buffer.from('\n   \n'),                            // blank lines are skipped
      Buffer.from('[1, 2]\n'),                           // not an object
      Buffer.from('{"a": "three", "s": "y"}\n'),         // type does not fit
      Buffer.from('{"a": 4, "s": "z"}'),                 // no trailing newline
    ];
    writeFileSync(path, Buffer.concat(lines));
    const spec: SourceSpec = { format: 'jsonl', paths: [path], schema: [{ name: 'a', type: 'Float64' }, { name: 's', type: 'Utf8' }] };
    const { rows, bad } = await readAll(spec);
    expect(rows.map((r) => r.a)).toEqual([1, 4]);
    expect(bad.map((b) => b.reason)).toEqual([
      expect.stringMatching(/^malformed JSON/), 'invalid UTF-8', 'line is not a JSON object', expect.stringMatching(/column "a": expected number/)]);
    const offsets = lines.map((_, k) => lines.slice(0, k).reduce((s, l) => s + l.length, 0));
    expect(bad.map((b) => b.pos)).toEqual([offsets[1], offsets[2], offsets[4], offsets[5]]);
    expect(bad.every((b) => b.file === path)).toBe(true);
  });

  it('reports a truncated gzip stream as a bad record after the rows it could read', async () => {
    const gz = readFileSync(`${FIX}/dolma-40.jsonl.gz`);
    const path = join(dir, 'truncated.jsonl.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { rows, bad } = await readAll({ format: 'jsonl', paths: [path], schema: [{ name: 'id', type: 'Utf8' }] });
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows.map((r) => r.id)).toEqual(dolmaLines.slice(0, rows.length).map((d) => d.id));
    expect(bad).toHaveLength(1);
    expect(bad[0]!.reason).toMatch(/unreadable gzip stream/);
  });

  it('reads an empty file as no rows', async () => {
    const path = join(dir, 'empty.jsonl');
    writeFileSync(path, '');
    const { rows, bad } = await readAll({ format: 'jsonl', paths: [path], schema: [{ name: 'a', type: 'Utf8' }] });
    expect(rows).toEqual([]);
    expect(bad).toEqual([]);
  });
});

describe('parquet reader', () => {
  const path = join(dir, 'data.parquet');
  const N = 1000;
  const source = Array.from({ length: N }, (_, i) => ({ id: i, score: (i % 10) / 10, text: `doc ${i} ${'x'.repeat(i % 50)}` }));
  const fields = [{ name: 'id', type: 'Int32' }, { name: 'score', type: 'Float64' }, { name: 'text', type: 'Utf8' }];

  it('writes a file with several row groups', async () => {
    await writeParquet(path, [rowsToBatch(source.slice(0, 600), fields), rowsToBatch(source.slice(600), fields)], { rowGroupRows: 100 });
    const parts = await getReader('parquet').partitions({ format: 'parquet', paths: [path] }, 1);
    expect(parts.map((p) => p.rowGroups)).toEqual(Array.from({ length: 10 }, (_, i) => [i]));
  });

  it('inspects the schema from metadata', async () => {
    expect(await getReader('parquet').inspect({ format: 'parquet', paths: [path] })).toEqual([
      { name: 'id', type: 'Int32' }, { name: 'score', type: 'Float64' }, { name: 'text', type: 'Utf8' }]);
  });

  it('reads all rows with row numbers as positions', async () => {
    const { rows } = await readAll({ format: 'parquet', paths: [path] });
    expect(rows.map(({ __file: _f, ...r }) => r)).toEqual(source.map((r, i) => ({ ...r, __pos: i })));
  });

  it('reads only the requested columns (stream projection), unlike readParquet on 0.8', async () => {
    const { batches } = await readAll({ format: 'parquet', paths: [path] }, undefined, { columns: ['score'] });
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['score', '__file', '__pos']);
    // The projection happens in the decoder: readParquet's `columns` option is ignored on parquet-wasm 0.8,
    // which is why the reader uses ParquetFile.stream.
    const t = tableFromIPC(pw.readParquet(readFileSync(path), { columns: ['score'] }).intoIPCStream());
    expect(t.schema.fields.length).toBe(3);
    const counts = await readAll({ format: 'parquet', paths: [path] }, undefined, { columns: [] });
    expect(counts.batches.reduce((s, b) => s + b.numRows, 0)).toBe(N);
    expect(counts.batches[0]!.schema.fields.map((f) => f.name)).toEqual(['__file', '__pos']);
  });

  it('skips row groups that statistics rule out, and counts them', async () => {
    const spec: SourceSpec = { format: 'parquet', paths: [path] };
    const { rows, items } = await readAll(spec, undefined, { predicate: col('id').gte(850).and(col('score').lt(0.5)).node });
    expect(rows.map((r) => r.id)).toEqual(source.filter((r) => r.id >= 800).map((r) => r.id));
    expect(items.filter((i) => 'skipped' in i).reduce((s, i) => s + ('skipped' in i ? i.skipped.count : 0), 0)).toBe(800);
    const none = await readAll(spec, undefined, { predicate: col('text').eq('nope').or(col('id').lt(0)).node });
    // "nope" sorts after every text's bytes and no id is negative: every group is skipped.
    expect(none.rows.length).toBe(0);
    const kept = await readAll(spec, undefined, { predicate: col('text').contains('nope').node });
    expect(kept.rows.length).toBe(N);
    const eq = await readAll(spec, undefined, { predicate: col('id').isIn([5, 950]).node });
    expect(new Set(eq.rows.map((r) => Math.floor((r.id as number) / 100)))).toEqual(new Set([0, 9]));
  });
});

describe('arrow IPC and records readers', () => {
  it('reads an Arrow IPC file with projection', async () => {
    const path = join(dir, 'data.arrow');
    const t = new Table({ s: utf8Vector(['a', 'b', null]), n: makeVector(new Float64Array([1, 2, 3])) });
    writeFileSync(path, tableToIPC(t, 'file'));
    const { rows } = await readAll({ format: 'arrow', paths: [path] }, undefined, { columns: ['s'], batchSize: 2 });
    expect(rows).toEqual([{ s: 'a', __file: 0, __pos: 0 }, { s: 'b', __file: 0, __pos: 1 }, { s: null, __file: 0, __pos: 2 }]);
  });

  it('partitions inline rows and reports rows that do not fit', async () => {
    const rowsIn = Array.from({ length: 50 }, (_, i) => ({ k: i, v: `v${i}` }));
    const spec: SourceSpec = { format: 'records', paths: [], schema: [{ name: 'k', type: 'Float64' }, { name: 'v', type: 'Utf8' }], options: { rows: [...rowsIn, { k: 'bad', v: 'x' }] } };
    const parts = await getReader('records').partitions(spec, 200);
    expect(parts.length).toBeGreaterThan(3);
    const { rows, bad } = await readAll(spec, parts);
    expect(rows.map((r) => r.k)).toEqual(rowsIn.map((r) => r.k));
    expect(rows.map((r) => r.__pos)).toEqual(rowsIn.map((_, i) => i));
    expect(bad).toEqual([expect.objectContaining({ pos: 50, reason: expect.stringMatching(/expected number/) })]);
  });
});

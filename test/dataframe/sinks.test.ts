import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import { rowsToBatch } from '../../src/arrow/from-rows.ts';
import { writeJsonl } from '../../src/io/jsonl/write.ts';
import { writeParquet } from '../../src/io/parquet/write.ts';
import { getReader } from '../../src/io/sources.ts';
import { addSystemColumns, rowPositions } from '../../src/io/system-columns.ts';
import { digestOf } from '../../src/storage/file-digest.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-sink-'));
const fields = [{ name: 'id', type: 'Float64' }, { name: 'text', type: 'Utf8' }, { name: 'ok', type: 'Bool' }];
const rows = [
  { id: 1, text: 'héllo\n"quoted"', ok: true }, { id: 2.5, text: null, ok: false }, { id: null, text: '😀', ok: null },
];
const batches = (): RecordBatch[] => [
  addSystemColumns(rowsToBatch(rows.slice(0, 2), fields), 0, rowPositions(0, 2)),
  addSystemColumns(rowsToBatch(rows.slice(2), fields), 0, rowPositions(2, 1)),
];

async function readBack(format: 'parquet' | 'jsonl', path: string) {
  const spec = { format, paths: [path], ...(format === 'jsonl' ? { schema: fields } : {}) };
  const out: Record<string, unknown>[] = [];
  const reader = getReader(format);
  for (const p of await reader.partitions(spec, 1 << 30)) {
    for await (const it of reader.read(spec, p, { batchSize: 100 })) {
      if ('batch' in it) out.push(...it.batch.toArray().map((r) => { const { __file: _a, __pos: _b, ...o } = r.toJSON(); return o; }));
    }
  }
  return out;
}

describe.each(['parquet', 'jsonl'] as const)('%s sink', (format) => {
  const write = format === 'parquet' ? writeParquet : writeJsonl;

  it('round-trips rows without system columns, with identical bytes each time', async () => {
    const a = join(dir, `a.${format}`), b = join(dir, `b.${format}`);
    const written = await write(a, batches());
    await write(b, (async function* () { yield* batches(); })());
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    // The digest is of the bytes that reached the file (hashed as they were streamed out).
    expect(written).toEqual({ rows: 3, file: await digestOf(new Uint8Array(readFileSync(a))) });
    expect(await readBack(format, a)).toEqual(rows);
    const schema = await getReader(format).inspect({ format, paths: [a] });
    expect(schema?.map((f) => f.name)).toEqual(['id', 'text', 'ok']);
  });

  it('replaces the target atomically and leaves nothing behind on failure', async () => {
    const path = join(dir, `atomic.${format}`);
    writeFileSync(path, 'previous');
    const failing = (async function* () { yield batches()[0]!; throw new Error('upstream failed'); })();
    await expect(write(path, failing)).rejects.toThrow('upstream failed');
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

it('writes JSONL lines in column order', async () => {
  const path = join(dir, 'lines.jsonl');
  await writeJsonl(path, batches());
  expect(readFileSync(path, 'utf8')).toBe(
    '{"id":1,"text":"héllo\\n\\"quoted\\"","ok":true}\n{"id":2.5,"text":null,"ok":false}\n{"id":null,"text":"😀","ok":null}\n');
});

it('writes an empty Parquet file with a given schema', async () => {
  const path = join(dir, 'empty.parquet');
  await writeParquet(path, [], { schema: rowsToBatch([], fields).schema });
  expect(existsSync(path)).toBe(true);
  expect(await readBack('parquet', path)).toEqual([]);
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Dictionary, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import * as pw from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { boundedGunzip } from '../../src/io/bounded-gunzip.ts';
import { LineSplitter, TOO_LONG_HEAD_BYTES } from '../../src/io/jsonl/line-splitter.ts';
import { jsonlReader } from '../../src/io/jsonl/read.ts';
import { parquetReader } from '../../src/io/parquet/read.ts';
import { InputLimitError } from '../../src/io/limits.ts';
import { readPartition } from '../../src/io/read-partition.ts';
import type { BadRecord } from '../../src/io/source.ts';
import type { SourceSpec } from '../../src/plan/logical-plan.ts';
import { writeCorruptFooter, writeParquetColumns } from '../helpers/hostile-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-limits-'));
const DOLMA_GZ = 'fixtures/jsonl/dolma-40.jsonl.gz';

type Line = { pos: number; line: string; tooLong?: number };

describe('LineSplitter with maxLineBytes', () => {
  it('gives every line and its offset as a naive split does, over-long ones as a head and their length, never buffering past the limit', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 200, maxLength: 400 })), { maxLength: 30 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 300 }),
      fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
      (lines, finalNewline, limit, cuts) => {
        const text = lines.map((l) => l.replace(/\n/g, ' ')).join('\n') + (finalNewline ? '\n' : '');
        const bytes = Buffer.from(text, 'latin1');
        const expected: Line[] = [];
        let pos = 0;
        const segments = text.split('\n');
        // Text after the last newline is a line unless empty (a file ending in a newline).
        if (segments.at(-1) === '') segments.pop();
        for (const l of segments) {
          expected.push(l.length > limit ? { pos, line: l.slice(0, TOO_LONG_HEAD_BYTES), tooLong: l.length } : { pos, line: l });
          pos += l.length + 1;
        }
        const got: Line[] = [];
        const onLine = (line: Buffer, p: number, tooLong?: number) => {
          got.push(tooLong === undefined ? { pos: p, line: line.toString('latin1') } : { pos: p, line: line.toString('latin1'), tooLong });
        };
        const s = new LineSplitter(0, limit);
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const n = cuts[k % cuts.length]!;
          s.push(bytes.subarray(at, at + n), onLine);
          at += n;
          expect(s.pending).toBeLessThanOrEqual(limit);
        }
        s.end(onLine);
        expect(got).toEqual(expected);
        expect(s.bytesSeen).toBe(bytes.length);
      },
    ), { numRuns: 300 });
  });
});

async function drain(stream: Readable): Promise<{ bytes: number; data: Buffer[]; error?: unknown }> {
  const data: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream) { bytes += (chunk as Buffer).length; data.push(chunk as Buffer); }
    return { bytes, data };
  } catch (error) {
    return { bytes, data, error };
  }
}

describe('boundedGunzip', () => {
  it('passes real multi-member gzip through unchanged', async () => {
    const gz = readFileSync(DOLMA_GZ);
    const twice = Buffer.concat([gz, gzipSync(Buffer.from('{"id":"x"}\n'))]);
    const r = await drain(boundedGunzip(Readable.from([twice.subarray(0, 1000), twice.subarray(1000)]), { maxInflationRatio: 100, chunkSize: 1 << 16 }));
    expect(r.error).toBeUndefined();
    expect(Buffer.concat(r.data).equals(gunzipSync(twice))).toBe(true);
  });

  it('stops a bomb with an InputLimitError after a bounded number of inflated bytes', async () => {
    const bombGz = gzipSync(Buffer.alloc(256 << 20), { level: 9 });
    const chunks = Array.from({ length: Math.ceil(bombGz.length / 4096) }, (_, i) => bombGz.subarray(i * 4096, (i + 1) * 4096));
    const r = await drain(boundedGunzip(Readable.from(chunks), { maxInflationRatio: 20, chunkSize: 1 << 16, graceBytes: 1 << 20 }));
    expect(r.error).toBeInstanceOf(InputLimitError);
    expect((r.error as Error).message).toMatch(/inflates more than 20× its compressed size \(maxInflationRatio\)/);
    // What got through is about ratio × compressed bytes read (plus what zlib and the stream buffer
    // hold), a small fraction of the 256 MiB the bomb stands for.
    expect(r.bytes).toBeLessThan(32 << 20);
  });

  it('lets a small, highly compressible file through: the ratio is judged only past the grace bytes', async () => {
    const zeros = gzipSync(Buffer.alloc(8 << 20));
    const r = await drain(boundedGunzip(Readable.from([zeros]), { maxInflationRatio: 20, chunkSize: 1 << 16 }));
    expect(r.error).toBeUndefined();
    expect(r.bytes).toBe(8 << 20);
  });

  it('reports corrupt gzip as a zlib error, not as a limit', async () => {
    const gz = Buffer.from(readFileSync(DOLMA_GZ));
    gz.fill(0x55, 100, 400);
    const r = await drain(boundedGunzip(Readable.from([gz]), { maxInflationRatio: 100, chunkSize: 1 << 16 }));
    expect(r.error).toBeInstanceOf(Error);
    expect(r.error).not.toBeInstanceOf(InputLimitError);
  });
});

describe('jsonl reader limits', () => {
  const good = (i: number) => JSON.stringify({ id: `g${i}`, text: `ordinary document number ${i}` });
  const long = (i: number, n: number) => JSON.stringify({ id: `l${i}`, text: 'x'.repeat(n) });

  it('quarantines each over-long line once, whatever the byte-range partitioning, and reads every other line', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? long(i, 3000 + 100 * i) : good(i)));
    const path = join(dir, 'long-lines.jsonl');
    writeFileSync(path, lines.join('\n') + '\n');
    const spec: SourceSpec = { format: 'jsonl', paths: [path], options: { maxLineBytes: 1000 }, schema: [{ name: 'id', type: 'Utf8' }, { name: 'text', type: 'Utf8' }] };
    for (const target of [1 << 20, 4096, 700]) {
      const ids: string[] = [];
      const bad: BadRecord[] = [];
      for (const p of await jsonlReader.partitions(spec, target)) {
        for await (const item of readPartition(spec, p, { batchSize: 8 })) {
          if ('batch' in item) ids.push(...item.batch.getChild('id')!.toArray() as string[]);
          if ('bad' in item) bad.push(item.bad);
        }
      }
      const longOnes = lines.map((l, i) => [l, i] as const).filter(([l]) => l.length > 1000);
      expect(ids).toEqual(lines.filter((l) => l.length <= 1000).map((l) => (JSON.parse(l) as { id: string }).id));
      expect(bad.map((b) => b.reason)).toEqual(longOnes.map(([l]) => `jsonl: line of ${l.length} bytes exceeds maxLineBytes (1000)`));
      expect(bad.map((b) => b.pos)).toEqual(longOnes.map(([, i]) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0)));
      expect(bad[0]!.sample).toBe(lines[3]!.slice(0, 200));
    }
  });

  it('rejects invalid limits when planning, naming the source and the option', async () => {
    const spec: SourceSpec = { format: 'jsonl', paths: [DOLMA_GZ], options: { maxLineBytes: 0 } };
    await expect(jsonlReader.partitions(spec, 1 << 20)).rejects.toThrow(/invalid options for the jsonl source: maxLineBytes/);
    await expect(jsonlReader.partitions({ ...spec, options: { maxLineByte: 10 } }, 1 << 20)).rejects.toThrow(/invalid options for the jsonl source/);
  });

  it('samples a schema past an over-long first line without buffering it', async () => {
    const path = join(dir, 'long-first.jsonl');
    writeFileSync(path, [long(0, 5000), good(1), good(2)].join('\n') + '\n');
    const fields = await jsonlReader.inspect({ format: 'jsonl', paths: [path], options: { maxLineBytes: 1000 } });
    expect(fields).toEqual([{ name: 'id', type: 'Utf8' }, { name: 'text', type: 'Utf8' }]);
  });
});

describe('parquet reader on broken files', () => {
  async function readParts(spec: SourceSpec): Promise<{ rows: number; bad: BadRecord[] }> {
    let rows = 0;
    const bad: BadRecord[] = [];
    for (const p of await parquetReader.partitions(spec, 1 << 30)) {
      for await (const item of readPartition(spec, p, { batchSize: 100 })) {
        if ('batch' in item) rows += item.batch.numRows;
        if ('bad' in item) bad.push(item.bad);
      }
    }
    return { rows, bad };
  }

  it('takes the schema from the first readable file and quarantines a corrupt footer whole', async () => {
    const corrupt = join(dir, 'a-corrupt.parquet');
    writeCorruptFooter(corrupt, readFileSync('fixtures/parquet/dolma-sample.parquet'));
    const spec: SourceSpec = { format: 'parquet', paths: [corrupt, 'fixtures/parquet/dolma-sample.parquet'] };
    spec.schema = await parquetReader.inspect(spec);
    expect(spec.schema?.map((f) => f.name)).toEqual(['id', 'source', 'metadata', 'text', 'chars']);
    const r = await readParts(spec);
    expect(r.rows).toBe(40);
    expect(r.bad).toEqual([expect.objectContaining({ file: corrupt, pos: 0, reason: expect.stringMatching(/^parquet: unreadable Parquet file: /) })]);
  });

  it('reads a dictionary-encoded text column next to a plain one: only the value type must agree', async () => {
    const plain = 'fixtures/parquet/dolma-sample.parquet';
    const dictionary = join(dir, 'dictionary.parquet');
    const table = new Table({ id: vectorFromArray(['c', 'd']), text: vectorFromArray(['same', 'same'], new Dictionary(new Utf8(), new Int32())) });
    writeFileSync(dictionary, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream'))));
    const typeOfText = async (path: string) => (await parquetReader.inspect({ format: 'parquet', paths: [path] }))?.find((f) => f.name === 'text')?.type;
    expect(await typeOfText(plain)).toBe('Utf8');
    expect(await typeOfText(dictionary)).toBe('Dictionary<Int32, Utf8>');
    for (const paths of [[plain, dictionary], [dictionary, plain]]) {
      const spec: SourceSpec = { format: 'parquet', paths };
      spec.schema = await parquetReader.inspect(spec);
      expect(await readParts(spec)).toEqual({ rows: 42, bad: [] });
    }
    // The check itself: an Int64 `text` is refused either way round.
    const int64 = join(dir, 'int64.parquet');
    await writeParquetColumns(int64, ['e'], [5n]);
    const spec: SourceSpec = { format: 'parquet', paths: [dictionary, int64] };
    spec.schema = await parquetReader.inspect(spec);
    expect((await readParts(spec)).bad.map((b) => b.reason)).toEqual([
      'parquet: column "text" is Int64 in this file but Dictionary<Int32, Utf8> in the source schema (from the first readable file); the split\'s 1 rows (row groups 0) are not read',
    ]);
  });
});

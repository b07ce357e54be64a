import { open, stat } from 'node:fs/promises';
import { RecordBatchReader } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { SourceSpec } from '../../plan/logical-plan.ts';
import { inputSize, isRemoteInput, readInputBytes } from '../location/input-file.ts';
import { selectColumns } from '../../arrow/batch.ts';
import { fieldSpecs } from '../../arrow/schema.ts';
import { addSystemColumns, checkColumns, rowPositions } from '../system-columns.ts';
import type { ReadItem, SourceReader } from '../source.ts';

/**
 * A reader over an `s3://` Arrow IPC object, fetched whole with ranged GETs first: the IPC file
 * format keeps its index at the end, and a file is one task anyway. `fresh` for a task's read.
 */
async function remoteReader(path: string, fresh: boolean): Promise<RecordBatchReader> {
  const reader = await RecordBatchReader.from(await readInputBytes(path, 0, await inputSize(path, { fresh })));
  await reader.open();
  return reader;
}

async function* batchesOf(path: string): AsyncGenerator<RecordBatch, void, undefined> {
  if (isRemoteInput(path)) {
    for await (const b of await remoteReader(path, true)) yield b;
    return;
  }
  const fh = await open(path, 'r');
  try {
    const reader = await RecordBatchReader.from(fh);
    await reader.open();
    for await (const b of reader) yield b;
  } finally { await fh.close(); }
}

/** Arrow IPC (file or stream format), one partition per file; `__pos` is the row number. */
export const arrowReader: SourceReader = {
  format: 'arrow',

  async inspect(spec) {
    if (!spec.paths.length) return undefined;
    if (isRemoteInput(spec.paths[0]!)) return fieldSpecs((await remoteReader(spec.paths[0]!, false)).schema);
    const fh = await open(spec.paths[0]!, 'r');
    try {
      const reader = await RecordBatchReader.from(fh);
      await reader.open();
      return fieldSpecs(reader.schema);
    } finally { await fh.close(); }
  },

  async partitions(spec) {
    return Promise.all(spec.paths.map(async (file, fileIndex) => ({ index: fileIndex, file, fileIndex, bytes: isRemoteInput(file) ? await inputSize(file) : (await stat(file)).size })));
  },

  async *read(spec: SourceSpec, partition, request): AsyncGenerator<ReadItem> {
    const file = partition.file ?? spec.paths[partition.fileIndex ?? 0];
    const fileIndex = partition.fileIndex ?? spec.paths.indexOf(file ?? '');
    if (!file || fileIndex < 0) throw new Error(`arrow partition ${partition.index} names no input file`);
    let row = 0;
    let columns: string[] | undefined;
    for await (const whole of batchesOf(file)) {
      columns ??= checkColumns(request.columns, whole.schema.fields.map((f) => f.name), `arrow ${file}`);
      for (let s = 0; s < whole.numRows; s += request.batchSize) {
        const part = whole.slice(s, Math.min(whole.numRows, s + request.batchSize));
        yield { batch: addSystemColumns(selectColumns(part, columns), fileIndex, rowPositions(row, part.numRows)) };
        row += part.numRows;
      }
    }
  },
};

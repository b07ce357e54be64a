import { makeVector, Type } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';
import { openFile, type S3LocationOptions } from '../location/index.ts';
import { digesting, StreamDigest, type FileDigest } from '../../storage/file-digest.ts';
import { userColumns } from '../user-columns.ts';

const FLUSH_BYTES = 4 << 20;

/** Column values as JS values suited to JSON: decoded strings, finite numbers, bigint as number. */
function columnValues(data: Data): unknown[] {
  if (data.typeId === Type.Utf8) return decodeUtf8(utf8Parts(data));
  const v = makeVector(data);
  const out = new Array<unknown>(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = v.get(i);
    out[i] = typeof x === 'bigint' ? Number(x)
      : typeof x === 'number' && !Number.isFinite(x) ? null
      : x !== null && typeof x === 'object' && 'toJSON' in x ? (x as { toJSON(): unknown }).toJSON()
      : x;
  }
  return out;
}

/**
 * Writes one JSON object per row (keys in column order, `\n`-terminated) to `path` (a local path
 * or an `s3://` URI), atomically (temp file + rename locally; a PUT or multipart upload on S3),
 * streaming 4 MiB pieces; system columns are not written. Non-finite numbers become null. Same
 * batches → same bytes. Returns the rows and the digest of the bytes written (hashed as they go).
 */
export async function writeJsonl(
  path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>, options: { s3?: S3LocationOptions } = {},
): Promise<{ rows: number; file: FileDigest }> {
  const { location, path: name } = await openFile(path, { s3: options.s3 });
  const out = { rows: 0 };
  const digest = await StreamDigest.create();
  await location.writeFile(name, digesting(jsonlBytes(batches, out), digest));
  return { rows: out.rows, file: digest.digest() };
}

async function* jsonlBytes(batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>, out: { rows: number }): AsyncGenerator<Uint8Array> {
  let chunk: string[] = [];
  let size = 0;
  for await (const batch of userColumns(batches)) {
    const names = batch.schema.fields.map((f) => JSON.stringify(f.name));
    const cols = batch.data.children.map(columnValues);
    for (let r = 0; r < batch.numRows; r++) {
      let line = '{';
      for (let c = 0; c < cols.length; c++) {
        const v = cols[c]![r];
        line += (c ? ',' : '') + names[c] + ':' + (v === undefined ? 'null' : JSON.stringify(v));
      }
      line += '}\n';
      chunk.push(line);
      size += line.length;
      if (size > FLUSH_BYTES) { yield encode(chunk); chunk = []; size = 0; }
    }
    out.rows += batch.numRows;
  }
  if (chunk.length) yield encode(chunk);
}

const encode = (lines: string[]): Uint8Array => {
  const buf = Buffer.from(lines.join(''), 'utf8');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
};

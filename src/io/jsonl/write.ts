import { open } from 'node:fs/promises';
import { makeVector, Type } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { decodeUtf8, utf8Parts } from '../../arrow/utf8.ts';
import { writeAtomically } from '../../storage/atomic-write.ts';
import { StreamDigest, type FileDigest } from '../../storage/file-digest.ts';
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
 * Writes one JSON object per row (keys in column order, `\n`-terminated), atomically via temp file
 * + rename; system columns are not written. Non-finite numbers become null. Same batches → same bytes.
 * Returns the rows and the digest of the bytes written.
 */
export async function writeJsonl(path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>): Promise<{ rows: number; file: FileDigest }> {
  let rows = 0;
  const digest = await StreamDigest.create();
  const encoder = new TextEncoder();
  await writeAtomically(path, async (tmp) => {
    const fh = await open(tmp, 'w');
    const write = async (text: string) => {
      const bytes = encoder.encode(text);
      digest.update(bytes);
      await fh.write(bytes);
    };
    try {
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
          if (size > FLUSH_BYTES) { await write(chunk.join('')); chunk = []; size = 0; }
        }
        rows += batch.numRows;
      }
      if (chunk.length) await write(chunk.join(''));
      await fh.sync();
    } finally { await fh.close(); }
  });
  return { rows, file: digest.digest() };
}

import type { SourceSpec } from '../../plan/logical-plan.ts';
import { inferFields, rowFits, rowsToBatch } from '../../arrow/from-rows.ts';
import type { Row } from '../../arrow/from-rows.ts';
import { addSystemColumns, checkColumns } from '../system-columns.ts';
import type { ReadItem, SourceReader } from '../source.ts';

function rowsOf(spec: SourceSpec): Row[] {
  const rows = spec.options?.rows;
  if (!Array.isArray(rows)) throw new Error('records source needs options.rows (an array of objects)');
  return rows as Row[];
}

/**
 * Inline rows (`spec.options.rows`), for tests and small lookups. Partitions are row ranges of
 * about `targetBytes` of JSON; `__file` is 0 and `__pos` the row index. A row whose values do not
 * fit the schema is a bad record, as in JSONL.
 */
export const recordsReader: SourceReader = {
  format: 'records',

  async inspect(spec) {
    const rows = rowsOf(spec);
    return rows.length ? inferFields(rows.slice(0, 1000)) : undefined;
  },

  async partitions(spec, targetBytes) {
    const rows = rowsOf(spec);
    if (rows.length === 0) return [{ index: 0, rows: [0, 0] }];
    const sample = rows.slice(0, 100);
    const avg = Math.max(1, JSON.stringify(sample).length / sample.length);
    const per = Math.max(1, Math.floor(targetBytes / avg));
    const out = [];
    for (let s = 0; s < rows.length; s += per) out.push({ index: out.length, rows: [s, Math.min(rows.length, s + per)] as [number, number] });
    return out;
  },

  async *read(spec, partition, request): AsyncGenerator<ReadItem> {
    const rows = rowsOf(spec);
    const fields = spec.schema ?? inferFields(rows.slice(0, 1000));
    const wanted = checkColumns(request.columns, fields.map((f) => f.name), 'records');
    const outFields = fields.filter((f) => wanted.includes(f.name));
    const [start, end] = partition.rows ?? [0, rows.length];
    for (let s = start; s < end; s += request.batchSize) {
      const good: Row[] = [];
      const pos: number[] = [];
      const bad: ReadItem[] = [];
      for (let i = s; i < Math.min(end, s + request.batchSize); i++) {
        const row = rows[i]!;
        const misfit = row === null || typeof row !== 'object' ? 'row is not an object' : rowFits(row, fields);
        if (misfit) bad.push({ bad: { file: '(records)', pos: i, reason: misfit, sample: JSON.stringify(row)?.slice(0, 200) } });
        else { good.push(row); pos.push(i); }
      }
      if (good.length) yield { batch: addSystemColumns(rowsToBatch(good, outFields), 0, Float64Array.from(pos)) };
      yield* bad;
    }
  },
};

import type { RecordBatch } from 'apache-arrow';
import { SYSTEM_COLUMNS } from '../plan/logical-plan.ts';
import { dropColumns } from '../arrow/batch.ts';

/** Batches without the system columns, which are run bookkeeping, not user data. */
export async function* userColumns(batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  for await (const b of batches) {
    yield b.schema.fields.some((f) => SYSTEM_COLUMNS.includes(f.name)) ? dropColumns(b, SYSTEM_COLUMNS) : b;
  }
}

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { SYSTEM_COLUMNS } from '../../planner/logical-plan.ts';
import { dropColumns } from '../arrow/batch.ts';

/**
 * Runs `write(tmpPath)` and renames the result onto `path`, so a reader sees either the old file or
 * the complete new one, never a partial write. The temp file is removed on failure.
 */
export async function writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Batches without the system columns, which are run bookkeeping, not user data. */
export async function* userColumns(batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  for await (const b of batches) {
    yield b.schema.fields.some((f) => SYSTEM_COLUMNS.includes(f.name)) ? dropColumns(b, SYSTEM_COLUMNS) : b;
  }
}

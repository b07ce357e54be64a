import { RecordBatchReader, RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';

/**
 * Arrow IPC stream bytes of the batches: the format of committed pieces and of what crosses
 * threads (moved in the transfer list, never structured-cloned).
 */
export function toIpc(batches: readonly RecordBatch[]): Uint8Array {
  if (batches.length === 0) throw new Error('toIpc needs at least one batch (the schema comes from it)');
  const writer = new RecordBatchStreamWriter();
  for (const b of batches) writer.write(b);
  writer.finish();
  return writer.toUint8Array(true);
}

/** Decodes an IPC stream back into batches. */
export function fromIpc(bytes: Uint8Array): RecordBatch[] {
  return [...RecordBatchReader.from(bytes)];
}

import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import { writeFileAt } from '../../io/location/file-uri.ts';
import { joinUri } from '../../storage/uri.ts';
import { digestOf, type FileDigest } from '../../storage/file-digest.ts';
import { isEmptyDropLog, mergeDropLogs, type DropLog } from '../accounting/drop-log.ts';
import { files, keys, pad } from '../state/layout.ts';

/** Blob key of one commit unit's drop log (committed with the unit's piece). */
export const dropLogKey = (stage: string, partition: number, seq: number) => `${keys.task(stage, partition)}/dropped/${pad(seq)}.json`;

/** The user-facing drop log of a task: `<out>/dropped/<stage>-<partition>.json`. */
export const dropLogFile = (outDir: string, stage: string, partition: number) => joinUri(files.dropped(outDir), `${stage}-${pad(partition)}.json`);

export async function putUnitDropLog(store: BlobStore, stage: string, partition: number, seq: number, log: DropLog | undefined): Promise<void> {
  if (log && !isEmptyDropLog(log)) await store.put(dropLogKey(stage, partition, seq), new TextEncoder().encode(JSON.stringify(log)));
}

/** Merges a committed task's unit logs into its drop-log file (nothing when nothing was dropped); returns what it wrote. */
export async function writeTaskDropLog(store: BlobStore, outDir: string, stage: string, partition: number, units: number): Promise<(FileDigest & { path: string }) | undefined> {
  const logs: DropLog[] = [];
  for (let seq = 0; seq < units; seq++) {
    const key = dropLogKey(stage, partition, seq);
    const bytes = await getBytesIfAny(store, key);
    if (bytes) logs.push(JSON.parse(new TextDecoder().decode(bytes)) as DropLog);
  }
  const merged = mergeDropLogs(logs);
  if (isEmptyDropLog(merged)) return undefined;
  const path = dropLogFile(outDir, stage, partition);
  const text = JSON.stringify(merged) + '\n';
  await writeFileAt(path, text);
  return { path, ...(await digestOf(text)) };
}

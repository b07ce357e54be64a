import type { BlobData } from '../../storage/index.ts';
import { openFile, openLocation } from './open-location.ts';
import type { LocationEntry, LocationStat } from './location.ts';

/**
 * One-file operations by full URI (a local path or `s3://bucket/key`), for code that names
 * files rather than holding a {@link Location}: the run's output folder (`plan.json`,
 * `stats.json`, quarantine and drop logs, the driver lock) and the report.
 */

/** Writes the file atomically (see {@link Location.writeFile}). */
export async function writeFileAt(uri: string, data: BlobData | string): Promise<void> {
  const { location, path } = await openFile(uri);
  await location.writeFile(path, data);
}

/** The file's bytes, or undefined when there is no such file. Other errors (access, network) throw. */
export async function readBytesAt(uri: string): Promise<Uint8Array | undefined> {
  const { location, path } = await openFile(uri);
  try {
    return await location.readBytes(path);
  } catch (e) {
    // Asked only after a failed read, so reading an existing file costs one request.
    if ((await location.stat(path)) === undefined) return undefined;
    throw e;
  }
}

/** The file as UTF-8 text, or undefined when there is no such file. */
export async function readTextAt(uri: string): Promise<string | undefined> {
  const bytes = await readBytesAt(uri);
  return bytes && new TextDecoder().decode(bytes);
}

/** Size and modification time, or undefined when there is no such file. */
export async function statAt(uri: string): Promise<LocationStat | undefined> {
  const { location, path } = await openFile(uri);
  return location.stat(path);
}

/** Removes the file; a missing file is fine. */
export async function deleteAt(uri: string): Promise<void> {
  const { location, path } = await openFile(uri);
  await location.delete(path);
}

/** Every file under the directory (or `s3://` prefix) `dirUri`, recursively, sorted by path. */
export async function listUnder(dirUri: string): Promise<LocationEntry[]> {
  return (await openLocation(dirUri)).list();
}

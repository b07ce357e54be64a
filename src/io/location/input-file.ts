import { isS3Uri } from '../../storage/index.ts';
import type { LocationEntry, LocationStat } from './location.ts';
import { openFile, openLocation } from './open-location.ts';

/** How a ranged read of an input is cut into requests (S3 only; local files are streamed). */
export interface InputReadOptions {
  /** Bytes per ranged GET (default 8 MiB). */
  windowSize?: number;
  /** Windows fetched ahead of the consumer (default 2). */
  readAhead?: number;
}

/**
 * Whether readers must fetch an input through its {@link Location} (`s3://…`) rather than the
 * file system. Local inputs keep the readers' own `node:fs` code, which is synchronous where the
 * framing loops need it; remote ones go through the functions below.
 */
export function isRemoteInput(uri: string): boolean {
  return isS3Uri(uri);
}

/**
 * What listings and HeadObjects found since the last {@link forgetInputStats}, by URI. Planning
 * lists a prefix once and then needs each object's size several times (checking it exists,
 * splitting it); answering from the listing saves a HeadObject per object per use. The planner
 * forgets them when a planning ends, so a later planning in the same process sees objects as
 * they are then.
 */
const listed = new Map<string, LocationStat>();

/** Forgets the stats {@link statInput} answers from (the end of one planning). */
export function forgetInputStats(): void {
  listed.clear();
}

/**
 * Every file under a location (`s3://bucket/prefix/` or a local directory), sorted in UTF-8 byte
 * order: one paginated listing on S3. Sizes and times are remembered for {@link statInput}.
 */
export async function listInputs(uri: string): Promise<LocationEntry[]> {
  const entries = await (await openLocation(uri)).list();
  for (const e of entries) listed.set(e.uri, { size: e.size, lastModified: e.lastModified });
  return entries;
}

/** Whether a stat may be answered from what this planning already found (default), or must ask now. */
export interface StatOptions {
  /**
   * Ask the file system or server now, and remember nothing: what a task reads and the
   * changed-input check must see the object as it is when they run.
   */
  fresh?: boolean;
}

/**
 * Size and modification time of an input file or object, or undefined when it does not exist.
 * While planning, an object listed or stat'ed before is answered from memory (see `listed`).
 */
export async function statInput(uri: string, options: StatOptions = {}): Promise<LocationStat | undefined> {
  const known = options.fresh ? undefined : listed.get(uri);
  if (known) return known;
  const { location, path } = await openFile(uri);
  const st = await location.stat(path);
  if (st && isS3Uri(uri) && !options.fresh) listed.set(uri, st);
  return st;
}

/** The size of an input; a missing one is an error naming it. */
export async function inputSize(uri: string, options: StatOptions = {}): Promise<number> {
  const st = await statInput(uri, options);
  if (!st) throw new Error(`input not found: ${uri}`);
  return st.size;
}

/** Streams bytes `[start, end)` of an input (to its end when `end` is undefined): ranged GETs on S3. */
export async function* readInputRange(uri: string, start = 0, end?: number, options: InputReadOptions = {}): AsyncGenerator<Uint8Array> {
  const { location, path } = await openFile(uri, { s3: { read: options } });
  yield* location.readRange(path, start, end);
}

/** Bytes `[start, end)` of an input in one piece (one ranged GET on S3 for ranges up to 8 MiB). */
export async function readInputBytes(uri: string, start: number, end: number): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for await (const piece of readInputRange(uri, start, end, { windowSize: Math.max(1, end - start), readAhead: 1 })) pieces.push(piece);
  return pieces.length === 1 ? pieces[0]! : new Uint8Array(Buffer.concat(pieces));
}

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FieldSpec, SourceSpec } from '../../plan/logical-plan.ts';
import type { PartitionSpec } from '../../plan/physical-plan.ts';
import { inferFields, rowFits, rowsToBatch } from '../../arrow/from-rows.ts';
import type { Row } from '../../arrow/from-rows.ts';
import { LineSplitter } from './line-splitter.ts';
import { inputSize, isRemoteInput, readInputBytes, readInputRange, type InputReadOptions } from '../location/input-file.ts';
import { parseJsonlOptions } from './options.ts';
import { boundedGunzip } from '../bounded-gunzip.ts';
import { EMPTY_FILE_REASON, InputLimitError } from '../limits.ts';
import { addSystemColumns, checkColumns } from '../system-columns.ts';
import type { BadRecord, ReadItem, SourceReader } from '../source.ts';

/** Lines sampled (from the first files) to infer a schema when the plan does not carry one. */
export const JSONL_SAMPLE_LINES = 1000;
/** A batch is flushed early once its rows hold this many bytes of JSON, so huge documents stay bounded. */
const MAX_BATCH_BYTES = 32 << 20;
const CHUNK = 1 << 20;
const fatal = new TextDecoder('utf-8', { fatal: true });
/** Sampling an `s3://` object fetches 1 MiB windows, one ahead: a sample is usually far smaller than a read window. */
const SAMPLE_READ: InputReadOptions = { windowSize: 1 << 20, readAhead: 1 };
/** Bytes per ranged GET when looking for a line start in an `s3://` object. */
const LINE_PROBE = 64 * 1024;

/** Whether a file starts with the gzip magic; `fresh` (a task's read) stats an `s3://` object now rather than from planning's listing. */
async function isGzip(path: string, fresh = false): Promise<boolean> {
  if (isRemoteInput(path)) {
    if ((await inputSize(path, { fresh })) < 2) return false;
    const head = await readInputBytes(path, 0, 2);
    return head[0] === 0x1f && head[1] === 0x8b;
  }
  const fh = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally { await fh.close(); }
}

type LineResult = { row: Row } | { bad: string } | null;

/** Parses one line; blank lines give null, anything not a JSON object gives a reason. */
function parseLine(line: Buffer): LineResult {
  let end = line.length;
  if (end && line[end - 1] === 13) end--;
  let text = line.toString('utf8', 0, end);
  if (text.includes('\uFFFD')) {
    try { text = fatal.decode(line.subarray(0, end)); } catch { return { bad: 'invalid UTF-8' }; }
  }
  if (text.trim() === '') return null;
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) { return { bad: `malformed JSON: ${(e as Error).message}` }; }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { bad: 'line is not a JSON object' };
  return { row: value as Row };
}

function sample(line: Buffer): string { return line.toString('utf8', 0, Math.min(line.length, 200)); }

/**
 * The bytes of a file from `start`, gunzipped when `gz` under the inflation limit. An `s3://`
 * object is read with ranged GETs up to `end` (a split's end; undefined reads to the end), in
 * windows of `remote`; a local stream simply stops when the reader does.
 */
function openLines(path: string, gz: boolean, start: number, maxInflationRatio: number, end?: number, remote?: InputReadOptions): Readable {
  const raw: Readable = isRemoteInput(path)
    ? Readable.from(readInputRange(path, start, end !== undefined && Number.isFinite(end) ? end : undefined, remote), { objectMode: false })
    : createReadStream(path, { start, highWaterMark: CHUNK });
  return gz ? boundedGunzip(raw, { maxInflationRatio, chunkSize: CHUNK }) : raw;
}

async function sampleRows(spec: SourceSpec): Promise<Row[]> {
  const rows: Row[] = [];
  const limits = parseJsonlOptions(spec.options);
  for (const path of spec.paths) {
    const stream = openLines(path, await isGzip(path), 0, limits.maxInflationRatio, undefined, SAMPLE_READ);
    const splitter = new LineSplitter(0, limits.maxLineBytes);
    const onLine = (line: Buffer, _pos: number, tooLong?: number) => {
      if (tooLong !== undefined) return true;
      const r = parseLine(line);
      if (r && 'row' in r) rows.push(r.row);
      return rows.length < JSONL_SAMPLE_LINES;
    };
    try {
      for await (const chunk of stream) if (!splitter.push(chunk as Buffer, onLine)) break;
      if (rows.length < JSONL_SAMPLE_LINES) splitter.end(onLine);
    } catch { /* a corrupt tail does not stop sampling; the read reports it */ } finally { stream.destroy(); }
    if (rows.length >= JSONL_SAMPLE_LINES) break;
  }
  return rows;
}

/** Finds the first line start at or after `at` (the byte after a newline at or after `at - 1`). */
async function nextLineStart(path: string, at: number, size: number): Promise<number> {
  if (isRemoteInput(path)) {
    for (let pos = at - 1; pos < size; pos += LINE_PROBE) {
      const bytes = await readInputBytes(path, pos, Math.min(size, pos + LINE_PROBE));
      const nl = bytes.indexOf(10);
      if (nl >= 0) return pos + nl + 1;
    }
    return size;
  }
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let pos = at - 1; pos < size; pos += buf.length) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      const nl = buf.subarray(0, bytesRead).indexOf(10);
      if (nl >= 0) return pos + nl + 1;
      if (bytesRead === 0) break;
    }
    return size;
  } finally { await fh.close(); }
}

/**
 * JSON Lines (`.jsonl`, `.jsonl.gz`, `.json.gz`; gzip detected by magic bytes, multi-member
 * supported). Uncompressed files larger than `targetBytes` split into byte ranges cut at line starts;
 * a range holds the lines that start inside it. `__pos` is the byte offset of the line in the
 * (decompressed) file. Nested objects/arrays are kept as JSON text in Utf8 columns. A line that is
 * not valid UTF-8, not JSON, not an object, or whose values do not fit the schema is a bad record.
 * Hostile input is bounded by the options (`options.ts`): a line past `maxLineBytes` is a bad
 * record and is never buffered; a gzip stream inflating past `maxInflationRatio` (a bomb) ends as
 * one bad record for the rest of the file; a 0-byte `.gz` file is a bad record.
 */
export const jsonlReader: SourceReader = {
  format: 'jsonl',

  async inspect(spec) {
    const rows = await sampleRows(spec);
    return rows.length ? inferFields(rows) : undefined;
  },

  async partitions(spec, targetBytes) {
    parseJsonlOptions(spec.options);
    const out: PartitionSpec[] = [];
    for (const [fileIndex, file] of spec.paths.entries()) {
      const size = isRemoteInput(file) ? await inputSize(file) : (await stat(file)).size;
      if (size <= targetBytes || (await isGzip(file))) {
        out.push({ index: out.length, file, fileIndex, bytes: size });
        continue;
      }
      let start = 0;
      while (start < size) {
        const end = await nextLineStart(file, Math.min(size, start + targetBytes), size);
        out.push({ index: out.length, file, fileIndex, start, end, bytes: end - start });
        start = end;
      }
    }
    return out;
  },

  async *read(spec, partition, request): AsyncGenerator<ReadItem> {
    const file = partition.file ?? spec.paths[partition.fileIndex ?? 0];
    const fileIndex = partition.fileIndex ?? spec.paths.indexOf(file ?? '');
    if (!file || fileIndex < 0) throw new Error(`jsonl partition ${partition.index} names no input file`);
    const limits = parseJsonlOptions(spec.options);
    const fields: FieldSpec[] = spec.schema ?? (await jsonlReader.inspect(spec)) ?? [];
    const wanted = checkColumns(request.columns, fields.map((f) => f.name), `jsonl ${file}`);
    const outFields = fields.filter((f) => wanted.includes(f.name));
    const gz = await isGzip(file, true);
    const start = gz ? 0 : partition.start ?? 0;
    const end = gz ? Infinity : partition.end ?? Infinity;
    // Starting one byte early makes the first "line" the remainder of a line that began before
    // `start` (just the newline itself when `start` is a line start); it is skipped.
    const skipFirst = start > 0;
    const misnamed = !gz && /\.gz$/i.test(file) ? ' (the file is named .gz but is not gzip; read as plain text)' : '';
    const stream = openLines(file, gz, skipFirst ? start - 1 : start, limits.maxInflationRatio, end);
    const splitter = new LineSplitter(skipFirst ? start - 1 : start, limits.maxLineBytes);

    let rows: Row[] = [], positions: number[] = [], bytes = 0;
    let bad: BadRecord[] = [];
    let first = skipFirst, past = false;
    const onLine = (line: Buffer, pos: number, tooLong?: number): boolean => {
      if (first) { first = false; return true; }
      if (pos >= end) { past = true; return false; }
      if (tooLong !== undefined) {
        bad.push({ file, pos, reason: `line of ${tooLong} bytes exceeds maxLineBytes (${limits.maxLineBytes})`, sample: sample(line) });
        return true;
      }
      const r = parseLine(line);
      if (!r) return true;
      if ('bad' in r) { bad.push({ file, pos, reason: r.bad + misnamed, sample: sample(line) }); return true; }
      const misfit = rowFits(r.row, fields);
      if (misfit) { bad.push({ file, pos, reason: misfit, sample: sample(line) }); return true; }
      rows.push(r.row); positions.push(pos); bytes += line.length;
      return true;
    };
    const flush = (): ReadItem[] => {
      const items: ReadItem[] = [];
      for (let k = 0; k < rows.length; k += request.batchSize) {
        const part = rows.slice(k, k + request.batchSize);
        const pos = Float64Array.from(positions.slice(k, k + request.batchSize));
        items.push({ batch: addSystemColumns(rowsToBatch(part, outFields), fileIndex, pos) });
      }
      for (const b of bad) items.push({ bad: b });
      rows = []; positions = []; bytes = 0; bad = [];
      return items;
    };
    try {
      try {
        for await (const chunk of stream) {
          const more = splitter.push(chunk as Buffer, onLine);
          // Bad lines count too: a binary file read as lines is millions of them.
          if (rows.length >= request.batchSize || bytes >= MAX_BATCH_BYTES || bad.length >= request.batchSize) yield* flush();
          if (!more) break;
        }
        if (!past) splitter.end(onLine);
        // An empty `.jsonl` is a valid file of no lines; an empty `.gz` lacks even the gzip header.
        if (start === 0 && splitter.bytesSeen === 0 && /\.gz$/i.test(file)) bad.push({ file, pos: 0, reason: EMPTY_FILE_REASON });
      } catch (e) {
        // A request that failed after its retries fails the task (which the driver retries); only
        // bytes that do not decompress are a bad record of the object.
        if (isRemoteInput(file) && !(e instanceof InputLimitError) && !String((e as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) throw e;
        const message = e instanceof InputLimitError ? e.message : `unreadable ${gz ? 'gzip stream' : 'file'}: ${(e as Error).message}`;
        bad.push({ file, pos: splitter.position, reason: message });
      }
      yield* flush();
    } finally {
      stream.destroy();
    }
  },
};

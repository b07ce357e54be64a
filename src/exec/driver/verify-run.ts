import { isAbsolute } from 'node:path';
import { BlobCorruptError, type BlobStore } from '../../storage/blob-store.ts';
import { openBlobStore } from '../../storage/open-blob-store.ts';
import type { S3Connection } from '../../storage/s3/s3-connection.ts';
import { digestStream } from '../../storage/file-digest.ts';
import { openFile, openLocation } from '../../io/location/open-location.ts';
import type { Location } from '../../io/location/location.ts';
import type { Checkpoint } from '../state/checkpoint.ts';
import { files, keys } from '../state/layout.ts';
import { readFinalized, type OutputRecord } from '../state/output-files.ts';
import { blobOwner } from '../graph/blob-owner.ts';
import { recordRedo, type RedoRequest } from '../graph/redo.ts';
import { MANIFEST_FILE } from '../../io/token-shards/format.ts';
import { PARTS_DIR } from '../../io/token-shards/sink.ts';

/** One thing `sluice verify` found wrong. */
export interface VerifyProblem {
  kind: 'blob' | 'file';
  /** Blob key, or output file path (relative to the output, absolute for a sink outside it). */
  name: string;
  /** The task whose redo rewrites it; absent when no task can (the run manifest, status records). */
  task?: string;
  /** `corrupt` (bytes differ from the recorded hash or size), `missing`, or `unreadable` (any other error). */
  problem: 'corrupt' | 'missing' | 'unreadable';
  detail: string;
}

export interface VerifyOptions {
  /** The S3 connection for an `s3://` output (default: the process-wide one, from the environment). */
  s3Connection?: S3Connection;
}

/** What `sluice verify` checked and found (its `--json` output). */
export interface VerifyReport {
  output: string;
  blobs: { checked: number; bytes: number };
  files: { checked: number; bytes: number };
  problems: VerifyProblem[];
  /** Tasks the next `sluice run` of this output will redo (recorded in the store). */
  redo: string[];
  ok: boolean;
}

/**
 * Re-hashes every blob of a run's store (every chunk of every manifest) and every output file its
 * tasks recorded when they committed them (stage tasks in their final checkpoints, finalize in
 * `run/finalized`), reading through the store and a `Location`, so a run on S3 verifies the same
 * way. What is damaged is reported with the task that wrote it, and those tasks are recorded for
 * the next `sluice run` of the output to redo (`graph/redo.ts`). Files and blobs are streamed:
 * memory stays at a chunk whatever the output's size.
 */
export async function verifyRun(outUri: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const s3 = options.s3Connection ? { connection: options.s3Connection } : undefined;
  const store = await openBlobStore(files.store(outUri), s3 ? { s3 } : {});
  if (!(await store.has(keys.run))) throw new Error(`${outUri} holds no sluice run (no ${keys.run} in its _store)`);
  const out = await openLocation(outUri, s3 ? { s3 } : {});
  const report: VerifyReport = { output: outUri, blobs: { checked: 0, bytes: 0 }, files: { checked: 0, bytes: 0 }, problems: [], redo: [], ok: true };
  const damagedBlobs = new Set<string>();
  const blobs = await store.list('');
  for (const key of blobs) {
    const problem = await checkBlob(store, key, report);
    if (problem) {
      report.problems.push(problem);
      damagedBlobs.add(key);
    }
  }
  const finalized = damagedBlobs.has(keys.finalized) ? undefined : await readFinalized(store);
  const recorded: { task: string; file: OutputRecord }[] = [];
  /** Per sink directory, the tasks whose parts its finalizer assembled (token shards). */
  const assembledFrom = new Map<string, string[]>();
  for (const key of blobs) {
    if (!/^stages\/.+\/committed$/.test(key) || damagedBlobs.has(key)) continue;
    const ck = JSON.parse(new TextDecoder().decode(await store.getBytes(key))) as Checkpoint;
    const task = `${ck.stage}.${ck.partition}`;
    for (const f of ck.outputs ?? []) {
      if (f.transient) {
        const dir = sinkDirOfPart(f.path);
        assembledFrom.set(dir, [...(assembledFrom.get(dir) ?? []), task]);
      }
      // Token parts are consumed and removed by finalize: output only until then.
      if (!(f.transient && finalized)) recorded.push({ task, file: f });
    }
  }
  for (const f of finalized?.outputs ?? []) recorded.push({ task: 'finalize', file: f });
  for (const { task, file } of recorded) {
    const problem = await checkFile(out, file, report, s3);
    if (problem) report.problems.push({ kind: 'file', name: file.path, task, ...problem });
  }
  const redo = new Map<string, RedoRequest>();
  for (const p of report.problems) {
    if (p.task === undefined) continue;
    const reason = `sluice verify found ${p.kind} ${p.name} ${p.problem}`;
    const parts = p.kind === 'file' && p.task === 'finalize' ? assembledFrom.get(dirOf(p.name)) : undefined;
    if (parts) {
      // Shards are assembled from every task's part, and finalize removed the parts: rebuilding
      // one means writing the parts again and letting finalize assemble anew (without a manifest).
      for (const t of parts) if (!redo.has(t)) redo.set(t, { task: t, reason: `${reason}; its parts are needed to rebuild the shards` });
      redo.set('finalize', { task: 'finalize', reason, remove: [joinPath(dirOf(p.name), MANIFEST_FILE)] });
    } else if (!redo.has(p.task)) {
      redo.set(p.task, { task: p.task, reason });
    }
  }
  await recordRedo(store, [...redo.values()]);
  report.redo = [...redo.keys()];
  report.ok = report.problems.length === 0;
  return report;
}

async function checkBlob(store: BlobStore, key: string, report: VerifyReport): Promise<VerifyProblem | undefined> {
  const owner = blobOwner(key);
  const base = { kind: 'blob' as const, name: key, ...(owner.task !== undefined ? { task: owner.task } : {}) };
  try {
    let bytes = 0;
    for await (const chunk of store.get(key)) bytes += chunk.length;
    report.blobs.checked++;
    report.blobs.bytes += bytes;
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    if (e instanceof BlobCorruptError) return { ...base, problem: message.includes('is missing') ? 'missing' : 'corrupt', detail: `${owner.what}: ${message}` };
    return { ...base, problem: 'unreadable', detail: `${owner.what}: ${message}` };
  }
}

async function checkFile(out: Location, file: OutputRecord, report: VerifyReport, s3: { connection: S3Connection } | undefined): Promise<Pick<VerifyProblem, 'problem' | 'detail'> | undefined> {
  const { location, path } = isAbsolute(file.path) ? await openFile(file.path, s3 ? { s3 } : {}) : { location: out, path: file.path };
  try {
    const st = await location.stat(path);
    if (!st) return { problem: 'missing', detail: `recorded with ${file.size} bytes, xxhash64 ${file.xxh64}; the file is gone` };
    if (st.size !== file.size) return { problem: 'corrupt', detail: `size is ${st.size} bytes, recorded ${file.size}` };
    const d = await digestStream(location.readRange(path));
    if (d.xxh64 !== file.xxh64) return { problem: 'corrupt', detail: `xxhash64 is ${d.xxh64}, recorded ${file.xxh64}` };
    report.files.checked++;
    report.files.bytes += d.size;
    return undefined;
  } catch (e) {
    return { problem: 'unreadable', detail: (e as Error).message };
  }
}

/** `tokens/_parts/part-s3-00001.arrow` → `tokens`: the sink directory a token part belongs to. */
function sinkDirOfPart(path: string): string {
  const i = path.lastIndexOf(`/${PARTS_DIR}/`);
  return i < 0 ? dirOf(path) : path.slice(0, i);
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

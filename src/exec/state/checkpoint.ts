import { getBytesIfAny, type BlobStore } from '../../storage/blob-store.ts';
import type { Overheads, StepCounters } from '../accounting/counters.ts';
import type { OutputRecord } from './output-files.ts';

/** One committed piece of a task's output: the outputs of one input batch. */
export interface PieceRef {
  seq: number;
  /** Rows in the piece (all buckets). */
  rows: number;
  /** Whether an unbucketed blob was written (rows > 0, or the first piece, to carry the schema). */
  stored: boolean;
  /** Rows per bucket when the stage's output is shuffled; the blob of bucket b exists iff > 0. */
  buckets?: number[];
  /** Quarantined documents committed with this piece (a JSONL blob exists iff > 0). */
  quarantined: number;
}

/**
 * A task's progress, committed after each piece. `inputBatches` is where a resumed task continues;
 * pieces and counters cover exactly the input before it, so output and stats resume seamlessly.
 */
export interface Checkpoint {
  format: 'sluice-checkpoint/1';
  fingerprint: string;
  stage: string;
  partition: number;
  inputBatches: number;
  pieces: PieceRef[];
  counters: StepCounters[];
  /** Set once every piece, the sink part and the quarantine file are written. */
  final: boolean;
  /** Work outside the steps so far, by name (see `Overheads`). */
  overheadMs?: Overheads;
  /** The final checkpoint's record of the files the task wrote under the output (sink part,
   *  quarantine file, drop log), for `sluice verify`. */
  outputs?: OutputRecord[];
}

export async function readCheckpoint(store: BlobStore, key: string): Promise<Checkpoint | undefined> {
  const bytes = await getBytesIfAny(store, key);
  if (!bytes) return undefined;
  const ck = JSON.parse(new TextDecoder().decode(bytes)) as Checkpoint;
  if (ck.format !== 'sluice-checkpoint/1') throw new Error(`checkpoint ${key} has an unknown format`);
  return ck;
}

export async function writeCheckpoint(store: BlobStore, key: string, ck: Checkpoint): Promise<void> {
  await store.put(key, new TextEncoder().encode(JSON.stringify(ck)));
}

import { BlobCorruptError, BlobNotFoundError } from '../../storage/blob-store.ts';

/** Who wrote a blob: the task of the task graph whose redo rewrites it, or a run-level record. */
export interface BlobOwner {
  /** Task id (`s0.3`, `s1.bucket.2`, `s1.merge`, `finalize`); absent when no task can rewrite it. */
  task?: string;
  /** The blob in words, for messages. */
  what: string;
}

const TASK = /^stages\/([^/]+)\/tasks\/(\d+)\/(.+)$/;
const DEDUP = /^stages\/([^/]+)\/dedup\/(stars|hits|indexed|assign)\/(\d+)?/;

/**
 * The owner of a blob key, from the key alone (`state/layout.ts`, `dedup/layout.ts`): everything
 * under a stage task's prefix (checkpoints, pieces, quarantine and drop-log units, dedup band
 * records its map wrote) is that task's; bucket edges, costs, substring hits and index look-ups
 * are their bucket task's; verdicts are the merge's.
 */
export function blobOwner(key: string): BlobOwner {
  const t = TASK.exec(key);
  if (t) return { task: `${t[1]}.${Number(t[2])}`, what: `${t[3]} of task ${t[1]}.${Number(t[2])}` };
  const d = DEDUP.exec(key);
  if (d) {
    if (d[2] === 'assign') return { task: `${d[1]}.merge`, what: `dedup verdicts of ${d[1]}.merge` };
    return { task: `${d[1]}.bucket.${Number(d[3])}`, what: `dedup ${d[2]} of ${d[1]}.bucket.${Number(d[3])}` };
  }
  if (key === 'run/finalized') return { task: 'finalize', what: 'the finalize commit' };
  const g = /^graph\/([^/]+)\/(attempt|failure)$/.exec(key);
  if (g) return { what: `the ${g[2]} record of task ${g[1]} (status only)` };
  if (key === 'run/manifest') return { what: "the run manifest (the run's fingerprint)" };
  return { what: `blob ${key}` };
}

const BROKEN = /blob "([^"]+)"(?:: chunk \d+ |: manifest | not found)/;

/**
 * The key of the blob whose damage (a chunk failing its hash, a missing chunk or manifest, an
 * unreadable manifest) caused `e`, looking through causes. Errors from worker threads arrive as
 * plain errors, so their message is matched too.
 */
export function brokenBlobKey(e: unknown): string | undefined {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++) {
    if (x instanceof BlobCorruptError || x instanceof BlobNotFoundError) return x.key;
    const m = BROKEN.exec(x.message);
    if (m) return m[1];
  }
  return undefined;
}

import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';

/**
 * The phases of a run the chaos runner spreads its kills over, named by what commits there:
 * `plan` (plan.json, the run manifest), `task` (a stage task's pieces, band records, checkpoints,
 * quarantine and drop logs), `dedup-bucket`, `dedup-merge`, `sink-part` (a final task's Parquet,
 * JSONL or token part), `finalize` (stats.json, run/finalized, report.html) and `shard-assembly`
 * (token shards, indexes and their manifest).
 */
export const PHASES = ['plan', 'task', 'dedup-bucket', 'dedup-merge', 'sink-part', 'finalize', 'shard-assembly'] as const;
export type Phase = typeof PHASES[number];

/**
 * One line of a `SLUICE_CHAOS_LOG` file: the n-th commit point (`commit`), or a mark that the
 * process died just before it (`before`) or that its thread exited just after it (`thread-exit`).
 */
export interface CommitEvent {
  n: number;
  /** Path relative to the run's output directory. */
  rel: string;
  mark: 'commit' | 'before' | 'thread-exit';
}

/** Reads a `SLUICE_CHAOS_LOG` file written by a run into `outDir` (missing file: no commits). */
export async function readCommitLog(file: string, outDir: string): Promise<CommitEvent[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => {
    const m = /^(\d+) (?:(before|thread-exit) )?(.*)$/.exec(line);
    if (!m) throw new Error(`${file}: bad line ${JSON.stringify(line)}`);
    return { n: Number(m[1]), mark: (m[2] ?? 'commit') as CommitEvent['mark'], rel: relative(outDir, m[3]!) };
  });
}

const SHARD_FILE = /^(tokens-\d+\.(ds|ds\.index|bin|idx)|manifest\.json)$/;

/** The phase of one committed path; `undefined` for a store chunk, which belongs to the blob written after it. */
export function phaseOfPath(rel: string): Phase | undefined {
  if (rel.startsWith('_store/chunks/')) return undefined;
  const key = rel.startsWith('_store/manifests/') ? rel.slice('_store/manifests/'.length).replace(/\.json$/, '') : undefined;
  if (key !== undefined) {
    if (key === 'run/manifest') return 'plan';
    if (key === 'run/finalized') return 'finalize';
    const graph = /^graph\/([^/]+)\//.exec(key);
    if (graph) return graphPhase(graph[1]!);
    if (/^stages\/[^/]+\/dedup\/(stars|hits)\//.test(key)) return 'dedup-bucket';
    if (/^stages\/[^/]+\/dedup\/(assign|indexed)\//.test(key)) return 'dedup-merge';
    return 'task';
  }
  if (rel === 'plan.json') return 'plan';
  if (rel === 'stats.json' || rel === 'report.html') return 'finalize';
  if (rel.includes('/_parts/') || /(^|\/)part-[^/]+$/.test(rel)) return 'sink-part';
  if (SHARD_FILE.test(basename(rel))) return 'shard-assembly';
  return 'task';
}

/** A task graph id's phase: `s1.bucket.3`, `s1.merge`, `finalize`, or a stage task `s0.2`. */
function graphPhase(id: string): Phase {
  if (id === 'finalize') return 'finalize';
  if (/\.bucket\.\d+$/.test(id)) return 'dedup-bucket';
  if (/\.merge$/.test(id)) return 'dedup-merge';
  return 'task';
}

/** Each event's phase; a chunk takes the phase of the next non-chunk commit (the blob it belongs to). */
export function phasesOf(events: readonly CommitEvent[]): Phase[] {
  const out: Phase[] = new Array<Phase>(events.length);
  let next: Phase = 'finalize';
  for (let i = events.length - 1; i >= 0; i--) {
    next = phaseOfPath(events[i]!.rel) ?? next;
    out[i] = next;
  }
  return out;
}

/**
 * Where a resumed attempt got to in the reference run's commit sequence. Its commits are matched
 * in order against `ref` from `from`, each within the next `window` reference commits; commits the
 * reference does not have there (the resume rewriting plan.json, a new attempt record, a piece
 * redone because its checkpoint was not written) are skipped. `prefix` counts the skipped commits
 * before the first match: the resume's overhead, which the next attempt's kill index adds.
 */
export function alignToReference(ref: readonly string[], from: number, attempt: readonly string[], window = 8): { cursor: number; prefix: number } {
  let cursor = from;
  let prefix = 0;
  let matched = false;
  for (const rel of attempt) {
    let hit = -1;
    for (let i = cursor; i < Math.min(ref.length, cursor + window); i++) if (ref[i] === rel) { hit = i; break; }
    if (hit >= 0) { cursor = hit + 1; matched = true; } else if (!matched) prefix++;
  }
  return { cursor, prefix };
}
